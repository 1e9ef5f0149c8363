"""The posts and comments table pages open on the reading columns; every column is one
click away."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scraper.reading_room.readable_tables import READING_COLUMNS

from .test_datasette import make_datasette


@pytest.fixture(scope="module")
def get(archive_path: Path, meta: dict[str, Any],
        event_loop_runner: Callable) -> Callable[[str], Any]:
    ds = make_datasette(event_loop_runner, archive_path, meta)
    return lambda path: event_loop_runner(ds.client.get(path))


def column_headers(html: str) -> list[str]:
    return re.findall(r'<th [^>]*data-column="([^"]+)"', html)


def test_a_bare_posts_page_shows_the_reading_columns(get: Callable[..., Any]) -> None:
    page = get("/archive/posts")
    assert page.status_code == 200
    headers = column_headers(page.text)
    assert headers[1:] == list(READING_COLUMNS["posts"])  # after the primary key
    assert 'href="?_sort_desc=published">every column</a>' in page.text


def test_every_column_is_one_click_away(get: Callable[..., Any]) -> None:
    assert "body_html" in column_headers(get("/archive/posts?_sort_desc=published").text)
    assert "html" in column_headers(get("/archive/comments?_sort_desc=published").text)


def test_a_bare_comments_page_shows_the_reading_columns(get: Callable[..., Any]) -> None:
    headers = column_headers(get("/archive/comments").text)
    assert headers[1:] == list(READING_COLUMNS["comments"])


def test_the_index_links_posts_and_blogs(get: Callable[..., Any]) -> None:
    html = get("/").text
    # the browse line (Datasette's own list of the largest tables changes with the data)
    assert 'href="/archive/post_list"' in html and 'href="/archive/blogs"' in html


def test_a_post_row_page_reads_down_one_column_a_line(get: Callable[..., Any]) -> None:
    page = get("/archive/posts/posters~2Eexample~2F~3Fp~3D101").text
    fields = re.findall(r'<th scope="row" data-column="([^"]+)"', page)
    assert fields[:2] == ["id", "blog_id"] and "body_html" in fields
    assert "Read this post as its blog showed it" in page
    assert 'class="rows-and-columns"' not in page  # not one row across the page
    assert "every column" not in page  # the table page's description stays there
