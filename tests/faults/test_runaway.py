"""Servers whose totals lie: a REST listing claiming 1,000,000 pages is paged by what its
pages really return (stopping at WordPress's 400 "invalid page number", an empty page, or
a page that repeats itself), and an endless comment pagination stops at its first empty
page or at the comment page budget."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.crawling import run_scrapy_crawl
from tests.faults.server import FaultServer, Page

CLAIMED_PAGES = 1_000_000
POSTS = [("/2021/05/01/alpha/", 501, "Alpha"), ("/2021/05/02/beta/", 502, "Beta")]
INVALID_PAGE = {"code": "rest_post_invalid_page_number",
                "message": "The page number requested is larger than the number of pages "
                           "available.", "data": {"status": 400}}


def _json(data: object, status: int = 200, total: int = len(POSTS),
          pages: int = CLAIMED_PAGES) -> Page:
    return Page(json.dumps(data).encode(), "application/json; charset=UTF-8",
                {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}, status)


def _lying_rest_blog(server: FaultServer, past_the_end: Callable[[], Page]) -> None:
    """Two posts; page 1 of the REST listing says there are 1,000,000 pages, every other
    page answers ``past_the_end()``."""
    listed = [(path, title) for path, _id, title in POSTS]
    server.home(listed)
    for path, wp_id, title in POSTS:
        server.add_post(path, wp_id, title)
    items = [{"id": wp_id, "link": server.url.rstrip("/") + path,
              "modified_gmt": "2021-05-03T10:00:00", "date_gmt": "2021-05-01T10:00:00"}
             for path, wp_id, _title in POSTS]

    def rest(path: str) -> Page | None:
        if path.startswith("/wp-json/wp/v2/comments"):
            return _json([], total=0, pages=0)
        if not path.startswith("/wp-json/wp/v2/posts"):
            return None
        page = int(re.search(r"[?&]page=(\d+)", path).group(1))  # type: ignore[union-attr]
        return _json(items) if page == 1 else past_the_end()

    server.fallback = rest


def _posts_listing_requests(server: FaultServer) -> list[str]:
    return [p for p in server.paths() if p.startswith("/wp-json/wp/v2/posts")]


@pytest.mark.parametrize("past_the_end", [
    pytest.param(lambda: _json(INVALID_PAGE, status=400), id="400-invalid-page-number"),
    pytest.param(lambda: _json([]), id="empty-page"),
    pytest.param(None, id="same-page-again"),
])
def test_a_rest_listing_claiming_a_million_pages_stops_at_the_real_end(
        tmp_path: Path, past_the_end: Callable[[], Page] | None) -> None:
    archive = tmp_path / "archive.db"
    with FaultServer() as server:
        if past_the_end is None:  # a server that ignores ?page= and lists page 1 forever
            _lying_rest_blog(server, lambda: Page(b""))
            page_one = server.fallback
            assert page_one is not None
            server.fallback = lambda path: page_one(re.sub(r"page=\d+", "page=1", path))
        else:
            _lying_rest_blog(server, past_the_end)
        result = run_scrapy_crawl(server.url, archive, "RETRY_TIMES=1",
                                  "RETRY_BACKOFF_BASE=0.1", timeout=120)
        listing_requests = _posts_listing_requests(server)
    assert result.returncode == 0, result.stderr[-3000:]
    # page 1, then at most a window of two pages before the first answer stops it
    assert 2 <= len(listing_requests) <= 3, listing_requests
    with sqlite3.connect(archive) as conn:
        titles = {r[0] for r in conn.execute("select title from posts")}
        errors = conn.execute("select url, reason from fetch_errors").fetchall()
        route = conn.execute("select route, posts_listed from blog_checks").fetchall()
    assert titles == {"Alpha", "Beta"}
    assert route == [("api", 2)]
    assert errors == []  # the end of a listing is not an archive error
