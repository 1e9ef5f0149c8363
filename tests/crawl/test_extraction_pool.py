"""scraper/crawl/extraction_pool.py: pages parsed in worker processes give the same records."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scraper.crawl.extraction_pool import ExtractionPool
from scraper.extract import extract_page

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
POST = FIXTURES / "site" / "2020" / "01" / "05" / "first-light" / "index.html"
POST_URL = "http://127.0.0.1:8000/2020/01/05/first-light/"


def _extract(pool: ExtractionPool, body: bytes) -> object:
    return asyncio.run(pool.extract(body, POST_URL, "text/html; charset=UTF-8"))


def test_a_worker_extracts_the_same_records_as_the_crawler_process() -> None:
    body = POST.read_bytes()
    pool = ExtractionPool(1)
    try:
        in_worker = _extract(pool, body)
    finally:
        pool.close()
    assert in_worker == extract_page(body, POST_URL, "text/html; charset=UTF-8")
    assert in_worker.post is not None and in_worker.comments


def test_zero_workers_extract_in_process() -> None:
    pool = ExtractionPool(0)
    assert pool.worker_pids() == []
    assert _extract(pool, POST.read_bytes()).post is not None


def test_a_dead_worker_costs_no_page_and_the_pool_is_renewed() -> None:
    body = POST.read_bytes()
    pool = ExtractionPool(1)
    try:
        _extract(pool, body)
        for pid in pool.worker_pids():
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        assert _extract(pool, body).post is not None  # extracted despite the dead worker
        assert _extract(pool, body).post is not None  # and the renewed pool works
        assert pool.worker_pids()
    finally:
        pool.close()


@pytest.mark.timeout(60)
def test_workers_exit_when_the_crawler_is_killed() -> None:
    crawler = subprocess.Popen(
        [sys.executable, str(FIXTURES / "pool" / "crawler_with_pool.py")], cwd=REPO,
        stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        workers = [int(pid) for pid in crawler.stdout.readline().split()]
        assert workers and all(_alive(pid) for pid in workers)
    finally:
        crawler.kill()
        crawler.wait()
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in workers)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")
