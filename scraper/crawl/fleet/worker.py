"""A fleet worker: lease a blog, crawl it in a process of its own, renew the lease, repeat.

    wparchive worker --redis redis://HOST:PORT [--name NAME] [--set NAME=VALUE …]

The worker takes one blog at a time (``queue.BlogQueue.acquire``), starts its crawl
(``blog_crawl.py``) in a process forked from itself — Scrapy is imported once, by the worker,
not once per blog, and every blog still gets a fresh spider and reactor — and renews the
lease every third of ``lease_seconds`` while the crawl runs.  A finished crawl marks the blog
done; one that stopped early puts it back in the queue (``failed`` after ``max_attempts``).
If the lease is lost (a renewal came too late: another worker may hold the blog now) the
crawl is stopped at once.  If the worker itself is killed, its crawl dies with it, the lease
expires, and another worker resumes the blog.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess

from scraper.crawl.fleet.connection import DEFAULT_PREFIX, connect
from scraper.crawl.fleet.queue import BlogQueue, Lease

logger = logging.getLogger(__name__)


@dataclass
class WorkerOptions:
    redis_url: str
    name: str = field(default_factory=lambda: f"{socket.gethostname()}-{os.getpid()}")
    prefix: str = DEFAULT_PREFIX
    lease_seconds: float = 60.0
    max_attempts: int = 3  # crawls of one blog that stop early before it is failed
    poll_seconds: float = 1.0  # between two looks at the queue when nothing is free
    exit_when_done: bool = False  # stop once no blog is pending or leased
    overrides: Sequence[str] = ()  # Scrapy settings (NAME=VALUE) for every crawl


def run_worker(options: WorkerOptions, stopping: Callable[[], bool] = lambda: False) -> int:
    """Crawl blogs until ``stopping()`` (or, with ``exit_when_done``, until the queue is
    finished); returns how many blogs this worker finished."""
    client = connect(options.redis_url)
    queue = BlogQueue(client, options.prefix)
    finished = 0
    queue.report_progress(options.name, state="idle", pid=os.getpid(),
                          host=socket.gethostname(), blogs_done=0, updated=time.time())
    while not stopping():
        lease = queue.acquire(options.name, options.lease_seconds)
        if lease is None:
            if options.exit_when_done and queue.counts().finished:
                break
            time.sleep(options.poll_seconds)
            continue
        if crawl_under_lease(queue, lease, options, stopping):
            finished += 1
        queue.report_progress(options.name, state="idle", blog=None, blogs_done=finished,
                              updated=time.time())
    queue.report_progress(options.name, state="stopped", updated=time.time())
    return finished


def crawl_under_lease(queue: BlogQueue, lease: Lease, options: WorkerOptions,
                      stopping: Callable[[], bool]) -> bool:
    """Crawl the leased blog; True when its crawl finished."""
    logger.info("%s: crawling %s (attempt %d)", options.name, lease.blog, lease.attempt)
    queue.report_progress(options.name, state="crawling", blog=lease.blog,
                          attempt=lease.attempt, started=time.time(), pages=0, errors=0,
                          updated=time.time())
    crawl = start_crawl(lease, options)
    renew_every = options.lease_seconds / 3
    interrupted = False
    while True:
        crawl.join(timeout=renew_every)
        if crawl.exitcode is not None:
            code = crawl.exitcode
            break
        if stopping() and not interrupted and crawl.pid is not None:
            # Once: Scrapy stops gracefully (a second SIGINT would cut it short); the blog
            # goes back to the queue and is resumed.
            os.kill(crawl.pid, signal.SIGINT)
            interrupted = True
        if not queue.renew(lease, options.lease_seconds):
            logger.error("%s: lost the lease of %s: its crawl is stopped", options.name,
                         lease.blog)
            crawl.kill()
            crawl.join()
            return False
    if code == 0:
        queue.finish(lease, "done")
        return True
    if lease.attempt >= options.max_attempts:
        queue.finish(lease, "failed", f"crawl stopped early {lease.attempt} times "
                                      f"(last exit code {code})")
    else:
        queue.finish(lease, "retry")
    return False


def start_crawl(lease: Lease, options: WorkerOptions) -> BaseProcess:
    """The blog's crawl, in a process forked from this one (Linux: ``fork``)."""
    from scraper.crawl.fleet.blog_crawl import crawl_in_forked_process

    crawl = multiprocessing.get_context("fork").Process(
        target=crawl_in_forked_process, name=f"crawl {lease.blog}",
        args=(options.redis_url, options.prefix, lease.blog, options.name,
              tuple(options.overrides)))
    crawl.start()
    return crawl
