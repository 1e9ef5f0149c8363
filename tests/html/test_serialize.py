"""inner_html writes exactly what bs4's decode_contents() writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from scraper.html.document import parse_html
from scraper.html.serialize import inner_html

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "pages"
PAGES = [*sorted((FIXTURES / "pages").rglob("*.html")),
         *sorted((FIXTURES / "site").rglob("*.html")),
         FIXTURES / "serialize" / "edge_cases.html"]


def assert_same_html(tag: Tag) -> None:
    assert inner_html(tag) == tag.decode_contents(), tag.name


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_element_of_fixture_pages_is_written_as_bs4_writes_it(page: Path) -> None:
    soup = parse_html(page.read_bytes())
    assert inner_html(soup) == soup.decode_contents()
    for tag in soup.find_all(True):
        assert_same_html(tag)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs the shared corpus")
@pytest.mark.parametrize("page", sorted(CORPUS.glob("*.html")) if CORPUS.is_dir() else [],
                         ids=lambda p: p.stem)
def test_corpus_pages_are_written_as_bs4_writes_them(page: Path) -> None:
    soup = parse_html(page.read_bytes())
    assert inner_html(soup) == soup.decode_contents()
    # Every element is inside the page's HTML above; spot-check a share of them on their own.
    for tag in soup.find_all(True)[::9]:
        assert_same_html(tag)


def test_edge_cases_are_escaped_and_quoted_as_bs4_does() -> None:
    soup = parse_html((FIXTURES / "serialize" / "edge_cases.html").read_bytes())
    html = inner_html(soup.body)
    assert 'title=\'he said "hi"\'' in html
    assert 'data-both="&quot;it\'s&quot;"' in html
    assert "<br/>" in html and "<!-- a comment with <markup> & ampersands -->" in html
    assert 'x = "</p>"' in inner_html(soup.head)  # script text is written raw


def test_edited_and_built_trees_are_written_as_bs4_writes_them() -> None:
    soup = BeautifulSoup("<div><p>a</p></div>", "html.parser")
    div = soup.div
    assert isinstance(div, Tag)
    div.append(soup.new_tag("span", attrs={"class": ["x", "y"], "data-n": 3}))
    div.p.hidden = True  # type: ignore[union-attr]
    empty = soup.new_tag("img")
    div.insert(0, empty)
    assert_same_html(div)
    deep = BeautifulSoup("<div>" * 3000 + "x" + "</div>" * 3000, "lxml")
    assert inner_html(deep).count("<div>") == deep.decode_contents().count("<div>")
