"""What a crawl leaves open and what a killed crawl leaves behind: no telnet console (a
remote-control endpoint an archiver has no use for), and half-written media files of a
dead crawl are swept by the next one."""

from __future__ import annotations

import os
from pathlib import Path

from tests.crawling import run_scrapy_crawl
from tests.faults.server import FaultServer

DEAD_PID = 4_194_305  # above Linux's largest pid_max: no process has it


def test_a_crawl_opens_no_telnet_console_and_sweeps_a_killed_crawls_partial_files(
        tmp_path: Path) -> None:
    archive = tmp_path / "archive.db"
    folder = tmp_path / "archive.media" / "ab" / "cd"
    folder.mkdir(parents=True)
    stale = folder / f"abcd.png.{DEAD_PID}.part"
    stale.write_bytes(b"\x89PNG half")
    live = folder / f"abce.png.{os.getpid()}.part"  # a crawl still running owns it
    live.write_bytes(b"\x89PNG writing")
    with FaultServer() as server:
        server.home(server.load_fixture_site())
        result = run_scrapy_crawl(server.url, archive, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Telnet" not in result.stderr  # scrapy.extensions.telnet logs its password
    assert not stale.exists()
    assert live.exists()
