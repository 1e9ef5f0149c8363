"""Reading the archive in a real browser (Chromium): offline, with tables a person reads
and a search that finds. The archive is the fixture's, with its poster downloaded into
``media/``, an image in a body that was never downloaded, 25 more posts for a full table
page, and a credited artist, a plural and an accented word to search for.

Screenshots go to ``test-output/screenshots/`` beside the other browser tests'.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from scraper.serve import checkpoint_wal

from .test_browser import CHROMIUM, Page, browser_context, serving  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium"),
]

LONG_NIGHT = "posters.example/?p=101"
REEL = "reel.example/?p=7"
POSTER = "https://posters.example/wp-content/uploads/long-night.jpg"
LOST = "https://gone.example/wp-content/uploads/lost.jpg"
PNG = (Path(__file__).resolve().parents[1] / "fixtures" / "images" / "long-night.png")
ROWS = 20  # a table page (datasette_meta.json: size)


def _reading_archive(archive_path: Path, folder: Path) -> Path:
    archive = folder / "archive.db"
    shutil.copy(archive_path, archive)
    (folder / "media").mkdir()
    shutil.copy(PNG, folder / "media" / "long-night.png")
    with sqlite3.connect(archive) as conn:
        conn.execute("update media set local_path = 'media/long-night.png',"
                     " mime_type = 'image/png' where id = ?", [POSTER])
        conn.execute("update posts set body_html = body_html || ? ,"
                     " body_text = body_text || ' One ticket left.' where id = ?",
                     [f'<p><img src="{LOST}" alt="the lost still"></p>', LONG_NIGHT])
        conn.execute("update posts set title = 'Why Amélie credits matter' where id = ?", [REEL])
        conn.execute("update credits set text = 'poster designed by hai-fuh-ku',"
                     " name = 'hai-fuh-ku' where post_id = ?", [LONG_NIGHT])
        columns = [row[1] for row in conn.execute("pragma table_info(posts)")]
        for n in range(25):  # long bodies, as real posts have
            values = {**dict(zip(columns, conn.execute(
                "select * from posts where id = ?", [REEL]).fetchone(), strict=True)),
                "id": f"reel.example/?p={1000 + n}", "wp_id": 1000 + n,
                "title": f"Screening notes {n}", "body_html": "<p>Long notes.</p>" * 300,
                "body_text": "Long notes. " * 300}
            conn.execute(f"insert into posts ({', '.join(columns)}) values"
                         f" ({', '.join('?' for _ in columns)})", list(values.values()))
    assert checkpoint_wal(archive)  # served immutable: Datasette reads no -wal file
    return archive


@pytest.fixture(scope="module")
def server(archive_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    archive = _reading_archive(archive_path, tmp_path_factory.mktemp("reading"))
    with serving(archive, archive.with_name("datasette.log")) as base:
        yield base


@pytest.fixture
def tab(browser_context: Any, server: str) -> Iterator[Page]:  # noqa: F811
    page = Page(browser_context, server)
    requested: list[str] = []
    page.page.on("request", lambda request: requested.append(request.url))
    page.requested = requested  # type: ignore[attr-defined]
    yield page
    page.page.close()


def test_a_post_read_offline_shows_its_archived_images_and_asks_no_other_host(
        tab: Page) -> None:
    tab.goto("/-/post?id=" + quote(LONG_NIGHT))
    tab.page.wait_for_load_state("networkidle")
    images = tab.page.eval_on_selector_all(
        "img", "imgs => imgs.map(i => [i.getAttribute('src'), i.complete, i.naturalWidth])")
    assert images, "the poster should show"
    broken = [src for src, complete, width in images if not complete or width == 0]
    assert broken == []
    hosts = {urlsplit(url).hostname for url in tab.requested}  # type: ignore[attr-defined]
    assert hosts == {"127.0.0.1"}, tab.requested  # type: ignore[attr-defined]
    missing = tab.page.locator(".rr-missing-image")
    assert missing.count() == 1 and LOST in missing.inner_text()
    credits = tab.page.locator(".rr-credits").inner_text()
    assert credits.count("hai-fuh-ku") == 1  # not "… by hai-fuh-ku — hai-fuh-ku (poster)"
    tab.screenshot("post-offline")
    assert tab.problems == []


def _heights(tab: Page, path: str) -> tuple[int, int]:
    """(the page's height, the 20 rows' height) in CSS pixels."""
    tab.goto(path)
    assert tab.page.locator("table.rows-and-columns tbody tr").count() == ROWS
    page: int = tab.page.evaluate("document.documentElement.scrollHeight")
    rows = tab.page.locator("table.rows-and-columns tbody").bounding_box()["height"]
    return page, round(rows)


def test_the_posts_table_page_fits_a_screen_per_twenty_rows(tab: Page) -> None:
    viewport = tab.page.viewport_size["height"]
    every_column = _heights(tab, "/archive/posts?_sort_desc=published")
    tab.screenshot("table-posts-every-column")
    page, rows = _heights(tab, "/archive/posts")
    tab.screenshot("table-posts-reading-columns")
    print(f"posts table of 20 rows: page {page} px, rows {rows} px (every column:"
          f" page {every_column[0]} px, rows {every_column[1]} px); viewport {viewport} px")
    assert rows <= viewport  # twenty rows on one screen
    assert page <= 2 * viewport  # and the page around them is not a second table
    title = tab.page.locator("table.rows-and-columns td.col-title a").first.bounding_box()
    author = tab.page.locator("table.rows-and-columns td.col-author_id").first.bounding_box()
    width = tab.page.viewport_size["width"]
    assert title["x"] < width / 2 and author["x"] + author["width"] <= width  # on screen
    # the raw columns are one click away
    tab.page.get_by_role("link", name="every column").click()
    tab.page.wait_for_selector("th[data-column=body_html]")
    tab.goto("/archive/comments")
    assert tab.page.locator("th[data-column=html]").count() == 0
    assert tab.page.evaluate("document.documentElement.scrollHeight") <= 2 * viewport
    tab.screenshot("table-comments-reading-columns")
    # a post's row page reads down, one column a line
    tab.goto("/archive/posts/" + quote("posters~2Eexample~2F~3Fp~3D101"))
    row_page = tab.page.evaluate("document.documentElement.scrollHeight")
    tab.screenshot("row-post")
    print(f"a post's row page: {row_page} px")
    assert row_page <= 2 * viewport
    assert tab.problems == []


@pytest.mark.parametrize(("words", "post"), [
    ("hai-fuh-ku", LONG_NIGHT),  # a credited name
    ("tickets", LONG_NIGHT),  # the post says "ticket"
    ("Amelie", REEL),  # the title says "Amélie"
])
def test_the_search_finds_a_credited_name_a_plural_and_an_unaccented_spelling(
        tab: Page, words: str, post: str) -> None:
    tab.goto("/")
    tab.page.fill("#rr-header-q", words)
    tab.page.press("#rr-header-q", "Enter")
    tab.page.wait_for_selector(".rr-results")
    hits = tab.page.locator(".rr-hit-post h3 a")
    assert hits.count() == 1
    assert hits.first.get_attribute("href").endswith("id=" + quote(post, safe=""))
    assert tab.page.locator(".rr-hit-post mark").count() >= 1
    tab.screenshot(f"search-{words.lower()}")
    assert tab.problems == []


def test_a_review_leads_from_its_post_to_every_review_of_the_work(tab: Page) -> None:
    tab.goto("/-/post?id=" + quote(LONG_NIGHT))
    review = tab.page.locator(".rr-review")
    assert "The Long Night (2021)" in review.inner_text()
    assert "4/5" in review.locator(".rr-review-rating").inner_text()
    assert "Readers: 3.5/5 from 40 ratings" in review.inner_text()
    tab.screenshot("post-review")
    tab.page.locator("a.rr-work-link").click()
    tab.page.wait_for_selector(".rr-work-reviews")
    reviews = tab.page.locator(".rr-work-review")
    assert reviews.count() == 2
    assert "Why Amélie credits matter" in reviews.nth(0).inner_text()  # 9/10 before 4/5
    assert "The poster for The Long Night" in reviews.nth(1).inner_text()
    tab.screenshot("work-reviews")
    reviews.nth(1).locator("a").click()
    tab.page.wait_for_selector("h1.rr-title")
    assert tab.page.locator("h1.rr-title").inner_text() == "The poster for The Long Night"
    assert tab.problems == []
