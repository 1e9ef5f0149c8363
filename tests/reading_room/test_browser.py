"""The reading room in a real headless browser (Debian's Chromium driven by Playwright).

Datasette runs as a subprocess on 127.0.0.1 with the command line
``scraper.serve.datasette_args`` builds; the browser may reach nothing else.
Screenshots go to ``test-output/screenshots/`` (or ``$WPARCHIVE_SCREENSHOTS``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from scraper.serve import datasette_args
from tests.processes import stop_process

from .conftest import XSS_MARKER

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("WPARCHIVE_SCREENSHOTS", REPO / "test-output" / "screenshots"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync",
]
LONG_NIGHT = "posters.example/?p=101"
PAYLOADS = "posters.example/?p=102"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                       "(apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(archive: Path, log: Path) -> Iterator[str]:
    """Datasette serving ``archive`` on 127.0.0.1 as ``wparchive serve`` would; its URL."""
    port = _free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(datasette_args(archive, port=port), stdout=out,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"datasette did not start:\n{log.read_text()}")
                time.sleep(0.2)
        yield base
    finally:
        stop_process(proc)


@pytest.fixture(scope="module")
def server(archive_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(archive_path, tmp_path_factory.mktemp("datasette") / "datasette.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1100, "height": 900},
        )

        # Only the local Datasette: the archived pages' images and links point at the
        # blogs themselves, which a test must never reach.
        def local_only(route: Any) -> None:
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                route.abort()

        context.route("**/*", local_only)
        try:
            yield context
        finally:
            context.close()


class Page:
    """A browser tab that records CSP violations and page errors."""

    def __init__(self, context: Any, base: str) -> None:
        self.base = base
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _console(self, message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.problems.append(f"CSP violation: {message.text}")

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None and response.status == 200, path
        return response

    def xss_ran(self) -> bool:
        return self.page.evaluate(f"typeof window.{XSS_MARKER} !== 'undefined'")

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def tab(browser_context: Any, server: str) -> Iterator[Page]:
    page = Page(browser_context, server)
    yield page
    page.page.close()


def test_header_search_finds_a_comment_and_opens_its_nested_thread(tab: Page) -> None:
    tab.goto("/")
    assert tab.page.locator("form.rr-index-search input[name=q]").is_visible()
    tab.screenshot("index")
    tab.page.fill("#rr-header-q", "zeppelinesque")
    tab.page.press("#rr-header-q", "Enter")
    tab.page.wait_for_selector(".rr-results .rr-hit")
    hit = tab.page.locator(".rr-hit-comment").first
    assert hit.locator("mark").first.inner_text().lower() == "zeppelinesque"
    assert "Marguerite Duras" in hit.inner_text()
    tab.screenshot("search-results")

    hit.locator("h3 a").click()
    tab.page.wait_for_selector(".rr-thread")
    assert tab.page.url.endswith("#comment-201")
    assert tab.page.locator("h1.rr-title").inner_text() == "The poster for The Long Night"

    # 201 → 202 → 203 nest three deep, each indented further right; 206 (from comment
    # page 2) is a second reply to 201; 204 is top-level; the pingback is apart.
    depth = {n: tab.page.locator(f"#comment-{n}").get_attribute("data-depth")
             for n in (201, 202, 203, 204, 206)}
    assert depth == {201: "1", 202: "2", 203: "3", 204: "1", 206: "2"}
    assert tab.page.locator("#comment-201 > .rr-replies > #comment-202 > .rr-replies"
                            " > #comment-203").count() == 1
    x = {n: tab.page.locator(f"#comment-{n} > article").bounding_box()["x"]
         for n in (201, 202, 203, 204)}
    assert x[201] < x[202] < x[203]
    assert x[204] == x[201]
    assert tab.page.locator(".rr-thread #comment-205").count() == 0
    assert "Film Log" in tab.page.locator(".rr-pingbacks").inner_text()
    assert "Poster designed by Ada Lovelace" in tab.page.locator(".rr-credits").inner_text()
    assert not tab.xss_ran()
    tab.screenshot("post-thread")
    assert tab.problems == []


def test_links_lead_from_a_post_to_its_blog_and_data_and_back(tab: Page) -> None:
    tab.goto("/-/post?id=" + quote(LONG_NIGHT))
    # the next post of the same blog
    tab.page.locator(".rr-neighbours a.rr-next").click()
    tab.page.wait_for_load_state()
    assert tab.page.url.endswith("?id=" + quote(PAYLOADS, safe=""))
    # all of the blog's posts, in Datasette's table view
    tab.page.locator(".rr-neighbours a.rr-all").click()
    tab.page.wait_for_load_state()
    assert "/archive/posts?blog_id=posters.example" in tab.page.url
    assert tab.page.locator("table.rows-and-columns tbody tr").count() == 2
    tab.screenshot("blog-posts-table")
    # a title in the table leads back to the reading view
    tab.page.get_by_role("link", name="The poster for The Long Night").click()
    tab.page.wait_for_selector("h1.rr-title")
    # the original post is linked, never fetched; the post's own data is a row page
    original = tab.page.locator("a.rr-original")
    assert original.get_attribute("href") == "https://posters.example/2021/03/the-long-night/"
    assert original.get_attribute("rel") == "nofollow noopener noreferrer"
    tab.page.get_by_role("link", name="This post's data").click()
    tab.page.wait_for_selector(".rr-read-link a")
    tab.page.locator(".rr-read-link a").click()
    tab.page.wait_for_selector("h1.rr-title")
    assert tab.problems == []


def test_datasette_pages_keep_working_under_the_content_security_policy(tab: Page) -> None:
    tab.goto("/archive/comments")
    # table.js (needs the hashed inline DATASETTE_ALLOW_FACET) adds the column menus
    tab.page.wait_for_selector("th .dropdown-menu-icon", state="attached")
    # the SQL editor (CodeMirror, set up by our external copy of _codemirror_foot)
    tab.goto("/archive?sql=select+count(*)+from+posts")
    tab.page.wait_for_selector(".CodeMirror")
    tab.screenshot("sql-editor")
    tab.goto("/archive/most_discussed")
    results = tab.page.locator("table.rows-and-columns").inner_text()
    assert "The poster for The Long Night" in results
    tab.screenshot("canned-most-discussed")
    assert tab.problems == []


XSS_PAGES = [
    ("search-xss", "/-/search?q=xssword"),
    ("search-payloadword", "/-/search?q=payloadword"),
    ("search-xss-raw", "/-/search?raw=1&q=" + quote('"window" OR script OR img')),
    ("post-xss", "/-/post?id=" + quote(PAYLOADS)),
    ("table-posts", "/archive/posts"),
    ("table-posts-search", "/archive/posts?_search=payloadword"),
    ("table-comments", "/archive/comments"),
    ("table-authors", "/archive/authors"),
    ("table-credits", "/archive/credits"),
    ("table-terms", "/archive/terms"),
    ("row-post-xss", "/archive/posts/" + quote("posters~2Eexample~2F~3Fp~3D102")),
    ("row-comment-xss", "/archive/comments/" + quote("posters~2Eexample~2F~23comment-302")),
    ("row-author-xss", "/archive/authors/" + quote("posters~2Eexample~2Fauthor~2Fmallory")),
    ("canned-commenter", "/archive/commenter_history?author=" + quote(
        '"><script>window.__xss=1</script>Mallory')),
    ("canned-credits", "/archive/credits_for_name?name=Eve"),
    ("work-xss", "/-/work?id=" + quote("book/script-window-__xss-1-script-payload/")),
    ("table-works", "/archive/works"),
    ("canned-reviews", "/archive/reviews_of_a_work?title=script&year="),
]


@pytest.mark.parametrize(("name", "path"), XSS_PAGES, ids=[n for n, _ in XSS_PAGES])
def test_seeded_xss_payloads_never_run_and_the_text_stays_readable(
    tab: Page, name: str, path: str
) -> None:
    tab.goto(path)
    tab.page.wait_for_timeout(200)  # let any onerror/onload fire
    # fire the events inline handlers listen for, had any survived the sanitiser
    tab.page.evaluate("""() => document.querySelectorAll('body *').forEach(e => {
        for (const type of ['mouseover', 'focus', 'load', 'error']) {
            e.dispatchEvent(new Event(type, {bubbles: false}));
        }
    })""")
    assert not tab.xss_ran(), f"a payload ran on {path}"
    assert tab.problems == [], "an injected script reached the page (the CSP blocked it)"
    assert tab.page.locator("script:not([src])").count() <= 1  # only Datasette's hashed one
    tab.screenshot(name)


def test_payload_post_reads_as_text(tab: Page) -> None:
    tab.goto("/-/post?id=" + quote(PAYLOADS))
    title = tab.page.locator("h1.rr-title").inner_text()
    assert title == ('<script>window.__xss=1</script>Payloads & "quotes" '
                     "<img src=x onerror=window.__xss=1>")
    assert "<script>" in tab.page.title()
    body = tab.page.locator(".rr-body").inner_text()
    assert "Safe words survive: payloadword." in body
    assert "<script>window.__xss=1</script> is shown as text" in body
    assert "js link" in body and "italic" in body
    assert tab.page.locator(".rr-body a[href^='javascript'], .rr-body [onerror],"
                            " .rr-body svg, .rr-body iframe, .rr-body script").count() == 0
    # author names are text, javascript: author URLs are not links
    mallory = tab.page.locator("#comment-301 > article .rr-person")
    assert mallory.inner_text() == '"><script>window.__xss=1</script>Mallory'
    assert mallory.evaluate("e => e.tagName") == "SPAN"
    assert "reply text stays readable" in tab.page.locator("#comment-302").inner_text()
    assert tab.page.locator("#comment-302").get_attribute("data-depth") == "2"
    assert not tab.xss_ran()
    assert tab.problems == []


def test_fast_table_search_pages_through_every_match(tab: Page) -> None:
    """The fast form of a table search (scraper/reading_room/table_search.py), two rows a
    page: "Next" reaches every comment with "the" once, newest archived first."""
    fast = "_sort_desc=rowid&_nocount=1&_nofacet=1&_labels=off&_size=2"
    tab.goto(f"/archive/comments?_search=the&{fast}")
    assert "(4 rows)" in tab.page.locator("h3").first.inner_text()
    seen: list[str] = []
    for _ in range(5):
        seen += tab.page.locator("table.rows-and-columns td.col-id").all_inner_texts()
        next_link = tab.page.locator("a", has_text="Next page")
        if next_link.count() == 0:
            break
        next_link.first.click()
        tab.page.wait_for_load_state("load")
    assert [s.strip() for s in seen] == [f"posters.example/#comment-{n}"
                                         for n in ("206", "205", "203", "202")]
    tab.page.fill("#_search", "sky")
    tab.page.press("#_search", "Enter")
    tab.page.wait_for_load_state("load")
    assert "(3 rows)" in tab.page.locator("h3").first.inner_text()
    tab.screenshot("table-search-fast")
    assert tab.problems == []
