"""``wparchive queue status``: the queue, each worker's progress, and the writer's backlog."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import redis

from scraper.crawl.fleet.connection import reply
from scraper.crawl.fleet.queue import BlogQueue
from scraper.crawl.fleet.stream_store import STREAM


def status_lines(client: redis.Redis, prefix: str) -> Iterator[str]:
    queue = BlogQueue(client, prefix)
    counts = queue.counts()
    yield (f"blogs: {counts.pending} queued, {counts.leased} being crawled, {counts.done} done, "
           f"{counts.failed} failed")
    for blog, reason in queue.failures().items():
        yield f"  failed: {blog}: {reason}"
    now = time.time()
    for worker, record in queue.progress().items():
        yield "worker " + _worker_line(worker, record, now)
    writer = reply(client.get(prefix + "writer"))
    if writer is None:
        yield "writer: none has run yet"
    else:
        record = json.loads(writer)
        waiting = reply(client.xlen(prefix + STREAM))
        yield (f"writer: pid {record['pid']} into {record['archive']}: "
               f"{record['applied']} entries written, {waiting} waiting "
               f"(at most {record['max_backlog']}), last seen {_ago(now, record['updated'])}")


def _worker_line(worker: str, record: dict[str, Any], now: float) -> str:
    state = record.get("state", "?")
    line = f"{worker}: {state}"
    if state == "crawling" and record.get("blog"):
        line += (f" {record['blog']} (attempt {record.get('attempt', 1)}): "
                 f"{record.get('pages', 0)} pages, {record.get('errors', 0)} errors, "
                 f"for {_duration(now - record.get('started', now))}")
    line += f"; {record.get('blogs_done', 0)} blogs done"
    if record.get("updated"):
        line += f"; last seen {_ago(now, record['updated'])}"
    return line


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def _ago(now: float, then: float) -> str:
    return f"{_duration(now - then)} ago"
