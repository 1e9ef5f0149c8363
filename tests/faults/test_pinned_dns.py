"""A blog named by host name is resolved once, when its scope is checked, and connected to
at the address that check approved (scraper/crawl/pinned_dns.py); names the blog merely
links to are never looked up."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.crawling import FAST, REPO, run_scrapy_crawl
from tests.faults.server import FaultServer

LURES = ('<p><a href="http://lookup-me.rebind.test/page/">a link</a>'
         '<img src="http://images.rebind.test/poster.jpg" alt="an image elsewhere"></p>')


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


def test_a_rebinding_resolver_is_asked_once_and_linked_names_never(tmp_path: Path) -> None:
    """The resolver answers the blog's name once and fails every later lookup: the whole
    crawl still succeeds (every connection used the checked address), and the names of
    the off-site link and image were never looked up."""
    archive, lookups = tmp_path / "archive.db", tmp_path / "lookups.txt"
    with FaultServer() as server:
        posts = server.load_fixture_site()
        server.add_fixture_posters()
        server.add_post("/2020/04/01/lures/", 404, "Lures", LURES)
        server.home([*posts, ("/2020/04/01/lures/", "Lures")])
        settings = [arg for setting in FAST for arg in ("--set", setting)]
        command = [sys.executable, "-m", "tests.faults.hostile_dns", str(lookups), "--",
                   "crawl", f"http://blog.rebind.test:{server.port}/", "--archive",
                   str(archive), "--quiet", *settings]
        result = subprocess.run(command, cwd=REPO, capture_output=True, text=True,
                                timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(archive) as conn:
        assert conn.execute("select count(*) from posts").fetchone() == (4,)
        assert conn.execute("select count(*) from fetch_errors").fetchone() == (0,)
    names = lookups.read_text().split()
    assert names.count("blog.rebind.test") == 1
    assert not {"lookup-me.rebind.test", "images.rebind.test"} & set(names)
