"""The completeness check: what independent sources say a blog has vs what was archived.

Written by the store when a crawl ends (``ArchiveStore.finish_crawl``) from the crawl
report's blog reports (``scraper.model.items.BlogReport``, as mappings). No Scrapy here:
reports in, rows out.

* ``blog_checks``, one row per crawl and blog: the route and why, posts listed /
  archived, the totals each source states (REST ``X-WP-Total``, sitemap entries,
  WordPress.com ``found``), the REST comments total, comments shown and archived, and
  ``complete`` (1 when no shortfall was found).
* ``shortfalls``, one row per problem: a listed post that was not archived
  (``post_not_archived``), a post with fewer comments archived than a source states
  (``comments_short``: the page's "N comments", the feed's ``slash:comments``,
  WordPress.com's ``comment_count``), or fewer posts archived than a source states for
  the blog (``posts_short``), or a listing source that could not be read whole, such as
  a truncated or entity-declaring sitemap (``source_unreadable``): what it lists may be
  short; and, when the crawl downloaded images, an image of one of its posts whose file is
  not stored (``media_missing``; not those the scope rules refuse). A post whose pages
  showed fewer comments than they state, when the REST API then gave its comments, is
  noted as ``page_comments_short`` (expected: stated, archived: shown by the pages): the
  archive holds the API's comments, so this note is not counted as a gap.

The REST comments total (``X-WP-Total`` of ``/wp/v2/comments``) is kept as a number, not
a shortfall: WordPress counts there comments it then hides (on private posts), so it is
an upper bound for ``type = 'comment'`` rows, not an exact count.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import sqlite_utils

from scraper.model.items import BlogReport
from scraper.model.urls import blog_id_for, canonicalize

# Shortfall kinds that record a page's shortfall another source made up for: a note, not
# a gap in the archive (the crawl is complete, its exit code 0).
RECOVERED_KINDS = frozenset({"page_comments_short"})


def check_rows(db: sqlite_utils.Database, crawl_id: str, report: BlogReport,
               media: bool = False) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(the blog_checks row, the shortfalls rows) of one blog's report; ``media``: the
    crawl downloaded images, so those of its posts without a file are short."""
    blog_url = report.blog_url
    blog_id = blog_id_for(blog_url)
    posts = db.execute(
        "select id, url, fetched_url, comment_count_shown, comments_archived from posts"
        " where blog_id = ? and crawl_id = ? and url is not null",
        [blog_id, crawl_id],
    ).fetchall()
    by_url: dict[str, tuple[Any, ...]] = {}
    for row in posts:
        for url in (row[1], row[2]):
            if url:
                by_url[canonicalize(url)] = row
    shortfalls: list[dict[str, Any]] = []

    def short(kind: str, url: str, post_id: str | None, expected: int, archived: int,
              source: str) -> None:
        shortfalls.append({"crawl_id": crawl_id, "blog_id": blog_id, "post_id": post_id,
                           "url": url, "kind": kind, "source": source, "expected": expected,
                           "archived": archived})

    route = report.route or "none"
    for url in report.posts_not_archived:
        if canonicalize(url) not in by_url:
            short("post_not_archived", url, None, 1, 0, route)
    for post_id, url, _fetched, shown, archived in posts:
        if shown is not None and shown > (archived or 0):
            short("comments_short", url, post_id, shown, archived or 0, "count_shown")
    for url, (expected, source) in report.comments_expected.items():
        row = by_url.get(canonicalize(url))
        if row is not None and expected > (row[4] or 0) and (row[3] is None or row[3] < expected):
            short("comments_short", row[1], row[0], expected, row[4] or 0, source)
    for url, stated, shown in report.comments_from_api:
        row = by_url.get(canonicalize(url))
        short("page_comments_short", url, row[0] if row else None, stated, shown, "rest_api")
    for url, source, _why in report.unreadable_sources:
        short("source_unreadable", url, None, 1, 0, source)
    if media:
        for post_id, image_url in missing_media(db, crawl_id, blog_id):
            short("media_missing", image_url, post_id, 1, 0, "media")
    expected_posts = report.posts_expected
    for source, expected in expected_posts.items():
        if expected > len(posts):
            short("posts_short", blog_url, None, expected, len(posts), source)
    comments = db.execute(
        "select count(*), coalesce(sum(type = 'comment'), 0) from comments"
        " where blog_id = ? and crawl_id = ? and deleted_at is null",
        [blog_id, crawl_id],
    ).fetchone()
    shown_total = sum(row[3] or 0 for row in posts)
    check = {
        "crawl_id": crawl_id,
        "blog_id": blog_id,
        "route": report.route,
        "route_reason": report.route_reason,
        "pages_fetched": int(report.fetch_pages),
        "posts_listed": report.posts_listed,
        "posts_archived": len(posts),
        "posts_expected_api": expected_posts.get("api"),
        "posts_expected_wpcom": expected_posts.get("wpcom"),
        "posts_expected_sitemap": expected_posts.get("sitemap"),
        "comments_api_total": report.comments_api_total,
        "comments_shown": shown_total,
        "comments_archived": comments[0],
        "comments_archived_type_comment": comments[1],
        "shortfalls": len(gaps(shortfalls)),
        "complete": int(not gaps(shortfalls) and report.route is not None),
    }
    return check, shortfalls


def missing_media(db: sqlite_utils.Database, crawl_id: str, blog_id: str
                  ) -> list[tuple[str, str]]:
    """(post id, image URL) of the images of this crawl's posts whose file is not stored,
    but for those the scope rules refuse (an image host the crawl may not visit)."""
    return [(row[0], row[1]) for row in db.execute(
        "select pm.post_id, m.id from post_media pm join posts p on p.id = pm.post_id"
        " join media m on m.id = pm.media_id"
        " where p.blog_id = ? and p.crawl_id = ? and p.deleted_at is null"
        " and m.sha256 is null and coalesce(m.failure, '') not like 'refused by scope%'"
        " order by pm.post_id, m.id",
        [blog_id, crawl_id],
    ).fetchall()]


def gaps(shortfalls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The shortfalls that leave the archive short: all but the notes of what another
    source made up for (``page_comments_short``)."""
    return [row for row in shortfalls if row["kind"] not in RECOVERED_KINDS]


def write_checks(db: sqlite_utils.Database, crawl_id: str, reports: Iterable[BlogReport],
                 media: bool = False) -> int:
    """Replace this crawl's check rows (call inside a transaction); the shortfalls found."""
    db.execute("delete from shortfalls where crawl_id = ?", [crawl_id])
    db.execute("delete from blog_checks where crawl_id = ?", [crawl_id])
    found = 0
    for report in reports:
        check, shortfalls = check_rows(db, crawl_id, report, media)
        _insert(db, "blog_checks", [check])
        _insert(db, "shortfalls", shortfalls)
        found += len(gaps(shortfalls))
    return found


def _insert(db: sqlite_utils.Database, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    db.conn.executemany(
        f"insert or replace into [{table}] ({', '.join(f'[{c}]' for c in columns)})"
        f" values ({', '.join('?' for _ in columns)})",
        [[json.dumps(r[c]) if isinstance(r[c], dict | list) else r[c] for c in columns]
         for r in rows],
    )
