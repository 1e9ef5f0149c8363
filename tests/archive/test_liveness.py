"""Dead-crawl detection: a process gone (or a zombie), a heartbeat gone quiet."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from scraper.archive.liveness import STALE_AFTER, crawl_is_dead, process_gone
from scraper.model.keys import utc_iso, utc_now


def _exited_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    return int(child.stdout)


def test_this_process_is_alive_and_an_exited_one_is_gone() -> None:
    assert not process_gone(os.getpid())
    assert process_gone(_exited_pid())


def test_a_zombie_counts_as_gone() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # exited, not yet reaped
        assert process_gone(child.pid)
    finally:
        child.wait()


def test_a_crawl_is_dead_when_its_process_is_gone_or_its_heartbeat_is_stale() -> None:
    now = utc_now()
    stale = utc_iso(datetime.now(UTC) - timedelta(seconds=STALE_AFTER + 60))
    assert not crawl_is_dead(os.getpid(), now)
    assert crawl_is_dead(_exited_pid(), now)
    assert crawl_is_dead(os.getpid(), stale)
    assert not crawl_is_dead(None, now)  # an older archive: the heartbeat decides
    assert crawl_is_dead(None, stale)
    assert crawl_is_dead(None, None) and crawl_is_dead(None, "not a time")
