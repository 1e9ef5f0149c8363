"""Images are part of a post's completeness: an image that could not be downloaded is a
``media_missing`` shortfall (exit 3), and a plain rerun — incremental, the post itself
unchanged and not fetched again — downloads it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.crawling import FAST, REPO, run_cli
from tests.faults.server import FaultServer, Page, burst, stall

POSTER = Path(__file__).resolve().parents[1] / "fixtures" / "media" / "poster.png"
POST, IMAGE = "/2021/09/01/with-poster/", "/wp-content/uploads/2021/09/poster.png"
SETS = [arg for setting in (*FAST, "RETRY_TIMES=0") for arg in ("--set", setting)]


def _rest_blog_with_an_image(server: FaultServer) -> None:
    """One post with one body image, listed by the REST API (so a rerun is incremental)."""
    server.home([(POST, "With Poster")])
    server.add_post(POST, 901, "With Poster", f'<p><img src="{IMAGE}" alt="Poster"></p>')
    server.add_page(IMAGE, POSTER.read_bytes(), "image/png")
    posts = [{"id": 901, "link": server.url.rstrip("/") + POST,
              "modified_gmt": "2021-09-01T10:00:00", "date_gmt": "2021-09-01T10:00:00"}]

    def rest(path: str) -> Page | None:
        if path.startswith("/wp-json/wp/v2/comments"):
            return Page(b"[]", "application/json", {"X-WP-Total": "0", "X-WP-TotalPages": "0"})
        if path.startswith("/wp-json/wp/v2/posts"):
            return Page(json.dumps(posts).encode(), "application/json",
                        {"X-WP-Total": "1", "X-WP-TotalPages": "1"})
        return None

    server.fallback = rest


def _media(archive: Path) -> list[tuple]:
    with sqlite3.connect(archive) as conn:
        return conn.execute("select sha256 is not null, failure from media").fetchall()


def _shortfalls(archive: Path) -> list[tuple]:
    with sqlite3.connect(archive) as conn:
        return conn.execute("select c.mode, s.kind, s.url from shortfalls s join crawls c "
                            "on c.id = s.crawl_id").fetchall()


def test_a_failed_image_is_a_shortfall_and_a_plain_rerun_downloads_it(tmp_path: Path) -> None:
    archive = tmp_path / "archive.db"
    with FaultServer() as server:
        _rest_blog_with_an_image(server)
        server.fault(IMAGE, burst(500))
        first = run_cli("crawl", server.url, "--archive", str(archive), "--quiet", *SETS,
                        timeout=120)
        assert _media(archive) == [(0, "HTTP 500")]
        assert first.returncode == 3, first.stderr[-3000:]
        assert "1 shortfall" in first.stderr.splitlines()[-1]
        assert _shortfalls(archive) == [("full", "media_missing", server.url.rstrip("/")
                                         + IMAGE)]

        server.heal(IMAGE)
        second = run_cli("crawl", server.url, "--archive", str(archive), "--quiet", *SETS,
                         timeout=120)
        post_fetches = len(server.requests_for(POST))
    assert second.returncode == 0, second.stderr[-3000:]
    assert post_fetches == 1  # the rerun did not fetch the unchanged post again…
    assert _media(archive) == [(1, None)]  # …but its missing image
    assert len(_shortfalls(archive)) == 1  # only the first crawl's


def _post_stored(archive: Path) -> bool:
    try:
        with sqlite3.connect(archive) as conn:
            return conn.execute("select count(*) from posts").fetchone()[0] > 0
    except sqlite3.Error:  # not created yet, or mid-migration
        return False


def test_a_crawl_killed_while_an_image_downloads_leaves_it_to_the_plain_rerun(
        tmp_path: Path) -> None:
    archive = tmp_path / "archive.db"
    with FaultServer() as server:
        _rest_blog_with_an_image(server)
        server.fault(IMAGE, stall(60))  # the image hangs: the post is stored, the image not
        command = [sys.executable, "-m", "scraper.cli", "crawl", server.url, "--archive",
                   str(archive), "--quiet", *SETS, "--set", "DOWNLOAD_TIMEOUT=60"]
        crawl = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while not (_post_stored(archive) and server.counts.get(IMAGE)):
                assert crawl.poll() is None, "the crawl ended before it could be killed"
                assert time.monotonic() < deadline, "the post was never stored"
                time.sleep(0.1)
        finally:
            os.killpg(crawl.pid, signal.SIGKILL)
            crawl.wait()

        server.heal(IMAGE)
        rerun = run_cli("crawl", server.url, "--archive", str(archive), "--quiet", *SETS,
                        timeout=120)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert _media(archive) == [(1, None)]
    with sqlite3.connect(archive) as conn:
        [(local_path,)] = conn.execute("select local_path from media").fetchall()
    assert (tmp_path / local_path).is_file() or Path(local_path).is_file()
