"""schema.org items written in the markup: microdata (``itemscope``/``itemprop``) and RDFa
(``typeof``/``property``), read into the shape JSON-LD has.

An item becomes a dict like a JSON-LD object (``{"@type": "Review", "reviewRating":
{…}}``), so one reader (``reviews.py``) interprets JSON-LD, microdata and RDFa alike.  Only
the parts of the two syntaxes that review plugins emit are read: types, properties, nested
items and the attribute each element keeps its value in (``content``, ``href``, ``src``,
``datetime``, ``value``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bs4 import Tag

from scraper.html import collapse_whitespace, tags_with_attribute


@dataclass(frozen=True)
class ItemSyntax:
    """The attribute names of one syntax."""

    scope: str  # marks an element as an item
    type: str  # its type(s)
    prop: str  # a property of the enclosing item


MICRODATA = ItemSyntax(scope="itemscope", type="itemtype", prop="itemprop")
RDFA = ItemSyntax(scope="typeof", type="typeof", prop="property")

# Where an element keeps its value, by element name (the microdata spec's table).
_VALUE_ATTRIBUTES = {
    "meta": "content", "a": "href", "link": "href", "area": "href", "img": "src",
    "audio": "src", "video": "src", "source": "src", "embed": "src", "iframe": "src",
    "object": "data", "time": "datetime", "data": "value", "meter": "value",
}
_MAX_DEPTH = 8


def markup_items(
    scope: Tag, syntax: ItemSyntax, keep: Callable[[Tag], bool] = lambda tag: True
) -> list[dict[str, Any]]:
    """The top-level items under ``scope`` (those that are no other item's property) whose
    element ``keep`` accepts."""
    owners: dict[int, list[Tag]] = {}
    for element in tags_with_attribute(scope, syntax.prop):
        owner = _owner(element, syntax)
        if owner is not None:
            owners.setdefault(id(owner), []).append(element)
    return [
        _item(element, syntax, owners, 0)
        for element in tags_with_attribute(scope, syntax.scope)
        if (not element.has_attr(syntax.prop) or _owner(element, syntax) is None)
        and keep(element)
    ]


def _owner(element: Tag, syntax: ItemSyntax) -> Tag | None:
    node = element.parent
    while isinstance(node, Tag):
        if node.has_attr(syntax.scope):
            return node
        node = node.parent
    return None


def _item(
    element: Tag, syntax: ItemSyntax, owners: dict[int, list[Tag]], depth: int
) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": _types(element, syntax)}
    if depth >= _MAX_DEPTH:
        return item
    for prop_element in owners.get(id(element), []):
        value: Any
        if prop_element.has_attr(syntax.scope):
            value = _item(prop_element, syntax, owners, depth + 1)
        else:
            value = _value(prop_element)
        for name in str(prop_element.get(syntax.prop) or "").split():
            key = _local_name(name)
            item.setdefault(key, value)  # the first value of a property is the one read
    return item


def _types(element: Tag, syntax: ItemSyntax) -> list[str]:
    raw = element.get(syntax.type)
    words = raw if isinstance(raw, list) else str(raw or "").split()
    return [_local_name(word) for word in words if word]


def _local_name(name: str) -> str:
    """``http://schema.org/Review`` and ``schema:Review`` are ``Review``."""
    return name.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].rsplit("#", 1)[-1]


def _value(element: Tag) -> str:
    if element.has_attr("content"):
        return collapse_whitespace(str(element.get("content")))
    attribute = _VALUE_ATTRIBUTES.get(element.name)
    if attribute and element.has_attr(attribute):
        return str(element.get(attribute)).strip()
    return collapse_whitespace(element.get_text(" "))
