"""A worker's side of the archive: the archive writer's writes, sent down the Redis stream.

``StreamStore`` is the ``ArchiveStore`` the crawl's pipelines write to in a fleet worker:
each write becomes one stream entry, which the fleet's writer applies to ``archive.db`` with
the real ``ArchiveStore`` (``writer.py``).  Reads are answered from the blog's state the
writer sent when the crawl started (``blog_state.py``).  ``StreamWarcFiles`` builds the WARC
records as a single crawl does and sends their bytes with the offset they take in their file:
one worker's crawl appends to WARC files of its own, so the writer writes each record where
the worker says, and writing one twice (a redelivered entry) changes nothing.

When the writer falls behind, a worker waits (``max_backlog`` entries in the stream): the
stream stays bounded however slow the archive's disk is.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import redis
from warcio.warcwriter import WARCWriter

from scraper.archive.rows import Row
from scraper.archive.writer import ArchiveStore, new_crawl_id
from scraper.crawl.fleet.blog_state import BlogState
from scraper.crawl.fleet.connection import reply
from scraper.crawl.fleet.messages import encode
from scraper.crawl.fleet.queue import BlogQueue
from scraper.crawl.warc import WarcWriterFiles
from scraper.model.items import ArchivedPage, CrawlReport

logger = logging.getLogger(__name__)

STREAM = "pages"
BACKLOG_CHECK_EVERY = 50  # entries sent between two looks at the stream's length
PROGRESS_EVERY = 10  # pages between two updates of the worker's progress (and heartbeats)


class StreamStore(ArchiveStore):
    """The archive writer's interface, each write sent to the fleet's writer."""

    def __init__(self, client: redis.Redis, queue: BlogQueue, worker: str,
                 state: BlogState, max_backlog: int) -> None:
        # No database here: every write is an entry of the stream.
        self.redis = client
        self.queue = queue
        self.stream = queue.key(STREAM)
        self.worker = worker
        self.state = state
        self.max_backlog = max_backlog
        self.batch_pages = 1
        self.batch_seconds = 0.0
        self.sent = 0
        self.pages = 0
        self.errors = 0

    def send(self, method: str, *args: Any, **kwargs: Any) -> None:
        if self.sent % BACKLOG_CHECK_EVERY == 0:
            self._wait_for_writer()
        self.redis.xadd(self.stream, encode(method, *args, **kwargs))  # type: ignore[arg-type]
        self.sent += 1

    def _wait_for_writer(self) -> None:
        """Hold the crawl while the stream is longer than ``max_backlog`` entries."""
        waited = False
        while reply(self.redis.xlen(self.stream)) > self.max_backlog:
            if not waited:
                logger.info("The writer is %d+ entries behind: waiting", self.max_backlog)
                waited = True
            time.sleep(0.2)

    # --- ArchiveStore's interface -------------------------------------------------

    @property
    def pending_pages(self) -> int:
        return 0

    def close(self) -> None:
        pass

    def flush(self) -> None:
        pass

    def flush_if_due(self) -> None:
        pass

    def start_crawl(self, start_urls: Sequence[str], options: Mapping[str, Any],
                    crawl_id: str | None = None) -> str:
        crawl_id = crawl_id or new_crawl_id()
        if self.state.last_crawl_id:  # the crawl of a worker that lost this blog
            self.send("interrupt_crawl", self.state.last_crawl_id, "its fleet worker was lost")
        self.send("start_crawl", list(start_urls), {**options, "fleet_worker": self.worker},
                  crawl_id=crawl_id)
        self.queue.report_progress(self.worker, crawl_id=crawl_id, pages=0, errors=0)
        return crawl_id

    def finish_crawl(self, crawl_id: str, status: str, reason: str,
                     report: CrawlReport | None = None, *, requests: int = 0,
                     responses: int = 0, response_bytes: int = 0, pages: int = 0) -> int:
        """Sent; the completeness check runs in the writer (its shortfalls are counted in
        the archive, not here)."""
        self.send("finish_crawl", crawl_id, status, reason, report, requests=requests,
                  responses=responses, response_bytes=response_bytes, pages=pages)
        self._report()
        return 0

    def record_fetch_error(self, crawl_id: str, url: str, reason: str,
                           http_status: int | None, attempts: int) -> None:
        self.errors += 1
        self.send("record_fetch_error", crawl_id, url, reason, http_status, attempts)

    def save_page(self, page: ArchivedPage, crawl_id: str) -> None:
        self.pages += 1
        self.send("save_page", page, crawl_id)
        if self.pages % PROGRESS_EVERY == 0:
            self._report()

    def save_media_file(self, media_id: str, fields: Mapping[str, Any]) -> None:
        self.send("save_media_file", media_id, dict(fields))

    def media_without_file(self, crawl_id: str) -> list[tuple[str, str]]:
        """The blog's images without a file when the crawl started (a lost worker's)."""
        return list(self.state.media_without_file)

    def heartbeat(self, crawl_id: str) -> None:
        self.send("heartbeat", crawl_id)
        self._report()

    def save_url_state(self, crawl_id: str, row: Row) -> None:
        self.send("save_url_state", crawl_id, row)

    def post_complete(self, crawl_id: str, row: Row) -> None:
        self.send("post_complete", crawl_id, row)

    def touch_posts(self, crawl_id: str, blog_id: str, post_ids: Sequence[str]) -> None:
        self.send("touch_posts", crawl_id, blog_id, tuple(post_ids))

    def tombstone_posts(self, crawl_id: str, post_ids: Sequence[str]) -> int:
        self.send("tombstone_posts", crawl_id, tuple(post_ids))
        return len(post_ids)

    def tombstone_comments(self, crawl_id: str, comment_ids: Sequence[str]) -> int:
        self.send("tombstone_comments", crawl_id, tuple(comment_ids))
        return len(comment_ids)

    # --- the fleet's own writes ---------------------------------------------------

    def media_file(self, url: str, body: bytes, content_type: str | None,
                   provenance: Mapping[str, Any]) -> None:
        """An image's bytes: the writer stores the file beside the archive and its row."""
        self.send("media_file", url, body, content_type, dict(provenance))

    def _report(self) -> None:
        self.queue.report_progress(self.worker, pages=self.pages, errors=self.errors,
                                   updated=time.time())


class StreamWarcFiles(WarcWriterFiles):
    """WARC files a worker's crawl fills through the stream (names relative to the archive's
    WARC folder; the writer places them there)."""

    def __init__(self, store: StreamStore, max_size: int) -> None:
        self.store = store
        self.max_size = max_size
        self.dir = Path(f"(the fleet writer's WARC folder, via {store.stream})")
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        self.prefix = f"fleet-{stamp}-{new_crawl_id()[-6:]}"
        self.sequence = 0
        self.file = None
        self.writer = None
        self.relative_name = ""
        self.offset = 0
        self.bytes_written = 0
        self.records = {"response": 0, "revisit": 0, "request": 0, "metadata": 0}
        # This crawl's payloads (digest → URI, date, record id): later ones become revisits.
        self.payloads: dict[str, tuple[str, str, str]] = {}

    def _open(self) -> WARCWriter:
        if self.writer is not None:
            return self.writer
        name = f"{self.prefix}-{self.sequence:05d}.warc.gz"
        self.sequence += 1
        self.relative_name = name
        self.offset = 0
        self.writer = WARCWriter(BytesIO(), gzip=True)
        info = self.writer.create_warcinfo_record(name, self._warcinfo())
        self._send_record(info)
        return self.writer

    def _warcinfo(self) -> dict[str, str]:
        from scraper import __version__

        return {"software": f"wparchive/{__version__} (warcio; fleet worker "
                            f"{self.store.worker})",
                "format": "WARC File Format 1.1",
                "description": "payloads as received (content-encoding kept, de-chunked)"}

    def _send_record(self, record: Any) -> tuple[str, int]:
        buffer = BytesIO()
        WARCWriter(buffer, gzip=True).write_record(record)
        data = buffer.getvalue()
        name, offset = self.relative_name, self.offset
        self.store.send("warc_write", name, offset, data)
        self.offset += len(data)
        self.bytes_written += len(data)
        return name, offset

    def _write(self, record: Any) -> tuple[str, int]:
        self._open()
        name, offset = self._send_record(record)
        if self.offset >= self.max_size:
            self.close_file()
        return name, offset

    def close_file(self) -> None:
        self.writer = None

    def close(self) -> None:
        self.close_file()

    def remember_payload(self, digest: str, uri: str, date: str, record_id: str, name: str,
                         offset: int) -> None:
        self.payloads.setdefault(digest, (uri, date, record_id))
        self.store.send("warc_payload", digest, uri, date, record_id, name, offset)

    def _stored_payload(self, digest: str) -> tuple[str, str, str] | None:
        return self.payloads.get(digest)
