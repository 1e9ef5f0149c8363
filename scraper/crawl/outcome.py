"""What the CLI's exit code depends on: filled by the spider and the pipeline during the
crawl, read by ``wparchive crawl`` after the crawl process ends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from scraper.model.items import CrawlReport


@dataclass
class CrawlOutcome:
    archive_path: str | None = None  # pipeline: the archive it opened
    crawl_id: str | None = None  # pipeline: None when the archive could not be opened
    unusable: str | None = None  # spider or pipeline: why the archive cannot be written
    start_pages_ok: int = 0  # spider: start URLs that answered
    start_failures: list[str] = field(default_factory=list)  # spider: "url: reason"
    not_wordpress: int = 0  # spider: start pages without WordPress markers
    pages: int = 0  # pipeline: pages stored
    errors: int = 0  # pipeline: fetch errors recorded
    finish_reason: str | None = None  # pipeline: Scrapy's close reason

    @property
    def complete(self) -> bool:
        """The crawl ran to its end and every page it wanted was archived."""
        return self.finish_reason == "finished" and not self.errors


@runtime_checkable
class Reporting(Protocol):
    """A spider that fills a ``CrawlOutcome`` and reports the crawl when it closes."""

    outcome: CrawlOutcome

    def crawl_report(self) -> CrawlReport: ...


def outcome_of(spider: object) -> CrawlOutcome:
    """The outcome ``spider`` fills, or a fresh one (a spider that keeps none, or none)."""
    return spider.outcome if isinstance(spider, Reporting) else CrawlOutcome()
