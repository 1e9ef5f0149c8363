"""Discovery routes against the real WordPress 6.1 fixture (tests/wordpress).

One theme is enough: the routes only change how posts are *listed*, and every
route must give the identical archive. Sites with features switched off by the
fixture's mu-plugin (WPA_DISABLE=rest,sitemap,feed) check the fallbacks.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.crawling import FAST, REPO
from tests.wordpress.wpsite import WordPressSite, WordPressStack

pytestmark = pytest.mark.wordpress

THEME = "twentytwentyone"
# (route forced, features switched off so that only that route, or the HTML, can list posts)
ROUTES = (("api", ""), ("sitemap", "rest"), ("feed", "rest,sitemap"), ("html", "rest,sitemap,feed"))
CONTENT_TABLES = ("posts", "comments", "credits", "terms", "post_terms", "authors")
# content_hash is left out: it hashes body_html *with* the site's origin (each route runs on
# its own port); body_html itself, terms and credits are compared, origin made neutral.
NOT_CONTENT = {"first_seen", "last_seen", "crawl_id", "fetched_at", "deleted_at",
               "deleted_crawl_id", "content_hash",
               # provenance: each crawl's own WARC records (scraper/crawl/warc.py)
               "warc_file", "warc_record_id", "payload_digest"}


def _command(site: WordPressSite, archive: Path, *args: str) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", "wordpress", "-a", f"url={site.home_url}",
               "-a", f"archive={archive}"]
    for arg in args:
        command += ["-a", arg]
    for setting in FAST:
        command += ["-s", setting]
    return command


def _run_all(commands: list[list[str]]) -> None:
    """Crawls in parallel (each its own server), all must succeed."""
    processes = [subprocess.Popen(c, cwd=REPO, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True) for c in commands]
    for process in processes:
        _, stderr = process.communicate(timeout=900)
        assert process.returncode == 0, stderr[-3000:]


def _content(archive: Path, site: WordPressSite) -> dict[str, list[tuple[Any, ...]]]:
    """Table contents without crawl/time columns, the site's origin made neutral."""
    origin = re.compile(re.escape(f"127.0.0.1:{site.port}"))
    out = {}
    with sqlite3.connect(archive) as conn:
        for table in CONTENT_TABLES:
            columns = [r[1] for r in conn.execute(f"pragma table_info({table})")
                       if r[1] not in NOT_CONTENT]
            rows = conn.execute(f"select {', '.join(columns)} from {table}").fetchall()
            out[table] = sorted(
                (tuple(origin.sub("SITE", v) if isinstance(v, str) else v for v in row)
                 for row in rows), key=repr)
    return out


def _crawl_row(archive: Path) -> dict[str, Any]:
    with sqlite3.connect(archive) as conn:
        conn.row_factory = sqlite3.Row
        return dict(conn.execute("select * from crawls").fetchone())


@pytest.fixture(scope="module")
def route_archives(wordpress_stack: WordPressStack, tmp_path_factory: pytest.TempPathFactory
                   ) -> dict[str, tuple[WordPressSite, Path]]:
    folder = tmp_path_factory.mktemp("routes")
    runs = {}
    for route, disable in ROUTES:
        site = wordpress_stack.start_site(THEME, disable or None)
        runs[route] = (site, folder / f"{route}.db")
    _run_all([_command(site, archive, f"route={route}")
              for route, (site, archive) in runs.items()])
    return runs


def test_every_route_alone_gives_the_identical_archive(
    route_archives: dict[str, tuple[WordPressSite, Path]], wordpress_stack: WordPressStack
) -> None:
    site, archive = route_archives["html"]
    truth = wordpress_stack.truth(site)
    reference = _content(archive, site)
    assert len(reference["posts"]) == truth["counts"]["posts"]
    assert len(reference["comments"]) == truth["counts"]["comments"]
    for route in ("api", "sitemap", "feed"):
        site, archive = route_archives[route]
        content = _content(archive, site)
        for table in CONTENT_TABLES:
            assert content[table] == reference[table], f"{route}: {table} differs from html"
        crawl = _crawl_row(archive)
        assert crawl["route"] == route


def test_routes_use_fewer_requests_than_html_pagination(
    route_archives: dict[str, tuple[WordPressSite, Path]]
) -> None:
    kinds = {route: json.loads(_crawl_row(archive)["requests_by_kind"])
             for route, (_, archive) in route_archives.items()}
    posts = kinds["html"]["post"]
    assert all(k["post"] == posts for k in kinds.values())  # each post page once
    assert kinds["api"]["api"] <= 0.2 * posts
    assert kinds["sitemap"]["sitemap"] <= 0.2 * posts
    for route, (_, archive) in route_archives.items():
        with sqlite3.connect(archive) as conn:
            check = conn.execute("select route, posts_listed, posts_archived from blog_checks"
                                 ).fetchone()
        assert check == (route, posts, posts)


def _auto_route(site: WordPressSite, archive: Path) -> str:
    # The route is chosen before the first post page: stop after the first archived item.
    command = _command(site, archive)
    command += ["-s", "CLOSESPIDER_ITEMCOUNT=1"]
    subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    return _crawl_row(archive)["route"]


@pytest.mark.parametrize(("disable", "expected"), [
    ("", "api"), ("rest", "sitemap"), ("rest,sitemap", "html"), ("rest,sitemap,feed", "html"),
])
def test_automatic_order_picks_the_api_when_open_and_falls_back(
    wordpress_stack: WordPressStack, tmp_path: Path, disable: str, expected: str
) -> None:
    site = wordpress_stack.start_site(THEME, disable or None)
    assert _auto_route(site, tmp_path / "auto.db") == expected


def test_api_only_archive_from_the_rest_api(wordpress_stack: WordPressStack, tmp_path: Path
                                            ) -> None:
    site = wordpress_stack.start_site(THEME)
    truth = wordpress_stack.truth(site)
    archive = tmp_path / "api-only.db"
    _run_all([_command(site, archive, "route=api", "pages=no")])
    crawl = _crawl_row(archive)
    kinds = json.loads(crawl["requests_by_kind"])
    # No post page is fetched; the posts' images are (scraper/crawl/media.py).
    assert set(kinds) <= {"api", "start", "robots", "media"} and kinds["api"] <= 10
    with sqlite3.connect(archive) as conn:
        posts = conn.execute("select count(*), count(author_id), sum(word_count > 0) from posts"
                             ).fetchone()
        comments = conn.execute("select count(*) from comments").fetchone()[0]
        terms = conn.execute("select count(distinct term_id) from post_terms").fetchone()[0]
    with_text = truth["counts"]["posts"] - truth["counts"]["password_protected_posts"]
    assert posts == (truth["counts"]["posts"], truth["counts"]["posts"], with_text)
    assert comments == truth["counts"]["comments_by_type"]["comment"]
    assert terms > 50
