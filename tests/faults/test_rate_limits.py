"""429 and 503 with Retry-After (seconds and HTTP-date forms): the retry waits what the
server asked, the host is slowed down, and the pages are archived in the end."""

from __future__ import annotations

import re
import sqlite3
from itertools import pairwise
from pathlib import Path

from tests.crawling import run_scrapy_crawl
from tests.faults.server import FaultServer, burst, retry_after_date

SECONDS = "/2021/02/01/rate-seconds/"
DATE = "/2021/02/02/rate-date/"
UNAVAILABLE = "/2021/02/03/unavailable/"


def _gaps(server: FaultServer, path: str) -> list[float]:
    times = [e.at for e in server.requests_for(path)]
    return [b - a for a, b in pairwise(times)]


def test_retry_after_is_honoured_and_the_host_slowed_down(tmp_path: Path) -> None:
    archive = tmp_path / "archive.db"
    with FaultServer() as server:
        listed = []
        for number, path in enumerate((SECONDS, DATE, UNAVAILABLE)):
            server.add_post(path, 50 + number, f"Limited {number}")
            listed.append((path, f"Limited {number}"))
        server.home(listed)
        server.fault(SECONDS, burst(429, times=1, retry_after="1"))
        server.fault(DATE, burst(429, times=1, retry_after=retry_after_date(2)))
        server.fault(UNAVAILABLE, burst(503, times=2, retry_after="1"))
        result = run_scrapy_crawl(server.url, archive, "RETRY_TIMES=3", "RETRY_AFTER_MAX=2",
                                  "RETRY_BACKOFF_BASE=0.1", timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]

        with sqlite3.connect(archive) as conn:
            titles = {t for (t,) in conn.execute("select title from posts")}
            errors = conn.execute("select count(*) from fetch_errors").fetchone()[0]
        assert titles == {"Limited 0", "Limited 1", "Limited 2"} and errors == 0

        assert [e.outcome for e in server.requests_for(SECONDS)] == ["429", "200"]
        assert _gaps(server, SECONDS)[0] >= 0.9  # Retry-After: 1
        # Retry-After: <HTTP-date 2 s ahead> (whole seconds, so at least 1 s)
        assert [e.outcome for e in server.requests_for(DATE)] == ["429", "200"]
        assert _gaps(server, DATE)[0] >= 0.9
        assert [e.outcome for e in server.requests_for(UNAVAILABLE)] == ["503", "503", "200"]
        assert all(gap >= 0.9 for gap in _gaps(server, UNAVAILABLE))
        # the whole host was slowed down on each 429/503, not only the retried URL
        slowdowns = re.search(r"'retry/host_slowdowns': (\d+)", result.stderr)
        assert slowdowns and int(slowdowns.group(1)) == 4
