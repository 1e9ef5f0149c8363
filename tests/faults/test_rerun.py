"""A transient fault plus a rerun completes the archive; the old crawl's error stays its own."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.crawling import run_scrapy_crawl
from tests.faults.server import FaultServer, burst

FLAKY = "/2021/03/01/flaky/"


def _rows(archive: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(archive) as conn:
        return conn.execute(sql).fetchall()


def test_permanent_500_is_recorded_then_a_rerun_archives_the_post(tmp_path: Path) -> None:
    archive = tmp_path / "archive.db"
    with FaultServer() as server:
        listed = server.load_fixture_site()
        server.add_post(FLAKY, 61, "Flaky Post")
        server.home([*listed, (FLAKY, "Flaky Post")])
        server.fault(FLAKY, burst(500))

        first = run_scrapy_crawl(server.url, archive, "RETRY_TIMES=1",
                                 "RETRY_BACKOFF_BASE=0.1", timeout=120)
        assert first.returncode == 0, first.stderr[-3000:]
        assert _rows(archive, "select count(*) from posts where wp_id = 61") == [(0,)]
        assert _rows(archive, "select reason, http_status, attempts from fetch_errors") == [
            ("HTTP 500 Internal Server Error after 2 attempts", 500, 2)]
        assert len(_rows(archive, "select * from posts")) == 3

        server.heal(FLAKY)
        second = run_scrapy_crawl(server.url, archive, "RETRY_TIMES=1", timeout=120)
        assert second.returncode == 0, second.stderr[-3000:]

    assert _rows(archive, "select title from posts where wp_id = 61") == [("Flaky Post",)]
    crawls = _rows(archive, "select id, errors from crawls order by started_at, id")
    assert [errors for _id, errors in crawls] == [1, 0]
    # fetch_errors keeps the first crawl's error, and only that one
    assert _rows(archive, "select crawl_id from fetch_errors") == [(crawls[0][0],)]
