"""One crawl of a blog whose server misbehaves on most URLs: every fault is bounded,
recorded in fetch_errors with a readable reason and the true attempt count, never stored
as content, and the healthy rest of the blog is archived.

The crawl runs once per module (a real ``scrapy crawl`` subprocess); each test checks one
fault.  Timeouts, retries and sizes are scaled down so the whole module takes seconds.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.crawling import run_scrapy_crawl
from tests.faults.server import (
    FaultServer,
    burst,
    free_port,
    gzip_bomb,
    huge,
    login_wall,
    redirect,
    reset,
    stall,
    truncated,
)

TIMEOUT = 2  # DOWNLOAD_TIMEOUT for this crawl, seconds
RETRIES = 2  # RETRY_TIMES: at most 3 attempts per page
MAXSIZE = 1024 * 1024  # DOWNLOAD_MAXSIZE: 1 MB
SETTINGS = (
    f"DOWNLOAD_TIMEOUT={TIMEOUT}",
    f"RETRY_TIMES={RETRIES}",
    "RETRY_BACKOFF_BASE=0.2",
    "RETRY_AFTER_MAX=2",
    f"DOWNLOAD_MAXSIZE={MAXSIZE}",
    "DOWNLOAD_WARNSIZE=0",
    "CONCURRENT_REQUESTS_PER_DOMAIN=4",
)

# Text that must come out of the archive exactly, whatever the page's charset mess.
CP1252_TEXT = "It’s a “café” — naïve, 50 €"
LATIN1_TEXT = "Café, naïve, señor, ½ × ¾"
UTF8_TEXT = "Ça va — “naïve” ☃ Zoë"


@dataclass
class Crawl:
    server: FaultServer
    archive: Path
    returncode: int
    log: str
    seconds: float
    other_port: int

    def rows(self, sql: str, *params: object) -> list[tuple]:
        with sqlite3.connect(self.archive) as conn:
            return conn.execute(sql, params).fetchall()

    def error(self, path: str) -> tuple[str, int | None, int]:
        rows = self.rows("select reason, http_status, attempts from fetch_errors where url = ?",
                         self.server.url.rstrip("/") + path)
        assert len(rows) == 1, (path, self.rows("select url, reason from fetch_errors"))
        return rows[0]

    def post_titles(self) -> set[str]:
        return {r[0] for r in self.rows("select title from posts")}

    def body_text(self, wp_id: int) -> str:
        rows = self.rows("select body_text from posts where wp_id = ?", wp_id)
        assert rows, f"post {wp_id} not archived"
        return rows[0][0]


FAULTS = {
    # path: (wp_id, title, fault)
    "/2021/01/01/burst-500/": (21, "Burst 500", burst(500, times=2)),
    "/2021/01/02/burst-502/": (22, "Burst 502", burst(502, times=1)),
    "/2021/01/03/always-500/": (23, "Always 500", burst(500)),
    "/2021/01/04/reset/": (24, "Reset", reset()),
    "/2021/01/05/stall/": (25, "Stall", stall(TIMEOUT + 1.5)),
    "/2021/01/06/truncated/": (26, "Truncated", truncated()),
    "/2021/01/07/loop/": (27, "Loop", redirect("/2021/01/07/loop-b/")),
    "/2021/01/07/loop-b/": (0, "", redirect("/2021/01/07/loop/")),
    "/2021/01/08/huge/": (28, "Huge", huge(50 * 1024 * 1024, content_length=True)),
    "/2021/01/09/huge-stream/": (29, "Huge Stream", huge(50 * 1024 * 1024,
                                                         content_length=False)),
    "/2021/01/10/gzip-bomb/": (30, "Gzip Bomb", gzip_bomb(50 * 1024 * 1024)),
    "/2021/01/18/private/": (38, "Private", login_wall()),
}


def _charset_pages(server: FaultServer) -> list[tuple[str, str]]:
    from tests.faults.server import post_html

    pages = [
        # header says windows-1252, no meta
        ("/2021/01/11/cp1252/", 31, "Windows 1252", CP1252_TEXT, None, "cp1252",
         "text/html; charset=windows-1252"),
        # no header charset, <meta charset=ISO-8859-1>
        ("/2021/01/12/latin1/", 32, "Latin 1", LATIN1_TEXT, "ISO-8859-1", "latin-1",
         "text/html"),
        # no charset anywhere, UTF-8 bytes
        ("/2021/01/13/no-charset/", 33, "No Charset", UTF8_TEXT, None, "utf-8", "text/html"),
        # header says ISO-8859-1, the bytes are UTF-8 (a classic WordPress misconfiguration)
        ("/2021/01/14/contradict/", 34, "Contradict", UTF8_TEXT, None, "utf-8",
         "text/html; charset=ISO-8859-1"),
        # header says UTF-8, the bytes are windows-1252
        ("/2021/01/15/contradict-1252/", 35, "Contradict 1252", CP1252_TEXT, None, "cp1252",
         "text/html; charset=UTF-8"),
        # no charset anywhere, windows-1252 bytes
        ("/2021/01/16/unlabelled-1252/", 36, "Unlabelled 1252", CP1252_TEXT, None, "cp1252",
         "text/html"),
    ]
    listed = []
    for path, wp_id, title, text, meta, encoding, content_type in pages:
        html = post_html(wp_id, title, f"<p>{text}</p>", charset_meta=meta)
        server.add_page(path, html.encode(encoding), content_type)
        listed.append((path, title))
    return listed


def _malformed_page(server: FaultServer) -> tuple[str, str]:
    from tests.faults.server import post_html

    depth = 150  # deeper pages make extraction crawl (see the report): 3000 levels take 70 s
    nested = "<div><span>" * depth + "deep inside" + "</span></div>" * (depth // 2)
    body = (
        "<p>Unclosed paragraph <b>bold <i>italic <a href='/x/'>link"
        "<p>Still readable after the mess."
        "<table><tr><td>cell<td>cell 2</table></td></tr></div></div></div>"
        "<!-- a comment that never ends "
    )
    html = post_html(37, "Malformed", nested + body)
    html = html.replace("</body>", "")  # and no end tags at all
    server.add_page("/2021/01/17/malformed/", html, "text/html; charset=UTF-8")
    return "/2021/01/17/malformed/", "Malformed"


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    archive = tmp_path_factory.mktemp("faults") / "archive.db"
    other_port = free_port()
    with FaultServer() as server:
        listed = server.load_fixture_site()
        for path, (wp_id, title, fault) in FAULTS.items():
            if wp_id:
                server.add_post(path, wp_id, title)
                listed.append((path, title))
            server.fault(path, fault)
        listed += _charset_pages(server)
        listed.append(_malformed_page(server))
        # SSRF: posts that redirect to internal addresses (and ::1 on our own port)
        ssrf = {
            "/2021/01/19/to-metadata/": "http://169.254.169.254/latest/meta-data/",
            "/2021/01/20/to-ten/": "http://10.0.0.1/admin/",
            "/2021/01/21/to-v6-loopback/": f"http://[::1]:{server.port}/2020/01/05/first-light/",
            "/2021/01/22/to-localhost/": f"http://localhost:{other_port}/",
        }
        for number, (path, target) in enumerate(ssrf.items()):
            server.add_post(path, 40 + number, f"SSRF {number}")
            server.fault(path, redirect(target))
            listed.append((path, f"SSRF {number}"))
        # links to internal addresses on the listing: never requested either
        links = "".join(f'<p><a href="{t}">internal</a></p>' for t in ssrf.values())
        server.home(listed, extra=links)
        started = time.monotonic()
        result = run_scrapy_crawl(server.url, archive, *SETTINGS, timeout=120)
        seconds = time.monotonic() - started
        (archive.parent / "crawl.log").write_text(result.stderr)  # for a failing test
        yield Crawl(server, archive, result.returncode, result.stderr, seconds, other_port)


def test_healthy_posts_are_all_archived_despite_the_faults(crawl: Crawl) -> None:
    titles = crawl.post_titles()
    assert {"First Light", "Second Sight", "Third Act & Finale"} <= titles
    assert crawl.rows("select count(*) from comments where post_id like '%?p=11'") == [(5,)]
    # the crawl ended normally; the scrapy command's exit status is 0, the errors are data
    assert crawl.rows("select status, errors from crawls")[0][0] == "finished"


def test_failed_pages_are_never_stored_as_content(crawl: Crawl) -> None:
    failed = {url for (url,) in crawl.rows("select url from fetch_errors")}
    stored = {url for (url,) in crawl.rows("select fetched_url from posts")}
    assert failed and not failed & stored
    for wp_id in (23, 24, 25, 26, 27, 28, 29, 30, 38, 40, 41, 42, 43):
        assert crawl.rows("select count(*) from posts where wp_id = ?", wp_id) == [(0,)]
    assert crawl.rows("select count(*) from posts where title like '%error%' "
                      "or body_text like '%Not found%'") == [(0,)]


def test_5xx_bursts_are_retried_until_the_page_comes(crawl: Crawl) -> None:
    assert {"Burst 500", "Burst 502"} <= crawl.post_titles()
    assert [e.outcome for e in crawl.server.requests_for("/2021/01/01/burst-500/")] == [
        "500", "500", "200"]


def test_a_permanent_500_is_retried_a_bounded_number_of_times_and_recorded(crawl: Crawl
                                                                           ) -> None:
    reason, status, attempts = crawl.error("/2021/01/03/always-500/")
    assert (status, attempts) == (500, RETRIES + 1)
    assert reason == f"HTTP 500 Internal Server Error after {RETRIES + 1} attempts"
    assert len(crawl.server.requests_for("/2021/01/03/always-500/")) == RETRIES + 1
    # backoff: the retries were not fired at once
    times = [e.at for e in crawl.server.requests_for("/2021/01/03/always-500/")]
    assert times[-1] - times[0] > 0.0


def test_connection_reset_is_retried_and_recorded(crawl: Crawl) -> None:
    reason, status, attempts = crawl.error("/2021/01/04/reset/")
    assert "connection reset" in reason and status is None
    assert attempts == RETRIES + 1 == len(crawl.server.requests_for("/2021/01/04/reset/"))


def test_a_stalled_page_times_out_and_is_recorded(crawl: Crawl) -> None:
    reason, _status, attempts = crawl.error("/2021/01/05/stall/")
    assert reason.startswith(f"timeout: no complete answer within {TIMEOUT} s")
    assert attempts == RETRIES + 1


def test_a_truncated_body_is_not_archived_but_recorded(crawl: Crawl) -> None:
    reason, _status, attempts = crawl.error("/2021/01/06/truncated/")
    assert reason.startswith("truncated response")
    assert attempts == RETRIES + 1


def test_a_redirect_loop_is_recorded_not_silently_dropped(crawl: Crawl) -> None:
    reason, _status, _attempts = crawl.error("/2021/01/07/loop/")
    assert reason.startswith("redirect loop: ")
    assert "/2021/01/07/loop-b/" in reason
    assert len(crawl.server.requests_for("/2021/01/07/loop/")) <= 2


def test_a_50_mb_page_is_cut_at_the_size_cap(crawl: Crawl) -> None:
    for path in ("/2021/01/08/huge/", "/2021/01/09/huge-stream/"):
        reason, _status, attempts = crawl.error(path)
        assert reason == f"size cap: response larger than DOWNLOAD_MAXSIZE ({MAXSIZE} bytes)"
        assert attempts == 1  # a size cap is final, not retried
        assert len(crawl.server.requests_for(path)) == 1


def test_a_gzip_bomb_is_cut_at_the_size_cap_after_decompression(crawl: Crawl) -> None:
    reason, _status, attempts = crawl.error("/2021/01/10/gzip-bomb/")
    assert reason.startswith("size cap: decompressed body larger than DOWNLOAD_MAXSIZE")
    assert attempts == 1


@pytest.mark.parametrize("wp_id, text", [
    (31, CP1252_TEXT), (32, LATIN1_TEXT), (33, UTF8_TEXT), (34, UTF8_TEXT),
    (35, CP1252_TEXT), (36, CP1252_TEXT),
], ids=["cp1252-header", "latin1-meta", "no-charset-utf8", "header-latin1-bytes-utf8",
        "header-utf8-bytes-cp1252", "unlabelled-cp1252"])
def test_text_is_decoded_right_whatever_the_charset_says(crawl: Crawl, wp_id: int, text: str
                                                        ) -> None:
    assert text in crawl.body_text(wp_id)


def test_malformed_deeply_nested_unclosed_html_is_archived(crawl: Crawl) -> None:
    body = crawl.body_text(37)
    assert "Still readable after the mess." in body
    assert "deep inside" in body


def test_a_login_wall_is_not_followed_and_is_recorded(crawl: Crawl) -> None:
    reason, _status, attempts = crawl.error("/2021/01/18/private/")
    assert reason.startswith("login wall: redirected to ")
    assert "wp-login.php" in reason
    assert attempts == 1
    assert not [p for p in crawl.server.paths() if "wp-login" in p]


def test_redirects_to_internal_addresses_are_refused_before_connecting(crawl: Crawl) -> None:
    expected = {
        "/2021/01/19/to-metadata/": "169.254.169.254 is a cloud metadata address",
        "/2021/01/20/to-ten/": "10.0.0.1 is a private address",
        "/2021/01/21/to-v6-loopback/": "::1 is a loopback address",
        "/2021/01/22/to-localhost/": "localhost (127.0.0.1) is a loopback address",
    }
    for path, why in expected.items():
        reason, status, attempts = crawl.error(path)
        assert reason.startswith("refused by scope rules: "), reason
        assert why in reason, reason
        assert f"(redirected from {crawl.server.url.rstrip('/')}{path})" in reason
        assert status is None and attempts == 1  # the blog's redirect; the hop never sent
    assert crawl.log.count("Refused http://") >= 4


def test_the_blog_itself_on_127_0_0_1_is_allowed_but_nothing_else_private(crawl: Crawl
                                                                          ) -> None:
    # the start URL's exact host:port was crawled; other ports were never contacted: the
    # fault server only listens on its own port and logged every request it got
    assert crawl.rows("select count(*) from posts") != [(0,)]
    assert not [p for p in crawl.server.paths() if "meta-data" in p or "admin/" in p]


def test_faults_are_bounded_in_time(crawl: Crawl) -> None:
    # 3 attempts x 2 s timeout for the stall dominate; nothing waits for the 50 MB
    assert crawl.seconds < 90, crawl.log[-3000:]
