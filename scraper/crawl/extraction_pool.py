"""Run ``extract_page`` in worker processes, so that parsing uses the cores the crawl doesn't.

Extraction is pure and CPU-bound (BeautifulSoup, dates, selectors), while Scrapy's
reactor, the WARC writer and the archive writer share one process and one GIL.
With ``EXTRACTION_WORKERS`` processes the reactor keeps downloading and storing
while pages are parsed elsewhere; 0 extracts in the crawler process itself.
Results are the same records either way (frozen dataclasses, pickled back).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from scraper.archive.liveness import process_gone
from scraper.extract import extract_page
from scraper.model.records import PageExtraction

logger = logging.getLogger(__name__)

# A page every worker parses once at start: imports, compiled selectors and date
# locales are ready before the first real page arrives.
_WARM_UP_PAGE = (b"<!doctype html><html><head><title>t</title></head><body><article "
                 b"class='post'><h1 class='entry-title'>t</h1><time datetime="
                 b"'2014-01-10T10:00:00+00:00'>January 10, 2014</time><div "
                 b"class='entry-content'><p>x</p></div></article></body></html>")


def default_workers() -> int:
    """One core for the reactor, the rest for extraction (none on a single core)."""
    return max(0, (os.cpu_count() or 1) - 1)


class ExtractionPool:
    """``await pool.extract(body, url, content_type)``: a PageExtraction, off the reactor."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        if workers > 0:
            self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        # forkserver: workers never inherit the reactor's threads and sockets.
        executor = ProcessPoolExecutor(
            self.workers, mp_context=multiprocessing.get_context("forkserver"),
            initializer=_exit_with_crawler, initargs=(os.getpid(),))
        for _ in range(self.workers):
            executor.submit(extract_page, _WARM_UP_PAGE, "http://warm.up/")
        return executor

    async def extract(
        self, body: bytes, url: str, content_type: str | None
    ) -> PageExtraction:
        if self._executor is None:
            return extract_page(body, url, content_type)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                self._executor, extract_page, body, url, content_type)
        except BrokenProcessPool:
            # A worker died (killed, out of memory): extract this page here, renew the pool.
            logger.warning("extraction worker died on %s; restarting the pool", url)
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = self._new_executor()
            return extract_page(body, url, content_type)

    def worker_pids(self) -> list[int]:
        """The live worker processes (none before the first task, or with 0 workers)."""
        processes = getattr(self._executor, "_processes", None) or {}
        return [process.pid for process in processes.values() if process.is_alive()]

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None


def _exit_with_crawler(crawler_pid: int) -> None:
    """Worker initializer: a worker outlives a SIGKILLed crawler otherwise (it holds both
    ends of its own task pipe, so it never sees EOF), and so would the forkserver."""

    def watch() -> None:
        while not process_gone(crawler_pid):
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-crawler", daemon=True).start()

