"""``wparchive reextract``: rebuild an archive's rows from its WARCs, without refetching.

Reads every ``<archive stem>.warcs/*.warc.gz`` in order. Each ``metadata`` record written
for an archived page (``scraper/crawl/warc.py``) names the response it came from; that response's
payload (a revisit's original, found by ``WARC-Refers-To``) goes through the very code of a
live crawl: ``extract_page`` then ``ArchiveStore.save_page`` (``page_rows``). Image
responses refill the media rows' file columns (``scraper/crawl/media.py``). With ``--output``
the rows go to a new archive file (its images under its own ``.media/`` folder); without,
the archive is updated in place (new ``extractor_version``, a ``crawls`` row marks it).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from scraper.archive.companions import warc_dir
from scraper.archive.writer import ArchiveStore
from scraper.crawl.media import store_media_file
from scraper.crawl.warc import KIND_HEADER, PAGE_PROFILE
from scraper.extract import extract_page
from scraper.extract.api import comments_extraction_from_api
from scraper.html import effective_content_type
from scraper.model.items import ArchivedPage


@dataclass
class RecordRef:
    path: Path
    offset: int
    relative: str


@dataclass
class ReextractResult:
    pages: int = 0
    media: int = 0
    missing: int = 0
    seconds: float = 0.0
    crawl_id: str = ""


def warc_files(archive: str | Path) -> list[Path]:
    return sorted(warc_dir(archive).glob("*.warc.gz"))


def _records(path: Path) -> Iterator[tuple[Any, Any]]:
    """(record, offset getter): warcio knows the offset only once the record is read."""
    with path.open("rb") as stream:
        iterator = ArchiveIterator(stream)
        for record in iterator:
            yield record, iterator.get_record_offset


def _read(ref: RecordRef) -> Any:
    """The record at ``ref`` with its content read: (record, decoded payload)."""
    with ref.path.open("rb") as stream:
        stream.seek(ref.offset)
        record = next(iter(ArchiveIterator(stream)))
        return record, record.content_stream().read()


def reextract(archive: str | Path, output: str | Path | None = None) -> ReextractResult:
    started = time.monotonic()
    archive = Path(archive)
    target = Path(output) if output else archive
    root = archive.resolve().parent
    by_id: dict[str, RecordRef] = {}
    pages: list[tuple[str, dict[str, Any]]] = []  # (response record id, page metadata)
    media: dict[str, str] = {}  # image URL -> its latest response/revisit record id
    for path in warc_files(archive):
        relative = str(path.resolve().relative_to(root)) if path.resolve().is_relative_to(
            root) else str(path)
        for record, offset in _records(path):
            headers = record.rec_headers
            record_id = headers.get_header("WARC-Record-ID")
            if record.rec_type in ("response", "revisit"):
                by_id[record_id] = RecordRef(path, offset(), relative)
                if headers.get_header(KIND_HEADER) == "media":
                    media[headers.get_header("WARC-Target-URI")] = record_id
            elif record.rec_type == "metadata" and headers.get_header(
                    "WARC-Profile") == PAGE_PROFILE:
                data = json.loads(record.content_stream().read())
                pages.append((headers.get_header("WARC-Concurrent-To"), data))
    result = ReextractResult()
    store = ArchiveStore.open(target)
    try:
        start_urls = [row[0] for row in store.db.execute("select url from blogs")]
        crawl_id = store.start_crawl(start_urls, {"reextract": str(archive)})
        result.crawl_id = crawl_id
        for record_id, data in pages:
            loaded = _payload(by_id, record_id)
            if loaded is None:
                result.missing += 1
                continue
            record, body, digest = loaded
            store.save_page(_page(data, record, body, digest, by_id[record_id]), crawl_id)
            result.pages += 1
        for url, record_id in media.items():
            loaded = _payload(by_id, record_id)
            if loaded is None or not loaded[1]:
                result.missing += 1
                continue
            record, body, digest = loaded
            if record.http_headers is None or record.http_headers.get_statuscode() != "200":
                continue
            fields = store_media_file(target, url, body,
                                      record.http_headers.get_header("Content-Type"))
            fields.update({"warc_file": by_id[record_id].relative,
                           "warc_record_id": record_id, "payload_digest": digest})
            store.save_media_file(url, fields)
            result.media += 1
        store.finish_crawl(crawl_id, "finished", "reextract", pages=result.pages)
    finally:
        store.close()
    result.seconds = time.monotonic() - started
    return result


def _payload(by_id: dict[str, RecordRef], record_id: str) -> tuple[Any, bytes, str] | None:
    """(the record, its decoded payload, payload digest); a revisit's payload is its
    original's, with the revisit's own HTTP headers."""
    ref = by_id.get(record_id)
    if ref is None:
        return None
    record, body = _read(ref)
    digest = record.rec_headers.get_header("WARC-Payload-Digest")
    if record.rec_type == "revisit":
        original = by_id.get(record.rec_headers.get_header("WARC-Refers-To") or "")
        if original is None:
            return None
        _, body = _read(original)
    return record, body, digest


def _page(data: dict[str, Any], record: Any, body: bytes, digest: str,
          ref: RecordRef) -> ArchivedPage:
    content_type = record.http_headers.get_header("Content-Type") if record.http_headers else None
    url = data["fetched_url"]
    rest_comments = bool(data.get("rest_comments"))
    if rest_comments:
        extraction = comments_extraction_from_api(body, data["post_url"], data["post_wp_id"])
    else:
        extraction = extract_page(body, url, effective_content_type(content_type, body))
    return ArchivedPage(
        blog_url=data["blog_url"], post_url=data["post_url"], fetched_url=url,
        http_status=data["http_status"], fetched_at=data["fetched_at"],
        comment_page=data["comment_page"], extraction=extraction, rest_comments=rest_comments,
        warc_file=ref.relative, warc_record_id=record.rec_headers.get_header("WARC-Record-ID"),
        payload_digest=digest,
    )
