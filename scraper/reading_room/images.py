"""Images shown from the archive only: a reader offline, or after the blog is gone, sees
every image the crawl downloaded, and a placeholder naming the original address for any
other, so a page never asks another host for anything.

Works on HTML that :func:`.sanitize.clean_html` produced: its serialiser writes every
attribute double-quoted (``"`` escaped inside), so the ``<img>`` tags and their ``src``
are found reliably by the patterns below.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

_IMG_TAG = re.compile(r"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
_SRC = re.compile(r'\ssrc="([^"]*)"')
_ALT = re.compile(r'\salt="([^"]*)"')
PLACEHOLDER = ('<span class="rr-missing-image" title="This image was not archived">'
               'image not archived{alt}: <span class="rr-missing-url">{url}</span></span>')


def image_sources(cleaned_html: str) -> set[str]:
    """The addresses of the images a sanitised fragment shows."""
    sources = set()
    for tag in _IMG_TAG.findall(cleaned_html):
        src = _SRC.search(tag)
        if src:
            sources.add(html.unescape(src.group(1)))
    return sources


def localize_images(cleaned_html: str, archived: Mapping[str, str]) -> str:
    """Each ``<img>`` of ``archived`` (original address → the archived copy's URL) shows the
    copy; every other image becomes a placeholder with its address as text."""

    def replace(match: re.Match[str]) -> str:
        tag = match.group(0)
        src = _SRC.search(tag)
        if src is None:  # nothing it could show
            return ""
        original = html.unescape(src.group(1))
        copy = archived.get(original)
        if copy is not None:
            return tag[:src.start(1)] + html.escape(copy, quote=True) + tag[src.end(1):]
        return placeholder(original, _alt(tag))

    return _IMG_TAG.sub(replace, cleaned_html)


def placeholder(url: str, alt: str = "") -> str:
    """What stands for an image the archive has no copy of."""
    return PLACEHOLDER.format(alt=f" ({html.escape(alt)})" if alt else "",
                              url=html.escape(url))


def _alt(tag: str) -> str:
    found = _ALT.search(tag)
    return html.unescape(found.group(1)) if found else ""
