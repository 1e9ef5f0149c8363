"""Turn raw bytes or text into a BeautifulSoup tree, decoding charsets the way browsers do."""

from __future__ import annotations

from collections.abc import Callable

from bs4 import BeautifulSoup, NavigableString, Tag
from w3lib.encoding import html_to_unicode

from scraper.html.match import index_parsed_page, page_index
from scraper.html.soup_builder import LinkingLXMLTreeBuilder

# Deeper nesting than this is hostile or broken markup (browsers stop nesting
# at 512): elements below it are unwrapped, keeping their text, so that no
# extractor walks thousands of ancestors per element.
MAX_DEPTH = 200


def decode_html(body: bytes | str, content_type: str | None = None) -> str:
    """Decode HTML bytes: BOM, then HTTP header, then <meta charset>, then a guess.

    w3lib implements the WHATWG order that browsers (and Scrapy) use, and
    maps latin-1 to windows-1252 as browsers do.
    """
    if isinstance(body, str):
        return body
    _encoding, text = html_to_unicode(content_type, body)
    return text


def fragment_text(fragment: str, separator: str = "") -> str:
    """The text of an HTML fragment (entities decoded, tags dropped), as bs4's
    ``get_text(separator)`` reads it from the fragment parsed on its own."""
    return BeautifulSoup(fragment, "lxml").get_text(separator)


# Whether an element (by tag name and class attribute) is kept hollow: present, empty.
Hollow = Callable[[str, str], bool]


def parse_html(body: bytes | str, content_type: str | None = None,
               hollow: Hollow | None = None, hollow_nests: bool = True) -> BeautifulSoup:
    """Parse a page with the lxml parser; never raises on malformed markup.

    The tree is at most MAX_DEPTH elements deep (see cap_depth); elements for which
    ``hollow(name, classes)`` is true are built empty (see soup_builder); with
    ``hollow_nests=False`` a hollow element opening inside another ends the first.
    """
    text = decode_html(body, content_type)
    # lxml rejects NUL characters and some control characters outright.
    text = text.replace("\x00", "")
    # The tree BeautifulSoup(text, "lxml") builds, built faster (see soup_builder).
    builder = LinkingLXMLTreeBuilder(hollow=hollow, hollow_nests=hollow_nests)
    soup = BeautifulSoup(text, builder=builder)
    if builder.deepest > MAX_DEPTH:  # only then is there anything to cap
        cap_depth(soup)
    elif builder.preorder is not None:  # the tree as built: its preorder is still true
        index_parsed_page(soup, *builder.preorder, builder.keys)
    builder.preorder = builder.keys = None  # the index holds them now
    return soup


def release(soup: BeautifulSoup) -> None:
    """Take a parsed page apart once nothing reads it any more, so that it is freed at once.

    A tree is one big reference cycle (parents, children, next and previous elements):
    left alone it waits for a collection of the cyclic garbage collector, which walks
    every node before freeing it, about a tenth of extracting a page.  Emptying each
    node's attributes breaks the cycles and reference counting frees the nodes.  The
    soup must not be used afterwards.
    """
    index = page_index(soup)
    tags = index.tags if index is not None else [soup, *soup.find_all(True)]
    for tag in tags:
        for child in tag.contents:
            if not isinstance(child, Tag):
                child.__dict__.clear()
        tag.__dict__.clear()


def cap_depth(root: Tag, max_depth: int = MAX_DEPTH) -> None:
    """Unwrap every element nested deeper than max_depth, keeping its text in order."""
    stack: list[tuple[Tag, int]] = [(root, 0)]
    while stack:
        tag, depth = stack.pop()
        children = [child for child in tag.contents if isinstance(child, Tag)]
        if not children:
            continue
        if depth >= max_depth:
            _flatten(tag)
            continue
        stack.extend((child, depth + 1) for child in children)


def _flatten(tag: Tag) -> None:
    """Replace everything inside tag by its text (comments and the like dropped)."""
    text = [str(node) for node in tag.descendants if type(node) is NavigableString]
    tag.clear()
    for piece in text:
        tag.append(NavigableString(piece))
