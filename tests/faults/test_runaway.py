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
from tests.faults.server import FaultServer, Page, comments_html, post_html

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


ENDLESS = "/2021/06/01/endless/"


def _endless_comment_pages(fresh_comments: bool) -> Callable[[str], Page | None]:
    """The post shows comment 1 and links /comment-page-2/; every comment page N links
    N+1, forever, with one new comment each (``fresh_comments``) or none."""

    def page(path: str) -> Page | None:
        match = re.fullmatch(re.escape(ENDLESS) + r"(?:comment-page-(\d+)/)?", path)
        if not match:
            return None
        n = int(match.group(1) or 1)
        shown = [(n, f"Guest {n}", f"Comment {n}.")] if n == 1 or fresh_comments else []
        area = comments_html(shown, older=f"{ENDLESS}comment-page-{n - 1}/" if n > 1 else None,
                             newer=f"{ENDLESS}comment-page-{n + 1}/")
        return Page(post_html(601, "Endless", "<p>Body.</p>", extra_body=area).encode())

    return page


def _comment_page_requests(server: FaultServer) -> list[str]:
    return [p for p in server.paths() if "comment-page-" in p]


def test_an_endless_comment_pagination_stops_at_its_first_empty_page(tmp_path: Path) -> None:
    archive = tmp_path / "archive.db"
    with FaultServer() as server:
        server.home([(ENDLESS, "Endless")])
        server.fallback = _endless_comment_pages(fresh_comments=False)
        result = run_scrapy_crawl(server.url, archive, timeout=120)
        requested = _comment_page_requests(server)
    assert result.returncode == 0, result.stderr[-3000:]
    assert requested == [f"{ENDLESS}comment-page-2/"]
    with sqlite3.connect(archive) as conn:
        comments = conn.execute("select author_name from comments").fetchall()
        errors = conn.execute("select url from fetch_errors").fetchall()
    assert comments == [("Guest 1",)] and errors == []


def test_an_endless_comment_pagination_of_new_comments_stops_at_the_budget(
        tmp_path: Path) -> None:
    archive = tmp_path / "archive.db"
    with FaultServer() as server:
        server.home([(ENDLESS, "Endless")])
        server.fallback = _endless_comment_pages(fresh_comments=True)
        result = run_scrapy_crawl(server.url, archive, "ARCHIVE_MAX_COMMENT_PAGES=5",
                                  timeout=120)
        requested = _comment_page_requests(server)
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(requested) == [f"{ENDLESS}comment-page-{n}/" for n in range(2, 7)]
    with sqlite3.connect(archive) as conn:
        comments = conn.execute("select count(*) from comments").fetchone()[0]
        errors = conn.execute("select url, reason, attempts from fetch_errors").fetchall()
        complete = conn.execute("select complete_at from url_state").fetchall()
    assert comments == 6  # the post's own page and five comment pages
    [(url, reason, attempts)] = errors
    assert url.endswith(f"{ENDLESS}comment-page-7/") and attempts == 0
    assert reason.startswith("not followed: comment page budget reached (5 pages")
    assert complete in ([], [(None,)])  # not complete: a rerun tries the thread again
