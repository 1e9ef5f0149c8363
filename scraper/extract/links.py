"""Which links the spider should follow from a page: posts, archive pages, comment pages.

Pure: the soup and the page URL in, absolute URLs without fragments out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from scraper.extract import selectors as sel
from scraper.extract.comments import comment_page_urls
from scraper.html import first_of_each
from scraper.model.urls import archive_page_number

__all__ = ["comment_page_urls", "next_archive_page", "post_links"]

_NOT_A_POST = re.compile(
    r"/(?:category|tag|author|page|comment-page-\d+|feed|wp-admin|wp-login\.php|wp-content)(?:/|$)"
    r"|[?&](?:replytocom|share|like_comment|paged|cpage|s)=",
    re.I,
)


def post_links(soup: BeautifulSoup, url: str) -> tuple[str, ...]:
    """Links to single posts on an archive or listing page, in page order, same site only."""
    own = _absolute(url, url)
    found: list[str] = []
    for link in _select_all(soup, sel.LISTING_POST_LINKS):
        target = _absolute(url, link.get("href"))
        if (
            target
            and target != own
            and target not in found
            and _same_site(target, url)
            and not _NOT_A_POST.search(target)
        ):
            found.append(target)
    return tuple(found)


def next_archive_page(soup: BeautifulSoup, url: str) -> str | None:
    """The next (older) page of a listing: the nearest /page/N/ or ?paged=N after this one.

    Only pagination URLs count: on single posts ``rel=next`` points to the
    next post, which is not an archive page.
    """
    current = archive_page_number(url) or 1
    best: tuple[int, str] | None = None
    for link in _select_all(soup, sel.NEXT_ARCHIVE_PAGE):
        target = _absolute(url, link.get("href"))
        number = archive_page_number(target) if target else None
        if target is None or number is None or number <= current:
            continue
        if not _same_site(target, url):
            continue
        if best is None or number < best[0]:
            best = (number, target)
    return best[1] if best else None


def _absolute(base: str, href: object) -> str | None:
    if not isinstance(href, str) or not href.strip():
        return None
    href = href.strip()
    if href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    try:
        target = urldefrag(urljoin(base, href))[0]
    except ValueError:
        return None
    return target if target.startswith(("http://", "https://")) else None


def _same_site(target: str, page: str) -> bool:
    def host(url: str) -> str:
        try:
            return (urlsplit(url).hostname or "").removeprefix("www.")
        except ValueError:
            return ""

    return bool(host(target)) and host(target) == host(page)


def _select_all(soup: BeautifulSoup | Tag, selectors: Iterable[str]) -> list[Tag]:
    return list(first_of_each(soup, selectors))
