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

from bs4 import PageElement, Tag


def clone(root: Tag, keep: Callable[[Tag], bool] | None = None) -> Tag:
    """A detached copy of ``root``, like ``copy.copy(root)``.

    ``keep``: called for each descendant element; those it refuses are left
    out with all they contain.
    """
    copied_root = root.copy_self()
    order: list[PageElement] = [copied_root]
    stack = [(iter(root.contents), copied_root)]
    while stack:
        children, parent = stack[-1]
        for child in children:
            if isinstance(child, Tag):
                if keep is not None and not keep(child):
                    continue
                copied: PageElement = child.copy_self()
            else:
                copied = type(child)(child)
            _append(parent, copied)
            order.append(copied)
            if isinstance(child, Tag):
                stack.append((iter(child.contents), copied))  # type: ignore[arg-type]
                break
        else:
            stack.pop()
    # Document order is preorder: each node's next element is the next one copied.
    for before, after in pairwise(order):
        before.next_element = after
        after.previous_element = before
    return copied_root


def _append(parent: Tag, child: PageElement) -> None:
    child.parent = parent
    if parent.contents:
        last = parent.contents[-1]
        last.next_sibling = child
        child.previous_sibling = last
    parent.contents.append(child)
