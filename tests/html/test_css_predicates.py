"""Compiled selector predicates answer as soupsieve's match, and select() stays soupsieve's."""

from __future__ import annotations

from pathlib import Path

import pytest
import soupsieve
from bs4 import BeautifulSoup, Tag

from scraper.extract import selectors as sel
from scraper.html.css_predicates import predicate
from scraper.html.document import parse_html
from scraper.html.match import PageIndex, select
from scraper.html.soup_builder import LinkingLXMLTreeBuilder

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EDGE_CASES = FIXTURES / "selectors" / "edge_cases.html"
PAGES = [
    EDGE_CASES,
    FIXTURES / "pages" / "wpcom-her-2013.html",
    FIXTURES / "pages" / "block_theme_comments.html",
    FIXTURES / "pages" / "classic-caption-credits.html",
    FIXTURES / "pages" / "wpdiscuz_comments.html",
]
# Forms the tables do not use, which still compile: case rules, operators, combinators.
EXTRA = (
    "[TYPE=text]",
    "input[type='text' s]",
    "[rel~=bookmark]",
    "link[rel|=canonical]",
    "[class^='comment-']",
    "[class$='-area']",
    "[data-empty]",
    "[data-empty='']",
    "[data-empty!='x']",
    "[title!='']",
    "[class*='']",
    "[class~='']",
    ".tabbed.names",
    "P.CLASS",
    "DIV#comments",
    "#Comments",
    ".Comments",
    "h2 + ol",
    "h2 ~ h3",
    "ol.commentlist ~ h3",
    "li > article > footer .fn",
    "template .fn",
    "div .fn",
    ".comments-area > .comment-content",
    "*",
    "* > cite",
    "li, .fn",
)
# Forms soupsieve alone reads.
NOT_COMPILED = ("li:first-child", ":not(.x)", "a:has(> time)", "ns|a", "p:nth-of-type(2)")


def table_selectors() -> list[str]:
    found: list[str] = []
    for name in dir(sel):
        value = getattr(sel, name)
        if not isinstance(value, tuple):
            continue
        for item in value:
            selector = item[0] if isinstance(item, tuple) else item
            if isinstance(selector, str) and "{" not in selector and not name.endswith(
                ("PATTERNS", "LABELS", "MARKERS", "PATHS", "PREFIXES", "PLATFORMS")
            ):
                found.append(selector)
    return sorted(set(found))


def all_tags(soup: BeautifulSoup) -> list[Tag]:
    return [t for t in soup.descendants if isinstance(t, Tag)]


def test_every_table_selector_compiles() -> None:
    selectors = table_selectors()
    assert len(selectors) > 200
    assert [s for s in selectors if predicate(s) is None] == []


@pytest.mark.parametrize("selector", NOT_COMPILED)
def test_pseudo_classes_and_namespaces_stay_with_soupsieve(selector: str) -> None:
    assert predicate(selector) is None


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_predicates_answer_as_soupsieve_match(page: Path) -> None:
    soup = parse_html(page.read_bytes())
    tags = all_tags(soup)
    # Every element of the small page; elsewhere those either side says match.
    exhaustive = page == EDGE_CASES
    for selector in [*table_selectors(), *EXTRA]:
        test = predicate(selector)
        assert test is not None, selector
        compiled = soupsieve.compile(selector)
        if exhaustive:
            checked = tags
        else:
            found = {id(t) for t in compiled.select(soup)} | {id(t) for t in tags if test(t)}
            checked = [t for t in tags if id(t) in found]
        wrong = [t.name for t in checked if test(t) != compiled.match(t)]
        assert wrong == [], selector


def test_template_contents_have_no_ancestors_above_the_template() -> None:
    soup = parse_html(EDGE_CASES.read_bytes())
    inside = soup.select_one("template .fn")
    assert inside is None or isinstance(inside, Tag)
    template = soup.find("template")
    assert isinstance(template, Tag)
    span = template.find("span")
    assert isinstance(span, Tag)
    for selector in ("template .fn", "div .fn", ".comments-area .fn", "#comments span"):
        test = predicate(selector)
        assert test is not None
        assert test(span) == soupsieve.compile(selector).match(span), selector


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_select_returns_soupsieve_select(page: Path) -> None:
    soup = parse_html(page.read_bytes())
    # soupsieve's select does not look inside a <template>; the index does (as before).
    hidden = {id(t) for tpl in soup.find_all("template") for t in tpl.descendants}
    for selector in [*table_selectors(), *EXTRA]:
        expected = [id(t) for t in soupsieve.select(selector, soup)]
        found = [id(t) for t in select(soup, selector) if id(t) not in hidden]
        assert found == expected, selector


def test_trees_with_uppercase_names_fall_back_to_soupsieve() -> None:
    soup = parse_html(EDGE_CASES.read_bytes())
    assert PageIndex(soup).plain
    # A soup not indexed at parse time (parse_html indexes what its parser built), so
    # that the change below is what the index sees.
    odd = BeautifulSoup(EDGE_CASES.read_bytes(), builder=LinkingLXMLTreeBuilder())
    target = odd.find("h2")
    assert isinstance(target, Tag)
    target.attrs["Data-Odd"] = "1"  # a builder other than lxml's could keep the case
    index = PageIndex(odd)
    assert not index.plain
    assert [id(t) for t in select(odd, "[data-odd]")] == [
        id(t) for t in soupsieve.select("[data-odd]", odd)
    ]
