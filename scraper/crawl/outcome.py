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
    shortfalls: int = 0  # pipeline: rows the completeness check wrote to shortfalls
    finish_reason: str | None = None  # pipeline: Scrapy's close reason

    @property
    def complete(self) -> bool:
        """The crawl ran to its end, every page it wanted was archived, and the archive
        holds all that the blog's own counts state."""
        return self.finish_reason == "finished" and not self.errors and not self.shortfalls

    def incomplete_reason(self) -> str | None:
        """Why the crawl is not complete, in one line (None when it is)."""
        if self.complete:
            return None
        if self.finish_reason != "finished":
            return f"the crawl was interrupted ({self.finish_reason}); rerun to complete it"
        parts = []
        if self.errors:
            parts.append(f"{_count(self.errors, 'page')} could not be archived "
                         "(see the fetch_errors table)")
        if self.shortfalls:
            parts.append(f"{_count(self.shortfalls, 'shortfall')}: the archive holds less "
                         "than the blog states (see the shortfalls table)")
        return "; ".join(parts) + "; rerun to complete it"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@runtime_checkable
class Reporting(Protocol):
    """A spider that fills a ``CrawlOutcome`` and reports the crawl when it closes."""

    outcome: CrawlOutcome

    def crawl_report(self) -> CrawlReport: ...


def outcome_of(spider: object) -> CrawlOutcome:
    """The outcome ``spider`` fills, or a fresh one (a spider that keeps none, or none)."""
    return spider.outcome if isinstance(spider, Reporting) else CrawlOutcome()
