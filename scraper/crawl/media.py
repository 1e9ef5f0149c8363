"""Image downloads: the featured (poster) image and the images in post bodies.

``MediaPipeline`` runs after ``ArchivePipeline`` (which has written the ``media`` rows of a
post page) and downloads each image of the post once, through Scrapy's downloader (so the
scope/SSRF middleware applies, and the WARC recorder records the image's response). Files
are content-addressed: ``<archive stem>.media/ab/cd/<sha256>.<ext>`` beside the archive;
``media.local_path`` is relative to the archive's folder (what the reading room serves).

Image files are written through the crawl's own writer (``ArchivePipeline``'s store, handed
over at ``open_spider``): with batching, a post's media row may still be buffered when its
image arrives, and the file must join that batch rather than update no row.

Re-crawls do not refetch an image whose media row already has a sha256 and whose file is
present. ``MEDIA_MAXSIZE`` caps one image; ``-a media=no`` (or ``MEDIA_ENABLED=False``)
turns downloads off. A failure is logged, counted (``media/failed``) and recorded in the
image's ``media.failure``; images are part of a post's completeness: when the crawl is
otherwise done (``spider_idle``) the images of its posts that still have no file — a
killed crawl's, an earlier failure's — are fetched, and those still missing at the end are
``media_missing`` shortfalls (``scraper.archive.checks``).
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import sqlite3
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro

from scraper.archive.liveness import process_gone
from scraper.archive.writer import ArchiveStore
from scraper.crawl.arguments import yes_no
from scraper.crawl.outcome import outcome_of
from scraper.crawl.pipelines import ArchivePipeline
from scraper.crawl.warc import META_KEY
from scraper.model.items import ArchivedPage

logger = logging.getLogger(__name__)

_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif",
               "image/webp": ".webp", "image/avif": ".avif", "image/svg+xml": ".svg",
               "image/bmp": ".bmp", "image/tiff": ".tif"}


def media_dir(archive_path: str | Path) -> Path:
    path = Path(archive_path)
    return path.with_name(f"{path.stem}.media")


def sweep_partial_files(media_root: Path) -> int:
    """Remove the ``*.<pid>.part`` files a killed crawl left half-written (their process is
    gone); a running crawl's own are left alone. Returns how many were removed."""
    removed = 0
    for partial in media_root.glob("*/*/*.part") if media_root.is_dir() else ():
        pid = partial.suffixes[-2].lstrip(".") if len(partial.suffixes) >= 2 else ""
        if pid.isdigit() and not process_gone(int(pid)):
            continue
        partial.unlink(missing_ok=True)
        removed += 1
    return removed


def image_info(body: bytes) -> tuple[str | None, int | None, int | None]:
    """(mime type, width, height) as Pillow reads them; Nones when it cannot."""
    try:
        from PIL import Image as PILImage

        with PILImage.open(BytesIO(body)) as image:
            return PILImage.MIME.get(image.format or ""), image.width, image.height
    except Exception:
        return None, None, None


def store_media_file(
    archive_path: str | Path, url: str, body: bytes, content_type: str | None
) -> dict[str, Any]:
    """Write ``body`` content-addressed beside the archive; the media row's file columns."""
    sha = hashlib.sha256(body).hexdigest()
    mime, width, height = image_info(body)
    declared = (content_type or "").split(";")[0].strip().lower() or None
    mime = mime or declared or mimetypes.guess_type(urlsplit(url).path)[0]
    ext = _EXTENSIONS.get(mime or "") or Path(urlsplit(url).path).suffix.lower()[:8] or ".bin"
    folder = media_dir(archive_path) / sha[:2] / sha[2:4]
    target = folder / f"{sha}{ext}"
    if not target.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(target.suffix + f".{os.getpid()}.part")
        temporary.write_bytes(body)
        temporary.replace(target)
    root = Path(archive_path).resolve().parent
    return {"sha256": sha, "local_path": os.path.relpath(target.resolve(), root).replace(
        os.sep, "/"), "size": len(body), "mime_type": mime, "pixel_width": width,
        "pixel_height": height}


def post_image_urls(page: ArchivedPage) -> list[str]:
    post = page.extraction.post
    if post is None or not page.is_post_itself:
        return []
    images = ([post.featured_image] if post.featured_image else []) + list(post.images)
    credited = [c.image_url for c in page.extraction.credits if c.image_url]
    return list(dict.fromkeys([*(image.url for image in images), *credited]))


def crawl_writer(crawler: Crawler) -> ArchiveStore | None:
    """The crawl's writer, which ``ArchivePipeline`` (earlier in ITEM_PIPELINES) opened."""
    archive = crawler.get_item_pipeline(ArchivePipeline)
    if archive is None:
        raise RuntimeError("MediaPipeline writes through ArchivePipeline: enable it too")
    return archive.store


def media_enabled(spider: Any, settings: Any) -> bool:
    """Whether this crawl downloads images (``-a media=no``, ``MEDIA_ENABLED``)."""
    return yes_no("media", getattr(spider, "media", None), default=True) and \
        settings.getbool("MEDIA_ENABLED", True)


class MediaPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.store: ArchiveStore | None = None
        self.archive_path: str | None = None
        self.enabled = False
        self.seen: set[str] = set()
        self.swept = False  # the missing images of the crawl's posts were asked for

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MediaPipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.fetch_missing, signal=signals.spider_idle)
        return pipeline

    def open_spider(self) -> None:
        spider = self.crawler.spider
        settings = self.crawler.settings
        self.enabled = media_enabled(spider, settings)
        if not self.enabled:
            return
        self.archive_path = getattr(spider, "archive_path", None) or settings.get("ARCHIVE_PATH")
        self.store = crawl_writer(self.crawler)
        if self.store is None:  # the archive could not be opened: ArchivePipeline says so
            self.enabled = False
            return
        if removed := self.sweep_partial_files():
            logger.info("Removed %d half-written media files of a killed crawl", removed)
        self.seen |= self.stored_media()  # unchanged on a re-crawl: not refetched

    def stored_media(self) -> set[str]:
        """The images whose file the archive holds (a fleet worker asks the fleet's writer)."""
        assert self.store is not None and self.archive_path is not None
        return self.store.stored_media(Path(self.archive_path).resolve().parent)

    def sweep_partial_files(self) -> int:
        assert self.archive_path is not None
        return sweep_partial_files(media_dir(self.archive_path))

    def close_spider(self) -> None:
        self.store = None  # ArchivePipeline closes it, after the crawl's last write

    def fetch_missing(self) -> None:
        """Once the crawl has nothing else to do: the images of its posts that have no file
        and were not tried by this crawl (a killed crawl's, an earlier failure's)."""
        if not self.enabled or self.swept or self.store is None:
            return
        self.swept = True
        archive = self.crawler.get_item_pipeline(ArchivePipeline)
        crawl_id = getattr(archive, "crawl_id", None)
        if crawl_id is None:
            return
        if outcome_of(self.crawler.spider).unusable:
            return  # the archive cannot be written: the crawl stops (exit 4)
        try:
            missing = [(url, blog) for url, blog in self.store.media_without_file(crawl_id)
                       if url not in self.seen]
        except sqlite3.Error as error:  # its batch is lost: the crawl did not finish (exit 4)
            if isinstance(archive, ArchivePipeline):
                archive.report_unusable(error)
            return
        if not missing:
            return
        logger.info("Fetching %d images of archived posts that have no file", len(missing))
        self.crawler.stats.inc_value("media/missing_refetched", len(missing))
        deferred_from_coro(self._download_all(missing))
        raise DontCloseSpider

    async def _download_all(self, images: list[tuple[str, str]]) -> None:
        for url, blog_home in images:
            if url not in self.seen:
                self.seen.add(url)
                await self._download(url, blog_home)

    async def process_item(self, item: Any) -> Any:
        if not self.enabled or not isinstance(item, ArchivedPage):
            return item
        for url in post_image_urls(item):
            if url in self.seen:
                continue
            self.seen.add(url)
            await self._download(url, item.blog_url)
        return item

    async def _download(self, url: str, blog_home: str) -> None:
        assert self.store is not None and self.archive_path is not None
        stats = self.crawler.stats
        cap = self.crawler.settings.getint("MEDIA_MAXSIZE", 20 * 1024 * 1024)
        request = scrapy.Request(url, dont_filter=True, meta={
            "archive_kind": "media", "blog_home": blog_home, "download_maxsize": cap,
            "download_warnsize": 0})
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception as error:
            self._failed(url, str(error) or type(error).__name__)
            return
        if response.status != 200 or not response.body:
            self._failed(url, f"HTTP {response.status}" if response.body else "empty body")
            return
        content_type = response.headers.get(b"Content-Type")
        provenance = response.meta.get(META_KEY) or {}
        self.store_file(url, response.body,
                        content_type.decode("latin-1") if content_type else None,
                        {key: provenance.get(key) for key in
                         ("warc_file", "warc_record_id", "payload_digest")})
        stats.inc_value("media/downloaded")
        stats.inc_value("media/bytes", len(response.body))

    def store_file(self, url: str, body: bytes, content_type: str | None,
                   provenance: dict[str, Any]) -> None:
        """The image's file beside the archive and its media row's file columns (a fleet
        worker sends both to the fleet's writer)."""
        assert self.store is not None and self.archive_path is not None
        fields = store_media_file(self.archive_path, url, body, content_type)
        self.store.save_media_file(url, {**fields, **provenance, "failure": None})

    def _failed(self, url: str, reason: str) -> None:
        """Recorded on the image's media row: the completeness check counts it."""
        assert self.store is not None
        self.crawler.stats.inc_value("media/failed")
        logger.warning("Image %s not downloaded: %s", url, reason)
        self.store.save_media_file(url, {"failure": reason[:500]})
