"""Hostile deep nesting (issue 8): the parsed tree is capped, its text kept."""

from __future__ import annotations

import time

from bs4 import Tag

from scraper.extract.page import extract_page
from scraper.extract.parse import parse_page
from scraper.html.document import MAX_DEPTH, cap_depth

from .pages import CLASSIC_URL, PAGES

HOSTILE = "<div><span>" * 3000 + "deep inside" + "</span></div>" * 1500


def _depth(root: Tag) -> int:
    deepest = 0
    stack = [(root, 0)]
    while stack:
        tag, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((c, depth + 1) for c in tag.contents if isinstance(c, Tag))
    return deepest


def _hostile_post_page() -> str:
    html = (PAGES / "classic_comment_list.html").read_text()
    at = html.index(">", html.index('class="entry-content')) + 1
    return html[:at] + HOSTILE + html[at:]


def test_parse_caps_depth_and_keeps_text() -> None:
    soup = parse_page(f"<html><body><p>before</p>{HOSTILE}<p>after</p></body></html>")
    assert _depth(soup) <= MAX_DEPTH + 1
    text = soup.get_text()
    assert "before" in text and "deep inside" in text and "after" in text
    assert text.index("before") < text.index("deep inside") < text.index("after")


def test_cap_keeps_text_order_and_leaves_shallow_trees_alone() -> None:
    soup = parse_page("<div><p>a<b>b<i>c</i>d</b>e</p><p>f</p></div>")
    before = str(soup)
    cap_depth(soup, max_depth=50)
    assert str(soup) == before
    cap_depth(soup, max_depth=4)  # html, body, div, p: what is inside a <p> goes
    assert soup.find("b") is None and soup.find("i") is None
    assert [p.get_text() for p in soup.find_all("p")] == ["abcde", "f"]


def test_post_with_hostile_nesting_extracts_promptly() -> None:
    page = _hostile_post_page()
    started = time.process_time()
    result = extract_page(page, CLASSIC_URL)
    # A correctness guard (it took ~70 s), not a benchmark.
    assert time.process_time() - started < 5
    assert result.post is not None
    assert "deep inside" in result.post.body_text
