"""`wparchive crawl` says what went wrong in one line on stderr, with a documented exit code:
2 usage, 3 incomplete, 4 archive unusable, 5 nothing reachable / not WordPress."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.archive.connection import open_archive
from tests.crawling import FAST, REPO
from tests.faults.server import FaultServer, Page, burst, comments_html, free_port

SETS = [arg for setting in (*FAST, "RETRY_TIMES=0") for arg in ("--set", setting)]


def cli(*args: str, preexec: object = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "scraper.cli", *args]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120,
                          preexec_fn=preexec)  # type: ignore[arg-type]


def crawl(url: str, archive: Path, *extra: str, preexec: object = None
          ) -> subprocess.CompletedProcess[str]:
    return cli("crawl", url, "--archive", str(archive), "--quiet", *SETS, *extra,
               preexec=preexec)


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("wparchive crawl:")]
    assert len(lines) == 1, result.stderr[-3000:]
    return lines[0]


@pytest.fixture
def blog() -> Iterator[FaultServer]:
    with FaultServer() as server:
        server.home(server.load_fixture_site())
        yield server


@pytest.mark.parametrize("url, message", [
    ("ftp://blog.example/", "not an http(s) URL"),
    ("http://", "the URL has no host"),
    ("blog.example", "not an http(s) URL"),
])
def test_an_invalid_url_is_a_usage_error(url: str, message: str) -> None:
    result = cli("crawl", url)
    assert result.returncode == 2
    assert message in last_line(result)


def test_an_unreachable_host_is_reported_as_nothing_reachable(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    result = crawl(url, tmp_path / "a.db")
    assert result.returncode == 5, result.stderr[-3000:]
    assert last_line(result) == f"wparchive crawl: nothing reachable: {url}: connection refused"


def test_a_site_that_is_not_wordpress_is_reported_and_nothing_archived(tmp_path: Path) -> None:
    archive = tmp_path / "a.db"
    with FaultServer() as server:
        server.add_page("/", "<!doctype html><html><head><title>Shop</title></head><body>"
                        "<article><h1><a href='/item/1/'>Item</a></h1><p>Buy things.</p>"
                        "</article></body></html>", "text/html; charset=utf-8")
        server.add_page("/item/1/", "<html><body><article><h1>Item</h1><p>A thing.</p>"
                        "</article></body></html>")
        result = crawl(server.url, archive)
    assert result.returncode == 5, result.stderr[-3000:]
    assert last_line(result).startswith("wparchive crawl: not a WordPress blog")
    assert list(tmp_path.iterdir()) == []  # the empty archive it made is taken back


def test_a_locked_archive_is_reported(blog: FaultServer, tmp_path: Path) -> None:
    archive = tmp_path / "locked.db"
    open_archive(archive).close()
    holder = sqlite3.connect(archive, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        result = crawl(blog.url, archive, "--set", "ARCHIVE_BUSY_TIMEOUT=0.5")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 4, result.stderr[-3000:]
    assert last_line(result) == (
        f"wparchive crawl: archive {archive} is locked by another program (waited 0.5 s); "
        "stop the other crawl or choose another --archive")
    assert blog.paths() == []  # nothing was crawled


def test_a_corrupt_archive_is_reported(blog: FaultServer, tmp_path: Path) -> None:
    archive = tmp_path / "notes.db"
    archive.write_bytes(b"these are my notes, not a database\n" * 200)
    result = crawl(blog.url, archive)
    assert result.returncode == 4
    assert f"archive {archive} is not a wparchive SQLite file or is corrupt" in last_line(result)
    assert archive.read_bytes().startswith(b"these are my notes")  # left untouched


def _make_read_only(path: Path) -> bool:
    """Read-only for this user (root ignores modes: use the immutable flag)."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        path.parent.chmod(0o555)
        return True
    chattr = shutil.which("chattr")
    return bool(chattr) and subprocess.run([chattr, "+i", str(path)],
                                           capture_output=True).returncode == 0


def _undo_read_only(path: Path) -> None:
    if os.geteuid() != 0:
        path.parent.chmod(0o755)
        path.chmod(0o644)
    else:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)


def test_a_read_only_archive_is_reported(blog: FaultServer, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    archive = folder / "archive.db"
    open_archive(archive).close()
    if not _make_read_only(archive):
        pytest.skip("cannot make a file read-only here (root without chattr support)")
    try:
        result = crawl(blog.url, archive)
    finally:
        _undo_read_only(archive)
    assert result.returncode == 4, result.stderr[-3000:]
    assert f"archive {archive} cannot be written (read-only" in last_line(result)


def test_a_full_disk_stops_the_crawl_with_a_clear_error(tmp_path: Path) -> None:
    archive = tmp_path / "full.db"
    open_archive(archive).close()  # the schema fits; the pages will not
    limit = archive.stat().st_size + 48 * 1024

    def small_disk() -> None:  # every file this process writes stops at `limit` bytes
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    with FaultServer() as server:
        listed = server.load_fixture_site()
        big = "".join(f"<p>Paragraph {n}: {'words ' * 40}</p>" for n in range(800))
        server.add_post("/2021/07/01/long-read/", 71, "Long Read", big)
        server.home([("/2021/07/01/long-read/", "Long Read"), *listed])
        result = crawl(server.url, archive, "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
                       preexec=small_disk)
    assert result.returncode == 4, result.stderr[-3000:]
    line = last_line(result)
    assert line.startswith(f"wparchive crawl: archive {archive} could not be written: "
                           "the disk is full")


SHORT = "/2021/07/01/short-thread/"


def test_a_recorded_shortfall_exits_3_with_a_line(tmp_path: Path) -> None:
    """The page says 5 comments and shows 1: nothing failed to download, but the archive
    holds less than the blog states."""
    archive = tmp_path / "a.db"
    with FaultServer() as server:
        server.home([(SHORT, "Short Thread")])
        area = comments_html([(1, "Guest", "The only one shown.")],
                             heading="5 comments on “Short Thread”")
        server.add_post(SHORT, 701, "Short Thread", extra_body=area)
        result = crawl(server.url, archive)
    assert result.returncode == 3, result.stderr[-3000:]
    assert last_line(result) == (
        "wparchive crawl: incomplete: 1 shortfall: the archive holds less than the blog "
        "states (see the shortfalls table); rerun to complete it")
    with sqlite3.connect(archive) as conn:
        assert conn.execute("select kind, expected, archived from shortfalls").fetchall() == [
            ("comments_short", 5, 1)]


def test_a_page_that_could_not_be_archived_exits_3_with_a_line(tmp_path: Path) -> None:
    archive = tmp_path / "a.db"
    with FaultServer() as server:
        listed = server.load_fixture_site()
        server.home([*listed, ("/2021/07/02/broken/", "Broken")])
        server.fault("/2021/07/02/broken/", burst(500))
        result = crawl(server.url, archive)
    assert result.returncode == 3, result.stderr[-3000:]
    assert last_line(result).startswith(
        "wparchive crawl: incomplete: 1 page could not be archived (see the fetch_errors "
        "table)")


STYLED = "/2021/12/02/styled/"


def _styled_post(server: FaultServer) -> None:
    """Comment 3 opens a <style> it never closes: the rest of the page is style text, so
    the page shows 3 of the 10 comments it states."""
    server.home([(STYLED, "Styled")])
    thread = [(n, f"Guest {n}", f"Comment {n}.") for n in range(1, 11)]
    area = comments_html(thread, heading="10 comments on “Styled”").replace(
        "<p>Comment 3.</p>", "<p>Comment 3.<style>p { color: red }</p>", 1)
    server.add_post(STYLED, 1301, "Styled", extra_body=area)


def _rest_comments(path: str) -> Page | None:
    """The REST API's view of the styled post's thread (comment 5 replies to 4)."""
    if not path.startswith("/wp-json/wp/v2/comments?") or "post=1301" not in path:
        return None
    comments = [{"id": n, "post": 1301, "parent": 4 if n == 5 else 0,
                 "author_name": f"Guest {n}", "author_url": "",
                 "date_gmt": f"2021-01-03T09:{n:02d}:00", "link": f"{STYLED}#comment-{n}",
                 "type": "comment", "content": {"rendered": f"<p>Comment {n}.</p>\n"}}
                for n in range(1, 11)]
    return Page(json.dumps(comments).encode(), "application/json",
                {"X-WP-Total": "10", "X-WP-TotalPages": "1"})


def test_comments_a_page_hides_are_taken_from_the_rest_api_and_noted(tmp_path: Path) -> None:
    archive = tmp_path / "a.db"
    with FaultServer() as server:
        _styled_post(server)
        server.fallback = _rest_comments
        result = crawl(server.url, archive)
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(archive) as conn:
        comments = conn.execute("select wp_id, author_name, text, parent_id from comments"
                                " order by wp_id").fetchall()
        notes = conn.execute("select kind, source, expected, archived from shortfalls"
                             ).fetchall()
        complete = conn.execute("select complete from blog_checks").fetchall()
    assert [(c[0], c[1], c[2]) for c in comments] == [
        (n, f"Guest {n}", f"Comment {n}.") for n in range(1, 11)]
    assert [c[3] is not None for c in comments] == [n == 5 for n in range(1, 11)]
    assert notes == [("page_comments_short", "rest_api", 10, 3)]
    assert complete == [(1,)]
    # The API's answer is in the WARCs: re-extraction gives the same comments.
    again = tmp_path / "again.db"
    assert cli("reextract", "-o", str(archive), "--output", str(again)).returncode == 0
    with sqlite3.connect(again) as conn:
        assert conn.execute("select wp_id, author_name, text, parent_id from comments"
                            " order by wp_id").fetchall() == comments


def test_comments_a_page_hides_without_a_rest_api_are_a_shortfall(tmp_path: Path) -> None:
    """No API to ask: the page's "10 comments" against the 3 archived is recorded, and
    the crawl is not complete."""
    archive = tmp_path / "a.db"
    with FaultServer() as server:
        _styled_post(server)
        result = crawl(server.url, archive)
    assert result.returncode == 3, result.stderr[-3000:]
    assert "1 shortfall" in last_line(result)
    with sqlite3.connect(archive) as conn:
        assert conn.execute("select kind, source, expected from shortfalls").fetchall() == [
            ("comments_short", "count_shown", 10)]
