"""The one writer of the archive: pages, post completions, tombstones and crawl records,
each in a short transaction (rows from ``rows.py``, file from ``connection.py``).

A page, with its post, terms, credits, media and comments, is written in one
short transaction, so a crawl killed at any moment leaves only whole pages
behind, and Datasette can read the file (WAL) while a crawl writes it.
Rows are upserted on deterministic keys: a rerun updates them in place,
keeps ``first_seen`` and moves ``last_seen``.

A crawl (``ArchivePipeline``) batches: pages and post completions are buffered and
written together, ``batch_pages`` pages or ``batch_seconds`` at a time, in one
transaction that also carries the ``url_state`` rows marking those posts complete.
Every other write (tombstones, heartbeat, fetch errors, the crawl's end) writes the
buffer first, in its own transaction, so the archive never records anything that
depends on a page before that page.  A crawl killed with a batch buffered loses only
pages of posts that are not complete yet, which the next crawl fetches again.  The
image files the media pipeline downloads go through the same writer (the crawl's, handed
over by ``ArchivePipeline``), so a file is never written before its buffered media row.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import secrets
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from scraper import __version__
from scraper.archive.checks import write_checks
from scraper.archive.connection import DEFAULT_BUSY_TIMEOUT, open_archive
from scraper.archive.liveness import crawl_is_dead
from scraper.archive.rows import PAGE_TABLES, Row, page_rows, row_key
from scraper.archive.schema import TABLES_BY_NAME
from scraper.model.items import ArchivedPage, CrawlReport
from scraper.model.keys import utc_now
from scraper.model.urls import blog_id_for

logger = logging.getLogger(__name__)


def new_crawl_id(started: str | None = None) -> str:
    """A crawl's id: its start time (sortable) and a random suffix."""
    return f"{started or utc_now()}-{secrets.token_hex(3)}"


class ArchiveStore:
    """The one writer of the archive."""

    def __init__(
        self, db: sqlite_utils.Database, batch_pages: int = 1, batch_seconds: float = 0.0
    ) -> None:
        self.db = db
        self.batch_pages = max(1, batch_pages)
        self.batch_seconds = batch_seconds
        self._batch = _Batch()
        # Posts whose buffered pages were rolled back: never marked complete by this crawl.
        self._lost_posts: set[str] = set()

    @classmethod
    def open(
        cls,
        path: str | Path,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        batch_pages: int = 1,
        batch_seconds: float = 0.0,
    ) -> ArchiveStore:
        return cls(open_archive(path, busy_timeout), batch_pages, batch_seconds)

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.db.close()

    # --- batching -----------------------------------------------------------

    @property
    def pending_pages(self) -> int:
        """Pages buffered and not yet written."""
        return self._batch.pages

    def flush(self) -> None:
        """Write what is buffered (pages, post completions, image files) in one transaction."""
        if not self._batch.empty:
            with self._transaction():
                pass

    def flush_if_due(self) -> None:
        """Flush when ``batch_pages`` pages are buffered or the oldest waited ``batch_seconds``."""
        batch = self._batch
        if batch.empty:
            return
        if batch.pages >= self.batch_pages or \
                time.monotonic() - batch.started >= self.batch_seconds:
            self.flush()

    # --- crawls -------------------------------------------------------------

    def start_crawl(self, start_urls: Sequence[str], options: Mapping[str, Any],
                    crawl_id: str | None = None) -> str:
        """A new ``crawls`` row.  A fleet worker names its crawl itself (``new_crawl_id``),
        and the fleet's writer may be handed the same start twice: it is stored once."""
        self.mark_dead_crawls()
        started = utc_now()
        crawl_id = crawl_id or new_crawl_id(started)
        with self._transaction():
            self.db.table("crawls").insert(
                {
                    "id": crawl_id,
                    "started_at": started,
                    "status": "running",
                    "pid": os.getpid(),
                    "heartbeat": started,
                    "start_urls": json.dumps(list(start_urls)),
                    "extractor_version": __version__,
                    "options": json.dumps(dict(options), sort_keys=True, default=str),
                },
                ignore=True,
            )
        return crawl_id

    def finish_crawl(
        self,
        crawl_id: str,
        status: str,
        reason: str,
        report: CrawlReport | None = None,
        *,
        requests: int = 0,
        responses: int = 0,
        response_bytes: int = 0,
        pages: int = 0,
    ) -> int:
        """Close the crawls row: its counts, the crawl report (route, mode, requests by
        kind, the completeness check per blog; None when no spider reported, as with
        ``reextract``) and, for a finished crawl without fetch errors, the tombstones of
        what the fully listed blogs no longer have. Returns the shortfalls the check found."""
        self.flush()  # the counts and tombstone_unseen below read what this crawl stored
        counts = {
            name: self.db.execute(
                f"select count(*) from {name} where crawl_id = ?", [crawl_id]
            ).fetchone()[0]
            for name in ("posts", "comments")
        }
        errors = self.db.execute(
            "select count(*) from fetch_errors where crawl_id = ?", [crawl_id]
        ).fetchone()[0]
        if status == "finished" and not errors and report is not None:
            # A full listing of the blog, every page fetched: what was not seen is gone.
            for blog_url in report.full_sync_blogs:
                self.tombstone_unseen(crawl_id, blog_id_for(blog_url))
        blogs = report.blogs if report is not None else ()
        with self._transaction():
            shortfalls = write_checks(self.db, crawl_id, blogs,
                                      media=report is not None and report.media)
            self.db.table("crawls").update(
                crawl_id,
                {
                    "finished_at": utc_now(),
                    "status": status,
                    "finish_reason": reason,
                    "requests": requests,
                    "responses": responses,
                    "bytes": response_bytes,
                    "pages": pages,
                    "route": report.route if report is not None else None,
                    "mode": report.mode if report is not None else None,
                    "route_reason": report.route_reason if report is not None else None,
                    "requests_by_kind": json.dumps(
                        dict(report.requests_by_kind) if report is not None else {},
                        sort_keys=True),
                    "posts": counts["posts"],
                    "comments": counts["comments"],
                    "errors": errors,
                },
            )
        return shortfalls

    def record_fetch_error(
        self, crawl_id: str, url: str, reason: str, http_status: int | None, attempts: int
    ) -> None:
        with self._transaction():
            _upsert(
                self.db,
                "fetch_errors",
                [
                    {
                        "crawl_id": crawl_id,
                        "url": url,
                        "reason": reason,
                        "http_status": http_status,
                        "attempts": attempts,
                        "at": utc_now(),
                    }
                ],
            )

    # --- pages --------------------------------------------------------------

    def save_page(self, page: ArchivedPage, crawl_id: str) -> None:
        """Store one fetched post page (or comment page): in its own transaction, or
        (``batch_pages`` > 1) with the batch it joins."""
        self._join_batch(crawl_id)
        self._batch.add_page(page_rows(page, crawl_id, seen_at=utc_now()))
        self.flush_if_due()

    def save_media_file(self, media_id: str, fields: Mapping[str, Any]) -> None:
        """The downloaded file of an image (scraper/crawl/media.py): sha256, local_path, …

        The media row may still be in the batch (the crawl's pages): then the file joins
        the batch, written after the row; with nothing buffered it is written at once."""
        buffered = not self._batch.empty
        self._batch.media_files.append((media_id, dict(fields)))
        if not buffered:
            self.flush()

    def media_without_file(self, crawl_id: str) -> list[tuple[str, str]]:
        """(image URL, blog URL) of the images of this crawl's posts (stored or only seen)
        that have no stored file, but for those the scope rules refuse."""
        self.flush()
        return [(row[0], row[1]) for row in self.db.execute(
            "select distinct m.id, b.url from post_media pm join posts p on p.id = pm.post_id"
            " join media m on m.id = pm.media_id join blogs b on b.id = p.blog_id"
            " where p.crawl_id = ? and p.deleted_at is null and m.sha256 is null"
            " and coalesce(m.failure, '') not like 'refused by scope%' order by m.id",
            [crawl_id],
        ).fetchall()]

    def _join_batch(self, crawl_id: str) -> None:
        if self._batch.crawl_id not in (None, crawl_id):
            self.flush()  # a batch belongs to one crawl
        self._batch.crawl_id = crawl_id

    def _write_batch(self, batch: _Batch) -> None:
        """The batch's rows (merged by key, in foreign-key order), then image files, then
        post completions, then each touched post's comment count."""
        for table, rows in batch.rows.items():
            for group in _by_columns(rows.values()):
                _upsert(self.db, table, group)
        for media_id, fields in batch.media_files:
            columns = list(fields)
            self.db.execute(
                f"update media set {', '.join(f'[{c}] = ?' for c in columns)} where id = ?",
                [*(fields[c] for c in columns), media_id])
        self._complete_posts(batch.completions)
        self.db.conn.executemany(_REFRESH_COMMENT_COUNT, [[p, p] for p in batch.post_ids])

    def _refresh_comment_count(self, post_id: str) -> None:
        self.db.execute(_REFRESH_COMMENT_COUNT, [post_id, post_id])

    # --- crash recovery, incremental crawls, deletions (nothing is ever removed) ---

    def mark_dead_crawls(self) -> list[str]:
        """Crawls left ``running`` by a process that is gone (killed, crashed) become
        ``interrupted``; what they stored is whole (one transaction per page)."""
        rows = self.db.execute(
            "select id, pid, heartbeat, started_at from crawls where status = 'running'"
        ).fetchall()
        dead = [(crawl_id, heartbeat or started) for crawl_id, pid, heartbeat, started in rows
                if crawl_is_dead(pid, heartbeat or started)]
        if dead:
            with self._transaction():
                for crawl_id, last in dead:
                    self.db.execute(
                        "update crawls set status = 'interrupted', finished_at = ?,"
                        " finish_reason = 'process died' where id = ?", [last, crawl_id])
        return [crawl_id for crawl_id, _ in dead]

    def interrupt_crawl(self, crawl_id: str, reason: str) -> None:
        """A crawl still ``running`` whose process is known to be gone (a fleet worker that
        lost its lease) becomes ``interrupted``."""
        with self._transaction():
            self.db.execute(
                "update crawls set status = 'interrupted', finished_at = heartbeat,"
                " finish_reason = ? where id = ? and status = 'running'", [reason, crawl_id])

    def remember_warc_payload(self, digest: str, uri: str, date: str, record_id: str,
                              warc_file: str, offset: int) -> None:
        """The payload index (``warc_payloads``) of a response record written elsewhere."""
        with self._transaction():
            self.db.execute(
                "insert or ignore into warc_payloads (payload_digest, uri, date, record_id,"
                " warc_file, offset) values (?, ?, ?, ?, ?, ?)",
                [digest, uri, date, record_id, warc_file, offset])

    def stored_media(self, root: Path) -> set[str]:
        """The images whose file is in the archive's folder ``root``."""
        return {media_id for media_id, local_path in self.db.execute(
            "select id, local_path from media where sha256 is not null")
            if local_path and (root / local_path).is_file()}

    def blog_media_without_file(self, blog_id: str) -> list[tuple[str, str]]:
        """(image URL, blog URL) of the blog's posts' images that have no stored file, but
        for those the scope rules refuse (what ``media_without_file`` asks per crawl)."""
        self.flush()
        return [(row[0], row[1]) for row in self.db.execute(
            "select distinct m.id, b.url from post_media pm join posts p on p.id = pm.post_id"
            " join media m on m.id = pm.media_id join blogs b on b.id = p.blog_id"
            " where p.blog_id = ? and p.deleted_at is null and m.sha256 is null"
            " and coalesce(m.failure, '') not like 'refused by scope%' order by m.id",
            [blog_id],
        ).fetchall()]

    def running_crawl_of(self, start_urls: Sequence[str]) -> str | None:
        """The latest crawl of exactly these start URLs still marked ``running``."""
        row = self.db.execute(
            "select id from crawls where status = 'running' and start_urls = ?"
            " order by started_at desc limit 1", [json.dumps(list(start_urls))]).fetchone()
        return str(row[0]) if row else None

    def heartbeat(self, crawl_id: str) -> None:
        with self._transaction():
            self.db.execute("update crawls set heartbeat = ? where id = ?",
                            [utc_now(), crawl_id])

    def save_url_state(self, crawl_id: str, row: Row) -> None:
        with self._transaction():
            _upsert(self.db, "url_state", [{**row, "crawl_id": crawl_id,
                                            "checked_at": utc_now()}])

    def post_complete(self, crawl_id: str, row: Row) -> None:
        """A post page and all its comment pages are stored: remember it (``url_state``)
        and tombstone its comments, credits and review this crawl did not see.

        Buffered with the post's pages when they are, so it commits with (or after) them;
        a post whose pages were rolled back is not complete."""
        if row["post_id"] in self._lost_posts:
            logger.warning("post %s not marked complete: its pages were not stored",
                           row["post_id"])
            return
        self._join_batch(crawl_id)
        self._batch.add_completion(crawl_id, row, utc_now())
        self.flush_if_due()

    def _complete_posts(self, completions: Sequence[tuple[str, Row, str]]) -> None:
        """``url_state`` rows of completed posts, and their comments, credits and review that the
        crawl did not see tombstoned.  Rows this crawl wrote carry its crawl_id, whether
        their page came before or after the completion in the batch: only older rows go."""
        states = [{**row, "complete_at": now, "crawl_id": crawl_id, "checked_at": now}
                  for crawl_id, row, now in completions]
        for group in _by_columns(states):
            _upsert(self.db, "url_state", group)
        for table in ("comments", "credits", "reviews"):
            self.db.conn.executemany(
                f"update [{table}] set deleted_at = ?, deleted_crawl_id = ? where post_id = ?"
                " and deleted_at is null and crawl_id is not ?",
                [[now, crawl_id, row["post_id"], crawl_id]
                 for crawl_id, row, now in completions])

    def touch_posts(self, crawl_id: str, blog_id: str, post_ids: Sequence[str]) -> None:
        """Unchanged posts (not re-fetched): seen by this crawl, with their comments."""
        now = utc_now()
        with self._transaction():
            self.db.execute("update blogs set last_seen = ?, crawl_id = ? where id = ?",
                            [now, crawl_id, blog_id])
            for chunk in _chunks(post_ids):
                marks = ", ".join("?" for _ in chunk)
                self.db.execute(f"update posts set last_seen = ?, crawl_id = ? where id in"
                                f" ({marks}) and deleted_at is null", [now, crawl_id, *chunk])
                for table in ("comments", "credits", "reviews"):
                    self.db.execute(
                        f"update [{table}] set last_seen = ?, crawl_id = ? where post_id in"
                        f" ({marks}) and deleted_at is null", [now, crawl_id, *chunk])

    def tombstone_posts(self, crawl_id: str, post_ids: Sequence[str]) -> int:
        """Posts gone from the blog: marked deleted with their comments, credits and
        review, never removed."""
        now = utc_now()
        marked = 0
        with self._transaction():
            for chunk in _chunks(post_ids):
                marks = ", ".join("?" for _ in chunk)
                marked += self.db.execute(
                    f"update posts set deleted_at = ?, deleted_crawl_id = ? where id in"
                    f" ({marks}) and deleted_at is null", [now, crawl_id, *chunk]).rowcount
                for table in ("comments", "credits", "reviews"):
                    self.db.execute(
                        f"update [{table}] set deleted_at = ?, deleted_crawl_id = ? where"
                        f" post_id in ({marks}) and deleted_at is null", [now, crawl_id, *chunk])
                self.db.execute(
                    f"update posts set comments_archived = 0 where id in ({marks})", chunk)
        return marked

    def tombstone_comments(self, crawl_id: str, comment_ids: Sequence[str]) -> int:
        now = utc_now()
        marked = 0
        with self._transaction():
            for chunk in _chunks(comment_ids):
                marks = ", ".join("?" for _ in chunk)
                marked += self.db.execute(
                    f"update comments set deleted_at = ?, deleted_crawl_id = ? where id in"
                    f" ({marks}) and deleted_at is null", [now, crawl_id, *chunk]).rowcount
                posts = [r[0] for r in self.db.execute(
                    f"select distinct post_id from comments where id in ({marks})", chunk)]
                for post_id in posts:
                    self._refresh_comment_count(post_id)
        return marked

    def tombstone_unseen(self, crawl_id: str, blog_id: str) -> int:
        """After a full crawl that listed the whole blog without a fetch error: posts and
        comments of the blog this crawl did not see are gone from it."""
        self.flush()
        post_ids = [r[0] for r in self.db.execute(
            "select id from posts where blog_id = ? and deleted_at is null and crawl_id is not ?",
            [blog_id, crawl_id])]
        marked = self.tombstone_posts(crawl_id, post_ids)
        comment_ids = [r[0] for r in self.db.execute(
            "select id from comments where blog_id = ? and deleted_at is null"
            " and crawl_id is not ?", [blog_id, crawl_id])]
        return marked + self.tombstone_comments(crawl_id, comment_ids)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE, the buffered batch, the caller's writes, COMMIT.

        IMMEDIATE takes the write lock up front so readers never block us mid-transaction;
        a failure rolls everything back, and the posts of a rolled-back batch are never
        marked complete by this crawl (their pages are fetched again by the next one)."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")  # if this fails, the batch stays buffered
        batch, self._batch = self._batch, _Batch()
        try:
            self._write_batch(batch)
            yield
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self._drop(batch)
            raise

    def _drop(self, batch: _Batch) -> None:
        if batch.page_posts:
            logger.warning("%d buffered pages were not stored (posts %s…)", batch.pages,
                           sorted(batch.page_posts)[:3])
        self._lost_posts |= batch.page_posts


_REFRESH_COMMENT_COUNT = (
    "update posts set comments_archived = (select count(*) from comments"
    " where post_id = ? and deleted_at is null) where id = ?")

class _Batch:
    """What one transaction will write: pages' rows merged by primary key (a later page's
    row updates an earlier one's, keeping its ``first_seen``, as a second upsert would),
    image files, and post completions in the order they came."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[tuple[Any, ...], Row]] = {name: {} for name in PAGE_TABLES}
        self.pages = 0
        self.started = 0.0  # time.monotonic() of the first buffered item
        self.crawl_id: str | None = None
        self.page_posts: set[str] = set()  # posts with a page in the batch
        self.post_ids: dict[str, None] = {}  # posts whose comment count to refresh, ordered
        self.completions: list[tuple[str, Row, str]] = []  # (crawl_id, url_state row, time)
        self.media_files: list[tuple[str, Row]] = []

    @property
    def empty(self) -> bool:
        return not (self.pages or self.completions or self.media_files)

    def _touch(self) -> None:
        if self.empty:
            self.started = time.monotonic()

    def add_page(self, rows: Mapping[str, list[Row]]) -> None:
        self._touch()
        self.pages += 1
        for table, table_rows in rows.items():
            merged = self.rows[table]
            for row in table_rows:
                key = row_key(table, row)
                earlier = merged.get(key)
                if earlier is None:
                    merged[key] = row
                else:
                    merged[key] = {**earlier, **row}
                    if "first_seen" in earlier:
                        merged[key]["first_seen"] = earlier["first_seen"]
        for post in rows["posts"]:
            self.page_posts.add(post["id"])
            self.post_ids[post["id"]] = None

    def add_completion(self, crawl_id: str, row: Row, now: str) -> None:
        self._touch()
        self.completions.append((crawl_id, row, now))
        self.post_ids[row["post_id"]] = None


def _by_columns(rows: Iterable[Row]) -> list[list[Row]]:
    """Rows grouped by their column names (one INSERT statement each)."""
    groups: dict[tuple[str, ...], list[Row]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    return list(groups.values())


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _upsert(db: sqlite_utils.Database, table: str, rows: list[Row]) -> None:
    """INSERT … ON CONFLICT DO UPDATE, keeping ``first_seen`` of existing rows.

    All rows must have the columns of the first (``_by_columns``)."""
    if not rows:
        return
    columns = tuple(rows[0])
    db.conn.executemany(_upsert_sql(table, columns), [[r[c] for c in columns] for r in rows])


@functools.lru_cache(maxsize=256)
def _upsert_sql(table: str, columns: tuple[str, ...]) -> str:
    pk = TABLES_BY_NAME[table].key_columns
    updates = [c for c in columns if c not in pk and c != "first_seen"]
    assignments = ", ".join(f"[{c}] = excluded.[{c}]" for c in updates)
    conflict = f"do update set {assignments}" if updates else "do nothing"
    return (
        f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
        f"values ({', '.join('?' for _ in columns)}) "
        f"on conflict ({', '.join(f'[{c}]' for c in pk)}) {conflict}"
    )
