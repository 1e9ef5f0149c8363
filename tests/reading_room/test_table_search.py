"""Fast table search on posts and comments (scraper/reading_room/table_search.py), on the
fixture archive through Datasette's test client: which searches are redirected to the
fast form, and that its pages list exactly what Datasette's own search lists."""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from datasette.app import Datasette
from datasette.utils import MultiParams

from scraper.reading_room import table_search

FAST = "_sort_desc=rowid&_nocount=1&_nofacet=1&_labels=off"


def _client(archive_path: Path, meta: dict[str, Any], run: Callable,
            **settings: Any) -> Callable[[str], Any]:
    ds = Datasette(files=[str(archive_path)], metadata=copy.deepcopy(meta), settings=settings)
    run(ds.invoke_startup())
    return lambda path: run(ds.client.get(path))


@pytest.fixture(scope="module")
def get(archive_path: Path, meta: dict[str, Any],
        event_loop_runner: Callable) -> Callable[[str], Any]:
    return _client(archive_path, meta, event_loop_runner)


@pytest.fixture(scope="module")
def small_pages(archive_path: Path, meta: dict[str, Any],
                event_loop_runner: Callable) -> Callable[[str], Any]:
    """GET on a Datasette whose pages hold at most 2 rows: the bounded FTS list then
    holds 3 matches, fewer than some searches find, so pages must follow the cursor."""
    return _client(archive_path, meta, event_loop_runner, max_returned_rows=2)


@pytest.fixture
def few_rows_get_facets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Searches of more than one match are 'many'."""
    monkeypatch.setattr(table_search, "FACETED_LIMIT", 1)


def _expected(archive_path: Path, table: str, words: str) -> list[str]:
    with sqlite3.connect(archive_path) as conn:
        return [r[0] for r in conn.execute(
            f"select id from {table} where rowid in (select rowid from {table}_fts"
            f" where {table}_fts match ?) order by rowid desc", [words])]


def _all_pages(get: Callable, path: str) -> tuple[list[str], list[str]]:
    """Row ids of every page, following next_url; and the SQL of each page."""
    ids: list[str] = []
    sqls: list[str] = []
    while path:
        data = get(path).json()  # _shape=objects: rows as dicts
        ids += [row["id"] for row in data["rows"]]
        sqls.append(data["query"]["sql"])
        next_url = data.get("next_url")
        path = urlsplit(next_url)._replace(scheme="", netloc="").geturl() if next_url else ""
    return ids, sqls


# --- which searches go to the fast form ----------------------------------------------


def test_a_search_of_few_rows_keeps_datasettes_page_with_count_and_facets(get) -> None:
    response = get("/archive/comments?_search=sky")
    assert response.status_code == 200
    assert "3 rows" in response.text and "sorted by published descending" in response.text
    assert 'class="facet-info' in response.text


def test_a_search_of_many_rows_is_redirected_to_the_fast_form(
    get, few_rows_get_facets: None
) -> None:
    response = get("/archive/comments?_search=sky&_size=5")
    assert response.status_code == 302
    assert response.headers["location"] == f"/archive/comments?_search=sky&_size=5&{FAST}"
    page = get(response.headers["location"])
    assert page.status_code == 200
    assert 'search matches &#34;sky&#34; (3 rows) sorted by rowid descending' in page.text
    for comment in ("201", "202", "203"):
        assert f"posters.example/#comment-{comment}" in page.text
    assert 'class="facet-info' not in page.text


@pytest.mark.parametrize("query", [
    "_search=sky&blog_id=posters.example",  # a filter: the bounded list could miss rows
    "_search=sky&_sort_desc=published",  # the reader chose an order
    "_search=sky&_sort=id",  # the reader chose an order
    "_search_text=sky",  # a column search
])
def test_searches_with_other_choices_are_not_redirected(
    get, few_rows_get_facets: None, query: str
) -> None:
    assert get(f"/archive/comments?{query}").status_code == 200


def test_a_search_made_again_from_a_fast_page_is_redirected_too(
    get, few_rows_get_facets: None
) -> None:
    # what the table page's form sends (after Datasette's own redirects) from a fast page
    carried = "_search=the&_sort_desc=&_nocount=1&_nofacet=1&_labels=off&_size=2"
    response = get(f"/archive/comments?{carried}")
    assert response.status_code == 302
    assert response.headers["location"] == f"/archive/comments?_search=the&_size=2&{FAST}"


def test_a_search_page_without_a_count_states_the_number_of_matches(get) -> None:
    html = get("/archive/comments?_search=sky&_nocount=1").text
    assert "(3 rows)" in html and "sorted by published descending" in html


def test_json_and_other_tables_are_not_redirected(get, few_rows_get_facets: None) -> None:
    assert get("/archive/comments.json?_search=sky").status_code == 200
    assert get("/archive/credits?_search=poster").status_code == 200


def test_bad_raw_fts_syntax_is_left_to_datasette(get, few_rows_get_facets: None) -> None:
    response = get('/archive/comments?_search="unclosed&_searchmode=raw')
    assert response.status_code != 302


def test_no_redirect_reveals_a_table_the_reader_may_not_see(
    archive_path: Path, meta: dict[str, Any], event_loop_runner: Callable,
    few_rows_get_facets: None
) -> None:
    private = copy.deepcopy(meta)
    private["databases"]["archive"]["tables"]["comments"]["allow"] = {"id": "editor"}
    ds = Datasette(files=[str(archive_path)], metadata=private)
    event_loop_runner(ds.invoke_startup())
    response = event_loop_runner(ds.client.get("/archive/comments?_search=sky"))
    assert response.status_code == 403


# --- the fast form's pages -------------------------------------------------------------


@pytest.mark.parametrize(("table", "words"), [("comments", "the"), ("comments", "sky"),
                                              ("posts", "the"), ("posts", "Lovelace")])
def test_fast_pages_list_every_match_once_newest_archived_first(
    small_pages, archive_path: Path, table: str, words: str
) -> None:
    ids, sqls = _all_pages(
        small_pages, f"/archive/{table}.json?_search={words}&{FAST}&_size=1&_shape=objects")
    assert ids == _expected(archive_path, table, words)
    assert len(ids) >= 2
    # every page read only a bounded list of matches, after the previous page's cursor
    assert all("order by rowid desc limit 3)" in sql for sql in sqls)
    assert all(":rr_before" in sql for sql in sqls[1:])


def test_a_fast_page_states_the_number_of_matches(get, monkeypatch: pytest.MonkeyPatch) -> None:
    html = get(f"/archive/comments?_search=the&{FAST}").text
    assert "(4 rows)" in html
    monkeypatch.setattr(table_search, "COUNT_LIMIT", 2)
    html = get(f"/archive/comments?_search=the&{FAST}").text
    assert "(more than 2 rows)" in html


@pytest.mark.parametrize("query", [
    f"_search=the&{FAST}&blog_id=posters.example",
    "_search=the&_sort_desc=rowid&_nofacet=1",  # counted: Datasette's own search
    "_search=the&_sort_desc=rowid&_nocount=1",  # faceted: Datasette's own search
    f"_search=the&{FAST}&_next=notarowid",
])
def test_pages_that_need_every_match_keep_datasettes_search(small_pages, query: str) -> None:
    data = small_pages(f"/archive/comments.json?{query}&_size=1&_shape=objects").json()
    assert "limit 3)" not in data["query"]["sql"]


def test_csv_of_a_fast_search_keeps_every_row(small_pages, archive_path: Path) -> None:
    csv = small_pages(f"/archive/comments.csv?_search=the&{FAST}&_size=1&_stream=1").text
    lines = csv.strip().splitlines()[1:]
    assert [line.split(",")[0] for line in lines] == _expected(archive_path, "comments", "the")


def test_posts_and_comments_can_be_sorted_by_rowid(get) -> None:
    for table in ("posts", "comments"):
        assert get(f"/archive/{table}?_sort_desc=rowid").status_code == 200


# --- pure helpers -------------------------------------------------------------------------


def _args(query: str) -> MultiParams:
    return MultiParams(parse_qsl(query, keep_blank_values=True))


def test_page_cursor_reads_the_rowid_of_datasettes_next_token() -> None:
    assert table_search.page_cursor(_args(f"_search=a&{FAST}"), "/archive/posts") == (True, None)
    assert table_search.page_cursor(
        _args(f"_search=a&{FAST}&_next=42,posters~2Eexample"), "/archive/posts.json"
    ) == (True, 42)
    assert table_search.page_cursor(_args(f"_search=a&{FAST}"), "/archive/posts.csv")[0] is False
    assert table_search.page_cursor(_args("_search=a&_sort_desc=rowid"), "/a/posts")[0] is False


def test_datasettes_own_search_filter_is_recognised() -> None:
    from datasette import filters

    inner = filters.search_filters(request=None, database="archive", table="posts",
                                   datasette=None)
    assert table_search.is_datasette_search(inner)
    assert not table_search.is_datasette_search(
        filters.where_filters(request=None, database="archive", datasette=None))
