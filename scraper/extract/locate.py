"""Where the post is on the page: its container and its content element.

Shared by post.py and credits.py.  Reads the soup, never changes it.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

from scraper.extract import selectors as sel
from scraper.html import (
    first_named,
    first_of_each,
    holds_any,
    page_cache,
    positions_in_page,
    select,
    tags_named,
)

_POSTID_CLASS = re.compile(r"^postid-(\d+)$")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_PARAGRAPHS = frozenset({"p", "pre", "blockquote", "ul", "ol", "h2", "h3", "h4", "table"})


@dataclass(frozen=True)
class PostLocation:
    container: Tag | None  # the element wrapping the post (article.post-N …)
    content: Tag | None  # the post text element (.entry-content …)
    content_is_guess: bool  # True when found by the paragraph heuristic


def body_post_id(soup: BeautifulSoup) -> int | None:
    body = first_named(soup, "body")
    classes = body.get("class") if isinstance(body, Tag) else None
    for cls in classes if isinstance(classes, list) else ():
        match = _POSTID_CLASS.match(cls)
        if match:
            return int(match.group(1))
    return None


_PAGE_ROOTS = frozenset({"html", "body"})


def excluded_regions(soup: BeautifulSoup | Tag) -> frozenset[int]:
    """ids of the elements that are never the post: comments, sidebars, menus.

    Every extractor asks this of the same shared (never mutated) soup, up to
    a dozen times a page: the page's cache keeps the answer.
    """
    if isinstance(soup, BeautifulSoup):
        cache = page_cache(soup)
        kept = cache.get("excluded_regions")
        if not isinstance(kept, frozenset):
            kept = cache["excluded_regions"] = _excluded_regions(soup)
        return kept
    return _excluded_regions(soup)


def _excluded_regions(soup: BeautifulSoup | Tag) -> frozenset[int]:
    # The body's classes describe the layout ("sidebar", "no-sidebar"), not a region.
    # An element holding the post's own title heading is the post's column, whatever its
    # id says (a theme's <div id="sidebar" class="content-area"> around the article).
    holding_title = {
        id(parent) for heading in select(soup, sel.POST_TITLE_HEADING)
        for parent in heading.parents
    }
    return frozenset(
        id(tag) for tag in select(soup, sel.NOT_POST_REGIONS)
        if tag.name not in _PAGE_ROOTS and id(tag) not in holding_title
    )


def is_inside(tag: Tag, regions: AbstractSet[int]) -> bool:
    node: Tag | None = tag
    while node is not None:
        if id(node) in regions:
            return True
        node = node.parent
    return False


def first_match(
    scope: BeautifulSoup | Tag, selectors: tuple[str, ...], regions: AbstractSet[int]
) -> Tag | None:
    for found in first_of_each(scope, selectors):
        if not is_inside(found, regions):
            return found
    return None


def locate_post(soup: BeautifulSoup) -> PostLocation:
    """Where the post is; asked by post.py and credits.py, found once per page."""
    cache = page_cache(soup)
    location = cache.get("post_location")
    if not isinstance(location, PostLocation):
        location = _locate_post(soup)
        cache["post_location"] = location
    return location


def _locate_post(soup: BeautifulSoup) -> PostLocation:
    regions = excluded_regions(soup)
    container = _container(soup, regions)
    content = _content_in(container, regions) if container else None
    if content is None:
        content = first_match(soup, sel.POST_CONTENT, regions)
        if content is not None and container is not None and not _related(container, content):
            # A content element elsewhere on the page belongs to another post.
            content = None
    guess = False
    if content is None:
        content = _densest_paragraph_parent(container or soup, regions)
        guess = content is not None
    return PostLocation(container=container, content=content, content_is_guess=guess)


def _content_in(container: Tag, regions: AbstractSet[int]) -> Tag | None:
    """The first content match in priority order that holds most of the text.

    Some themes reuse a content class for a standfirst above the real text
    (``.entry`` holding one sentence, ``.entrytext`` the post).
    """
    candidates = [
        found
        for found in first_of_each(container, sel.POST_CONTENT)
        if not is_inside(found, regions)
    ]
    if not candidates:
        return None
    longest = max(len(c.get_text()) for c in candidates)
    for candidate in candidates:
        if len(candidate.get_text()) >= 0.4 * longest:
            return candidate
    return candidates[0]


def _related(a: Tag, b: Tag) -> bool:
    return a in b.parents or b in a.parents


def _container(soup: BeautifulSoup, regions: AbstractSet[int]) -> Tag | None:
    post_id = body_post_id(soup)
    if post_id is not None:
        for pattern in sel.POST_CONTAINER_BY_ID:
            for found in select(soup, pattern.format(id=post_id)):
                if found.name not in _HEADINGS and not is_inside(found, regions):
                    return found
    for found in first_of_each(soup, sel.POST_CONTAINER):
        if not is_inside(found, regions):
            return found
    return None


def _densest_paragraph_parent(scope: BeautifulSoup | Tag, regions: AbstractSet[int]) -> Tag | None:
    """The element whose own paragraphs hold the most text: where the post text lives."""
    scores: dict[int, int] = {}
    parents: dict[int, Tag] = {}
    # A list holding a comment thread (ul > li#comment-N) is no paragraph of the post.
    holding = positions_in_page(scope, select(scope, sel.NOT_POST_REGIONS)) or []
    for paragraph in tags_named(scope, *_PARAGRAPHS):
        if holding and holds_any(paragraph, holding):
            continue
        parent = paragraph.parent
        if not isinstance(parent, Tag):
            continue
        key = id(parent)
        parents[key] = parent
        scores[key] = scores.get(key, 0) + len(paragraph.get_text())
    for key in sorted(scores, key=lambda k: scores[k], reverse=True):
        if not is_inside(parents[key], regions):
            return parents[key]
    return None
