"""A meta-refresh loop (page A refreshes to B, B back to A) is a ``redirect loop`` in
fetch_errors, like a 3xx loop, instead of vanishing in the duplicate filter."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.crawling import run_scrapy_crawl
from tests.faults.server import FaultServer

A, B = "/2021/11/01/a/", "/2021/11/01/b/"


def _refresh_to(target: str) -> str:
    return (f'<!doctype html><html><head><meta http-equiv="refresh" content="0; url={target}">'
            "<title>Moved</title></head><body>Moved.</body></html>")


def test_a_meta_refresh_loop_is_recorded_as_a_redirect_loop(tmp_path: Path) -> None:
    archive = tmp_path / "archive.db"
    with FaultServer() as server:
        listed = server.load_fixture_site()
        server.home([*listed, (A, "A")])
        server.add_page(A, _refresh_to(B))
        server.add_page(B, _refresh_to(A))
        result = run_scrapy_crawl(server.url, archive, timeout=120)
        hits = len(server.requests_for(A)) + len(server.requests_for(B))
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(archive) as conn:
        errors = conn.execute("select url, reason, attempts from fetch_errors").fetchall()
        posts = conn.execute("select count(*) from posts").fetchone()[0]
    assert errors == [(server.url.rstrip("/") + A,
                       f"redirect loop: {server.url.rstrip('/')}{A} -> "
                       f"{server.url.rstrip('/')}{B} -> {server.url.rstrip('/')}{A}", 1)]
    assert hits == 2 and posts == 3
