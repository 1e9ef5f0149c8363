"""Item pipelines: they only store what the spider hands them."""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from .discovery.incremental import SyncAction, apply_sync
from .items import ArchivedPage, FetchFailure
from .store import ArchiveStore

logger = logging.getLogger(__name__)

HEARTBEAT_EVERY = 5.0  # seconds between crawls.heartbeat updates


class ArchivePipeline:
    """Writes every ArchivedPage to the archive and every FetchFailure to fetch_errors."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.store: ArchiveStore | None = None
        self.crawl_id: str | None = None
        self.last_heartbeat = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        pipeline = cls(crawler)
        # spider_closed carries the close reason and fires after the last item.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        spider = self.crawler.spider
        path = getattr(spider, "archive_path", None) or self.crawler.settings.get("ARCHIVE_PATH")
        busy_timeout = self.crawler.settings.getfloat("ARCHIVE_BUSY_TIMEOUT", 30.0)
        self.store = ArchiveStore.open(path, busy_timeout=busy_timeout)
        self.crawl_id = self.store.start_crawl(
            getattr(spider, "start_url_list", []), getattr(spider, "options", {})
        )
        self.crawler.stats.set_value("archive/path", str(path))
        self.crawler.stats.set_value("archive/crawl_id", self.crawl_id)
        logger.info("Archiving into %s (crawl %s)", path, self.crawl_id)

    def process_item(self, item: Any) -> Any:
        assert self.store is not None and self.crawl_id is not None
        stats = self.crawler.stats
        if isinstance(item, ArchivedPage):
            self.store.save_page(item, self.crawl_id)
            stats.inc_value("archive/pages")
            if item.extraction.post is not None and item.comment_page is None:
                stats.inc_value("archive/posts")
            stats.inc_value("archive/comments", len(item.extraction.comments))
            stats.inc_value("archive/credits", len(item.extraction.credits))
        elif isinstance(item, SyncAction):
            apply_sync(self.store, self.crawl_id, item)
        elif isinstance(item, FetchFailure):
            self.store.record_fetch_error(
                self.crawl_id, item.url, item.reason, item.http_status, item.attempts
            )
            stats.inc_value("archive/errors")
        now = time.monotonic()
        if now - self.last_heartbeat >= HEARTBEAT_EVERY:  # "running" and alive
            self.last_heartbeat = now
            self.store.heartbeat(self.crawl_id)
        return item

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.store is None or self.crawl_id is None:
            return
        status = "finished" if reason == "finished" else "interrupted"
        self.store.finish_crawl(self.crawl_id, status, reason, self.crawler.stats.get_stats())
        self.store.close()
        self.store = None
