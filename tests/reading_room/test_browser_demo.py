"""The demo blog's archive read in a real browser with the blog out of reach: every post
shows every image from the archive (or a placeholder), and no page asks anything of any
origin but the reading room's."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from tests.crawling import run_scrapy_crawl
from tests.wordpress.wpsite import WordPressSite

from .test_browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, serving

sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")

# Lazy images below the fold load only when scrolled to: load each now, then report it.
LOAD_EVERY_IMAGE = """imgs => Promise.all(imgs.map(i => {
    i.loading = 'eager';
    return i.decode().then(() => true, () => false)
        .then(() => [i.getAttribute('src'), i.complete, i.naturalWidth]);
}))"""

pytestmark = [
    pytest.mark.wordpress,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium"),
]


@pytest.fixture(scope="module")
def demo_reading_room(wordpress_site: WordPressSite,
                      tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("demo")
    archive = folder / "archive.db"
    result = run_scrapy_crawl(wordpress_site.home_url, archive)
    assert result.returncode == 0, result.stderr[-4000:]
    with serving(archive, archive.with_name("datasette.log")) as base:
        yield base, archive


def test_the_demo_archive_reads_with_the_blog_out_of_reach(
        demo_reading_room: tuple[str, Path], tmp_path: Path) -> None:
    base, archive = demo_reading_room
    with sqlite3.connect(archive) as conn:
        posts = [post_id for (post_id,) in conn.execute("select id from posts order by id")]
        downloaded = conn.execute("select count(*) from media where local_path is not null"
                                  " and local_path != ''").fetchone()[0]
    assert posts and downloaded
    origin = urlsplit(base).netloc
    off_origin: list[str] = []
    broken: dict[str, list[str]] = {}
    problems: list[str] = []
    shown = most = 0
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1100, "height": 900})

        def reading_room_only(route: Any) -> None:  # the blog is out of reach
            if urlsplit(route.request.url).netloc == origin:
                route.continue_()
            else:
                off_origin.append(route.request.url)
                route.abort()

        context.route("**/*", reading_room_only)
        page = context.new_page()
        page.on("console", lambda message: problems.append(message.text)
                if message.type == "error" else None)
        for post_id in posts:
            response = page.goto(f"{base}/-/post?id={quote(post_id, safe='')}",
                                 wait_until="load")
            assert response is not None and response.status == 200, post_id
            images = page.eval_on_selector_all("img", LOAD_EVERY_IMAGE)
            shown += len(images)
            bad = [src for src, complete, width in images if not complete or width == 0]
            if bad:
                broken[post_id] = bad
            if len(images) > most:  # the screenshot: the post with the most images
                most = len(images)
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / "demo-post-offline.png"), full_page=True)
        context.close()
    print(f"{len(posts)} demo posts, {shown} images shown, {downloaded} archived files")
    assert shown > 0
    assert broken == {}
    assert off_origin == []
    assert problems == []
