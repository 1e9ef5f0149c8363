"""Endless archives: a /page/N/ that never ends is cut off by the listing page budget
(recorded), one that repeats itself stops when it lists nothing new, and an infinite
calendar is never followed."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from tests.crawling import run_scrapy_crawl
from tests.faults.server import FaultServer, Page, listing_html, post_html

BUDGET = 4
CALENDAR = """<aside class="widget widget_calendar"><table id="wp-calendar">
<caption>May 2021</caption><tr><td><a href="/2021/05/03/">3</a></td></tr></table>
<nav class="wp-calendar-nav"><a href="/2021/04/">&laquo; Apr</a> <a href="/2021/06/">Jun &raquo;</a>
<a href="/?m=202106">June</a> <a href="/events/month/2021-06/">events</a></nav></aside>"""


def _endless_fresh(path: str) -> Page | None:
    """/page/N/ lists post N and links /page/N+1/, forever; /post-N/ is that post."""
    if match := re.fullmatch(r"/page/(\d+)/", path):
        n = int(match.group(1))
        html = listing_html([(f"/post-{n}/", f"Post {n}")], next_page=f"/page/{n + 1}/")
        return Page(html.encode())
    if match := re.fullmatch(r"/post-(\d+)/", path):
        n = int(match.group(1))
        return Page(post_html(1000 + n, f"Post {n}", "<p>Endless.</p>").encode())
    return None


def _endless_same(path: str) -> Page | None:
    """/page/N/ lists the same two posts and links /page/N+1/, forever (plus a calendar)."""
    if match := re.fullmatch(r"/page/(\d+)/", path):
        n = int(match.group(1))
        html = listing_html([("/same-a/", "Same A"), ("/same-b/", "Same B")],
                            next_page=f"/page/{n + 1}/", extra=CALENDAR)
        return Page(html.encode())
    if match := re.fullmatch(r"/(\d{4})/(\d{2})/(\d{2}/)?", path):  # date archives
        return Page(listing_html([], extra=CALENDAR).encode())
    return None


def test_endless_archives_are_cut_off(tmp_path: Path) -> None:
    archive = tmp_path / "archive.db"
    with FaultServer() as fresh, FaultServer() as same:
        fresh.fallback = _endless_fresh
        fresh.home([("/post-1/", "Post 1")], next_page="/page/2/")
        fresh.add_post("/post-1/", 1001, "Post 1")
        same.fallback = _endless_same
        same.home([("/same-a/", "Same A"), ("/same-b/", "Same B")], next_page="/page/2/",
                  extra=CALENDAR)
        same.add_post("/same-a/", 2001, "Same A")
        same.add_post("/same-b/", 2002, "Same B")
        result = run_scrapy_crawl(f"{fresh.url},{same.url}", archive,
                                  f"ARCHIVE_MAX_PAGES={BUDGET}", timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
        fresh_listings = [p for p in fresh.paths() if p == "/" or p.startswith("/page/")]
        same_listings = [p for p in same.paths() if p == "/" or p.startswith("/page/")]
        same_paths = same.paths()

    # the repeating pagination stops at the first page that lists nothing new
    assert same_listings == ["/", "/page/2/"]
    # the fresh one runs into the budget (listing pages per blog)
    assert fresh_listings == ["/", "/page/2/", "/page/3/", "/page/4/"]
    with sqlite3.connect(archive) as conn:
        errors = conn.execute("select url, reason, attempts from fetch_errors").fetchall()
        posts = conn.execute("select count(*) from posts").fetchone()[0]
    assert len(errors) == 1
    url, reason, attempts = errors[0]
    assert url == f"{fresh.url}page/{len(fresh_listings) + 1}/" and attempts == 0
    assert reason.startswith("not followed: listing page budget reached (4 pages")
    assert posts == len(fresh_listings) + 2
    # calendar and date-archive links are never followed
    assert not [p for p in same_paths if "?m=" in p or "/events/" in p or p.startswith("/2021/")]
