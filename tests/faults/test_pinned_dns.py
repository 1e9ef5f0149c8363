"""A crawl of a blog named by host name connects through the pinned resolver
(scraper/crawl/pinned_dns.py) to the address its scope check approved."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.crawling import run_scrapy_crawl
from tests.faults.server import FaultServer


def test_a_blog_named_by_host_name_is_crawled_through_the_pinned_address(
        tmp_path: Path) -> None:
    archive = tmp_path / "archive.db"
    with FaultServer() as server:
        server.home(server.load_fixture_site())
        result = run_scrapy_crawl(f"http://localhost:{server.port}/", archive, timeout=120)
        served = len(server.log)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "PinnedResolver" in result.stderr  # Scrapy logs the DNS_RESOLVER setting
    with sqlite3.connect(archive) as conn:
        assert conn.execute("select count(*) from posts").fetchone() == (3,)
        assert conn.execute("select count(*) from fetch_errors").fetchone() == (0,)
    assert served > 0
