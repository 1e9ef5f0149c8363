"""WARC recording: every response the crawl receives, as received, in ISO 28500 WARC files.

``WarcRecorder`` (a spider middleware, registered in ``settings.py``) listens to Scrapy's
``response_downloaded`` signal, which fires for every download (pages, REST API JSON,
sitemaps, feeds, robots.txt, images, redirects and error pages) *before* any downloader
middleware has touched the response. So the body is stored **raw, as received**: still
content-encoded when the server compressed it (``Content-Encoding`` is kept; warcio and
every replay tool decode it), only de-chunked by Twisted (``Transfer-Encoding`` is kept as
``X-Archive-Orig-Transfer-Encoding`` so readers do not try to de-chunk it again). HTTP
headers are those Scrapy exposes (names as Scrapy normalises them, values as received).

Files: ``<archive stem>.warcs/<stem>-<UTC start>-<n>.warc.gz`` beside the archive, gzip
per record, a ``warcinfo`` record first, a new file once ``WARC_MAX_SIZE`` is reached.
Each response has a ``request`` record (``WARC-Concurrent-To`` it). A payload already
stored (same ``WARC-Payload-Digest``, this crawl or an earlier one: the ``warc_payloads``
table of the archive) is written as a ``revisit`` record, profile identical-payload-digest.

Each archived page also gets a ``metadata`` record (JSON: blog URL, post URL, comment page,
fetch time, status) concurrent to its response, which is all ``wparchive reextract`` needs
to rebuild the archive from the WARCs without refetching. The page's provenance (WARC
file, record id, payload digest) is added to the ``ArchivedPage`` item here.

``-a warc=no`` (or ``WARC_ENABLED=False``) turns it off.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import logging
import os
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper import __version__
from scraper.archive.companions import warc_dir
from scraper.archive.connection import open_archive
from scraper.crawl.arguments import yes_no
from scraper.model.items import ArchivedPage

logger = logging.getLogger(__name__)

META_KEY = "wpa_warc"  # request.meta: provenance of the response recorded for it
KIND_HEADER = "WPA-Kind"  # archive_kind of the request (post, comment_page, media, …)
PAGE_PROFILE = "wparchive-page"  # metadata records describing an ArchivedPage


def payload_digest(body: bytes) -> str:
    """WARC-Payload-Digest as warcio and most tools write it: sha1, base32."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_enabled(crawler: Crawler) -> bool:
    if not yes_no("warc", getattr(crawler.spider, "warc", None), default=True):
        return False
    return crawler.settings.getbool("WARC_ENABLED", True)


def http_headers_of(response: Response) -> StatusAndHeaders:
    try:
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        phrase = ""
    headers = []
    for name, values in response.headers.items():
        text = name.decode("latin-1")
        if text.lower() == "transfer-encoding":
            text = "X-Archive-Orig-Transfer-Encoding"
        for value in values:
            headers.append((text, value.decode("latin-1")))
    protocol = response.protocol or "HTTP/1.1"
    if protocol.lower() in ("h2", "http/2"):
        protocol = "HTTP/2"
    return StatusAndHeaders(f"{response.status} {phrase}".strip(), headers, protocol=protocol)


def request_headers_of(request: Request) -> StatusAndHeaders:
    parts = urlsplit(request.url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    headers = [("Host", parts.netloc)]
    for name, values in request.headers.items():
        for value in values:
            headers.append((name.decode("latin-1"), value.decode("latin-1")))
    return StatusAndHeaders(f"{request.method} {target} HTTP/1.1", headers,
                            is_http_request=True)


class WarcWriterFiles:
    """Rotating gzip WARC files plus the archive's payload-digest index."""

    def __init__(self, archive_path: str | Path, max_size: int, busy_timeout: float = 30.0):
        self.archive_path = Path(archive_path)
        self.root = self.archive_path.resolve().parent
        self.dir = warc_dir(self.archive_path)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.max_size = max_size
        self.prefix = (f"{self.archive_path.stem}-"
                       f"{datetime.now(UTC).strftime('%Y%m%d%H%M%S')}-{os.getpid()}")
        self.sequence = 0
        self.file: IO[bytes] | None = None
        self.writer: WARCWriter | None = None
        self.relative_name = ""
        # The payload-digest index lives in the archive (warc_payloads, keyed by digest)
        # and is asked per response: memory stays flat however many payloads a blog has.
        self.db = open_archive(self.archive_path, busy_timeout)
        self.bytes_written = 0
        self.records = {"response": 0, "revisit": 0, "request": 0, "metadata": 0}

    def _open(self) -> WARCWriter:
        if self.writer is not None and self.file is not None:
            return self.writer
        name = f"{self.prefix}-{self.sequence:05d}.warc.gz"
        self.sequence += 1
        path = self.dir / name
        self.relative_name = os.path.relpath(path.resolve(), self.root)
        self.file = open(path, "ab")  # noqa: SIM115 - kept open across records
        self.writer = WARCWriter(self.file, gzip=True)
        info = self.writer.create_warcinfo_record(name, {
            "software": f"wparchive/{__version__} (warcio)",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
                          "warc-format/warc-1.1/",
            "description": "payloads as received (content-encoding kept, de-chunked)",
        })
        self.writer.write_record(info)
        return self.writer

    def _write(self, record: Any) -> tuple[str, int]:
        writer = self._open()
        assert self.file is not None
        offset = self.file.tell()
        writer.write_record(record)
        self.bytes_written += self.file.tell() - offset
        name = self.relative_name
        if self.file.tell() >= self.max_size:
            self.close_file()
        return name, offset

    def close_file(self) -> None:
        if self.file is not None:
            self.file.close()
        self.file = None
        self.writer = None

    def close(self) -> None:
        self.close_file()
        self.db.close()

    def record(self, request: Request, response: Response, kind: str | None) -> dict[str, Any]:
        """Write the response (or a revisit) and its request; return its provenance."""
        writer = self._open()
        body = response.body
        digest = payload_digest(body)
        http_headers = http_headers_of(response)
        extra = {KIND_HEADER: kind} if kind else {}
        original = self._stored_payload(digest)
        if original is not None and body:
            refers_uri, refers_date, refers_id = original
            record = writer.create_revisit_record(
                response.url, digest, refers_uri, refers_date, http_headers=http_headers,
                warc_headers_dict={"WARC-Refers-To": refers_id, **extra})
            record_type = "revisit"
        else:
            record = writer.create_warc_record(
                response.url, "response", payload=BytesIO(body), http_headers=http_headers,
                warc_headers_dict=extra)
            record_type = "response"
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        date = record.rec_headers.get_header("WARC-Date")
        name, offset = self._write(record)
        self.records[record_type] += 1
        if record_type == "response" and body:
            self.remember_payload(digest, response.url, date, record_id, name, offset)
        request_record = self._open().create_warc_record(
            request.url, "request", payload=BytesIO(request.body or b""),
            http_headers=request_headers_of(request),
            warc_headers_dict={"WARC-Concurrent-To": record_id})
        self._write(request_record)
        self.records["request"] += 1
        return {"warc_file": name, "warc_record_id": record_id, "payload_digest": digest,
                "warc_record_type": record_type}

    def remember_payload(self, digest: str, uri: str, date: str, record_id: str, name: str,
                         offset: int) -> None:
        """The payload index (``warc_payloads``): later responses with it become revisits."""
        self.db.execute(
            "insert or ignore into warc_payloads (payload_digest, uri, date, record_id,"
            " warc_file, offset) values (?, ?, ?, ?, ?, ?)",
            [digest, uri, date, record_id, name, offset])

    def _stored_payload(self, digest: str) -> tuple[str, str, str] | None:
        """(URI, WARC-Date, record id) of the response that first stored this payload."""
        row = self.db.execute(
            "select uri, date, record_id from warc_payloads where payload_digest = ?",
            [digest]).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def metadata(self, uri: str, concurrent_to: str, data: dict[str, Any]) -> None:
        writer = self._open()
        record = writer.create_warc_record(
            uri, "metadata", payload=BytesIO(json.dumps(data, sort_keys=True).encode()),
            warc_content_type="application/json",
            warc_headers_dict={"WARC-Concurrent-To": concurrent_to,
                               "WARC-Profile": PAGE_PROFILE})
        self._write(record)
        self.records["metadata"] += 1


def page_metadata(page: ArchivedPage) -> dict[str, Any]:
    data = {"kind": "page", "blog_url": page.blog_url, "post_url": page.post_url,
            "fetched_url": page.fetched_url, "http_status": page.http_status,
            "fetched_at": page.fetched_at, "comment_page": page.comment_page}
    post = page.extraction.post
    if page.rest_comments and post is not None:  # re-extraction parses it as API JSON
        data.update({"rest_comments": True, "post_wp_id": post.wp_id})
    return data


class WarcRecorder:
    """Spider middleware + ``response_downloaded`` handler writing the crawl's WARCs."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.files: WarcWriterFiles | None = None
        self.enabled = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcRecorder:
        recorder = cls(crawler)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(recorder.response_downloaded,
                                signal=signals.response_downloaded)
        return recorder

    def spider_opened(self, spider: Any) -> None:
        self.enabled = warc_enabled(self.crawler)
        if not self.enabled:
            logger.info("WARC recording is off")
            return
        path = getattr(spider, "archive_path", None) or self.crawler.settings.get(
            "ARCHIVE_PATH")
        self.files = self.open_files(path)
        logger.info("Recording WARCs in %s", self.files.dir)

    def open_files(self, archive_path: str) -> WarcWriterFiles:
        """Where records go: files beside the archive (a fleet worker's go to the writer)."""
        return WarcWriterFiles(
            archive_path, self.crawler.settings.getint("WARC_MAX_SIZE", 1024 * 1024 * 1024),
            self.crawler.settings.getfloat("ARCHIVE_BUSY_TIMEOUT", 30.0))

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.files is None:
            return
        stats = self.crawler.stats
        for record_type, count in self.files.records.items():
            stats.set_value(f"warc/{record_type}_records", count)
        stats.set_value("warc/bytes", self.files.bytes_written)
        self.files.close()
        self.files = None

    def response_downloaded(self, response: Response, request: Request, spider: Any) -> None:
        if self.files is None:
            return
        try:
            provenance = self.files.record(request, response, request.meta.get("archive_kind"))
        except OSError as error:  # disk full: the archive itself will fail loudly
            logger.error("Could not write the WARC record of %s: %s", response.url, error)
            self.crawler.stats.inc_value("warc/errors")
            return
        request.meta[META_KEY] = provenance

    # --- spider middleware: provenance on the items ---------------------------------

    def _annotate(self, response: Response, item: Any) -> Any:
        if self.files is None or not isinstance(item, ArchivedPage):
            return item
        provenance = response.meta.get(META_KEY) if response is not None else None
        if not provenance or item.fetched_url != response.url:
            return item  # e.g. API-only pages built from several responses
        item = dataclasses.replace(
            item, warc_file=provenance["warc_file"],
            warc_record_id=provenance["warc_record_id"],
            payload_digest=provenance["payload_digest"])
        try:
            self.files.metadata(item.fetched_url, provenance["warc_record_id"],
                                page_metadata(item))
        except OSError as error:
            logger.error("Could not write the WARC metadata of %s: %s", item.fetched_url, error)
        return item

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        for item in result:
            yield self._annotate(response, item)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for item in result:
            yield self._annotate(response, item)
