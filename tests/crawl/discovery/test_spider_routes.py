"""Each discovery route, forced and automatic, against a local static blog.

The static blog of tests/fixtures/site gets the discovery files of
tests/fixtures/discovery/site (a REST listing, a core sitemap, an RSS feed, a
WordPress.com API answer) with its served origin filled in.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawling import REPO, StaticSite, run_scrapy_crawl, serve_directory

SITE = REPO / "tests" / "fixtures" / "site"
TEMPLATES = REPO / "tests" / "fixtures" / "discovery" / "site"
POSTER = REPO / "tests" / "fixtures" / "media" / "poster.png"
ROUTE_FILES = {
    "api": {"wp-json/wp/v2/posts": "rest_posts.json"},
    "sitemap": {"wp-sitemap.xml": "wp-sitemap.xml",
                "wp-sitemap-posts-post-1.xml": "wp-sitemap-posts-post-1.xml"},
    "feed": {"feed/index.html": "feed.xml"},
}
POSTS = [(11, "First Light"), (12, "Second Sight"), (13, "Third Act & Finale")]


def _install(root: Path, origin: str, routes: tuple[str, ...]) -> None:
    for route in routes:
        for target, template in ROUTE_FILES.get(route, {}).items():
            path = root / target
            path.parent.mkdir(parents=True, exist_ok=True)
            text = (TEMPLATES / template).read_text(encoding="utf-8")
            path.write_text(text.replace("{ORIGIN}", origin), encoding="utf-8")
    if "wpcom" in routes:
        host = origin.split("//", 1)[1]
        path = root / "rest" / "v1.1" / "sites" / host / "posts" / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (TEMPLATES / "wpcom_posts.json").read_text(encoding="utf-8")
        path.write_text(text.replace("{ORIGIN}", origin), encoding="utf-8")


@pytest.fixture
def blog(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[StaticSite]:
    """The static blog with the discovery files of the routes in the test's parameter."""
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    # The posts' poster images (a post is complete with its images: media_missing).
    uploads = root / "wp-content" / "uploads" / "2020" / "01"
    uploads.mkdir(parents=True)
    for wp_id, _title in POSTS:
        shutil.copy(POSTER, uploads / f"poster-{wp_id}.png")
    with serve_directory(root) as site:
        _install(root, site.url.rstrip("/"), request.param)
        yield site


def _rows(archive: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(archive) as conn:
        return conn.execute(sql).fetchall()


def _crawl(site: StaticSite, archive: Path, *args: str) -> dict:
    result = run_scrapy_crawl(site.url, archive, f"WPCOM_API_BASE={site.url}rest/v1.1",
                              spider_args=args)
    assert result.returncode == 0, result.stderr[-3000:]
    crawl = _rows(archive, "select route, route_reason, requests_by_kind from crawls")[0]
    return {"route": crawl[0], "reason": crawl[1], "kinds": json.loads(crawl[2])}


ALL = ("api", "sitemap", "feed", "wpcom")


@pytest.mark.parametrize(("blog", "route", "kind", "listing_requests"), [
    (ALL, "api", "api", 2),  # the posts and the REST comments total
    (ALL, "sitemap", "sitemap", 2),
    (ALL, "feed", "feed", 2),  # page 2 repeats page 1 here: the feed ends
    (ALL, "wpcom", "api", 1),
    (ALL, "html", "listing", 1),
], indirect=["blog"])
def test_each_forced_route_archives_every_post_once(
    blog: StaticSite, tmp_path: Path, route: str, kind: str, listing_requests: int
) -> None:
    archive = tmp_path / "archive.db"
    crawl = _crawl(blog, archive, f"route={route}")
    assert crawl["route"] == route
    assert crawl["reason"].startswith(f"forced by -a route={route}")
    assert _rows(archive, "select wp_id, title from posts order by wp_id") == POSTS
    assert _rows(archive, "select count(*) from comments") == [(6,)]
    assert crawl["kinds"]["post"] == 3 and crawl["kinds"]["comment_page"] == 1
    assert crawl["kinds"][kind] == listing_requests
    # every post page and comment page fetched once
    pages = [p for p in blog.requested if p.startswith("/2020/")]
    assert len(pages) == len(set(pages)) == 4


@pytest.mark.parametrize(("blog", "chosen"), [
    (("api", "sitemap", "feed"), "api"),
    (("sitemap", "feed"), "sitemap"),
    ((), "html"),
], indirect=["blog"])
def test_automatic_order_takes_the_first_route_that_works(
    blog: StaticSite, tmp_path: Path, chosen: str
) -> None:
    archive = tmp_path / "archive.db"
    crawl = _crawl(blog, archive)
    assert crawl["route"] == chosen
    assert crawl["reason"].startswith("auto: ")
    assert _rows(archive, "select wp_id, title from posts order by wp_id") == POSTS
    check = _rows(archive, "select route, posts_listed, posts_archived, complete from blog_checks")
    assert check == [(chosen, 3, 3, 1)]


@pytest.mark.parametrize("blog", [()], indirect=True)
def test_forced_route_that_is_missing_is_recorded_not_guessed(blog: StaticSite, tmp_path: Path
                                                             ) -> None:
    archive = tmp_path / "archive.db"
    result = run_scrapy_crawl(blog.url, archive, spider_args=("route=sitemap",))
    assert result.returncode == 0, result.stderr[-3000:]
    assert _rows(archive, "select count(*) from posts") == [(0,)]
    [(reason,)] = _rows(archive, "select reason from fetch_errors")
    assert reason.startswith("discovery failed: sitemap:")
    assert _rows(archive, "select complete from blog_checks") == [(0,)]


@pytest.mark.parametrize("blog", [("feed",)], indirect=True)
def test_shortfalls_compare_independent_counts(blog: StaticSite, tmp_path: Path) -> None:
    archive = tmp_path / "archive.db"
    _crawl(blog, archive, "route=feed")
    # the feed says First Light has 6 comments; its page shows and has 5 (the blog 6 in all)
    assert _rows(archive, "select kind, source, expected, archived from shortfalls") == [
        ("comments_short", "feed", 6, 5)]
    assert _rows(archive, "select comments_shown, comments_archived, complete from blog_checks"
                 ) == [(6, 6, 0)]
