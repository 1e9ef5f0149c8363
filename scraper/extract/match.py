"""Fast CSS selection over a parsed page: one tree walk, then keyed candidates.

soupsieve's ``select`` tests every element of the scope against every
selector of a list, and the extractors ask the same page the same long lists
many times.  Here one walk of the (never mutated) tree indexes its elements
by tag name, id, class and attribute name; a selector is then tested with
soupsieve's ``match`` only on the elements that carry its rightmost key (the
fewest of them), limited to the scope by preorder position, and every answer
is kept for the page.  The results are exactly soupsieve's: the same
elements, in document order.

Trees that are not a whole parsed page (copies the extractors take apart)
fall back to soupsieve itself.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator

import soupsieve
from bs4 import BeautifulSoup, Tag

_INDEX_ATTR = "_wpa_match_index"
_ATTRIBUTE = re.compile(r"\[\s*([A-Za-z_][\w-]*)")
_NAMESPACED = re.compile(r"\[\s*[\w-]*\s*\|(?!=)")
_BRACKETS = re.compile(r"\[[^\]]*\]")
_ID = re.compile(r"#([\w-]+)")
_CLASS = re.compile(r"\.([\w-]+)")
_TAG_NAME = re.compile(r"^([A-Za-z][\w-]*)")


class PageIndex:
    """Elements of one parsed page in preorder, with their keys and subtree ends."""

    __slots__ = ("derived", "end", "keyed", "memo", "position", "root", "tags")

    def __init__(self, root: Tag) -> None:
        self.root = root
        # The root too: a selector's ancestor part may match it.
        tags: list[Tag] = [root, *(t for t in root.descendants if isinstance(t, Tag))]
        position = {id(tag): i for i, tag in enumerate(tags)}
        end = list(range(len(tags)))
        keyed: dict[tuple[str, str], list[int]] = {}
        for i in range(len(tags) - 1, -1, -1):
            tag = tags[i]
            parent = position.get(id(tag.parent))
            if parent is not None and end[i] > end[parent]:
                end[parent] = end[i]
        for i, tag in enumerate(tags):
            if i == 0 and isinstance(tag, BeautifulSoup):
                continue
            keyed.setdefault(("tag", tag.name), []).append(i)
            for name, value in tag.attrs.items():
                keyed.setdefault(("attr", name.lower()), []).append(i)
                if name == "class":
                    for cls in value if isinstance(value, list) else str(value).split():
                        keyed.setdefault(("class", cls.lower()), []).append(i)
                elif name == "id" and isinstance(value, str):
                    keyed.setdefault(("id", value.lower()), []).append(i)
        self.tags = tags
        self.position = position
        self.end = end
        self.keyed = keyed
        self.memo: dict[tuple[int, tuple[str, ...]], list[Tag]] = {}
        # Answers the extractors derive from the page (where the post is …).
        self.derived: dict[str, object] = {}

    def bounds(self, scope: Tag) -> tuple[int, int] | None:
        """Preorder positions (exclusive, inclusive] of the scope's descendants."""
        at = self.position.get(id(scope))
        if at is None or self.tags[at] is not scope:
            return None
        return at, self.end[at]


def page_index(scope: Tag) -> PageIndex | None:
    """The index of the parsed page holding ``scope``; None for detached copies."""
    root: Tag = scope
    while root.parent is not None:
        root = root.parent
    if not isinstance(root, BeautifulSoup):
        return None
    index = root.__dict__.get(_INDEX_ATTR)
    if index is None:
        index = PageIndex(root)
        root.__dict__[_INDEX_ATTR] = index
    return index


def page_cache(scope: Tag) -> dict[str, object]:
    """A dict living as long as the parsed page, for answers derived from it.

    Detached copies get a fresh dict each time (nothing is kept for them).
    """
    index = page_index(scope)
    return index.derived if index is not None else {}


def select(scope: Tag, selectors: str | Iterable[str]) -> list[Tag]:
    """Descendants of ``scope`` matching any of the selectors, in document order.

    Like ``scope.select(", ".join(selectors))``; a selector soupsieve cannot
    read matches nothing instead of failing the others.
    """
    key = _split(selectors) if isinstance(selectors, str) else tuple(selectors)
    index = page_index(scope)
    if index is None:
        # A detached copy, perhaps changed since the last call: index it afresh.
        index = PageIndex(_root_of(scope))
        bounds = index.bounds(scope)
        return _indexed_select(index, bounds, key) if bounds else []
    bounds = index.bounds(scope)
    if bounds is None:
        return _soupsieve_select(scope, key)
    memo_key = (bounds[0], key)
    found = index.memo.get(memo_key)
    if found is None:
        found = _indexed_select(index, bounds, key)
        index.memo[memo_key] = found
    return found


def tags_named(scope: Tag, *names: str) -> list[Tag]:
    """Descendants of ``scope`` with one of the tag names, in document order.

    Like ``scope.find_all(names)``, without walking the tree again.
    """
    found = _keyed_in(scope, [("tag", name) for name in names])
    return scope.find_all(list(names)) if found is None else found


def tags_with_attribute(scope: Tag, attribute: str) -> list[Tag]:
    """Descendants of ``scope`` carrying the attribute, in document order."""
    found = _keyed_in(scope, [("attr", attribute)])
    return scope.find_all(attrs={attribute: True}) if found is None else found


def _keyed_in(scope: Tag, keys: list[tuple[str, str]]) -> list[Tag] | None:
    index = page_index(scope)
    bounds = index.bounds(scope) if index is not None else None
    if index is None or bounds is None:
        return None
    memo_key = (bounds[0], ("<keys>", *(":".join(k) for k in keys)))
    found = index.memo.get(memo_key)
    if found is None:
        low, high = bounds
        hits: list[int] = []
        for key in keys:
            positions = index.keyed.get(key, [])
            hits += positions[bisect_right(positions, low) : bisect_left(positions, high + 1)]
        found = [index.tags[i] for i in sorted(set(hits))]
        index.memo[memo_key] = found
    return found


def select_one(scope: Tag, selectors: str | Iterable[str]) -> Tag | None:
    found = select(scope, selectors)
    return found[0] if found else None


def first_of_each(scope: Tag, selectors: Iterable[str]) -> Iterator[Tag]:
    """Matches of the first selector in document order, then of the second, …"""
    if page_index(scope) is not None:
        for selector in selectors:
            yield from select(scope, selector)
        return
    index = PageIndex(_root_of(scope))  # a detached copy: one index for all the selectors
    bounds = index.bounds(scope)
    if bounds is None:
        return
    for selector in selectors:
        yield from _indexed_select(index, bounds, (selector,))


def _root_of(scope: Tag) -> Tag:
    root = scope
    while root.parent is not None:
        root = root.parent
    return root


def _indexed_select(
    index: PageIndex, bounds: tuple[int, int], selectors: tuple[str, ...]
) -> list[Tag]:
    low, high = bounds
    tags = index.tags
    hits: set[int] = set()
    for selector in selectors:
        compiled, keys = _compiled(selector)
        if compiled is None:
            continue
        if keys is None:
            # No key to narrow by: let soupsieve walk the scope.
            scope = tags[low]
            hits.update(index.position[id(t)] for t in compiled.select(scope))
            continue
        own, *ancestors = keys
        candidates = _fewest(index, own)
        start = bisect_right(candidates, low)
        stop = bisect_left(candidates, high + 1)
        if start >= stop:
            continue
        inside = [_outermost(index, _fewest(index, a)) for a in ancestors]
        if any(not spans[0] for spans in inside):
            continue  # an ancestor the selector needs is not on the page
        match = compiled.match
        for i in candidates[start:stop]:
            if i in hits or not all(_within(i, spans) for spans in inside):
                continue
            if match(tags[i]):
                hits.add(i)
    return [tags[i] for i in sorted(hits)]


def _fewest(index: PageIndex, keys: tuple[tuple[str, str], ...]) -> list[int]:
    """Positions of the elements carrying the rarest of the keys."""
    return min((index.keyed.get(k, []) for k in keys), key=len)


def _outermost(index: PageIndex, positions: list[int]) -> tuple[list[int], list[int]]:
    """The subtrees (start, end) of the positions that are not inside another of them."""
    starts: list[int] = []
    ends: list[int] = []
    reach = -1
    for i in positions:
        if i > reach:
            reach = index.end[i]
            starts.append(i)
            ends.append(reach)
    return starts, ends


def _within(i: int, spans: tuple[list[int], list[int]]) -> bool:
    """Whether position i lies strictly inside one of the subtrees."""
    starts, ends = spans
    at = bisect_left(starts, i) - 1
    return at >= 0 and i <= ends[at]


def _soupsieve_select(scope: Tag, selectors: tuple[str, ...]) -> list[Tag]:
    compiled = [c for c, _keys in map(_compiled, selectors) if c is not None]
    if not compiled:
        return []
    if len(compiled) == 1:
        return list(compiled[0].select(scope))
    return list(_combined(tuple(c.pattern for c in compiled)).select(scope))


@functools.cache
def _combined(patterns: tuple[str, ...]) -> soupsieve.SoupSieve:
    return soupsieve.compile(", ".join(patterns))


@functools.cache
def _compiled(
    selector: str,
) -> tuple[soupsieve.SoupSieve | None, tuple[tuple[str, str], ...] | None]:
    """The compiled selector and the index keys every match must carry (None: unknown)."""
    try:
        compiled = soupsieve.compile(selector)
    except (ValueError, NotImplementedError):
        return None, None
    return compiled, _keys(selector)


@functools.cache
def _split(selectors: str) -> tuple[str, ...]:
    """A comma-joined list as its selectors (commas inside [] or () stay)."""
    parts: list[str] = []
    depth = 0
    quote = ""
    start = 0
    for i, char in enumerate(selectors):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(selectors[start:i].strip())
            start = i + 1
    parts.append(selectors[start:].strip())
    return tuple(part for part in parts if part)


def _keys(selector: str) -> tuple[tuple[tuple[str, str], ...], ...] | None:
    """Keys of the rightmost compound, then of each compound it must descend from.

    None when the rightmost compound has no key.  Compounds left of a sibling
    combinator (``~``, ``+``) constrain nothing here; soupsieve still checks them.
    """
    if "," in _BRACKETS.sub("", selector):
        return None  # a list: each part has its own keys
    compounds, combinators = _compounds(selector)
    own = _compound_keys(compounds[-1])
    if own is None:
        return None
    ancestors: list[tuple[tuple[str, str], ...]] = []
    for compound, combinator in zip(
        reversed(compounds[:-1]), reversed(combinators), strict=True
    ):
        if combinator not in (" ", ">"):
            break
        keys = _compound_keys(compound)
        if keys is not None:
            ancestors.append(keys)
    return (own, *ancestors)


def _compound_keys(compound: str) -> tuple[tuple[str, str], ...] | None:
    bare = _BRACKETS.sub("", compound)
    if not compound or any(c in bare for c in "\\:*()|[]") or _NAMESPACED.search(compound):
        return None  # pseudo-classes, escapes, namespaces, universal: soupsieve alone
    keys: list[tuple[str, str]] = []
    keys += [("attr", name.lower()) for name in _ATTRIBUTE.findall(compound)]
    keys += [("id", value.lower()) for value in _ID.findall(bare)]
    keys += [("class", value.lower()) for value in _CLASS.findall(bare)]
    name = _TAG_NAME.match(bare)
    if name:
        keys.append(("tag", name.group(1).lower()))
    return tuple(keys) or None


def _compounds(selector: str) -> tuple[list[str], list[str]]:
    """The compound selectors and the combinators between them."""
    compounds: list[str] = []
    combinators: list[str] = []
    depth = 0
    quote = ""
    current = ""
    pending = ""
    for char in selector.strip():
        if quote:
            current += char
            if char == quote:
                quote = ""
            continue
        if depth == 0 and (char.isspace() or char in ">~+"):
            if char in ">~+":
                pending = char
            elif not pending:
                pending = " "
            continue
        if pending:
            if current:
                compounds.append(current)
                combinators.append(pending)
                current = ""
            pending = ""
        if char in "'\"":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        current += char
    compounds.append(current)
    return compounds, combinators
