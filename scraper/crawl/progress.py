"""A Scrapy extension that shows crawl progress live and a summary at the end.

Enabled by ``wparchive crawl`` (setting ``PROGRESS_ENABLED``); plain
``scrapy crawl`` keeps Scrapy's own log output.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.spiders import Spider
from twisted.internet import task

from scraper.crawl.outcome import outcome_of

_ROWS = (
    ("requests", "downloader/request_count"),
    ("responses", "downloader/response_count"),
    ("posts archived", "archive/posts"),
    ("pages archived", "archive/pages"),
    ("comments extracted", "archive/comments"),
    ("credits", "archive/credits"),
    ("errors recorded", "archive/errors"),
    ("traps skipped", "archive/skipped_trap"),
    ("off-site skipped", "archive/skipped_offsite"),
)


class Progress:
    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.console = Console(stderr=True)
        self.live: Live | None = None
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        if not crawler.settings.getbool("PROGRESS_ENABLED"):
            raise NotConfigured
        extension = cls(crawler, crawler.settings.getfloat("PROGRESS_INTERVAL", 0.5))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.live = Live(self._table("crawling…"), console=self.console, transient=True,
                         auto_refresh=False)
        self.live.start()
        self.loop = task.LoopingCall(self._refresh)
        self.loop.start(self.interval, now=True)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.live is not None:
            self.live.stop()
        self.console.print(self._table(f"finished ({reason})"))

    def _refresh(self) -> None:
        if self.live is not None:
            self.live.update(self._table("crawling…"), refresh=True)

    def _table(self, title: str) -> Table:
        stats: dict[str, Any] = self.crawler.stats.get_stats()
        table = Table(title=f"wparchive: {title}", show_header=False)
        table.add_column("what")
        table.add_column("count", justify="right")
        for label, key in _ROWS:
            table.add_row(label, str(stats.get(key, 0)))
        path = outcome_of(self.crawler.spider).archive_path
        if path:
            table.add_row("archive", path)
        return table
