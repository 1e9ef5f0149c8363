"""Walking the tree one step at a time: parents and element siblings, text nodes skipped.

The searches of ``match`` find elements by selector; these helpers answer "what is next
to this node", which extractors ask when markup has no selector to hold on to.
"""

from __future__ import annotations

from bs4 import PageElement, Tag


def ancestor_named(node: PageElement, name: str) -> Tag | None:
    """Like ``node.find_parent(name)``: the nearest enclosing element with that name."""
    parent = node.parent
    while parent is not None:
        if parent.name == name:
            return parent
        parent = parent.parent
    return None


def previous_element_sibling(node: PageElement) -> Tag | None:
    """Like ``node.find_previous_sibling(True)``: the nearest element before it, same parent."""
    sibling = node.previous_sibling
    while sibling is not None and not isinstance(sibling, Tag):
        sibling = sibling.previous_sibling
    return sibling


def next_element_sibling(node: PageElement) -> Tag | None:
    """Like ``node.find_next_sibling(True)``: the nearest element after it, same parent."""
    sibling = node.next_sibling
    while sibling is not None and not isinstance(sibling, Tag):
        sibling = sibling.next_sibling
    return sibling
