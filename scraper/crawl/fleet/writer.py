"""The fleet's one writer: it owns ``archive.db`` and applies what the workers stream.

SQLite takes one writer at a time, so the workers never open the archive: they send their
writes down a Redis stream (``stream_store.py``) and this process applies them in order with
the archive's own writer (``ArchiveStore``), WARC records at their offsets in the archive's
WARC folder and images in its media folder.  Entries are read in chunks through a consumer
group; a chunk is committed (and its WARC files flushed to disk) before its entries are
acknowledged (XACK) and deleted.  A writer killed at any moment loses nothing acknowledged:
its pending entries are read again by the next writer (XAUTOCLAIM, then its own pending
list), and applying an entry twice changes nothing (rows are upserted on their keys, a WARC
record is written at the offset its worker chose, an image is stored by its hash).

Between chunks, once the stream is drained, it answers the workers that start a blog with
what the archive holds of it (``blog_state.py``).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import redis

from scraper.archive.state import load_state
from scraper.archive.writer import ArchiveStore
from scraper.crawl.fleet import blog_state
from scraper.crawl.fleet.blog_state import BlogState
from scraper.crawl.fleet.connection import LONGEST_BLOCK, reply
from scraper.crawl.fleet.messages import GROUP, Message, UnsafeMessage, decode
from scraper.crawl.fleet.stream_store import STREAM
from scraper.crawl.media import store_media_file
from scraper.crawl.warc import warc_dir
from scraper.model.items import ArchivedPage
from scraper.model.urls import blog_id_for

logger = logging.getLogger(__name__)

CONSUMER = "writer"
# ArchiveStore's writes a stream entry may ask for, applied as they are.
STORE_WRITES = frozenset({
    "start_crawl", "finish_crawl", "record_fetch_error", "save_page", "save_media_file",
    "heartbeat", "save_url_state", "post_complete", "touch_posts", "tombstone_posts",
    "tombstone_comments", "interrupt_crawl",
})


class FleetWriter:
    def __init__(self, client: redis.Redis, prefix: str, archive_path: str | Path,
                 chunk: int = 200) -> None:
        self.redis = client
        self.prefix = prefix
        self.stream = prefix + STREAM
        self.archive = Path(archive_path)
        self.root = self.archive.resolve().parent
        self.store = ArchiveStore.open(self.archive, batch_pages=1_000_000, batch_seconds=0)
        self.warcs = warc_dir(self.archive)
        self.warcs.mkdir(parents=True, exist_ok=True)
        self.warc_prefix = os.path.relpath(self.warcs.resolve(), self.root)
        self.chunk = chunk
        self.files: dict[str, IO[bytes]] = {}
        self.applied = 0
        self.max_backlog_seen = 0

    # --- the loop -------------------------------------------------------------------

    def run(self, stopping: Callable[[], bool]) -> None:
        self._join_group()
        self._claim_orphans()
        own_pending = True  # first the entries a killed writer read and never acknowledged
        try:
            while not stopping():
                entries = self._read("0" if own_pending else ">")
                if own_pending and not entries:
                    own_pending = False
                    continue
                if entries:
                    self._apply_chunk(entries)
                if len(entries) < self.chunk and not own_pending:
                    self._answer_questions()
                self._publish_status()
        finally:
            self.close()

    def close(self) -> None:
        self.store.close()
        for file in self.files.values():
            file.close()
        self.files.clear()

    def _join_group(self) -> None:
        try:
            self.redis.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except redis.ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise

    def _claim_orphans(self) -> None:
        """Entries another writer read and never acknowledged (it was killed) become ours."""
        start: Any = "0-0"
        while True:
            result = reply(self.redis.xautoclaim(self.stream, GROUP, CONSUMER, min_idle_time=0,
                                                 start_id=start, count=100))
            start = result[0]
            if start in (b"0-0", "0-0"):
                return

    def _read(self, from_id: str) -> list[tuple[bytes, dict[bytes, bytes]]]:
        block = None if from_id == "0" else int(LONGEST_BLOCK * 1000 / 5)
        answer: Any = reply(self.redis.xreadgroup(GROUP, CONSUMER, {self.stream: from_id},
                                             count=self.chunk, block=block))
        if not answer:
            return []
        # An entry deleted after its acknowledgement may still be listed, without fields.
        return [(entry_id, fields or {}) for entry_id, fields in answer[0][1]]

    def _apply_chunk(self, entries: list[tuple[bytes, dict[bytes, bytes]]]) -> None:
        for entry_id, fields in entries:
            if not fields:
                continue
            try:
                message = decode(fields)
            except (UnsafeMessage, Exception) as error:  # never applied, never redelivered
                logger.error("Stream entry %s dropped: it is not a fleet message (%s)",
                             entry_id, error)
                continue
            self.apply(message)
        self.store.flush()
        for file in self.files.values():
            file.flush()
            os.fsync(file.fileno())
        ids = [entry_id for entry_id, _ in entries]
        pipe = self.redis.pipeline()
        pipe.xack(self.stream, GROUP, *ids)
        pipe.xdel(self.stream, *ids)
        pipe.execute()
        self.applied += len(entries)

    # --- one message --------------------------------------------------------------

    def apply(self, message: Message) -> None:
        method, args, kwargs = message.method, message.args, message.kwargs
        if method == "save_page":
            page, crawl_id = args
            assert isinstance(page, ArchivedPage)
            self.store.save_page(dataclasses.replace(
                page, warc_file=self.warc_path(page.warc_file)), crawl_id)
        elif method == "save_media_file":
            media_id, fields = args
            self.store.save_media_file(media_id, self._placed(fields))
        elif method in STORE_WRITES:
            getattr(self.store, method)(*args, **kwargs)
        elif method == "warc_write":
            self._write_warc(*args)
        elif method == "warc_payload":
            digest, uri, date, record_id, name, offset = args
            self.store.remember_warc_payload(digest, uri, date, record_id,
                                             self.warc_path(name) or name, offset)
        elif method == "media_file":
            url, body, content_type, provenance = args
            fields = store_media_file(self.archive, url, body, content_type)
            self.store.save_media_file(url, {**fields, **self._placed(provenance),
                                             "failure": None})
        else:
            logger.error("Unknown fleet message %r: ignored", method)

    def warc_path(self, name: str | None) -> str | None:
        """A worker's WARC file name as the archive records it (relative to its folder)."""
        if not name:
            return name
        return f"{self.warc_prefix}/{name}".replace(os.sep, "/")

    def _placed(self, fields: dict[str, Any]) -> dict[str, Any]:
        if fields.get("warc_file"):
            return {**fields, "warc_file": self.warc_path(fields["warc_file"])}
        return fields

    def _write_warc(self, name: str, offset: int, data: bytes) -> None:
        if "/" in name or name.startswith("."):
            logger.error("WARC file name %r refused", name)
            return
        file = self.files.get(name)
        if file is None:
            path = self.warcs / name
            file = open(path, "r+b" if path.exists() else "w+b")  # noqa: SIM115 - kept open
            if len(self.files) >= 64:  # finished crawls' files: close the oldest
                oldest = next(iter(self.files))
                self.files.pop(oldest).close()
            self.files[name] = file
        file.seek(offset)
        file.write(data)

    # --- questions and status -------------------------------------------------------

    def _answer_questions(self) -> None:
        for blog_url, answer_key in blog_state.pending_questions(self.redis, self.prefix):
            blog_state.answer(self.redis, answer_key, self.blog_state(blog_url))

    def blog_state(self, blog_url: str) -> BlogState:
        self.store.flush()
        return BlogState(
            archive=load_state(self.archive, blog_url),
            stored_media=frozenset(self.store.stored_media(self.root)),
            media_without_file=tuple(self.store.blog_media_without_file(blog_id_for(blog_url))),
            last_crawl_id=self.store.running_crawl_of([blog_url]),
        )

    def _publish_status(self) -> None:
        backlog = int(reply(self.redis.xlen(self.stream)))
        self.max_backlog_seen = max(self.max_backlog_seen, backlog)
        self.redis.set(self.prefix + "writer", json.dumps({
            "pid": os.getpid(), "archive": str(self.archive), "applied": self.applied,
            "backlog": backlog, "max_backlog": self.max_backlog_seen, "updated": time.time()}))
