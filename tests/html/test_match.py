"""copy_without and the page-position helpers of scraper/html/match.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import Tag

from scraper.extract import selectors as sel
from scraper.extract.comments import _AUTHOR_FURNITURE
from scraper.html.clone import clone
from scraper.html.document import parse_html
from scraper.html.match import _has_combinator, copy_without, holds_any, positions_in_page

PAGES = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "pages").glob("*.html"))
# What the extractors copy without: none may have a combinator, or copy_without would
# take its slower path (and a match in the page might not be one in a copy).
COPY_WITHOUT_LISTS = {
    "body": sel.NOT_POST_REGIONS + sel.POST_FURNITURE + sel.POST_META_BLOCKS
    + sel.POST_HEADING_PARTS,
    "comment furniture": sel.COMMENT_FURNITURE,
    "author furniture": _AUTHOR_FURNITURE,
}


def copied_then_removed(original: Tag, selectors: tuple[str, ...]) -> Tag:
    """The copy made whole, the matches found in it and decomposed: the slow way."""
    copied = clone(original)
    for tag in copied.select(", ".join(selectors)):
        if not tag.decomposed:
            tag.decompose()
    return copied


@pytest.mark.parametrize("name", COPY_WITHOUT_LISTS)
def test_selectors_copied_without_have_no_combinators(name: str) -> None:
    assert [s for s in COPY_WITHOUT_LISTS[name] if _has_combinator(s)] == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_copy_without_equals_copying_then_removing(page: Path) -> None:
    soup = parse_html(page.read_bytes())
    for selectors in (*COPY_WITHOUT_LISTS.values(), ("div p", ".comment-body > p")):
        for tag in soup.find_all(["article", "li", "div"])[:30]:
            assert copy_without(tag, selectors).decode() == \
                copied_then_removed(tag, selectors).decode()


def test_holds_any_tells_whether_a_position_lies_inside_the_element() -> None:
    soup = parse_html(b"<div id=a><p>x</p><form></form></div><div id=b><p>y</p></div>")
    blocked = positions_in_page(soup, soup.find_all("form"))
    assert blocked is not None and len(blocked) == 1
    assert holds_any(soup.find(id="a"), blocked)
    assert not holds_any(soup.find(id="b"), blocked)
    assert not holds_any(soup.find("form"), blocked)  # only what lies inside counts
    detached = clone(soup.find(id="b"))
    assert positions_in_page(detached, []) is None
    assert holds_any(detached, blocked)  # unknown: assume so


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_index_from_the_parser_equals_index_from_walking_the_tree(page: Path) -> None:
    from scraper.html.match import PageIndex, page_index

    soup = parse_html(page.read_bytes())
    recorded, walked = page_index(soup), PageIndex(soup)
    assert recorded is not None
    assert recorded.tags == walked.tags and recorded.end == walked.end
    assert recorded.keyed == walked.keyed and recorded.plain == walked.plain


def test_selectors_made_from_post_ids_do_not_grow_the_caches_without_bound() -> None:
    """Pages build selectors from their own ids ("#post-1234"): a long crawl must not keep
    one compiled selector per post it read."""
    from scraper.html.css_predicates import SELECTOR_CACHE, predicate
    from scraper.html.match import _compiled, _compiled_all, select

    soup = parse_html(b"<article id='post-1' class='post'><p>x</p></article>")
    for post_id in range(SELECTOR_CACHE + 200):
        select(soup, (f"#post-{post_id}", f"article.post-{post_id}"))
    for cached in (_compiled, _compiled_all, predicate):
        assert cached.cache_info().currsize <= SELECTOR_CACHE


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_navigation_helpers_answer_as_bs4s_search_methods(page: Path) -> None:
    from scraper.html.match import named_with_attribute, previous_named
    from scraper.html.navigation import previous_element_sibling

    soup = parse_html(page.read_bytes())
    copy = clone(soup.body)  # a detached copy: answered by walking, not by the index
    for root in (soup, copy):
        tags = root.find_all(True)
        for tag in tags[::7]:
            assert list(previous_named(tag, "img")) == tag.find_all_previous("img")
            assert list(previous_named(tag, "a")) == tag.find_all_previous("a")
            assert previous_element_sibling(tag) is tag.find_previous_sibling(True)
            assert named_with_attribute(tag, "a", "href") == tag.find_all("a", href=True)


def test_is_decomposed_tells_the_taken_apart_from_the_rest() -> None:
    from scraper.html.match import is_decomposed

    soup = parse_html("<div><p>a <b>b</b></p><p>c</p></div>")
    first, second = soup.find_all("p")
    bold = first.b
    first.decompose()
    assert is_decomposed(first) and is_decomposed(bold)
    assert not is_decomposed(second) and not is_decomposed(soup.div)
