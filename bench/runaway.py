"""Peak RSS of a crawl against servers whose totals lie (issue 16, items 1 and 2).

    python -m bench.runaway                       # this tree, 240 s cap per scenario
    python -m bench.runaway --repo /tmp/old-tree --seconds 60   # another checkout

Scenarios (tests/faults/server.py on 127.0.0.1):

* ``rest-million``: the REST listing's page 1 says ``X-WP-TotalPages: 1000000``; every
  later page answers WordPress's 400 ``rest_post_invalid_page_number``.
* ``endless-comments``: a post whose comment pages link ``/comment-page-N+1/`` forever,
  each empty.

Prints, per scenario: seconds, requests the server answered, posts archived, exit code
(``killed`` past the cap) and the peak RSS of the crawl's process tree (bench.common.rss_mb).
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.faults.server import FaultServer, Page, post_html

from .common import REPO, crawl_env, rss_mb

SETTINGS = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "LOG_LEVEL=WARNING",
            "RETRY_TIMES=1", "RETRY_BACKOFF_BASE=0.1")
POSTS = [("/2021/05/01/alpha/", 501, "Alpha"), ("/2021/05/02/beta/", 502, "Beta")]


def _json(data: object, status: int = 200, pages: int = 1_000_000) -> Page:
    return Page(json.dumps(data).encode(), "application/json; charset=UTF-8",
                {"X-WP-Total": str(len(POSTS)), "X-WP-TotalPages": str(pages)}, status)


def rest_million(server: FaultServer) -> None:
    server.home([(path, title) for path, _id, title in POSTS])
    for path, wp_id, title in POSTS:
        server.add_post(path, wp_id, title)
    items = [{"id": wp_id, "link": server.url.rstrip("/") + path}
             for path, wp_id, _title in POSTS]
    invalid = {"code": "rest_post_invalid_page_number", "data": {"status": 400}}

    def rest(path: str) -> Page | None:
        if path.startswith("/wp-json/wp/v2/comments"):
            return _json([], pages=0)
        if path.startswith("/wp-json/wp/v2/posts"):
            first = re.search(r"[?&]page=1(&|$)", path)
            return _json(items) if first else _json(invalid, status=400)
        return None

    server.fallback = rest


COMMENT_PAGES = ('<nav class="comment-navigation"><div class="nav-links">'
                 '<div class="nav-next"><a href="{next}">Newer comments</a></div></div></nav>')


def endless_comments(server: FaultServer) -> None:
    path = "/2021/06/01/endless/"
    server.home([(path, "Endless")])

    def pages(url: str) -> Page | None:
        match = re.fullmatch(re.escape(path) + r"(?:comment-page-(\d+)/)?", url)
        if not match:
            return None
        n = int(match.group(1) or 1)
        nav = ('<div id="comments" class="comments-area"><h2 class="comments-title">'
               "Comments</h2>" + COMMENT_PAGES.format(next=f"{path}comment-page-{n + 1}/")
               + "</div>")
        return Page(post_html(601, "Endless", "<p>Body.</p>", extra_body=nav).encode())

    server.fallback = pages


SCENARIOS: dict[str, Callable[[FaultServer], None]] = {
    "rest-million": rest_million, "endless-comments": endless_comments}


def run(repo: Path, name: str, seconds: float) -> dict[str, object]:
    with FaultServer() as server, tempfile.TemporaryDirectory() as tmp:
        SCENARIOS[name](server)
        archive = Path(tmp) / "archive.db"
        command = [sys.executable, "-m", "scrapy", "crawl", "wordpress", "-a",
                   f"url={server.url}", "-a", f"archive={archive}"]
        for setting in SETTINGS:
            command += ["-s", setting]
        env = crawl_env()
        env["PYTHONPATH"] = str(repo)
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=repo, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        peak = 0.0
        while process.poll() is None and time.monotonic() - started < seconds:
            memory = rss_mb(process.pid)
            if memory is not None:
                peak = max(peak, memory[1])
            time.sleep(0.2)
        code: object = process.poll()
        if code is None:
            process.kill()
            process.wait()
            code = "killed"
        elapsed = time.monotonic() - started
        posts = 0
        if archive.exists():
            with sqlite3.connect(archive) as conn:
                posts = conn.execute("select count(*) from posts").fetchone()[0]
        return {"scenario": name, "seconds": round(elapsed, 1), "requests": len(server.log),
                "posts": posts, "exit": code, "peak_rss_mb": round(peak, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=REPO, help="the tree whose crawler runs")
    parser.add_argument("--seconds", type=float, default=240.0, help="cap per scenario")
    parser.add_argument("--only", default=",".join(SCENARIOS), help="scenarios, comma-separated")
    args = parser.parse_args()
    print("| scenario | seconds | requests | posts | exit | peak RSS (MB) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in args.only.split(","):
        row = run(args.repo.resolve(), name, args.seconds)
        print("| " + " | ".join(str(v) for v in row.values()) + " |", flush=True)


if __name__ == "__main__":
    main()
