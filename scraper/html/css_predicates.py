"""Plain-Python tests for the simple CSS selectors the extractors use.

``SoupSieve.match`` sets up a matcher object for every element it tests,
which costs more than the test itself; the selector tables use only tag
names, ids, classes, attribute conditions and combinators.  Those are
compiled here, from soupsieve's own parse of the selector (so the attribute
patterns, case rules and combinator structure are soupsieve's), into
closures over ``Tag.name`` and ``Tag.attrs`` that give the same answer as
``SoupSieve.match``.  Anything else (pseudo-classes, namespaces, ``:not``)
compiles to None and stays with soupsieve.

The closures assume a "plain" tree, which the page index checks once per
tree (``match.PageIndex.plain``): HTML (not XML) without namespaces, with lowercase
tag and attribute names, as the lxml HTML parser produces.  soupsieve compares
names case-insensitively and finds attributes by lowercased name; on such
a tree a dict lookup and a string comparison do the same.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import soupsieve
from bs4 import BeautifulSoup, Tag
from soupsieve import css_types as ct

from scraper.html.navigation import previous_element_sibling

Predicate = Callable[[Tag], bool]

_ASCII_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_LOWER = str.maketrans(_ASCII_UPPER, _ASCII_UPPER.lower())
_SIMPLE_RELATIONS = frozenset({" ", ">", "~", "+"})
# soupsieve splits a class attribute given as one string on these only.
_NOT_WHITESPACE = re.compile("[^ \t\r\n\f]+")


# Compiled selectors (here and in match.py) are kept for the process, a bounded number:
# the tables' few hundred, and those pages make from their own ids ("#post-1234"),
# which would otherwise grow with every post a crawl reads (bench/scale.py's RSS).
SELECTOR_CACHE = 1024


@functools.lru_cache(maxsize=SELECTOR_CACHE)
def predicate(selector: str) -> Predicate | None:
    """A test equal to ``soupsieve.compile(selector).match`` on plain trees, or None."""
    try:
        compiled = soupsieve.compile(selector)
    except (ValueError, NotImplementedError):
        return None
    selectors = compiled.selectors
    if selectors.is_not or selectors.is_html or not selectors.selectors:
        return None
    parts = [_complex(one) for one in selectors]
    if any(part is None for part in parts):
        return None
    tests: list[Predicate] = [part for part in parts if part is not None]
    if len(tests) == 1:
        return tests[0]
    return lambda el: any(test(el) for test in tests)


def _ascii_lower(text: str) -> str:
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


def _complex(selector: ct.Selector | ct.SelectorNull) -> Predicate | None:
    """A compound with what must stand left of it (ancestors, earlier siblings)."""
    if not isinstance(selector, ct.Selector):
        return None
    own = _compound(selector)
    if own is None:
        return None
    relation = selector.relation
    if not relation.selectors:
        return own
    if len(relation.selectors) != 1 or relation.is_not or relation.is_html:
        return None
    left_selector = relation.selectors[0]
    if not isinstance(left_selector, ct.Selector):
        return None
    left = _complex(left_selector)
    kind = left_selector.rel_type
    if left is None or kind not in _SIMPLE_RELATIONS:
        return None
    combinator = _COMBINATORS[kind]
    return lambda el: own(el) and combinator(el, left)


def _compound(selector: ct.Selector) -> Predicate | None:
    """The tests on the element itself: tag name, ids, classes, attributes."""
    if (
        selector.nth
        or selector.selectors
        or selector.contains
        or selector.lang
        or selector.flags
    ):
        return None
    name: str | None = None
    if selector.tag is not None:
        if selector.tag.prefix is not None:
            return None  # a namespace
        if selector.tag.name != "*":
            name = _ascii_lower(selector.tag.name)
    if any(a.prefix for a in selector.attributes):
        return None
    ids = selector.ids
    classes = selector.classes
    attributes = tuple(
        (_ascii_lower(a.attribute), a.pattern, a.ignore_case, a.inverse)
        for a in selector.attributes
    )

    def match(el: Tag) -> bool:
        if name is not None and el.name != name:
            return False
        attrs = el.attrs
        for wanted in ids:
            element_id = attrs.get("id", "")
            if wanted != ("" if element_id is None else element_id):
                return False
        if classes:
            present: str | list[str] | None = attrs.get("class", [])
            if present is None:
                present = ""
            if isinstance(present, str):
                present = _NOT_WHITESPACE.findall(present)
            for wanted in classes:
                if wanted not in present:
                    return False
        for key, pattern, ignore_case, inverse in attributes:
            value: str | list[str] | None = attrs.get(key)
            if value is None:
                if key in attrs:
                    value = ""
                elif inverse:
                    continue
                else:
                    return False
            if pattern is None:
                continue
            text = value if isinstance(value, str) else " ".join(value)
            if ignore_case:
                text = _ascii_lower(text)
            if pattern.search(text) is None:
                return False
        return True

    return match


def _parent(el: Tag) -> Tag | None:
    """soupsieve's parent: none above a <template> or at the document."""
    parent = el.parent
    if parent is None or isinstance(parent, BeautifulSoup) or parent.name == "template":
        return None
    return parent


def _has_ancestor(el: Tag, test: Predicate) -> bool:
    parent = _parent(el)
    while parent is not None:
        if test(parent):
            return True
        parent = _parent(parent)
    return False


def _has_parent(el: Tag, test: Predicate) -> bool:
    parent = _parent(el)
    return parent is not None and test(parent)


def _has_earlier_sibling(el: Tag, test: Predicate) -> bool:
    sibling = previous_element_sibling(el)
    while sibling is not None:
        if test(sibling):
            return True
        sibling = previous_element_sibling(sibling)
    return False


def _has_previous_sibling(el: Tag, test: Predicate) -> bool:
    sibling = previous_element_sibling(el)
    return sibling is not None and test(sibling)


_COMBINATORS: dict[str, Callable[[Tag, Predicate], bool]] = {
    " ": _has_ancestor,
    ">": _has_parent,
    "~": _has_earlier_sibling,
    "+": _has_previous_sibling,
}
