"""Links to another host on a blog's own pages do not move the crawl there: a REST API
link on another host is not the blog's home, and a canonical link on another host is not
the post's URL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.crawling import run_scrapy_crawl
from tests.faults.server import FaultServer, listing_html

POSTS = [("/2021/10/01/one/", 1001, "One"), ("/2021/10/02/two/", 1002, "Two")]


def test_links_to_another_host_neither_move_the_crawl_nor_rename_its_posts(
        tmp_path: Path) -> None:
    archive = tmp_path / "archive.db"
    with FaultServer() as blog, FaultServer() as elsewhere:
        home = listing_html([(path, title) for path, _id, title in POSTS])
        blog.add_page("/", home.replace('href="/wp-json/"', f'href="{elsewhere.url}wp-json/"'))
        for path, wp_id, title in POSTS:
            blog.add_post(path, wp_id, title, canonical=elsewhere.url.rstrip("/") + path)
        result = run_scrapy_crawl(blog.url, archive, timeout=120)
        elsewhere_paths = elsewhere.paths()
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(archive) as conn:
        posts = sorted(conn.execute("select url, title from posts"))
        blogs = conn.execute("select url from blogs").fetchall()
        errors = conn.execute("select url, reason from fetch_errors").fetchall()
    assert blogs == [(blog.url,)]
    assert posts == [(blog.url.rstrip("/") + path, title) for path, _id, title in POSTS]
    assert errors == []
    assert elsewhere_paths == []
