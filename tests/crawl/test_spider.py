"""The wordpress spider against a real HTTP server on 127.0.0.1 serving a small static blog."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawling import FAST, REPO, StaticSite, run_cli, run_scrapy_crawl, serve_directory

SITE = REPO / "tests" / "fixtures" / "site"
POSTER = REPO / "tests" / "fixtures" / "media" / "poster.png"


@pytest.fixture
def site() -> Iterator[StaticSite]:
    with serve_directory(SITE) as served:
        yield served


@pytest.fixture
def site_with_images(tmp_path: Path) -> Iterator[StaticSite]:
    """The static blog with its posts' poster images (a post is complete with them)."""
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    uploads = root / "wp-content" / "uploads" / "2020" / "01"
    uploads.mkdir(parents=True)
    for wp_id in (11, 12, 13):
        shutil.copy(POSTER, uploads / f"poster-{wp_id}.png")
    with serve_directory(root) as served:
        yield served


def _rows(archive: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(archive) as conn:
        return conn.execute(sql).fetchall()


def test_blog_crawl_archives_every_post_across_archive_pages(site: StaticSite, tmp_path: Path
                                                            ) -> None:
    archive = tmp_path / "archive.db"
    result = run_scrapy_crawl(site.url, archive)
    assert result.returncode == 0, result.stderr[-3000:]
    assert _rows(archive, "select wp_id, title from posts order by wp_id") == [
        (11, "First Light"), (12, "Second Sight"), (13, "Third Act & Finale")
    ]


def test_every_comment_page_is_followed_and_threading_kept(site: StaticSite, tmp_path: Path
                                                          ) -> None:
    archive = tmp_path / "archive.db"
    run_scrapy_crawl(site.url, archive)
    rows = _rows(archive, "select wp_id, parent_id, comment_page from comments "
                          "where post_id like '%?p=11' order by wp_id")
    host = site.url.split("//")[1].rstrip("/")
    assert [r[0] for r in rows] == [101, 102, 103, 104, 105]
    assert rows[4][1] == f"{host}/#comment-104"
    assert {r[2] for r in rows[:2]} == {1}
    assert _rows(archive, "select comments_archived from posts where wp_id = 11") == [(5,)]


def test_crawl_never_requests_traps_or_other_hosts(site: StaticSite, tmp_path: Path) -> None:
    run_scrapy_crawl(site.url, tmp_path / "archive.db")
    requested = set(site.requested)
    assert not [p for p in requested if "replytocom" in p or "share=" in p or "?s=" in p
                or "?m=" in p or "feed" in p or "wp-login" in p]
    assert "/category/reviews/" not in requested
    # each page once: no duplicate fetches
    assert len(site.requested) == len(requested)


def test_single_post_url_archives_that_post_with_all_comment_pages(
    site: StaticSite, tmp_path: Path
) -> None:
    archive = tmp_path / "archive.db"
    run_scrapy_crawl(site.url + "2020/01/05/first-light/", archive)
    assert _rows(archive, "select wp_id from posts") == [(11,)]
    assert _rows(archive, "select count(*) from comments") == [(5,)]


def test_rerun_gives_the_same_rows_without_duplicates(site: StaticSite, tmp_path: Path) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    run_scrapy_crawl(site.url, first)
    run_scrapy_crawl(site.url, second)
    run_scrapy_crawl(site.url, second)
    query = "select id, title, body_html, content_hash from posts order by id"
    assert _rows(first, query) == _rows(second, query)
    query = "select id, post_id, parent_id, text from comments order by id"
    assert _rows(first, query) == _rows(second, query)
    assert _rows(second, "select count(*), count(distinct id) from crawls") == [(2, 2)]


def test_cli_crawl_prints_a_summary_and_records_the_crawl(site_with_images: StaticSite,
                                                         tmp_path: Path) -> None:
    archive = tmp_path / "cli.db"
    sets = [arg for setting in FAST for arg in ("--set", setting)]
    result = run_cli("crawl", site_with_images.url, "--archive", str(archive), *sets)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "posts archived" in result.stderr and "finished" in result.stderr
    assert _rows(archive, "select status, posts, comments from crawls") == [("finished", 3, 6)]


def test_cli_rejects_a_url_that_is_not_http_with_a_clear_error() -> None:
    result = run_cli("crawl", "ftp://blog.example/")
    assert result.returncode == 2
    assert "not an http(s) URL" in result.stderr
