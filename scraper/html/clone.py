"""Detached copies of a subtree, built in one pass.

``copy.copy(tag)`` (bs4's deep copy) appends node after node, and every
append walks up the new tree to link the node into the document order; the
extractors copy whole post bodies and every comment.  ``clone`` makes the
same copy (the same ``copy_self`` tags and string copies, the same parent,
sibling and document-order links) and links it once at the end.  It can
also leave out subtrees, which is how a comment is copied without its
replies.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import cast

from bs4 import NavigableString, PageElement, Tag
from bs4.element import AttributeValueList, HTMLAttributeDict, XMLAttributeDict

_new_tag = object.__new__


def clone(root: Tag, keep: Callable[[Tag], bool] | None = None) -> Tag:
    """A detached copy of ``root``, like ``copy.copy(root)``.

    ``keep``: called for each descendant element; those it refuses are left
    out with all they contain.
    """
    return clone_with_preorder(root, keep)[0]


def clone_with_preorder(
    root: Tag, keep: Callable[[Tag], bool] | None = None
) -> tuple[Tag, list[Tag], list[int]]:
    """``clone(root, keep)``, and the copy's elements in document order (the copy first)
    with the position of each one's last descendant: what indexing the copy needs."""
    copied_root = copy_tag(root)
    order: list[PageElement] = [copied_root]
    tags: list[Tag] = [copied_root]
    ends: list[int] = [0]
    stack = [(iter(root.contents), copied_root, 0)]
    while stack:
        children, parent, position = stack[-1]
        for child in children:
            if isinstance(child, Tag):
                if keep is not None and not keep(child):
                    continue
                copied: PageElement = copy_tag(child)
            else:  # a string of one kind or another (text, comment, CDATA…)
                string = cast(NavigableString, child)
                copied = type(string)(string)
            _append(parent, copied)
            order.append(copied)
            if isinstance(child, Tag):
                assert isinstance(copied, Tag)
                stack.append((iter(child.contents), copied, len(tags)))
                tags.append(copied)
                ends.append(0)
                break
        else:
            stack.pop()
            ends[position] = len(tags) - 1
    # Document order is preorder: each node's next element is the next one copied.
    for before, after in pairwise(order):
        before.next_element = after
        after.previous_element = before
    return copied_root, tags, ends


def copy_tag(tag: Tag) -> Tag:
    """``tag.copy_self()``: the same fields, set in the same order, without its generic
    constructor (keyword handling, a builder lookup, an attribute-by-attribute dict fill)."""
    attrs = tag.attrs
    if type(tag) is not Tag or not all(
            type(value) is str or type(value) is AttributeValueList
            for value in attrs.values()):
        return tag.copy_self()  # values a parser never makes: the generic path converts them
    copied = _new_tag(Tag)
    # Tag.__init__ with parser=None and builder=None, as copy_self calls it.
    copied.parser_class = None
    copied.name = tag.name
    copied.namespace = tag.namespace
    copied._namespaces = tag._namespaces or {}
    copied.prefix = tag.prefix
    copied.sourceline = tag.sourceline
    copied.sourcepos = tag.sourcepos
    copied.attribute_value_list_class = AttributeValueList
    new_attrs = XMLAttributeDict() if tag._is_xml else HTMLAttributeDict()
    for key, value in attrs.items():
        dict.__setitem__(new_attrs, key,
                         value if type(value) is str else AttributeValueList(value))
    copied.attrs = new_attrs
    copied.known_xml = tag._is_xml
    copied.contents = []
    copied.parent = None
    copied.previous_element = None
    copied.next_element = None
    copied.next_sibling = None
    copied.previous_sibling = None
    copied.hidden = tag.hidden
    copied.can_be_empty_element = tag.can_be_empty_element
    copied.cdata_list_attributes = tag.cdata_list_attributes
    copied.preserve_whitespace_tags = tag.preserve_whitespace_tags
    copied.interesting_string_types = tag.interesting_string_types
    return copied


def _append(parent: Tag, child: PageElement) -> None:
    child.parent = parent
    if parent.contents:
        last = parent.contents[-1]
        last.next_sibling = child
        child.previous_sibling = last
    parent.contents.append(child)
