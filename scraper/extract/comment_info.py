"""What a page says about its comments: the stated count, script-loaded
threads, and comment pagination."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from urllib.parse import urldefrag, urljoin, urlparse

from bs4 import BeautifulSoup, Tag

from scraper.extract import selectors as sel
from scraper.extract.base_url import document_base
from scraper.extract.number_words import count_from_text
from scraper.html import (
    collapse_whitespace,
    previous_element_sibling,
    select,
    tags_named,
    tags_with_attribute,
)
from scraper.model.records import CommentsInfo
from scraper.model.urls import comment_page_number, post_url_of_comment_page

_COMMENT_ID = re.compile(r"^(?:li-|div-)?comment-\d+$")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Headings a theme puts over its thread; h1 is the post's own title.
_COUNT_HEADINGS = frozenset({"h2", "h3", "h4", "h5"})
# A heading a theme prints above its comments area ("Comments ( 20 )", "Kommentare ( 56 )"):
# it must name the comments, since any heading may hold a number.
_NAMES_COMMENTS = re.compile(
    r"comment|kommentar|response|repl|antwort|ergänzung|thought|réponse|commentaire"
    r"|comentario|reacties|tanggapan",
    re.I,
)
_SIBLINGS_BEFORE_AREA = 3
_SHORT_BLOCK = 120  # characters: a heading's wrapper, not an introduction


def comments_info(soup: BeautifulSoup, url: str, has_comments: bool) -> CommentsInfo:
    area = comments_area(soup)
    return CommentsInfo(
        count_shown=count_shown(soup, area),
        not_in_html=None if has_comments else loaded_by_script(soup),
        page=(
            comment_page_number(url)
            or _current_page_marker(area)
            or _page_from_neighbours(area, url)
        ),
        page_urls=comment_page_links(soup, area, url),
    )


def comments_area(soup: BeautifulSoup) -> Tag | None:
    for selector in sel.COMMENTS_AREA:
        for area in _select(soup, selector):
            # Old theme-compat markup puts id="comments" on the heading alone.
            if not _inside_form(area) and area.name not in _HEADINGS:
                return area
    return None


# --- the stated count -----------------------------------------------------------


def count_shown(soup: BeautifulSoup, area: Tag | None) -> int | None:
    """The number in the comments heading, else in the post meta, else in JSON-LD."""
    for root in (area, soup):
        if root is None:
            continue
        for element in _candidates(root, sel.COMMENT_COUNT):
            count = _count_in(element)
            if count is not None:
                return count
    heading = _heading_before_thread(soup)
    if heading is not None:
        count = _count_in(heading)
        if count is not None:
            return count
    for heading in _headings_before_area(area):
        count = _count_in(heading)
        if count is not None:
            return count
    post = _post_container(soup)
    if post is not None:
        for element in _candidates(post, sel.COMMENT_COUNT_IN_POST_META):
            count = _count_in(element)
            if count is not None:
                return count
    return _count_in_structured_data(soup)


def _heading_before_thread(soup: BeautifulSoup) -> Tag | None:
    """The heading just before the list holding the first comment, whatever its class:
    themes name it freely ("91 Ergänzungen", "Comments (808)")."""
    first = next(
        (
            tag
            for tag in tags_with_attribute(soup, "id")
            if _COMMENT_ID.match(str(tag.get("id"))) and not _inside_form(tag)
        ),
        None,
    )
    thread = first.parent if first is not None else None
    for _level in range(2):  # the list's own heading, else its wrapper's
        if thread is None:
            return None
        before = previous_element_sibling(thread)
        if before is not None and before.name in _COUNT_HEADINGS:
            return before
        thread = thread.parent
    return None


def _headings_before_area(area: Tag | None) -> Iterator[Tag]:
    """Headings naming the comments among the few elements before the comments area, or
    inside a short wrapper there (a theme's own title over wp_list_comments' area)."""
    node = area
    for _step in range(_SIBLINGS_BEFORE_AREA):
        node = previous_element_sibling(node) if node is not None else None
        if node is None:
            return
        if node.name in _HEADINGS:
            found = [node]
        elif len(collapse_whitespace(node.get_text(" "))) <= _SHORT_BLOCK:
            found = list(tags_named(node, *_HEADINGS))
        else:
            found = []
        for heading in found:
            if _NAMES_COMMENTS.search(heading.get_text(" ")):
                yield heading


def _candidates(root: Tag, selectors: Iterable[str]) -> Iterator[Tag]:
    for selector in selectors:
        for element in _select(root, selector):
            if not _inside_form(element) and not _inside_comment(element):
                yield element


def _count_in(element: Tag) -> int | None:
    text = collapse_whitespace(element.get_text(" "))
    if not text or len(text) > 300:
        return None
    return count_from_text(text)


def _post_container(soup: BeautifulSoup) -> Tag | None:
    for selector in ("article.hentry", "article.post", ".hentry", "article", ".post"):
        found = _select(soup, selector)
        if len(found) == 1:  # on listings every post has its own count
            return found[0]
    return None


def _count_in_structured_data(soup: BeautifulSoup) -> int | None:
    for element in _select(soup, "[itemprop=commentCount]"):
        value = element.get("content") or element.get_text()
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
    for script in tags_named(soup, "script"):
        if script.get("type") != "application/ld+json":
            continue
        try:
            data = json.loads(script.string or "")
        except (ValueError, RecursionError):
            continue
        count = _find_comment_count(data, budget=[2000])
        if count is not None:
            return count
    return None


def _find_comment_count(data: object, budget: list[int]) -> int | None:
    budget[0] -= 1
    if budget[0] < 0:
        return None
    if isinstance(data, dict):
        value = data.get("commentCount")
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        items: Iterable[object] = data.values()
    elif isinstance(data, list):
        items = data
    else:
        return None
    for item in items:
        found = _find_comment_count(item, budget)
        if found is not None:
            return found
    return None


# --- threads loaded by script ---------------------------------------------------


def loaded_by_script(soup: BeautifulSoup) -> str | None:
    for selector, name in sel.COMMENTS_LOADED_BY_SCRIPT:
        if _select(soup, selector):
            return name
    for script in tags_named(soup, "script"):
        text = script.string or ""
        for marker, name in sel.COMMENTS_LOADED_BY_SCRIPT_MARKERS:
            if marker in text:
                return name
    return None


# --- comment pages --------------------------------------------------------------


def _current_page_marker(area: Tag | None) -> int | None:
    if area is None:
        return None
    for element in _candidates(area, sel.COMMENT_NAVIGATION_CURRENT):
        text = collapse_whitespace(element.get_text(" "))
        digits = re.search(r"\d+", text)
        if digits and len(text) <= 20:
            return int(digits.group(0))
    return None


def _page_from_neighbours(area: Tag | None, url: str) -> int | None:
    """The page number next to the linked previous (lower) or next (higher) page."""
    if area is None:
        return None
    for selectors, step in (
        (sel.COMMENT_NAVIGATION_PREVIOUS, 1),
        (sel.COMMENT_NAVIGATION_NEXT, -1),
    ):
        for link in _candidates(area, selectors):
            number = _linked_page_number(link, url)
            if number is not None and number + step >= 1:
                return number + step
    return None


def _linked_page_number(link: Tag, url: str) -> int | None:
    href = link.get("href")
    if not isinstance(href, str) or "replytocom" in href:
        return None
    return comment_page_number(_without_fragment(urljoin(url, href.strip())))


def comment_page_links(soup: BeautifulSoup, area: Tag | None, url: str) -> tuple[str, ...]:
    """Absolute URLs of the other comment pages linked from the comments area.

    When the area has none (a theme printing its navigation outside it), the
    whole page is searched, keeping only pages of the same post.
    """
    base = document_base(soup, url)
    found = _page_links_in(area if area is not None else soup, url, base, same_post_only=False)
    if not found and area is not None:
        found = _page_links_in(soup, url, base, same_post_only=True)
    return found


def _page_links_in(root: Tag, url: str, base: str, same_post_only: bool) -> tuple[str, ...]:
    own = _without_fragment(url)
    own_post = _post_of(own)
    found: list[str] = []
    for link in _candidates(root, sel.COMMENT_NAVIGATION_LINKS):
        href = link.get("href")
        if not isinstance(href, str):
            continue
        absolute = _without_fragment(urljoin(base, href.strip()))
        if not absolute or "replytocom" in absolute or comment_page_number(absolute) is None:
            continue
        if same_post_only and _post_of(absolute) != own_post:
            continue
        if absolute != own and absolute not in found:
            found.append(absolute)
    return tuple(found)


def _post_of(url: str) -> tuple[str, str, str]:
    """(host, path, query) of the post a comment page belongs to."""
    parts = urlparse(post_url_of_comment_page(url))
    return parts.netloc.lower(), parts.path.rstrip("/"), parts.query


def _without_fragment(url: str) -> str:
    return urldefrag(url)[0] if url else url


# --- helpers --------------------------------------------------------------------


def _select(root: Tag, selector: str) -> list[Tag]:
    return select(root, selector)  # a selector soupsieve cannot read matches nothing


def _inside_form(element: Tag) -> bool:
    for ancestor in (element, *element.parents):
        if ancestor.name == "form" or ancestor.get("id") == "respond":
            return True
        classes: list[str] | str = ancestor.get("class") or []
        if "comment-respond" in classes or "comment-reply-title" in classes:
            return True
        if ancestor.get("id") == "reply-title":
            return True
    return False


def _inside_comment(element: Tag) -> bool:
    for ancestor in (element, *element.parents):
        value = ancestor.get("id")
        if isinstance(value, str) and _COMMENT_ID.match(value):
            return True
    return False
