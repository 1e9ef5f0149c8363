"""Item pipelines: they only store what the spider hands them.

Pages and post completions are written in batches (``ARCHIVE_BATCH_PAGES`` pages or
``ARCHIVE_BATCH_SECONDS``, whichever comes first; see ``scraper/archive/writer.py`` for why a
crash loses nothing but pages of incomplete posts); anything else the pipeline writes
flushes the batch first.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.spiders import Spider
from twisted.internet import task
from twisted.python.failure import Failure

from scraper.archive.connection import describe_archive_error
from scraper.archive.sync import apply_sync
from scraper.archive.writer import ArchiveStore
from scraper.crawl.outcome import CrawlOutcome, Reporting, outcome_of
from scraper.model.items import ArchivedPage, FetchFailure, SyncAction

logger = logging.getLogger(__name__)

HEARTBEAT_EVERY = 5.0  # seconds between crawls.heartbeat updates


class ArchivePipeline:
    """Writes every ArchivedPage to the archive, every FetchFailure to fetch_errors, every
    sync action where it belongs; and the spider's crawl report when the crawl ends."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.store: ArchiveStore | None = None
        self.crawl_id: str | None = None
        self.last_heartbeat = time.monotonic()
        self.flush_timer: task.LoopingCall | None = None
        # the spider's outcome (the CLI reads it); a fresh one until the archive opens
        self.outcome = CrawlOutcome()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_opened, signal=signals.spider_opened)
        # spider_closed carries the close reason and fires after the last item.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.outcome = outcome_of(spider)
        path = getattr(spider, "archive_path", None) or self.crawler.settings.get("ARCHIVE_PATH")
        self.store = self.open_store(path)
        self.crawl_id = self.store.start_crawl(
            getattr(spider, "start_url_list", []), getattr(spider, "options", {})
        )
        self.outcome.archive_path = str(path)
        self.outcome.crawl_id = self.crawl_id
        logger.info("Archiving into %s (crawl %s)", path, self.crawl_id)

    def open_store(self, path: str) -> ArchiveStore:
        """The archive's writer; a fleet worker's streams to the fleet's writer instead."""
        settings = self.crawler.settings
        return ArchiveStore.open(
            path,
            busy_timeout=settings.getfloat("ARCHIVE_BUSY_TIMEOUT", 30.0),
            batch_pages=settings.getint("ARCHIVE_BATCH_PAGES", 50),
            batch_seconds=settings.getfloat("ARCHIVE_BATCH_SECONDS", 1.0),
        )

    def spider_opened(self, spider: Spider) -> None:
        """A batch waits at most ARCHIVE_BATCH_SECONDS even when no item comes to flush it
        (a slow blog): Datasette shows the pages soon after they are fetched."""
        if self.store is not None and self.store.batch_pages > 1 and \
                self.store.batch_seconds > 0:
            self.flush_timer = task.LoopingCall(self.flush_if_due)
            self.flush_timer.start(self.store.batch_seconds, now=False)

    def flush_if_due(self) -> None:
        if self.store is None:
            return
        try:
            self.store.flush_if_due()
        except sqlite3.Error:
            # The same as a failed write during an item: the spider stops the crawl.
            self.crawler.signals.send_catch_log(
                signal=signals.item_error, item=None, response=None,
                spider=self.crawler.spider, failure=Failure())

    def report_unusable(self, error: sqlite3.Error) -> None:
        """What the spider's item_error handler does, when the crawl is already closing:
        the CLI exits 4 with this message."""
        if self.outcome.unusable:
            return
        busy_timeout = self.crawler.settings.getfloat("ARCHIVE_BUSY_TIMEOUT", 30.0)
        message = describe_archive_error(error, self.outcome.archive_path or "", busy_timeout)
        self.outcome.unusable = message
        logger.error("The last pages were not stored: %s", message)

    def process_item(self, item: Any) -> Any:
        assert self.store is not None and self.crawl_id is not None
        stats = self.crawler.stats
        if isinstance(item, ArchivedPage):
            self.store.save_page(item, self.crawl_id)
            stats.inc_value("archive/pages")
            self.outcome.pages += 1
            if item.extraction.post is not None and item.is_post_itself:
                stats.inc_value("archive/posts")
            stats.inc_value("archive/comments", len(item.extraction.comments))
            if item.is_post_itself:  # a comment page repeats its post's credits
                stats.inc_value("archive/credits", len(item.extraction.credits))
        elif isinstance(item, SyncAction):
            apply_sync(self.store, self.crawl_id, item)
        elif isinstance(item, FetchFailure):
            self.store.record_fetch_error(
                self.crawl_id, item.url, item.reason, item.http_status, item.attempts
            )
            stats.inc_value("archive/errors")
            self.outcome.errors += 1
        now = time.monotonic()
        if now - self.last_heartbeat >= HEARTBEAT_EVERY:  # "running" and alive
            self.last_heartbeat = now
            self.store.heartbeat(self.crawl_id)
        return item

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.outcome.finish_reason = reason
        if self.flush_timer is not None and self.flush_timer.running:
            self.flush_timer.stop()
        if self.store is None or self.crawl_id is None:
            return
        status = "finished" if reason == "finished" else "interrupted"
        try:
            self.store.flush()
        except sqlite3.Error as error:  # the last batch is lost: the crawl did not finish
            self.report_unusable(error)
            status, reason = "interrupted", "archive_unusable"
        stats = self.crawler.stats
        self.outcome.shortfalls = self.store.finish_crawl(
            self.crawl_id, status, reason,
            spider.crawl_report() if isinstance(spider, Reporting) else None,
            requests=stats.get_value("downloader/request_count", 0),
            responses=stats.get_value("downloader/response_count", 0),
            response_bytes=stats.get_value("downloader/response_bytes", 0),
            pages=self.outcome.pages,
        )
        self.store.close()
        self.store = None
