"""The URL a page's relative links resolve against: its ``<base href>``, else its own.

Browsers resolve every relative ``href``/``src`` against the first ``<base href>``; a
theme that sets one and uses relative links would otherwise send the crawler to pages
that do not exist (``/2021/01/02/post/comment-page-2/`` for ``/comment-page-2/``).
"""

from __future__ import annotations

from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from scraper.html import first_named


def document_base(soup: BeautifulSoup, url: str) -> str:
    base = first_named(soup, "base")
    href = base.get("href") if isinstance(base, Tag) else None
    if not isinstance(href, str) or not href.strip():
        return url
    try:
        resolved = urljoin(url, href.strip())
    except ValueError:
        return url
    return resolved if resolved.startswith(("http://", "https://")) else url
