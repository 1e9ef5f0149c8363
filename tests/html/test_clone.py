"""clone() makes the copy bs4's deep copy makes, node for node and link for link."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from bs4 import PageElement, Tag

from scraper.html.clone import clone, clone_with_preorder, copy_tag
from scraper.html.document import parse_html

PAGES = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "pages").glob("*.html"))
LINKS = ("parent", "next_element", "previous_element", "next_sibling", "previous_sibling")


def assert_same_tree(expected_root: Tag, actual_root: Tag) -> None:
    expected: list[PageElement] = [expected_root, *expected_root.descendants]
    actual: list[PageElement] = [actual_root, *actual_root.descendants]
    assert len(actual) == len(expected)
    expected_at = {id(node): i for i, node in enumerate(expected)}
    actual_at = {id(node): i for i, node in enumerate(actual)}

    def where(positions: dict[int, int], node: PageElement | None) -> int | str | None:
        return None if node is None else positions.get(id(node), "outside the copy")

    for want, got in zip(expected, actual, strict=True):
        assert type(got) is type(want)
        assert got.__dict__.keys() == want.__dict__.keys()
        if isinstance(want, Tag):
            assert isinstance(got, Tag)
            for key, value in want.__dict__.items():
                if key not in (*LINKS, "contents"):
                    assert got.__dict__[key] == value, key
            assert type(got.attrs) is type(want.attrs)
            assert [where(actual_at, c) for c in got.contents] == [
                where(expected_at, c) for c in want.contents
            ]
        else:
            assert str(got) == str(want)
        for link in LINKS:
            assert where(actual_at, getattr(got, link)) == where(expected_at, getattr(want, link))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_clone_is_bs4s_deep_copy(page: Path) -> None:
    soup = parse_html(page.read_bytes())
    for tag in soup.find_all(["body", "article", "li", "div", "p", "figure", "img"]):
        assert_same_tree(copy.copy(tag), clone(tag))


def append_built_copy(root: Tag, leave_out: set[int]) -> Tag:
    """A pruned copy built the way bs4 builds trees: by appending (what clone replaced)."""
    copied = root.copy_self()
    stack = [(root, copied)]
    while stack:
        original, target = stack.pop()
        for child in original.children:
            if isinstance(child, Tag):
                if id(child) in leave_out:
                    continue
                child_copy = child.copy_self()
                target.append(child_copy)
                stack.append((child, child_copy))
            else:
                target.append(copy.copy(child))
    return copied


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_clone_leaves_out_what_keep_refuses(page: Path) -> None:
    soup = parse_html(page.read_bytes())
    body = soup.find("body")
    assert isinstance(body, Tag)
    leave_out = {id(t) for t in body.find_all(["ul", "ol", "form", "script", "figure"])}
    pruned = clone(body, lambda tag: id(tag) not in leave_out)
    assert_same_tree(append_built_copy(body, leave_out), pruned)
    assert pruned.find(["ul", "ol", "form", "script", "figure"]) is None


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_clone_records_the_copys_elements_in_document_order_with_subtree_ends(
    page: Path,
) -> None:
    soup = parse_html(page.read_bytes())
    for tag in soup.find_all(["body", "li", "div"])[:40]:
        copied, tags, ends = clone_with_preorder(tag, lambda t: t.name != "p")
        elements = [copied, *copied.find_all(True)]
        assert [id(t) for t in tags] == [id(t) for t in elements]
        assert ends == [i + len(t.find_all(True)) for i, t in enumerate(tags)]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_copy_tag_makes_what_copy_self_makes(page: Path) -> None:
    soup = parse_html(page.read_bytes())
    for tag in soup.find_all(True):
        want, got = tag.copy_self(), copy_tag(tag)
        assert list(got.__dict__) == list(want.__dict__)
        assert got.__dict__ == want.__dict__
        assert type(got.attrs) is type(want.attrs)
        for key, value in got.attrs.items():
            assert type(value) is type(want.attrs[key])
            if isinstance(value, list):
                assert value is not tag.attrs[key]  # a list of its own, as copy_self gives
