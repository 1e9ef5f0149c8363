"""parse_html: decoding, the tree BeautifulSoup's lxml parser builds, capped in depth."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scraper.extract.parse import is_sidebar_widget
from scraper.html.document import MAX_DEPTH, cap_depth, decode_html, fragment_text, parse_html

from .test_soup_builder import FIXTURE_PAGES, FIXTURES, _depth, tree_differences

PARSING = FIXTURES / "pages" / "parsing"


def plain_parse(body: bytes | str) -> BeautifulSoup:
    """What parse_html did with BeautifulSoup's own builder, sidebar widgets emptied:
    its output must not change."""
    soup = BeautifulSoup(decode_html(body).replace("\x00", ""), "lxml")
    cap_depth(soup)
    return hollowed(soup)


def hollowed(soup: BeautifulSoup) -> BeautifulSoup:
    for tag in soup.find_all(lambda t: is_sidebar_widget(t.name, " ".join(t.get("class") or []))):
        tag.clear()
    # As a parse of the emptied markup leaves it (clear() keeps a removed node there).
    soup._most_recent_element = next(reversed(list(soup.descendants)), None)
    return soup


@pytest.mark.parametrize("page", FIXTURE_PAGES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_parse_builds_the_plain_lxml_tree(page: Path) -> None:
    body = page.read_bytes()
    expected, actual = plain_parse(body), parse_html(body, hollow=is_sidebar_widget)
    assert tree_differences(expected, actual) == []
    assert actual.decode() == expected.decode()


def test_deep_fixture_is_capped_like_before() -> None:
    body = (PARSING / "deep-nesting.html").read_bytes()
    assert _depth(BeautifulSoup(body, "lxml")) > MAX_DEPTH
    soup = parse_html(body, hollow=is_sidebar_widget)
    assert _depth(soup) == MAX_DEPTH  # the element there holds only text now
    text = soup.get_text()
    assert text.index("before") < text.index("deep text") < text.index("bold") < text.index("after")
    assert "deep()" not in text  # what flattening drops: scripts, comments


def test_shallow_trees_are_left_alone() -> None:
    body = (PARSING / "malformed.html").read_bytes()
    soup = parse_html(body, hollow=is_sidebar_widget)
    assert tree_differences(hollowed(BeautifulSoup(decode_html(body), "lxml")), soup) == []


@pytest.mark.parametrize("body", [
    b"", b"\x00", b"<p>\x00\x01\x0b\x1f</p>",
    b"\xff\xfe<\x00p\x00>", b"<meta charset=bogus><p>\xe9\x93</p>", b"\x1b\x2d\x28",
    b"<" * 1000, b"<div " * 500,
])
def test_parse_never_raises(body: bytes) -> None:
    soup = parse_html(body, hollow=is_sidebar_widget)
    assert isinstance(soup, BeautifulSoup)


def test_declared_charset_decodes_the_page() -> None:
    soup = parse_html((PARSING / "windows-1252.html").read_bytes())
    assert soup.title.get_text() == "Café “quoted”"
    assert parse_html((PARSING / "utf-16.html").read_bytes()).p.get_text() == "Grüße 漢"


def test_released_tree_is_freed_without_the_cyclic_collector() -> None:
    import gc
    import weakref

    from scraper.html.document import release

    soup = parse_html((PARSING / "malformed.html").read_bytes())
    probes = [weakref.ref(node) for node in (soup, soup.body, soup.find("p"))]
    gc.disable()
    try:
        release(soup)
        del soup
        assert [probe() for probe in probes] == [None, None, None]
    finally:
        gc.enable()


def test_a_fragments_text_is_its_strings_with_entities_decoded() -> None:
    assert fragment_text("<p>Caf&eacute; <b>au</b> lait</p><p>x</p>", " ") == "Café  au  lait x"
    assert fragment_text("<p>a</p><p>b</p>") == "ab"
