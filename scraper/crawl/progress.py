"""What ``wparchive crawl`` shows: a live progress display while crawling, and the summary
(with what to do next) once the command knows how the crawl ended.

The ``Progress`` extension is enabled by ``wparchive crawl`` (setting ``PROGRESS_ENABLED``;
``PROGRESS_LIVE`` false for ``--quiet``); plain ``scrapy crawl`` keeps Scrapy's own log
output. The summary is printed by the command, not at ``spider_closed``: only the command
knows whether the crawl failed (exit 4/5), and the heading must not say "finished" then.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.spiders import Spider
from twisted.internet import task

# The summary's counts: (label, stats key).
_ROWS = (
    ("requests", "downloader/request_count"),
    ("responses", "downloader/response_count"),
    ("posts archived", "archive/posts"),
    ("posts unchanged", "archive/not_modified"),
    ("pages archived", "archive/pages"),
    ("comments extracted", "archive/comments"),
    ("credits", "archive/credits"),
    ("errors recorded", "archive/errors"),
    ("traps skipped", "archive/skipped_trap"),
    ("off-site skipped", "archive/skipped_offsite"),
)


@dataclass(frozen=True)
class Snapshot:
    """What the live display shows at one moment."""

    posts_done: int  # archived, or found unchanged
    posts_total: int | None  # what the blogs state (REST API, sitemap), else None
    comments: int
    credits: int
    requests: int
    errors: int
    elapsed: float  # seconds

    @property
    def rate(self) -> float:
        """Requests per second since the crawl started."""
        return self.requests / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the posts' pace so far; None while it cannot be estimated."""
        if not self.posts_total or self.posts_done <= 0 or self.posts_done >= self.posts_total:
            return None
        return self.elapsed / self.posts_done * (self.posts_total - self.posts_done)

    def line(self) -> str:
        posts = f"{self.posts_done} / {self.posts_total}" if self.posts_total \
            else str(self.posts_done)
        eta = f"ETA {clock(self.eta)}" if self.eta is not None else "ETA –"
        return (f"posts {posts} · comments {self.comments} · credits {self.credits} · "
                f"{self.rate:.1f} req/s · {clock(self.elapsed)} elapsed · {eta} · "
                f"errors {self.errors}")


def clock(seconds: float | None) -> str:
    """``75.2`` → ``1:15``; hours when needed (``1:02:03``)."""
    if seconds is None:
        return "–"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def posts_total(spider: object) -> int | None:
    """The posts the blogs say they have (the largest count a source states per blog),
    else those listed so far; None before any blog is discovered."""
    discoveries: Mapping[str, Any] = getattr(spider, "discoveries", {}) or {}
    total = 0
    for discovery in discoveries.values():
        listing = getattr(discovery, "listing", None)
        if listing is None:
            continue
        stated: Iterable[int] = listing.expected_posts.values()
        total += max(stated, default=0) or len(listing.listed)
    return total or None


def snapshot(stats: Mapping[str, Any], spider: object, elapsed: float) -> Snapshot:
    return Snapshot(
        posts_done=int(stats.get("archive/posts", 0)) + int(stats.get("archive/not_modified", 0)),
        posts_total=posts_total(spider),
        comments=int(stats.get("archive/comments", 0)),
        credits=int(stats.get("archive/credits", 0)),
        requests=int(stats.get("downloader/request_count", 0)),
        errors=int(stats.get("archive/errors", 0)),
        elapsed=elapsed,
    )


class Progress:
    def __init__(self, crawler: Crawler, interval: float, live: bool) -> None:
        self.crawler = crawler
        self.interval = interval
        self.show_live = live
        self.console = Console(stderr=True)
        self.live: Live | None = None
        self.loop: task.LoopingCall | None = None
        self.started = time.monotonic()
        self.elapsed = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        if not crawler.settings.getbool("PROGRESS_ENABLED"):
            raise NotConfigured
        extension = cls(crawler, crawler.settings.getfloat("PROGRESS_INTERVAL", 0.5),
                        crawler.settings.getbool("PROGRESS_LIVE", True))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        if not self.show_live:
            return
        self.live = Live(self._display(), console=self.console, transient=True,
                         auto_refresh=False)
        self.live.start()
        self.loop = task.LoopingCall(self._refresh)
        self.loop.start(self.interval, now=True)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.elapsed = time.monotonic() - self.started
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.live is not None:
            self.live.stop()

    def _refresh(self) -> None:
        if self.live is not None:
            self.live.update(self._display(), refresh=True)

    def _display(self) -> Text:
        stats: dict[str, Any] = self.crawler.stats.get_stats()
        now = snapshot(stats, self.crawler.spider, time.monotonic() - self.started)
        return Text("wparchive: crawling… " + now.line())


def summary(stats: Mapping[str, Any], heading: str, archive: str, elapsed: float,
            next_steps: Iterable[str]) -> Group:
    """The table of counts under ``heading``, then what to do next."""
    table = Table(title=f"wparchive: {heading}", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, key in _ROWS:
        table.add_row(label, str(stats.get(key, 0)))
    table.add_row("time", clock(elapsed))
    table.add_row("archive", archive)
    return Group(table, *(Text(step) for step in next_steps))


def print_summary(crawler: Crawler, heading: str, archive: str, next_steps: Iterable[str]
                  ) -> None:
    """Print the crawl's summary on stderr (the live display's stream)."""
    progress = next((extension for extension in crawler.extensions.middlewares
                     if isinstance(extension, Progress)), None)
    elapsed = progress.elapsed if progress is not None else 0.0
    Console(stderr=True).print(summary(crawler.stats.get_stats(), heading, archive, elapsed,
                                       next_steps))
