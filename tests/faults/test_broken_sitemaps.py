"""A sitemap read only in part — truncated mid-entry, or declaring entities (a billion
laughs) — is a shortfall of the crawl, and discovery falls back to the archive pagination
for the posts it missed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.crawling import FAST, run_cli
from tests.faults.server import FaultServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "discovery"
KEPT, LOST = "/2021/08/01/kept/", "/2021/08/02/lost/"


@pytest.mark.parametrize("fixture", ["sitemap_truncated.xml", "sitemap_entity_bomb.xml"])
def test_a_sitemap_read_in_part_is_a_shortfall_and_the_pagination_lists_the_rest(
        tmp_path: Path, fixture: str) -> None:
    archive = tmp_path / "archive.db"
    with FaultServer() as server:
        server.home([(KEPT, "Kept"), (LOST, "Lost")])
        server.add_post(KEPT, 801, "Kept")
        server.add_post(LOST, 802, "Lost")
        sitemap = (FIXTURES / fixture).read_text().replace("__BLOG__", server.url)
        server.add_page("/wp-sitemap.xml", sitemap, "application/xml; charset=UTF-8")
        sets = [arg for setting in (*FAST, "RETRY_TIMES=0") for arg in ("--set", setting)]
        result = run_cli("crawl", server.url, "--archive", str(archive), "--quiet", *sets,
                         timeout=120)
    with sqlite3.connect(archive) as conn:
        titles = {r[0] for r in conn.execute("select title from posts")}
        shortfalls = conn.execute("select url, kind, source from shortfalls").fetchall()
        route = conn.execute("select route from blog_checks").fetchall()
        errors = conn.execute("select url from fetch_errors").fetchall()
    assert titles == {"Kept", "Lost"}
    assert route == [("sitemap",)]
    assert shortfalls == [(f"{server.url}wp-sitemap.xml", "source_unreadable", "sitemap")]
    assert errors == []  # no cut-off URL of the truncated entry was requested
    assert result.returncode == 3, result.stderr[-3000:]
    assert result.stderr.splitlines()[-1].startswith("wparchive crawl: incomplete: 1 shortfall")
