"""One blog's crawl in a fleet worker: the ``wordpress`` spider with its usual pipelines,
whose writes go down the Redis stream to the fleet's writer.

    python -m scraper.crawl.fleet.blog_crawl --redis redis://HOST:PORT --blog URL \\
        --worker NAME [--set NAME=VALUE …]

The worker (``worker.py``) forks one such process per blog it leases
(``crawl_in_forked_process``; the command line above is the same crawl, for debugging) and
renews the lease while it runs; the process dies with the worker (``PR_SET_PDEATHSIG``), so a
killed worker never leaves a crawl going on without a lease.  The blog's discovery (its
requests carry handler partials, its state lives in the spider) stays in this one process:
the blog is the unit the fleet shares out.
"""

from __future__ import annotations

import argparse
import ctypes
import logging
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

from scraper.archive.state import ArchiveState
from scraper.archive.writer import ArchiveStore
from scraper.crawl.fleet import blog_state
from scraper.crawl.fleet.blog_state import BlogState
from scraper.crawl.fleet.connection import DEFAULT_PREFIX, connect
from scraper.crawl.fleet.queue import BlogQueue
from scraper.crawl.fleet.stream_store import StreamStore, StreamWarcFiles
from scraper.crawl.media import MediaPipeline
from scraper.crawl.outcome import outcome_of
from scraper.crawl.pipelines import ArchivePipeline
from scraper.crawl.spiders.wordpress import WordPressSpider
from scraper.crawl.warc import WarcRecorder, WarcWriterFiles

logger = logging.getLogger(__name__)

EXIT_FINISHED = 0
EXIT_NOT_FINISHED = 1  # the crawl stopped early: the worker puts the blog back in the queue
EXIT_NO_WRITER = 2  # no writer answered: nothing was crawled
# What the archive path means to a fleet crawl's spider: nothing; the writer owns the file.
NO_LOCAL_ARCHIVE = "(fleet writer)"


class FleetSpider(WordPressSpider):
    """The ``wordpress`` spider, its archive's state asked of the fleet's writer."""

    name = "wordpress-fleet"

    def __init__(self, *args: Any, blog_state: BlogState, store: StreamStore,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.blog_state = blog_state
        self.store: StreamStore | None = store

    def archive_state(self, blog_home: str) -> ArchiveState | None:
        return self.blog_state.archive


class FleetArchivePipeline(ArchivePipeline):
    def open_store(self, path: str) -> ArchiveStore:
        spider = self.crawler.spider
        assert isinstance(spider, FleetSpider) and spider.store is not None
        return spider.store


class FleetMediaPipeline(MediaPipeline):
    def stored_media(self) -> set[str]:
        spider = self.crawler.spider
        assert isinstance(spider, FleetSpider)
        return set(spider.blog_state.stored_media)

    def sweep_partial_files(self) -> int:
        return 0  # the writer writes the files, whole

    def store_file(self, url: str, body: bytes, content_type: str | None,
                   provenance: dict[str, Any]) -> None:
        spider = self.crawler.spider
        assert isinstance(spider, FleetSpider) and spider.store is not None
        spider.store.media_file(url, body, content_type, provenance)


class FleetWarcRecorder(WarcRecorder):
    def open_files(self, archive_path: str) -> WarcWriterFiles:
        spider = self.crawler.spider
        assert isinstance(spider, FleetSpider) and spider.store is not None
        return StreamWarcFiles(spider.store,
                               self.crawler.settings.getint("WARC_MAX_SIZE", 1024 ** 3))


def fleet_settings(worker: str, overrides: Sequence[str]) -> Settings:
    """The project's settings with the fleet's pipelines and WARC recorder, then ``--set``.
    The user agent names the worker: a blog's owner can tell which machine asked."""
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.set("USER_AGENT", f"{settings.get('USER_AGENT')} fleet-worker/{worker}",
                 priority="cmdline")
    settings.set("ITEM_PIPELINES", {FleetArchivePipeline: 300, FleetMediaPipeline: 400},
                 priority="cmdline")
    settings.set("SPIDER_MIDDLEWARES", {FleetWarcRecorder: 950}, priority="cmdline")
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    settings.set("TELNETCONSOLE_ENABLED", False, priority="cmdline")
    for assignment in overrides:
        name, _, value = assignment.partition("=")
        settings.set(name, value, priority="cmdline")
    return settings


def die_with_parent() -> None:
    """Linux: the kernel kills this process when the worker that started it dies."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return
    parent = os.getppid()
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the worker died before the line above
        os._exit(EXIT_NOT_FINISHED)


def crawl_blog(redis_url: str, prefix: str, blog: str, worker: str,
               overrides: Sequence[str], state_wait: float) -> int:
    client = connect(redis_url)
    queue = BlogQueue(client, prefix)
    state = blog_state.ask(client, prefix, blog, state_wait)
    if state is None:
        logger.error("No fleet writer answered within %.0f s: %s not crawled", state_wait,
                     blog)
        return EXIT_NO_WRITER
    settings = fleet_settings(worker, overrides)
    store = StreamStore(client, queue, worker, state,
                        max_backlog=settings.getint("FLEET_MAX_BACKLOG", 10_000))
    process = CrawlerProcess(settings)
    crawler: Crawler = process.create_crawler(FleetSpider)
    process.crawl(crawler, url=blog, archive=NO_LOCAL_ARCHIVE, blog_state=state, store=store)
    process.start()
    outcome = outcome_of(crawler.spider)
    if outcome.finish_reason != "finished" or outcome.unusable:
        return EXIT_NOT_FINISHED
    return EXIT_FINISHED


def crawl_in_forked_process(redis_url: str, prefix: str, blog: str, worker: str,
                            overrides: Sequence[str]) -> None:
    """The body of the process a worker forks for a blog: its exit code is the crawl's."""
    die_with_parent()
    sys.exit(crawl_blog(redis_url, prefix, blog, worker, overrides, state_wait=3600.0))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scraper.crawl.fleet.blog_crawl")
    parser.add_argument("--redis", required=True)
    parser.add_argument("--prefix", default=DEFAULT_PREFIX)
    parser.add_argument("--blog", required=True)
    parser.add_argument("--worker", required=True)
    parser.add_argument("--state-wait", type=float, default=3600.0)
    parser.add_argument("--set", action="append", default=[])
    args = parser.parse_args(argv)
    die_with_parent()
    return crawl_blog(args.redis, args.prefix, args.blog, args.worker, args.set,
                      args.state_wait)


if __name__ == "__main__":
    sys.exit(main())
