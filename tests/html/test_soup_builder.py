"""LinkingLXMLTreeBuilder builds exactly the tree BeautifulSoup's own lxml builder builds.

Every node is compared: its class, its text, every attribute bs4 keeps on it (attrs with
their key and value classes, string-type sets, flags) and every link (parent, contents,
next/previous element and sibling), on fixture pages, hostile markup and generated markup.
"""

from __future__ import annotations

import copy
import pickle
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Comment, PageElement, Script, Tag

from scraper.html.soup_builder import LinkingLXMLTreeBuilder, _TreeLinker

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "pages"

LINKS = ("parent", "previous_element", "next_element", "previous_sibling", "next_sibling")
# Bookkeeping of a parse in progress, which nothing reads once the soup is built.
PARSE_STATE = {"open_tag_counter", "builder"}
# What parse_html attaches to the soup it returns (the page's selector index).
ATTACHED = {"_wpa_match_index"}


def reference_soup(markup: str | bytes) -> BeautifulSoup:
    return BeautifulSoup(markup, "lxml")


def linked_soup(markup: str | bytes) -> BeautifulSoup:
    return BeautifulSoup(markup, builder=LinkingLXMLTreeBuilder())


def _preorder(root: Tag) -> list[PageElement]:
    """Nodes in document order, found through .contents only (not the links under test)."""
    order: list[PageElement] = []
    stack: list[PageElement] = [root]
    while stack:
        node = stack.pop()
        order.append(node)
        if isinstance(node, Tag):
            stack.extend(reversed(node.contents))
    return order


def tree_differences(expected: BeautifulSoup, actual: BeautifulSoup, limit: int = 5) -> list[str]:
    """Where actual differs from expected, node by node; empty when the trees are identical."""
    want, got = _preorder(expected), _preorder(actual)
    if len(want) != len(got):
        return [f"{len(want)} nodes expected, {len(got)} built"]
    want_at = {id(node): i for i, node in enumerate(want)}
    got_at = {id(node): i for i, node in enumerate(got)}

    def position(value: Any, index: dict[int, int]) -> Any:
        if isinstance(value, list):
            return [position(item, index) for item in value]
        return None if value is None else index.get(id(value), "outside the tree")

    problems = []
    for i, (a, b) in enumerate(zip(want, got, strict=True)):
        where = f"node {i} ({type(a).__name__} {getattr(a, 'name', None) or str(a)[:30]!r})"
        if type(a) is not type(b) and i > 0:
            problems.append(f"{where}: built a {type(b).__name__}")
        elif isinstance(a, str) and str(a) != str(b):
            problems.append(f"{where}: text {str(b)[:60]!r}")
        a_fields, b_fields = ({k: v for k, v in vars(node).items() if k not in ATTACHED}
                              for node in (a, b))
        # Same fields, and below the root set in the same order (so stored as compactly).
        if (set(a_fields) != set(b_fields)) if i == 0 else (list(a_fields) != list(b_fields)):
            problems.append(f"{where}: fields {list(b_fields)} instead of {list(a_fields)}")
        for key in set(a_fields) & set(b_fields) - PARSE_STATE:
            x, y = a_fields[key], b_fields[key]
            if key in LINKS or key in {"contents", "tagStack", "currentTag",
                                       "_most_recent_element"}:
                same = position(x, want_at) == position(y, got_at)
            elif key == "attrs":
                same = _attrs_shape(x) == _attrs_shape(y)
            else:
                same = x == y and type(x) is type(y)
            if not same:
                problems.append(f"{where}: {key} {y!r:.80} instead of {x!r:.80}")
        if len(problems) >= limit:
            break
    return problems


def _attrs_shape(attrs: dict[Any, Any]) -> list[Any]:
    return [type(attrs)] + [
        (type(key), str(key), getattr(key, "namespace", None), type(value), value)
        for key, value in attrs.items()
    ]


def assert_same_tree(markup: str | bytes) -> None:
    expected, actual = reference_soup(markup), linked_soup(markup)
    assert tree_differences(expected, actual) == []
    assert actual.decode() == expected.decode()
    assert actual.original_encoding == expected.original_encoding


PAGES = FIXTURES / "pages"
FIXTURE_PAGES = sorted(PAGES.rglob("*.html")) + sorted((FIXTURES / "site").rglob("*.html"))


@pytest.mark.parametrize("page", FIXTURE_PAGES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_pages_build_the_same_tree(page: Path) -> None:
    assert_same_tree(page.read_text(encoding="utf-8", errors="replace"))


@pytest.mark.parametrize("page", sorted((PAGES / "parsing").glob("*.html")), ids=lambda p: p.name)
def test_undecoded_bytes_build_the_same_tree(page: Path) -> None:
    """Bytes go through BeautifulSoup's encoding guesses; each guess is a fresh parse."""
    assert_same_tree(page.read_bytes())


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs the shared corpus")
def test_corpus_pages_build_the_same_tree() -> None:
    for page in sorted(CORPUS.glob("*.html")):
        markup = page.read_text(encoding="utf-8", errors="replace")
        assert tree_differences(reference_soup(markup), linked_soup(markup)) == [], page.name


SNIPPETS = [
    "",
    " ",
    "\n\n",
    "plain text",
    "<",
    "</p>",
    "</p>text</div>",
    "\ufeff<p>after a byte order mark</p>",
    "<!---->",
    "<!-- only a comment -->",
    "<!DOCTYPE html>",
    "<!DOCTYPE>",
    "<?xml version='1.0'?><p>x</p>",
    "<?php echo 1; ?>",
    "<p>a</p>\n\t <p>b</p>",
    "<pre>\n\n</pre><textarea> </textarea><pre><pre> x </pre> </pre>",
    "<script> </script><style>\n</style><template> <p> </p> </template>",
    "<b><i>x</b>y</i>z",
    "<table><p>inside table</p><tr><td>c</td></tr></table>",
    "<p class='a b  a'>dup classes</p><p class=''>empty</p><p class=' '>blank</p>",
    "<meta charset=latin-1><meta http-equiv=content-type content='text/html; charset=x'>",
    "<html><html lang=en><body><body class=x>twice",
    "<frameset><frame src=a></frameset>",
    "text\x01with\x0bcontrol\x7fcharacters",
    "<p>\x00NUL</p>",
    "<p>&#0;&#xD800;&#x110000;&unknown;&amp</p>",
    "<svg><foreignObject><p>html in svg</p></foreignObject></svg>",
    "<a rel='nofollow' rev=x href=#>a</a><link rel='a b'><td headers='h'>",
    "<div>" * 40 + "nested" + "</div>" * 40,
]


@pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")
@pytest.mark.parametrize("markup", SNIPPETS)
def test_edge_cases_build_the_same_tree(markup: str) -> None:
    try:
        expected = reference_soup(markup)
    except Exception as error:  # the builder must then fail the same way
        with pytest.raises(type(error)):
            linked_soup(markup)
        return
    actual = linked_soup(markup)
    assert tree_differences(expected, actual) == []
    assert actual.decode() == expected.decode()


def test_deepest_is_the_depth_of_the_deepest_element() -> None:
    # Bare text at the top of <body> is left as it is by libxml2 2.13+ but wrapped in a
    # <p> by older releases (lxml < 5.4 bundles them): the markup here leaves no choice.
    for markup, depth in [("", 0), ("<div>text</div>", 3), ("<div><p>x</p></div>", 4),
                          ("<div>" * 300, 302), ("<p>a<p>b<p>c", 3)]:
        builder = LinkingLXMLTreeBuilder()
        soup = BeautifulSoup(markup, builder=builder)
        assert builder.deepest == depth == _depth(soup), markup


def _depth(root: Tag) -> int:
    stack = [(root, 0)]
    deepest = 0
    while stack:
        tag, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in tag.contents if isinstance(child, Tag))
    return deepest


def test_built_tree_works_like_a_parsed_one() -> None:
    """Editing, copying and searching a built tree behaves as on BeautifulSoup's own."""
    markup = (PAGES / "parsing" / "malformed.html").read_text(encoding="utf-8")
    results = []
    for soup in (reference_soup(markup), linked_soup(markup)):
        copied = copy.copy(soup.body)
        whole = pickle.loads(pickle.dumps(copy.copy(soup)))
        soup.find("table").decompose()
        soup.find("template").extract()
        soup.find("b").unwrap()
        soup.body.append(soup.new_tag("p", attrs={"class": "added"}))
        results.append((
            soup.decode(), copied.decode(), whole.decode(), soup.get_text("|"),
            [str(node) for node in soup.descendants][-20:],
            [tag.name for tag in soup.select("p:not(.added) ~ *, li > ul li, [class~=site-main]")],
            [str(s) for s in soup.find_all(string=True) if isinstance(s, (Comment, Script))],
        ))
    assert results[0] == results[1]


hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PIECES = st.sampled_from([
    "<p>", "</p>", "<div class='a  b'>", "</div>", "<b>", "</b>", "<i>", "</i>", "<pre>",
    "</pre>", "<script>", "</script>", "<style>", "</style>", "<template>", "</template>",
    "<table>", "<tr>", "<td headers='x y'>", "</table>", "<li>", "<ul>", "</ul>", "<br>",
    "<img src=x>", "<!-- c -->", "<!---->", "<!DOCTYPE html>", "<?pi x?>", "<html>",
    "<body>", "</body>", "<head>", "<title>", "<meta charset=utf-8>", "<textarea>",
    "</textarea>", "<rt>", "<rp>", "<svg>", "</svg>", " ", "\n", "\t", "text", "&amp;",
    "&lt;", "&#169;", "<", ">", "\x01", "é", "</x>", "<x {n}a=1>",
])


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(PIECES, max_size=40))
def test_generated_markup_builds_the_same_tree(pieces: list[str]) -> None:
    markup = "".join(pieces)
    expected, actual = reference_soup(markup), linked_soup(markup)
    assert tree_differences(expected, actual) == []


def test_end_tag_closes_up_to_the_innermost_open_element_of_its_name() -> None:
    """lxml nests its events properly; should one ever not, the end acts as bs4's does."""
    soup = BeautifulSoup("", builder=LinkingLXMLTreeBuilder())
    linker = _TreeLinker(soup, soup.builder)
    linker.start("div", {})
    linker.start("b", {})
    linker.end("p")  # not open: ignored
    linker.data("in b")
    linker.end("div")  # closes <b> too
    linker.data("after")
    linker.finish()
    assert soup.decode() == "<div><b>in b</b></div>after"


# --- hollow elements and the recorded preorder ----------------------------------------

HOLLOW = ("widget", "w2")


def _hollow(name: str, classes: str) -> bool:
    return any(token in HOLLOW for token in classes.split())


def hollow_soup(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, builder=LinkingLXMLTreeBuilder(hollow=_hollow))


def reference_hollowed(markup: str) -> BeautifulSoup:
    """BeautifulSoup's own tree with every element of a hollow class emptied."""
    soup = reference_soup(markup)
    for tag in soup.find_all(class_=list(HOLLOW)):
        tag.clear()
    # As a parse of the emptied markup leaves it (clear() keeps a removed node there).
    soup._most_recent_element = next(reversed(list(soup.descendants)), None)
    return soup


HOLLOW_SNIPPETS = [
    "<aside><section class='widget x'><h2>Recent</h2><ul><li>a</li></ul></section></aside>"
    "<p>after</p>",
    "<div class='widget'><div class='w2'>nested</div>tail</div><p>x</p>",
    "<img class='widget' src=a><p>void hollow</p>",
    "<div class='widget'>never closed <p>para",
    "<div class='widget'><b>x</p></i></b>stray ends</div><p>after</p>",
    "<div><span class='widget'>x</div>closed by its parent's end<p>y</p>",
    "<div class='widget'><!-- c --><?pi x?><script>s()</script></div>",
    "<pre class='widget'>\n text</pre><pre> kept </pre>",
    "<div class='widget'>" * 5 + "deep" + "</div>" * 5 + "<p>out</p>",
    "<ul><li class='widget'>one<li>two</ul>",
    "<table><tr><td class='widget'>cell<td>next</table>",
]


@pytest.mark.parametrize("markup", HOLLOW_SNIPPETS)
def test_hollow_elements_are_built_empty_and_the_rest_unchanged(markup: str) -> None:
    expected, actual = reference_hollowed(markup), hollow_soup(markup)
    assert tree_differences(expected, actual) == []
    assert actual.decode() == expected.decode()


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(st.one_of(PIECES, st.sampled_from(
    ["<div class='widget'>", "<span class='x w2'>", "<li class=widget>", "</span>"])),
    max_size=40))
def test_generated_markup_with_hollow_elements_builds_the_emptied_tree(
    pieces: list[str],
) -> None:
    markup = "".join(pieces)
    assert tree_differences(reference_hollowed(markup), hollow_soup(markup)) == []


def _recorded_preorder(markup: str) -> tuple[BeautifulSoup, list[Tag], list[int]]:
    builder = LinkingLXMLTreeBuilder(hollow=_hollow)
    soup = BeautifulSoup(markup, builder=builder)
    assert builder.preorder is not None
    return soup, *builder.preorder


@pytest.mark.parametrize("markup", [*SNIPPETS, *HOLLOW_SNIPPETS])
def test_recorded_preorder_lists_elements_in_document_order_with_subtree_ends(
    markup: str,
) -> None:
    soup, tags, ends = _recorded_preorder(markup)
    elements = [soup, *soup.find_all(True)]
    assert [id(t) for t in tags] == [id(t) for t in elements]
    for position, tag in enumerate(tags):
        inside = len(tag.find_all(True))
        assert ends[position] == position + inside, (position, tag.name)
