"""Generated blogs for the fleet's tests (``bench.sites``), each logging who asked what and
when: the user agent names the fleet worker (``fleet-worker/NAME``)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from bench.serving import serving
from bench.sites import BlogSpec, ServedBlog, _BlogHandler

_WORKER = re.compile(r"fleet-worker/(\S+)")


@dataclass(frozen=True, slots=True)
class Visit:
    path: str
    started: float
    ended: float
    worker: str | None  # None: not a fleet worker (the single-process reference crawl)


@dataclass(kw_only=True)
class WatchedBlog(ServedBlog):
    delay: float = 0.0  # seconds each response waits: a slow host
    visits: list[Visit] = field(default_factory=list)
    visits_lock: threading.Lock = field(default_factory=threading.Lock)

    def forget(self) -> None:
        with self.visits_lock:
            self.visits.clear()


class _WatchedHandler(_BlogHandler):
    served: WatchedBlog

    def do_GET(self) -> None:
        started = time.monotonic()
        if self.served.delay:
            time.sleep(self.served.delay)
        super().do_GET()
        match = _WORKER.search(self.headers.get("User-Agent", ""))
        with self.served.visits_lock:
            self.served.visits.append(Visit(self.path, started, time.monotonic(),
                                            match.group(1) if match else None))


@contextmanager
def watched_blog(spec: BlogSpec, delay: float = 0.0) -> Iterator[WatchedBlog]:
    blog = WatchedBlog(spec=spec, delay=delay)
    with serving(_WatchedHandler, blog):
        yield blog


def overlapping_workers(visits: list[Visit]) -> list[tuple[Visit, Visit]]:
    """Pairs of requests by two different workers that were in flight at the same time."""
    fleet = sorted((v for v in visits if v.worker), key=lambda v: v.started)
    clashes = []
    for i, first in enumerate(fleet):
        for later in fleet[i + 1:]:
            if later.started >= first.ended:
                break
            if later.worker != first.worker:
                clashes.append((first, later))
    return clashes
