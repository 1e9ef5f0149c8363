"""Reviews in the reading room and in Datasette: a post shows the work it reviews and its
rating, a work lists every review of it across blogs, and the canned queries answer."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from datasette.app import Datasette

from .test_datasette import make_datasette, post_page

LONG_NIGHT_POST = "posters.example/?p=101"
REEL_POST = "reel.example/?p=7"
LONG_NIGHT = "film/the-long-night/2021"


@pytest.fixture(scope="module")
def get(archive_path: Path, meta: dict[str, Any],
        event_loop_runner: Callable) -> Callable[..., Any]:
    ds: Datasette = make_datasette(event_loop_runner, archive_path, meta)

    def get(path: str, **kwargs: Any) -> Any:
        return event_loop_runner(ds.client.get(path, **kwargs))

    return get


def test_a_post_page_shows_the_work_it_reviews_and_the_critics_rating_apart_from_readers(
    get: Callable[..., Any],
) -> None:
    html = post_page(get, LONG_NIGHT_POST).text
    assert 'class="rr-work-link" href="/-/work?id=film%2Fthe-long-night%2F2021"' in html
    assert "The Long Night</a> (2021)" in html
    assert '<span class="rr-rating-value">4/5</span>' in html
    assert "★★★★☆" in html  # (4 - 1) / (5 - 1) = 0.75, to the nearest half star
    assert "Readers: 3.5/5 from 40 ratings" in html


def test_a_work_page_lists_its_reviews_from_both_blogs_best_rated_first(
    get: Callable[..., Any],
) -> None:
    page = get("/-/work?id=" + quote(LONG_NIGHT, safe=""))
    assert page.status_code == 200
    html = page.text
    assert "2 reviews on 2 blogs" in html
    reel, posters = html.index("reel.example"), html.index("posters.example")
    assert reel < posters  # 9/10 (0.9) before 4/5 (0.75)
    assert quote(REEL_POST, safe="") in html and quote(LONG_NIGHT_POST, safe="") in html


def test_an_unknown_work_is_not_found(get: Callable[..., Any]) -> None:
    assert get("/-/work?id=film/nope/1999").status_code == 404
    assert get("/-/work").status_code == 404


def test_works_are_faceted_by_type_and_year_and_searchable(get: Callable[..., Any]) -> None:
    data = get("/archive/works.json?_search=long").json()
    assert set(data["facet_results"]) >= {"type", "year"}
    assert [row[data["columns"].index("id")] for row in data["rows"]] == [LONG_NIGHT]


@pytest.mark.parametrize(("query", "expected"), [
    ("reviews_of_a_work?title=long+night&year=2021", ["Why poster credits matter",
                                                      "The poster for The Long Night"]),
    ("top_rated_by_blog?blog=reel.example", ["Why poster credits matter"]),
    ("works_on_several_blogs", [LONG_NIGHT]),
])
def test_canned_queries_find_reviews_across_blogs(
    get: Callable[..., Any], query: str, expected: list[str]
) -> None:
    path, _, args = query.partition("?")
    data = get(f"/archive/{path}.json?_shape=array&{args}").json()
    column = "work_id" if path == "works_on_several_blogs" else "post_title"
    assert [row[column] for row in data] == expected


def test_an_archive_from_before_reviews_reads_without_them(
    archive_path: Path, meta: dict[str, Any], event_loop_runner: Callable, tmp_path: Path
) -> None:
    old = tmp_path / "archive.db"
    old.write_bytes(archive_path.read_bytes())
    with sqlite3.connect(old) as conn:
        conn.execute("drop table reviews")
        conn.execute("drop table works")
    ds = make_datasette(event_loop_runner, old, meta)
    page = event_loop_runner(ds.client.get("/-/post?id=" + quote(LONG_NIGHT_POST, safe="")))
    assert page.status_code == 200 and "rr-review" not in page.text
    assert event_loop_runner(ds.client.get("/-/work?id=" + LONG_NIGHT)).status_code == 404
    queries = event_loop_runner(ds.client.get("/archive.json")).json()["queries"]
    assert "works_on_several_blogs" not in {q["name"] for q in queries}


def test_a_works_title_and_rating_text_are_shown_as_text(get: Callable[..., Any]) -> None:
    page = get("/-/work?id=" + quote("book/script-window-__xss-1-script-payload/"))
    assert page.status_code == 200
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;Payload" in page.text
    assert "<script>window.__xss" not in page.text
    post = post_page(get, "posters.example/?p=102").text
    assert "&lt;img src=x onerror=window.__xss=1&gt; 2/5" in post
    assert "javascript:" not in post
