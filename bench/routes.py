"""``python -m bench.routes``: requests per archived post and wall time, per discovery route.

Crawls the real WordPress fixture blog (tests/wordpress, one theme) once per route
(``-a route=api|sitemap|feed|html``, plus ``api`` with ``pages=no``) and mirrors it
with ``wget --mirror`` (Debian's wget; ``apt-get install wget``), then prints a table:

* requests: every HTTP request (robots.txt, the start page, listings/API/sitemaps/feeds,
  post pages, comment pages); wget's count is read from its log;
* req/post: requests per archived post; listing/post: requests besides the post and
  comment pages per post (the cost of *finding* the posts);
* complete: posts and comments archived == WordPress's own counts (the fixture's truth).

Targets (issue 5): html ≤ 1.2 req/post plus one per extra comment page; api ≤ 0.2
listing requests per post; every route ≥ 10× fewer requests than wget --mirror.

    python -m bench.routes                 # all routes and wget
    python -m bench.routes --routes api,html --no-wget
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
ROUTES = ("api", "api-only", "sitemap", "feed", "html")
FAST = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "LOG_LEVEL=WARNING")


def crawl(url: str, route: str, folder: Path) -> dict[str, Any]:
    archive = folder / f"{route}.db"
    args = ["route=api", "pages=no"] if route == "api-only" else [f"route={route}"]
    command = [sys.executable, "-m", "scrapy", "crawl", "wordpress", "-a", f"url={url}",
               "-a", f"archive={archive}"]
    for arg in args:
        command += ["-a", arg]
    for setting in FAST:
        command += ["-s", setting]
    started = time.monotonic()
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=1800)
    wall = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"{route} crawl failed:\n{result.stderr[-2000:]}")
    with sqlite3.connect(archive) as conn:
        conn.row_factory = sqlite3.Row
        row = dict(conn.execute("select * from crawls").fetchone())
        posts = conn.execute("select count(*) from posts").fetchone()[0]
        comments = conn.execute("select count(*) from comments").fetchone()[0]
    kinds = json.loads(row["requests_by_kind"] or "{}")
    return {"name": route, "requests": row["requests"], "kinds": kinds, "wall": wall,
            "posts": posts, "comments": comments}


def wget_mirror(url: str, folder: Path, timeout: int) -> dict[str, Any]:
    wget = shutil.which("wget")
    if not wget:
        raise SystemExit("wget not found: apt-get install wget (or use --no-wget)")
    log = folder / "wget.log"
    started = time.monotonic()
    try:
        subprocess.run([wget, "--mirror", "--no-parent", "-e", "robots=on", "--no-verbose",
                        "-P", str(folder / "mirror"), "-o", str(log), url],
                       timeout=timeout, check=False)
        finished = True
    except subprocess.TimeoutExpired:
        finished = False
    wall = time.monotonic() - started
    text = log.read_text(errors="replace") if log.exists() else ""
    # --no-verbose logs one line per response: "URL:… [size] -> file" or "… ERROR 404…"
    requests = len(re.findall(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (?:URL:|ERROR|.*ERROR \d{3})",
                              text, re.M))
    return {"name": "wget --mirror" + ("" if finished else f" (stopped at {timeout} s)"),
            "requests": requests, "kinds": {}, "wall": wall, "posts": None, "comments": None}


def render(rows: list[dict[str, Any]], truth_posts: int, truth_comments: int,
           extra_comment_pages: int) -> str:
    wget = next((r for r in rows if r["name"].startswith("wget")), None)
    header = ("route", "requests", "req/post", "listing/post", "wall s", "posts", "comments",
              "complete", "vs wget")
    lines = [header]
    for row in rows:
        kinds = row["kinds"]
        finding = row["requests"] - kinds.get("post", 0) - kinds.get("comment_page", 0)
        wanted = (truth_posts, row.get("expected_comments", truth_comments))
        complete = "" if row["posts"] is None else (
            "yes" if (row["posts"], row["comments"]) >= wanted else "NO")
        if "expected_comments" in row and complete == "yes":
            complete = "yes (no pings)"
        ratio = (f"{wget['requests'] / row['requests']:.1f}x fewer"
                 if wget and row is not wget and row["requests"] else "")
        lines.append((
            row["name"], str(row["requests"]), f"{row['requests'] / truth_posts:.2f}",
            "" if not kinds else f"{finding / truth_posts:.3f}", f"{row['wall']:.1f}",
            "" if row["posts"] is None else str(row["posts"]),
            "" if row["comments"] is None else str(row["comments"]), complete, ratio))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    table = "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True))
                      for line in lines)
    html = next((r for r in rows if r["name"] == "html"), None)
    notes = [f"blog: {truth_posts} posts, {truth_comments} comments, "
             f"{extra_comment_pages} extra comment pages (WordPress's own counts)"]
    if html:
        budget = 1.2 * truth_posts + extra_comment_pages
        notes.append(f"html target: ≤ 1.2 req/post + 1 per extra comment page = "
                     f"{budget:.0f} requests; measured {html['requests']}")
    return table + "\n" + "\n".join(notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.routes", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--routes", default=",".join(ROUTES))
    parser.add_argument("--theme", default="twentytwentyone")
    parser.add_argument("--no-wget", action="store_true")
    parser.add_argument("--wget-timeout", type=int, default=1200)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from tests.wordpress.wpsite import WordPressStack

    stack = WordPressStack()
    site = stack.start_site(args.theme)
    truth = stack.truth(site)
    posts, comments = truth["counts"]["posts"], truth["counts"]["comments"]
    extra_pages = sum(max(0, (p.get("comment_pages") or 1) - 1) for p in truth["posts"])
    rows = []
    with tempfile.TemporaryDirectory(prefix="wparchive-routes-") as tmp:
        folder = Path(tmp)
        for route in [r for r in args.routes.split(",") if r]:
            print(f"crawling {site.home_url} by {route} …", file=sys.stderr)
            rows.append(crawl(site.home_url, route, folder))
            if route == "api-only":  # the REST API lists comments, not pingbacks/trackbacks
                rows[-1]["expected_comments"] = truth["counts"]["comments_by_type"]["comment"]
        if not args.no_wget:
            print(f"wget --mirror {site.home_url} …", file=sys.stderr)
            rows.append(wget_mirror(site.home_url, folder, args.wget_timeout))
    print(render(rows, posts, comments, extra_pages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
