"""A BeautifulSoup tree builder that links the tree directly from lxml's parse events.

BeautifulSoup's own lxml builder spends about ten times longer in Python than lxml
spends parsing: every event goes through ``handle_starttag``/``endData``/
``object_was_parsed`` with their generic bookkeeping (parse_only checks, namespace
maps, tag counters, linkage fixing).  ``LinkingLXMLTreeBuilder`` receives the very
same events from the very same parser (``etree.HTMLParser`` fed the whole markup,
as ``bs4.builder.LXMLTreeBuilder.feed`` does) and applies the same rules, but creates
each ``Tag`` and string with its final attributes and links in one step.  The result
is the tree BeautifulSoup would build, node for node (tests/html/test_soup_builder.py
compares every node's attributes and links); only the work to get there is smaller.

The builder also records how deep the tree went, so that callers can skip a depth
walk on ordinary pages, and the elements in document order with where each one's
subtree ends (``preorder``), which is what an index of the page needs first.

Optionally it leaves elements *hollow*: an element for which ``hollow(name, class)``
is true (``class`` the raw value of its class attribute; asked only of elements that
have one) is built with its attributes but without what it contains,
as if that markup were not there (a parse-only strategy, like bs4's SoupStrainer but
by subtree): the tree is the one BeautifulSoup builds with those elements emptied.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, NamedTuple

from bs4 import BeautifulSoup
from bs4.builder import ParserRejectedMarkup
from bs4.builder._lxml import LXMLTreeBuilder
from bs4.element import (
    Comment,
    Doctype,
    NamespacedAttribute,
    NavigableString,
    PageElement,
    Tag,
    XMLAttributeDict,
    nonwhitespace_re,
)
from lxml import etree

# Strings made only of these collapse to one space or newline outside <pre>/<textarea>
# (BeautifulSoup.endData).
_ASCII_SPACES = BeautifulSoup.ASCII_SPACES
_MAIN_STRING_TYPES = Tag.MAIN_CONTENT_STRING_TYPES
_split_words = nonwhitespace_re.findall
_set_item = dict.__setitem__
# Nodes are made without running their __init__/__new__ (generic code that links them
# one field at a time); they get the same attributes, set once with their final values.
_new_tag = object.__new__
_new_string = str.__new__


class LinkingLXMLTreeBuilder(LXMLTreeBuilder):
    """``LXMLTreeBuilder`` whose parse builds the finished tree without per-event overhead.

    Use as ``BeautifulSoup(markup, builder=LinkingLXMLTreeBuilder())``; afterwards
    ``deepest`` holds the nesting depth of the deepest element (the soup is depth 0).
    """

    NAME = "lxml-linking"
    ALTERNATE_NAMES: list[str] = []  # never picked by a features lookup  # noqa: RUF012
    features: list[str] = []  # noqa: RUF012

    deepest: int = 0
    preorder: tuple[list[Tag], list[int]] | None = None
    # Positions in ``preorder`` by tag name, attribute name, class and id.
    keys: tuple[dict[str, list[int]], dict[str, list[int]], dict[str, list[int]],
                dict[str, list[int]]] | None = None

    def __init__(self, *args: Any, hollow: Callable[[str, str], bool] | None = None,
                 hollow_nests: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hollow = hollow
        # False: hollow elements are known never to nest (the caller's knowledge), so one
        # opening inside another ends the first, which the markup then never closed.
        self.hollow_nests = hollow_nests

    def feed(self, markup: str | bytes) -> None:
        assert self.soup is not None
        linker = _TreeLinker(self.soup, self)
        # lxml hands a target str (never bytes) once it decodes; lxml-stubs allow both.
        parser = etree.HTMLParser(target=linker,  # type: ignore[arg-type]
                                  recover=True, huge_tree=self.huge_tree,
                                  encoding=self.soup.original_encoding)
        try:
            parser.feed(markup)
            parser.close()
        except (UnicodeDecodeError, LookupError, etree.ParserError) as e:
            raise ParserRejectedMarkup(e) from e
        linker.finish()
        self.deepest = linker.tallest_stack - 1  # the stack holds the soup too
        self.preorder = (linker.order, linker.ends)
        self.keys = (dict(linker.by_tag), dict(linker.by_attr), dict(linker.by_class),
                     dict(linker.by_id))
        # lxml's parser and its target reference each other, a cycle only the cyclic
        # collector frees: the target lets go of the tree now.
        linker.__dict__.clear()


class _TagKind(NamedTuple):
    """What bs4 derives from a tag's name alone, worked out once per name and parse."""

    can_be_empty_element: bool
    list_attributes: frozenset[str]  # attributes whose values become lists
    string_class: type[NavigableString] | None  # for text inside it (<script>: Script)
    preserves_whitespace: bool


class _TreeLinker:
    """lxml parser target: turns start/end/data/comment events into linked bs4 nodes.

    The rules are BeautifulSoup's (bs4/__init__.py ``endData``, ``handle_starttag``,
    ``object_was_parsed``, ``_popToTag``; bs4/builder/_lxml.py ``start``; bs4/element.py
    ``Tag.__init__``): nodes are linked in document order, text between two events is
    one string, whitespace-only text collapses outside <pre>/<textarea>, text inside
    <script>/<style>/<template>/<rt>/<rp> gets that container's string class, and class
    and the other multi-valued attributes become lists.
    """

    def __init__(self, soup: BeautifulSoup, builder: LinkingLXMLTreeBuilder) -> None:
        self.soup = soup
        self.builder = builder
        self.stack: list[Tag] = [soup]
        self.last: PageElement | None = soup._most_recent_element
        self.text: list[str] = []
        # lxml looks the callbacks up once; a bound list.append is the cheapest `data`.
        self.data = self.text.append
        self.preserving = 0  # open <pre>/<textarea> elements
        self.containers: list[type[NavigableString]] = []  # string classes of open containers
        self.tallest_stack = 1
        # Preorder: every element (the soup first) and the position of its last descendant;
        # positions of the open elements, parallel to the stack.
        self.order: list[Tag] = [soup]
        self.ends: list[int] = [0]
        self.open_positions: list[int] = [0]
        self.by_tag: defaultdict[str, list[int]] = defaultdict(list)
        self.by_attr: defaultdict[str, list[int]] = defaultdict(list)
        self.by_class: defaultdict[str, list[int]] = defaultdict(list)
        self.by_id: defaultdict[str, list[int]] = defaultdict(list)
        # Inside a hollow element: the names of the elements opened in it since.
        self.hollow = builder.hollow
        self.hollow_nests = builder.hollow_nests
        self.skipping: list[str] | None = None
        self.kinds: dict[str, _TagKind] = {}
        # Values Tag.__init__ takes from the parser and builder, the same for every tag.
        self.parser_class = type(soup)
        self.namespaces = builder.active_namespace_prefixes[-1]
        self.value_list_class = builder.attribute_value_list_class
        self.known_xml = builder.is_xml
        self.cdata_list_attributes = builder.cdata_list_attributes
        self.preserve_whitespace_tags = builder.preserve_whitespace_tags

    # --- parser target callbacks ---------------------------------------------------

    def start(self, name: str, attrib: dict[str, str]) -> None:
        if self.skipping is not None:
            if self.hollow_nests or not self._hollow_again(name, attrib):
                self.skipping.append(name)
                return
            # Hollow elements that cannot nest: one opening inside another means the markup
            # never closed the first (a stray "</div<" makes libxml2 drop its end tags), so
            # it ends here rather than swallowing the rest of the page.
            self.text.clear()
            self.skipping = None
            self._pop()
        if self.text:
            self._flush(NavigableString)
        kind = self.kinds.get(name) or self._kind(name)
        stack = self.stack
        parent = stack[-1]
        siblings = parent.contents
        previous_sibling = siblings[-1] if siblings else None
        previous = self.last
        container = kind.string_class
        tag = _new_tag(Tag)
        # Tag.__init__'s order: instances keep their attributes inline (fast, compact)
        # only while every instance sets them in the same order.
        tag.parser_class = self.parser_class
        tag.name = name
        tag.namespace = None
        tag._namespaces = self.namespaces
        tag.prefix = None
        tag.sourceline = None
        tag.sourcepos = None
        tag.attribute_value_list_class = self.value_list_class
        tag.attrs = self._attributes(attrib, kind) if attrib else XMLAttributeDict()
        tag.known_xml = self.known_xml
        tag.contents = []
        tag.parent = parent
        tag.previous_element = previous
        tag.next_element = None
        tag.next_sibling = None
        tag.previous_sibling = previous_sibling
        tag.hidden = False
        tag.can_be_empty_element = kind.can_be_empty_element
        tag.cdata_list_attributes = self.cdata_list_attributes
        tag.preserve_whitespace_tags = self.preserve_whitespace_tags
        tag.interesting_string_types = _MAIN_STRING_TYPES if container is None else {container}
        if name == "meta":
            self.builder.set_up_substitutions(tag)
        if previous is not None:
            previous.next_element = tag
        if previous_sibling is not None:
            previous_sibling.next_sibling = tag
        siblings.append(tag)
        self.last = tag
        stack.append(tag)
        if container is not None:
            self.containers.append(container)
        if kind.preserves_whitespace:
            self.preserving += 1
        if len(stack) > self.tallest_stack:
            self.tallest_stack = len(stack)
        position = len(self.order)
        self.open_positions.append(position)
        self.order.append(tag)
        self.ends.append(0)
        self.by_tag[name].append(position)
        if attrib:
            attrs = tag.attrs
            by_attr = self.by_attr
            for key in attrs:
                by_attr[key].append(position)
            classes = attrs.get("class")
            if classes:
                by_class = self.by_class
                for token in classes:
                    by_class[token].append(position)
            ident = attrs.get("id")
            if type(ident) is str:
                self.by_id[ident].append(position)
        if self.hollow is not None and "class" in attrib and self.hollow(name, attrib["class"]):
            self.skipping = []

    def end(self, name: str) -> None:
        if self.skipping is not None:
            if self._end_inside_hollow(name):
                return
            self.text.clear()  # what the hollow element contained is not kept
        if self.text:
            self._flush(NavigableString)
        stack = self.stack
        if stack[-1].name == name and len(stack) > 1:
            self._pop()
            return
        # Like BeautifulSoup._popToTag: close up to the innermost open element of that
        # name, or nothing when none is open.
        for depth in range(len(stack) - 1, 0, -1):
            if stack[depth].name == name:
                while len(stack) > depth:
                    self._pop()
                return

    def comment(self, text: str) -> None:
        if self.skipping is None:
            self._add_string(text, Comment)

    def doctype(self, name: str, pubid: str, system: str) -> None:
        if self.skipping is None:
            self._add_string(Doctype._string_for_name_and_ids(name, pubid, system), Doctype)

    def pi(self, target: str, data: str) -> None:
        if self.skipping is None:
            self._add_string(target + " " + data, self.builder.processing_instruction_class)

    def close(self) -> None:
        return None

    # --- helpers ---------------------------------------------------------------------

    def _hollow_again(self, name: str, attrib: dict[str, str]) -> bool:
        return self.hollow is not None and "class" in attrib and self.hollow(name, attrib["class"])

    def _end_inside_hollow(self, name: str) -> bool:
        """Close ``name`` inside a hollow element as ``end`` would (up to the innermost open
        element of that name); False when it closes the hollow element itself."""
        opened = self.skipping
        assert opened is not None
        for depth in range(len(opened) - 1, -1, -1):
            if opened[depth] == name:
                del opened[depth:]
                return True
        if not any(tag.name == name for tag in self.stack[1:]):
            return True  # closes nothing that is open: ignored, as end() ignores it
        self.skipping = None  # it closes the hollow element (or an element around it)
        return False

    def finish(self) -> None:
        """Flush trailing text and leave the soup as BeautifulSoup._feed would."""
        if self.skipping is not None:  # the markup ended inside a hollow element
            self.text.clear()
            self.skipping = None
        if self.text:
            self._flush(NavigableString)
        last = len(self.order) - 1
        for position in self.open_positions:  # elements the markup never closed
            self.ends[position] = last
        soup = self.soup
        soup._most_recent_element = self.last
        soup.tagStack = [soup]
        soup.currentTag = soup

    def _pop(self) -> None:
        self.ends[self.open_positions.pop()] = len(self.order) - 1
        kind = self.kinds[self.stack.pop().name]
        if kind.string_class is not None:
            self.containers.pop()
        if kind.preserves_whitespace:
            self.preserving -= 1

    def _add_string(self, text: str, string_class: type[NavigableString]) -> None:
        if self.text:
            self._flush(NavigableString)
        self.text.append(text)
        self._flush(string_class)

    def _flush(self, string_class: type[NavigableString]) -> None:
        parts = self.text
        text = parts[0] if len(parts) == 1 else "".join(parts)
        parts.clear()
        if not self.preserving and not text.strip(_ASCII_SPACES):
            text = "\n" if "\n" in text else " "
        if string_class is NavigableString and self.containers:
            string_class = self.containers[-1]
        string = _new_string(string_class, text)
        parent = self.stack[-1]
        siblings = parent.contents
        previous_sibling = siblings[-1] if siblings else None
        previous = self.last
        # NavigableString.__new__'s order.
        string.hidden = False
        string.parent = parent
        string.previous_element = previous
        string.next_element = None
        string.next_sibling = None
        string.previous_sibling = previous_sibling
        if previous is not None:
            previous.next_element = string
        if previous_sibling is not None:
            previous_sibling.next_sibling = string
        siblings.append(string)
        self.last = string

    def _attributes(self, attrib: dict[str, str], kind: _TagKind) -> XMLAttributeDict:
        """The tag's attributes as bs4 stores them: multi-valued ones split into lists."""
        attrs = XMLAttributeDict(attrib)
        if "{" in "".join(attrs):
            attrs = _namespaced(attrs)
        for key in kind.list_attributes.intersection(attrs):
            # dict's own __setitem__: XMLAttributeDict's only converts None and numbers.
            _set_item(attrs, key, self.value_list_class(_split_words(attrs[key])))
        return attrs

    def _kind(self, name: str) -> _TagKind:
        builder = self.builder
        table = builder.cdata_list_attributes or {}
        kind = _TagKind(
            can_be_empty_element=builder.can_be_empty_element(name),
            list_attributes=frozenset(table.get("*", ())) | frozenset(table.get(name.lower(), ())),
            string_class=builder.string_containers.get(name),
            preserves_whitespace=name in builder.preserve_whitespace_tags,
        )
        self.kinds[name] = kind
        return kind


def _namespaced(attrs: XMLAttributeDict) -> XMLAttributeDict:
    """Rewrite '{uri}name' keys as LXMLTreeBuilderForXML.start does."""
    inverted = LXMLTreeBuilder.DEFAULT_NSMAPS_INVERTED
    renamed = XMLAttributeDict()
    for key, value in attrs.items():
        if key.startswith("{") and "}" in key:
            namespace, local = key[1:].split("}", 1)
            renamed[NamespacedAttribute(inverted.get(namespace), local, namespace)] = value
        else:
            renamed[key] = value
    return renamed
