"""Write archived pages into the SQLite archive (schema in ``schema.py``).

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
pages of posts that are not complete yet, which the next crawl fetches again.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import os
import secrets
import sqlite3
import time
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from scraper import __version__
from scraper.archive.checks import write_checks
from scraper.archive.schema import TABLES_BY_NAME, ensure_schema
from scraper.model.items import ArchivedPage, CrawlReport
from scraper.model.records import Author, Comment, Credit, Image, PageExtraction, Post, Term
from scraper.model.urls import blog_id_for, canonicalize, post_path_key, post_url_of_comment_page

Row = dict[str, Any]

logger = logging.getLogger(__name__)


def utc_now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


BUSY_TIMEOUT = 30.0  # seconds to wait for another writer's lock (ARCHIVE_BUSY_TIMEOUT)


class ArchiveUnusable(Exception):
    """The archive file cannot be written: locked, read-only, corrupt or the disk is full.

    ``str()`` is one line for people: what is wrong with which file, and what to do.
    """


def open_archive(path: str | Path, busy_timeout: float | None = None) -> sqlite_utils.Database:
    """Open (creating or migrating) an archive file."""
    timeout = BUSY_TIMEOUT if busy_timeout is None else busy_timeout
    conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
    # WAL lets Datasette read while we write; NORMAL sync is durable enough in WAL
    # (a power cut can lose the last transaction, never corrupt the file).
    conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    # One short transaction per page: a 64 MB page cache keeps the indexes' hot pages
    # between them, and checkpointing every ~40 MB of WAL instead of SQLite's 4 MB
    # means ten times fewer fsyncs of the archive (bench/storage.py: ~1.5× pages/s).
    conn.execute("PRAGMA cache_size=-65536")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("PRAGMA wal_autocheckpoint=10000")
    db = sqlite_utils.Database(conn)
    ensure_schema(db)
    return db


def check_archive(path: str | Path, busy_timeout: float | None = None) -> None:
    """Open the archive and take its write lock once; raise ArchiveUnusable if we can't."""
    db = None
    try:
        db = open_archive(path, busy_timeout)
        db.conn.execute("BEGIN IMMEDIATE")
        db.conn.execute("ROLLBACK")
    except sqlite3.Error as error:
        raise ArchiveUnusable(describe_archive_error(error, path, busy_timeout)) from error
    finally:
        if db is not None:
            db.close()


def describe_archive_error(
    error: BaseException, path: str | Path, busy_timeout: float | None = None
) -> str:
    """One line saying what is wrong with the archive file, from an sqlite3 error."""
    message = str(error).lower()
    waited = BUSY_TIMEOUT if busy_timeout is None else busy_timeout
    if "locked" in message or "busy" in message:
        return (f"archive {path} is locked by another program (waited {waited:g} s); "
                "stop the other crawl or choose another --archive")
    if "readonly" in message or "read-only" in message or "unable to open" in message:
        return (f"archive {path} cannot be written (read-only file or folder, or no "
                "permission); choose another --archive")
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return (f"archive {path} is not a wparchive SQLite file or is corrupt ({error}); "
                "choose another --archive")
    if "full" in message:
        return f"archive {path} could not be written: the disk is full ({error})"
    if "disk i/o" in message:
        return f"archive {path} could not be written: the disk is full or failing ({error})"
    return f"archive {path} cannot be used: {error}"


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
        self._file = _database_file(db.conn)
        if self.batch_pages > 1 and self._file:
            _BATCHING[self._file] = self

    @classmethod
    def open(
        cls,
        path: str | Path,
        busy_timeout: float | None = None,
        batch_pages: int = 1,
        batch_seconds: float = 0.0,
    ) -> ArchiveStore:
        return cls(open_archive(path, busy_timeout), batch_pages, batch_seconds)

    def close(self) -> None:
        try:
            self.flush()
        finally:
            if _BATCHING.get(self._file) is self:
                del _BATCHING[self._file]
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

    def start_crawl(self, start_urls: Sequence[str], options: Mapping[str, Any]) -> str:
        self.mark_dead_crawls()
        started = utc_now()
        crawl_id = f"{started}-{secrets.token_hex(3)}"
        with self._transaction():
            self.db["crawls"].insert(
                {
                    "id": crawl_id,
                    "started_at": started,
                    "status": "running",
                    "pid": os.getpid(),
                    "heartbeat": started,
                    "start_urls": json.dumps(list(start_urls)),
                    "extractor_version": __version__,
                    "options": json.dumps(dict(options), sort_keys=True, default=str),
                }
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
    ) -> None:
        """Close the crawls row: its counts, the crawl report (route, mode, requests by
        kind, the completeness check per blog; None when no spider reported, as with
        ``reextract``) and, for a finished crawl without fetch errors, the tombstones of
        what the fully listed blogs no longer have."""
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
            write_checks(self.db, crawl_id, [dataclasses.asdict(blog) for blog in blogs])
            self.db["crawls"].update(
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

        The media row may still be buffered by the crawl's batching store (another
        connection, same file, same process): then the file joins that batch, written
        after the row."""
        holder = _BATCHING.get(self._file)
        if holder is not None and holder is not self and not holder._batch.empty:
            holder._batch.media_files.append((media_id, dict(fields)))
            return
        self._batch.media_files.append((media_id, dict(fields)))
        self.flush()

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
                if not _process_alive(pid) or _older_than(heartbeat or started, STALE_AFTER)]
        if dead:
            with self._transaction():
                for crawl_id, last in dead:
                    self.db.execute(
                        "update crawls set status = 'interrupted', finished_at = ?,"
                        " finish_reason = 'process died' where id = ?", [last, crawl_id])
        return [crawl_id for crawl_id, _ in dead]

    def heartbeat(self, crawl_id: str) -> None:
        with self._transaction():
            self.db.execute("update crawls set heartbeat = ? where id = ?",
                            [utc_now(), crawl_id])

    def url_states(self, blog_id: str) -> list[Row]:
        """``url_state`` rows of a blog whose post is live in the archive."""
        self.flush()
        cursor = self.db.execute(
            "select u.url, u.post_id, u.etag, u.last_modified, u.api_modified, u.complete_at"
            " from url_state u left join posts p on p.id = u.post_id"
            " where u.blog_id = ? and (u.post_id is null or p.deleted_at is null)", [blog_id])
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def save_url_state(self, crawl_id: str, row: Row) -> None:
        with self._transaction():
            _upsert(self.db, "url_state", [{**row, "crawl_id": crawl_id,
                                            "checked_at": utc_now()}])

    def post_complete(self, crawl_id: str, row: Row) -> None:
        """A post page and all its comment pages are stored: remember it (``url_state``)
        and tombstone its comments and credits this crawl did not see.

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
        """``url_state`` rows of completed posts, and their comments and credits that the
        crawl did not see tombstoned.  Rows this crawl wrote carry its crawl_id, whether
        their page came before or after the completion in the batch: only older rows go."""
        states = [{**row, "complete_at": now, "crawl_id": crawl_id, "checked_at": now}
                  for crawl_id, row, now in completions]
        for group in _by_columns(states):
            _upsert(self.db, "url_state", group)
        for table in ("comments", "credits"):
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
                for table in ("comments", "credits"):
                    self.db.execute(
                        f"update [{table}] set last_seen = ?, crawl_id = ? where post_id in"
                        f" ({marks}) and deleted_at is null", [now, crawl_id, *chunk])

    def tombstone_posts(self, crawl_id: str, post_ids: Sequence[str]) -> int:
        """Posts gone from the blog: marked deleted with their comments, never removed."""
        now = utc_now()
        marked = 0
        with self._transaction():
            for chunk in _chunks(post_ids):
                marks = ", ".join("?" for _ in chunk)
                marked += self.db.execute(
                    f"update posts set deleted_at = ?, deleted_crawl_id = ? where id in"
                    f" ({marks}) and deleted_at is null", [now, crawl_id, *chunk]).rowcount
                for table in ("comments", "credits"):
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


# Stores that batch, by database file: an image's file (MediaPipeline, its own store) must
# be written after its media row, which the crawl's store may still hold in its batch.
_BATCHING: weakref.WeakValueDictionary[str, ArchiveStore] = weakref.WeakValueDictionary()

_REFRESH_COMMENT_COUNT = (
    "update posts set comments_archived = (select count(*) from comments"
    " where post_id = ? and deleted_at is null) where id = ?")

# The tables of a page, in foreign-key order (page_rows keys them in this order too).
PAGE_TABLES = ("blogs", "authors", "posts", "post_versions", "terms", "post_terms", "media",
               "post_media", "credits", "comments", "comment_versions")


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
                key = _row_key(table, row)
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


def _database_file(conn: sqlite3.Connection) -> str:
    """The main database's file ('' in memory)."""
    for _, name, file in conn.execute("pragma database_list"):
        if name == "main":
            return file or ""
    return ""


STALE_AFTER = 600  # seconds without a heartbeat after which a "running" crawl is dead


def _process_alive(pid: int | None) -> bool:
    if not pid:
        return True  # unknown (older archive): the heartbeat decides
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    try:  # a zombie (killed, not yet reaped) is dead
        state = Path(f"/proc/{int(pid)}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def _older_than(iso: str | None, seconds: float) -> bool:
    if not iso:
        return True
    try:
        when = datetime.fromisoformat(iso.removesuffix("Z")).replace(tzinfo=UTC)
    except ValueError:
        return True
    return (datetime.now(UTC) - when).total_seconds() > seconds


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- rows -------------------------------------------------------------------


def page_rows(page: ArchivedPage, crawl_id: str, seen_at: str) -> dict[str, list[Row]]:
    """All rows one archived page contributes, keyed by table, in foreign-key order."""
    extraction = page.extraction
    blog_id = blog_id_for(page.blog_url)
    seen = {"first_seen": seen_at, "last_seen": seen_at, "crawl_id": crawl_id,
            "deleted_at": None, "deleted_crawl_id": None}
    rows: dict[str, list[Row]] = {name: [] for name in (
        "blogs", "authors", "posts", "post_versions", "terms", "post_terms", "media",
        "post_media", "credits", "comments", "comment_versions")}
    rows["blogs"].append(_blog_row(blog_id, page, seen))
    post = extraction.post
    if post is None:
        return rows
    post_id = post_key(blog_id, post, page.post_url)
    author_id = None
    if post.author is not None:
        author_id = author_key(blog_id, post.author)
        rows["authors"].append(_author_row(author_id, blog_id, post.author, seen))
    if page.comment_page is None:
        # Comment pages repeat the post; only the post's own URL is its record.
        post_row = _post_row(post_id, blog_id, author_id, page, post, extraction, seen)
        rows["posts"].append(post_row)
        rows["post_versions"].append(_post_version_row(post_row, post, extraction, seen))
        for term in post.terms:
            term_id = term_key(blog_id, term)
            rows["terms"].append(_term_row(term_id, blog_id, term, seen))
            rows["post_terms"].append({"post_id": post_id, "term_id": term_id})
        for image in _post_images(post):
            rows["media"].append(_media_row(blog_id, image, seen))
            rows["post_media"].append(
                {"post_id": post_id, "media_id": image.url, "role": image.role}
            )
        for credit in extraction.credits:
            rows["credits"].append(_credit_row(post_id, credit, seen))
        # An image a credit names that the post's images miss (a caption's sub-size):
        # a media row too, so credits.media_id always points at one (and it is downloaded).
        listed = {row["id"] for row in rows["media"]}
        for url in dict.fromkeys(c.image_url for c in extraction.credits if c.image_url):
            if url not in listed:
                rows["media"].append(_media_row(blog_id, Image(url=url), seen))
                rows["post_media"].append({"post_id": post_id, "media_id": url, "role": "body"})
    else:
        rows["posts"].append({"id": post_id, "blog_id": blog_id, **seen})
    rows["comments"] = _comment_rows(blog_id, post_id, page, extraction.comments, seen)
    rows["comment_versions"] = [_comment_version_row(row, seen) for row in rows["comments"]]
    # Provenance (scraper/crawl/warc.py): the response these rows were extracted from.
    provenance = page_provenance(page)
    for row in (*rows["comments"], *rows["credits"],
                *(rows["posts"] if page.comment_page is None else ())):
        row.update(provenance)
    # Deduplicate: a page may repeat a term or an image.
    return {name: list({_row_key(name, r): r for r in table_rows}.values())
            for name, table_rows in rows.items()}


def page_provenance(page: ArchivedPage) -> Row:
    return {"warc_file": page.warc_file, "warc_record_id": page.warc_record_id,
            "payload_digest": page.payload_digest, "extractor_version": __version__}


def post_key(blog_id: str, post: Post, post_url: str) -> str:
    if post.wp_id is not None:
        return f"{blog_id}/?p={post.wp_id}"
    return f"{blog_id}{post_path_key(post.canonical_url or post_url)}"


def post_url(post: Post, page: ArchivedPage) -> str:
    """The post's own URL: WordPress's canonical link on a comment page (and, with
    ``default_comments_page=newest``, on the post itself) names the comment page."""
    return post_url_of_comment_page(canonicalize(post.canonical_url or page.post_url))


def author_key(blog_id: str, author: Author) -> str:
    slug = author.slug or _slugish(author.name)
    return f"{blog_id}/author/{slug}"


def term_key(blog_id: str, term: Term) -> str:
    slug = term.slug or _slugish(term.name)
    return f"{blog_id}/{term.taxonomy}/{slug}"


def comment_key(blog_id: str, post_id: str, comment: Comment) -> str:
    if comment.wp_id is not None:
        return f"{blog_id}/#comment-{comment.wp_id}"
    digest = hashlib.sha256(
        "\x1f".join([comment.author_name or "", comment.date_text or "", comment.text]).encode()
    ).hexdigest()[:16]
    return f"{post_id}#c-{digest}"


def content_hash(post: Post, credits: Iterable[Credit]) -> str:
    payload = {
        "title": post.title,
        "body": post.body_html,
        "terms": sorted((t.taxonomy, t.name) for t in post.terms),
        "credits": [(c.text, c.name, c.url) for c in credits],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _blog_row(blog_id: str, page: ArchivedPage, seen: Row) -> Row:
    info = page.extraction.blog
    return {
        "id": blog_id,
        "url": page.blog_url,
        "name": info.name,
        "is_wordpress_com": int(info.is_wordpress_com),
        "generator": info.generator,
        "language": info.language,
        **seen,
    }


def _author_row(author_id: str, blog_id: str, author: Author, seen: Row) -> Row:
    return {"id": author_id, "blog_id": blog_id, "name": author.name, "url": author.url,
            "slug": author.slug, **seen}


def _post_row(
    post_id: str,
    blog_id: str,
    author_id: str | None,
    page: ArchivedPage,
    post: Post,
    extraction: PageExtraction,
    seen: Row,
) -> Row:
    return {
        "id": post_id,
        "blog_id": blog_id,
        "wp_id": post.wp_id,
        "url": post_url(post, page),
        "fetched_url": page.fetched_url,
        "title": post.title,
        "published": post.published,
        "modified": post.modified,
        "published_text": post.published_text,
        "published_local": post.published_local,
        "year": _year(post.published_local or post.published),
        "author_id": author_id,
        "body_html": post.body_html,
        "body_text": post.body_text,
        "excerpt": post.excerpt,
        "word_count": post.word_count,
        "featured_image_url": post.featured_image.url if post.featured_image else None,
        "language": post.language,
        "comment_count_shown": extraction.comments_info.count_shown,
        "comments_not_in_html": extraction.comments_info.not_in_html,
        "content_hash": content_hash(post, extraction.credits),
        "fetched_at": page.fetched_at,
        "http_status": page.http_status,
        **seen,
    }


def _post_version_row(post_row: Row, post: Post, extraction: PageExtraction, seen: Row) -> Row:
    return {
        "post_id": post_row["id"],
        "content_hash": post_row["content_hash"],
        "title": post.title,
        "body_html": post.body_html,
        "body_text": post.body_text,
        "terms": json.dumps(sorted([t.taxonomy, t.name] for t in post.terms)),
        "credits": json.dumps([[c.text, c.name, c.url] for c in extraction.credits]),
        "modified": post.modified,
        "first_seen": seen["first_seen"],
        "last_seen": seen["last_seen"],
        "crawl_id": seen["crawl_id"],
    }


def _comment_version_row(comment_row: Row, seen: Row) -> Row:
    digest = hashlib.sha256(comment_row["html"].encode()).hexdigest()
    return {
        "comment_id": comment_row["id"],
        "content_hash": digest,
        "text": comment_row["text"],
        "html": comment_row["html"],
        "first_seen": seen["first_seen"],
        "last_seen": seen["last_seen"],
        "crawl_id": seen["crawl_id"],
    }


def _term_row(term_id: str, blog_id: str, term: Term, seen: Row) -> Row:
    return {"id": term_id, "blog_id": blog_id, "taxonomy": term.taxonomy, "name": term.name,
            "slug": term.slug, "url": term.url, **seen}


def _post_images(post: Post) -> list[Image]:
    images = [post.featured_image] if post.featured_image else []
    return images + [i for i in post.images if not post.featured_image
                     or i.url != post.featured_image.url]


def _media_row(blog_id: str, image: Image, seen: Row) -> Row:
    return {"id": image.url, "blog_id": blog_id, "url": image.url, "alt": image.alt,
            "width": image.width, "height": image.height, **seen}


def _credit_row(post_id: str, credit: Credit, seen: Row) -> Row:
    return {
        "id": f"{post_id}#credit-{credit.position}",
        "post_id": post_id,
        "position": credit.position,
        "text": credit.text,
        "name": credit.name,
        "url": credit.url,
        "role": credit.role,
        "place": credit.place,
        "image_url": credit.image_url,
        "media_id": credit.image_url,
        **seen,
    }


def _comment_rows(
    blog_id: str, post_id: str, page: ArchivedPage, comments: Sequence[Comment], seen: Row
) -> list[Row]:
    keys = [comment_key(blog_id, post_id, c) for c in comments]
    rows = []
    for comment, key in zip(comments, keys, strict=True):
        if comment.parent_wp_id is not None:
            parent_id: str | None = f"{blog_id}/#comment-{comment.parent_wp_id}"
        elif comment.parent_position is not None and comment.parent_position < len(keys):
            parent_id = keys[comment.parent_position]
        else:
            parent_id = None
        rows.append(
            {
                "id": key,
                "blog_id": blog_id,
                "post_id": post_id,
                "wp_id": comment.wp_id,
                "parent_id": parent_id,
                "depth": comment.depth,
                "type": comment.type,
                "author_name": comment.author_name,
                "author_url": comment.author_url,
                "published": comment.published,
                "date_text": comment.date_text,
                "text": comment.text,
                "html": comment.html,
                "url": comment.url,
                "comment_page": page.extraction.comments_info.page or page.comment_page or 1,
                "position": comment.position,
                **seen,
            }
        )
    return rows


def _row_key(table: str, row: Row) -> tuple[Any, ...]:
    return tuple(map(row.__getitem__, _PK_COLUMNS[table]))


_PK_COLUMNS = {name: (spec.pk,) if isinstance(spec.pk, str) else spec.pk
               for name, spec in TABLES_BY_NAME.items()}


def _year(iso: str | None) -> int | None:
    return int(iso[:4]) if iso and iso[:4].isdigit() else None


def _slugish(name: str) -> str:
    return "-".join(name.lower().split()) or "unknown"


def _upsert(db: sqlite_utils.Database, table: str, rows: list[Row]) -> None:
    """INSERT … ON CONFLICT DO UPDATE, keeping ``first_seen`` of existing rows.

    All rows must have the columns of the first (``_by_columns``)."""
    if not rows:
        return
    columns = tuple(rows[0])
    db.conn.executemany(_upsert_sql(table, columns), [[r[c] for c in columns] for r in rows])


@functools.lru_cache(maxsize=256)
def _upsert_sql(table: str, columns: tuple[str, ...]) -> str:
    spec = TABLES_BY_NAME[table]
    pk = (spec.pk,) if isinstance(spec.pk, str) else spec.pk
    updates = [c for c in columns if c not in pk and c != "first_seen"]
    assignments = ", ".join(f"[{c}] = excluded.[{c}]" for c in updates)
    conflict = f"do update set {assignments}" if updates else "do nothing"
    return (
        f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
        f"values ({', '.join('?' for _ in columns)}) "
        f"on conflict ({', '.join(f'[{c}]' for c in pk)}) {conflict}"
    )
