"""Make scraped HTML safe to show: one allow-list, used for every post body and comment.

Everything the archive shows *as HTML* passes through :func:`clean_html`
(nh3, the Rust ``ammonia`` sanitiser): only the tags and attributes below
survive, scripts, styles, frames, plug-ins, SVG/MathML and forms are removed
with their content, event handlers and ``style``/``class``/``id`` attributes
are dropped, URLs are limited to http(s) (relative ones are resolved against
the page they came from, or dropped), and every link gets
``rel="nofollow noopener noreferrer"``.

Everything else (titles, names, URLs) is shown as *text* by Jinja's
autoescaping; :func:`safe_url` decides whether a URL may be a link at all.
"""

from __future__ import annotations

import html
import re
from typing import Literal
from urllib.parse import urljoin, urlsplit

import nh3

ALLOWED_TAGS = frozenset({
    "a", "abbr", "acronym", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code",
    "col", "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u",
    "ul", "var", "wbr",
})

# Removed together with everything inside them (a <script>'s text is not prose).
REMOVED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg",
    "math", "template", "noscript", "noembed", "noframes", "xmp", "title", "textarea",
    "select", "button", "head", "meta", "link", "base", "param", "source", "track",
    "audio", "video", "canvas", "dialog", "portal",
})

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
}

URL_SCHEMES = frozenset({"http", "https"})
LINK_REL = "nofollow noopener noreferrer"
# Images load from the blog's server (or our copy): never tell it which page asked.
_IMG_ATTRIBUTES = {"img": {"loading": "lazy", "referrerpolicy": "no-referrer",
                           "decoding": "async"}}

_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def safe_url(url: str | None, base_url: str | None = None) -> str | None:
    """``url`` if it may be used as a link or image source (absolute http/https), else None.

    A relative URL is resolved against ``base_url`` when one is given.  Browsers
    ignore tabs and newlines inside a scheme (``java\\tscript:``), so any control
    character or space in the URL's scheme part rejects it.
    """
    if not url:
        return None
    url = url.strip()
    if base_url is not None and ":" not in url.split("/", 1)[0]:
        url = urljoin(base_url, url)
    scheme, sep, _ = url.partition(":")
    if not sep or _CONTROL.search(scheme) or scheme.lower() not in URL_SCHEMES:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not parts.netloc or _CONTROL.search(parts.netloc) or "\\" in parts.netloc:
        return None
    return url


def clean_html(fragment: str | None, base_url: str | None = None) -> str:
    """Sanitise an HTML fragment from a scraped page; the result is safe to insert as HTML."""
    if not fragment:
        return ""
    base = safe_url(base_url)
    relative: tuple[Literal["rewrite_with_base"], str] | Literal["deny"] = (
        ("rewrite_with_base", base) if base else "deny")
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes=set(URL_SCHEMES),
        url_relative=relative,
        set_tag_attribute_values={tag: dict(v) for tag, v in _IMG_ATTRIBUTES.items()},
    )


def text_to_html(text: str | None) -> str:
    """Plain text as escaped HTML paragraphs (blank lines split paragraphs, newlines → <br>)."""
    if not text:
        return ""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line) for line in p.splitlines()) + "</p>"
        for p in paragraphs
    )
