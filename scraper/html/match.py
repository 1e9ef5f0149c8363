"""Fast CSS selection over a parsed page: one tree walk, then keyed candidates.

soupsieve's ``select`` tests every element of the scope against every
selector of a list, and the extractors ask the same page the same long lists
many times.  Here one walk of the (never mutated) tree indexes its elements
by tag name, id, class and attribute name; a selector is then tested
only on the elements that carry its rightmost key (the
fewest of them), limited to the scope by preorder position, and every answer
is kept for the page.  The results are exactly soupsieve's: the same
elements, in document order.

The tests themselves are plain-Python predicates compiled from the
selectors (``css_predicates``) where the selector is simple enough, which
is every selector in the tables; soupsieve's ``match`` otherwise.

Copies the extractors take apart are indexed afresh for each question,
unless frozen (``freeze``): a copy nothing changes keeps one index.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator

import soupsieve
from bs4 import BeautifulSoup, Tag

from scraper.html.clone import clone
from scraper.html.css_predicates import SELECTOR_CACHE, Predicate, predicate

_INDEX_ATTR = "_wpa_match_index"
# An attribute a match must carry: not one tested with "!=", which matches without it.
_ATTRIBUTE = re.compile(r"\[\s*([A-Za-z_][\w-]*)(?![\w-])(?!\s*!=)")
_NAMESPACED = re.compile(r"\[\s*[\w-]*\s*\|(?!=)")
_BRACKETS = re.compile(r"\[[^\]]*\]")
_ID = re.compile(r"#([\w-]+)")
_CLASS = re.compile(r"\.([\w-]+)")
_TAG_NAME = re.compile(r"^([A-Za-z][\w-]*)")



Keys = tuple[tuple[str, str], ...]


class PageIndex:
    """Elements of one parsed page in preorder, with their keys and subtree ends."""

    __slots__ = ("derived", "end", "keyed", "memo", "plain", "plans", "position", "root", "tags")

    def __init__(self, root: Tag,
                 preorder: tuple[list[Tag], list[int]] | None = None,
                 raw_keys: RawKeys | None = None) -> None:
        """``preorder`` and ``raw_keys``: what the page's parser recorded, if it did
        (``soup_builder``); otherwise the tree is walked for them."""
        self.root = root
        # The root too: a selector's ancestor part may match it.
        tags, end = preorder or _preorder(root)
        self.tags = tags
        self.end = end
        self.position = {id(tag): i for i, tag in enumerate(tags)}
        if raw_keys is None:
            self.keyed, self.plain = _keys_of(root, tags)
        else:
            self.keyed, self.plain = _finish_keys(raw_keys, not root._is_xml)
        self.memo: dict[tuple[int, tuple[str, ...]], list[Tag]] = {}
        # Per selector: its candidates and the subtrees they must lie in (see _plan).
        self.plans: dict[str, tuple[list[int], list[Spans]]] = {}
        # Answers the extractors derive from the page (where the post is …).
        self.derived: dict[str, object] = {}

    def positions(self, key: tuple[str, str]) -> list[int]:
        """Preorder positions of the elements carrying the key, ascending."""
        kind, value = key
        return self.keyed[kind].get(value, _NONE)

    def bounds(self, scope: Tag) -> tuple[int, int] | None:
        """Preorder positions (exclusive, inclusive] of the scope's descendants."""
        at = self.position.get(id(scope))
        if at is None or self.tags[at] is not scope:
            return None
        return at, self.end[at]


_NONE: list[int] = []


def _preorder(root: Tag) -> tuple[list[Tag], list[int]]:
    """The elements under root (root first) in document order, and where each subtree ends."""
    tags: list[Tag] = [root]
    end = [0]
    stack = [(0, iter(root.contents))]
    while stack:
        at, children = stack[-1]
        for child in children:
            if isinstance(child, Tag):
                position = len(tags)
                tags.append(child)
                end.append(position)
                stack.append((position, iter(child.contents)))
                break
        else:
            stack.pop()
            end[at] = len(tags) - 1
    return tags, end


def _keys_of(root: Tag, tags: list[Tag]) -> tuple[dict[str, dict[str, list[int]]], bool]:
    """Positions by tag name, attribute name, class and id; and whether the tree is plain.

    Attribute names, classes and ids are matched case-insensitively here (the
    index only narrows; the selector decides).  A plain tree is HTML without
    namespaces and with lowercase names, where ``css_predicates`` may decide.
    """
    by_tag: defaultdict[str, list[int]] = defaultdict(list)
    by_attr: defaultdict[str, list[int]] = defaultdict(list)
    by_class: defaultdict[str, list[int]] = defaultdict(list)
    by_id: defaultdict[str, list[int]] = defaultdict(list)
    plain = not root._is_xml
    start = 1 if isinstance(root, BeautifulSoup) else 0
    for i in range(start, len(tags)):
        tag = tags[i]
        by_tag[tag.name].append(i)
        if tag.namespace is not None or tag.prefix is not None:
            plain = False
        attrs = tag.attrs
        if not attrs:
            continue
        for name, value in attrs.items():
            by_attr[name].append(i)
            if name == "class":
                for cls in value if isinstance(value, list) else str(value).split():
                    by_class[cls].append(i)
            elif name == "id" and isinstance(value, str):
                by_id[value].append(i)
    return _finish_keys((by_tag, by_attr, by_class, by_id), plain)


# Positions (ascending) by tag name, attribute name, class and id, as found.
RawKeys = tuple[dict[str, list[int]], dict[str, list[int]], dict[str, list[int]],
                dict[str, list[int]]]


def _finish_keys(raw: RawKeys, plain: bool) -> tuple[dict[str, dict[str, list[int]]], bool]:
    """The index's keys (attribute names, classes and ids folded to lowercase), and
    whether the tree is plain: no namespaces (``plain`` says) and lowercase names."""
    by_tag, by_attr, by_class, by_id = raw
    plain = plain and all(_is_plain_name(name) for name in (*by_tag, *by_attr))
    keyed = {
        "tag": by_tag,
        "attr": _folded(by_attr),
        "class": _folded(by_class),
        "id": _folded(by_id),
    }
    return keyed, plain


def _is_plain_name(name: str) -> bool:
    return name == name.lower()


def _folded(raw: dict[str, list[int]]) -> dict[str, list[int]]:
    """The same positions keyed by lowercased key (merged when two keys fold together)."""
    if all(key == key.lower() for key in raw):
        return raw
    folded: dict[str, list[int]] = {}
    for key, positions in raw.items():
        lowered = key.lower()
        if lowered in folded:
            folded[lowered] = sorted(set(folded[lowered]) | set(positions))
        else:
            folded[lowered] = positions
    return folded


def page_index(scope: Tag) -> PageIndex | None:
    """The index of the parsed page (or frozen copy) holding ``scope``; None for other copies."""
    root: Tag = scope
    while root.parent is not None:
        root = root.parent
    index = root.__dict__.get(_INDEX_ATTR)
    if index is None and isinstance(root, BeautifulSoup):
        index = PageIndex(root)
        root.__dict__[_INDEX_ATTR] = index
    return index


def index_parsed_page(soup: BeautifulSoup, tags: list[Tag], end: list[int],
                      raw_keys: RawKeys | None = None) -> None:
    """Index a page from the preorder its parser recorded (root first, and the position
    of each element's last descendant) and, if it did, the keys of those elements,
    instead of walking the tree again."""
    if tags and tags[0] is soup and len(end) == len(tags):
        soup.__dict__[_INDEX_ATTR] = PageIndex(soup, (tags, end), raw_keys)


def freeze(copy: Tag, preorder: tuple[list[Tag], list[int]] | None = None) -> None:
    """Index a detached copy that its owner promises never to change.

    Selections in it are then answered like those in the page (one index,
    every answer kept) instead of indexing the copy afresh for each call.
    ``preorder``: the copy's elements and subtree ends, when its maker recorded them
    (``clone_with_preorder``).
    """
    if copy.parent is None and _INDEX_ATTR not in copy.__dict__:
        copy.__dict__[_INDEX_ATTR] = PageIndex(copy, preorder)


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


def positions_in_page(scope: Tag, elements: Iterable[Tag]) -> list[int] | None:
    """Preorder positions, ascending, of those ``elements`` that are in the indexed page
    holding ``scope``; None when ``scope`` is not in an indexed page."""
    index = page_index(scope)
    if index is None or index.bounds(scope) is None:
        return None
    found = (index.position.get(id(element)) for element in elements)
    return sorted(at for at in found if at is not None)


def holds_any(scope: Tag, positions: list[int]) -> bool:
    """Whether one of the preorder ``positions`` (ascending) lies inside ``scope``."""
    index = page_index(scope)
    bounds = index.bounds(scope) if index is not None else None
    if bounds is None:
        return True  # unknown: assume so
    low, high = bounds
    at = bisect_right(positions, low)
    return at < len(positions) and positions[at] <= high


def copy_without(original: Tag, selectors: tuple[str, ...]) -> Tag:
    """A detached copy of ``original`` without its descendants that match ``selectors``
    (and what they contain): what copying it and removing those would leave.

    Matches are found in the original, whose page index answers them, and never copied;
    selectors with combinators may match differently in a detached copy, so with those
    the copy is made whole and the matches in it removed.
    """
    if any(map(_has_combinator, selectors)):
        copied = clone(original)
        for tag in select(copied, selectors):
            if not tag.decomposed:
                tag.decompose()
        return copied
    unwanted = {id(tag) for tag in select(original, selectors)}
    if not unwanted:
        return clone(original)
    return clone(original, lambda tag: id(tag) not in unwanted)


@functools.lru_cache(maxsize=SELECTOR_CACHE)
def _has_combinator(selector: str) -> bool:
    return bool(re.search(r"[\s>~+]", _BRACKETS.sub("", selector.strip())))


def tags_named(scope: Tag, *names: str) -> list[Tag]:
    """Descendants of ``scope`` with one of the tag names, in document order.

    Like ``scope.find_all(names)``, without walking the tree again (in a copy, in one
    plain walk rather than bs4's generic filter).
    """
    found = _keyed_in(scope, [("tag", name) for name in names])
    if found is None:
        wanted = frozenset(names)
        return [tag for tag in _preorder(scope)[0][1:] if tag.name in wanted]
    return found


def previous_named(node: Tag, name: str) -> Iterator[Tag]:
    """Like ``node.find_all_previous(name)``: the elements with the tag name before
    ``node`` in document order, nearest first (read off the page index when it holds
    ``node``)."""
    index = page_index(node)
    at = index.position.get(id(node)) if index is not None else None
    if index is None or at is None or index.tags[at] is not node:
        yield from node.find_all_previous(name)
        return
    positions = index.positions(("tag", name))
    for i in reversed(positions[: bisect_left(positions, at)]):
        yield index.tags[i]


def is_decomposed(tag: Tag) -> bool:
    """Whether ``tag.decompose()`` has taken it (or an element holding it) apart.

    bs4's ``Tag.decomposed`` reads the same flag, but on a tag never decomposed it
    searches the subtree for a child element named "_decomposed" (bs4 reads unknown
    attributes as child tags), which makes it cost a walk of the subtree.
    """
    return bool(tag.__dict__.get("_decomposed"))


def first_named(scope: Tag, name: str) -> Tag | None:
    """Like ``scope.find(name)``: the first descendant with the tag name."""
    found = tags_named(scope, name)
    return found[0] if found else None


def descendant_tags(scope: Tag) -> list[Tag]:
    """Like ``scope.find_all(True)``: every descendant element, in document order."""
    index = page_index(scope)
    bounds = index.bounds(scope) if index is not None else None
    if index is None or bounds is None:
        return _preorder(scope)[0][1:]
    low, high = bounds
    return index.tags[low + 1 : high + 1]


def named_with_attribute(scope: Tag, name: str, attribute: str) -> list[Tag]:
    """Like ``scope.find_all(name, attrs={attribute: True})``: descendants with the tag
    name that carry the attribute, in document order."""
    return [tag for tag in tags_named(scope, name) if tag.attrs.get(attribute) is not None]


def tags_with_attribute(scope: Tag, attribute: str) -> list[Tag]:
    """Descendants of ``scope`` carrying the attribute, in document order."""
    found = _keyed_in(scope, [("attr", attribute)])
    if found is None:
        return [tag for tag in _preorder(scope)[0][1:] if tag.attrs.get(attribute) is not None]
    return found


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
            positions = index.positions(key)
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
    plans = index.plans
    hits: set[int] = set()
    for selector, compiled, keys, test in _compiled_all(selectors):
        if keys is None:
            # No key to narrow by: let soupsieve walk the scope.
            scope = tags[low]
            hits.update(index.position[id(t)] for t in compiled.select(scope))
            continue
        plan = plans.get(selector)
        if plan is None:
            plan = plans[selector] = _plan(index, keys)
        candidates, inside = plan
        if not candidates:
            continue
        start = bisect_right(candidates, low)
        stop = bisect_left(candidates, high + 1)
        if start >= stop:
            continue
        match = test if test is not None and index.plain else compiled.match
        for i in candidates[start:stop]:
            if i in hits:
                continue
            if inside and not all(_within(i, spans) for spans in inside):
                continue
            if match(tags[i]):
                hits.add(i)
    return [tags[i] for i in sorted(hits)]


@functools.lru_cache(maxsize=SELECTOR_CACHE)
def _compiled_all(
    selectors: tuple[str, ...],
) -> tuple[tuple[str, soupsieve.SoupSieve, tuple[Keys, ...] | None, Predicate | None], ...]:
    """``_compiled`` of each selector soupsieve can read, with the selector itself."""
    compiled_all = []
    for selector in selectors:
        compiled, keys, test = _compiled(selector)
        if compiled is not None:
            compiled_all.append((selector, compiled, keys, test))
    return tuple(compiled_all)


Spans = tuple[list[int], list[int]]


def _plan(index: PageIndex, keys: tuple[Keys, ...]) -> tuple[list[int], list[Spans]]:
    """Where a selector can match on this page: its candidates and the subtrees they need.

    The candidates carry the rarest key of the rightmost compound; each span
    list holds the outermost subtrees of an ancestor compound's rarest key.
    No candidates when an ancestor the selector needs is not on the page.
    """
    own, *ancestors = keys
    inside = [_outermost(index, _fewest(index, a)) for a in ancestors]
    if any(not spans[0] for spans in inside):
        return [], []
    return _fewest(index, own), inside


def _fewest(index: PageIndex, keys: Keys) -> list[int]:
    """Positions of the elements carrying the rarest of the keys."""
    fewest = index.positions(keys[0])
    for key in keys[1:]:
        positions = index.positions(key)
        if len(positions) < len(fewest):
            fewest = positions
    return fewest


def _outermost(index: PageIndex, positions: list[int]) -> Spans:
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


def _within(i: int, spans: Spans) -> bool:
    """Whether position i lies strictly inside one of the subtrees."""
    starts, ends = spans
    at = bisect_left(starts, i) - 1
    return at >= 0 and i <= ends[at]


def _soupsieve_select(scope: Tag, selectors: tuple[str, ...]) -> list[Tag]:
    compiled = [c for c, _keys, _test in map(_compiled, selectors) if c is not None]
    if not compiled:
        return []
    if len(compiled) == 1:
        return list(compiled[0].select(scope))
    return list(_combined(tuple(c.pattern for c in compiled)).select(scope))


@functools.lru_cache(maxsize=SELECTOR_CACHE)
def _combined(patterns: tuple[str, ...]) -> soupsieve.SoupSieve:
    return soupsieve.compile(", ".join(patterns))


@functools.lru_cache(maxsize=SELECTOR_CACHE)
def _compiled(
    selector: str,
) -> tuple[soupsieve.SoupSieve | None, tuple[Keys, ...] | None, Predicate | None]:
    """The compiled selector, the index keys every match must carry (None: unknown),
    and its plain-Python test (None: soupsieve's match decides)."""
    try:
        compiled = soupsieve.compile(selector)
    except (ValueError, NotImplementedError):
        return None, None, None
    return compiled, _keys(selector), predicate(selector)


@functools.lru_cache(maxsize=SELECTOR_CACHE)
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


def _keys(selector: str) -> tuple[Keys, ...] | None:
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
    ancestors: list[Keys] = []
    for compound, combinator in zip(
        reversed(compounds[:-1]), reversed(combinators), strict=True
    ):
        if combinator not in (" ", ">"):
            break
        keys = _compound_keys(compound)
        if keys is not None:
            ancestors.append(keys)
    return (own, *ancestors)


def _compound_keys(compound: str) -> Keys | None:
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
