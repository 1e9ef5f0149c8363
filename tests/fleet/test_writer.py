"""The fleet's writer on a real Redis and a real archive: it applies what a killed writer
read and never acknowledged, and applying an entry twice changes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import redis

from scraper.crawl.fleet.messages import GROUP, encode
from scraper.crawl.fleet.writer import FleetWriter

PREFIX = "t:"
STREAM = PREFIX + "pages"
BLOG = "http://127.0.0.1:9/"


def entries() -> list[dict[bytes, bytes]]:
    return [
        encode("start_crawl", [BLOG], {"fleet_worker": "w1"}, crawl_id="c1"),
        encode("record_fetch_error", "c1", BLOG + "gone/", "HTTP 404 Not Found", 404, 1),
        encode("warc_write", "fleet-test-00000.warc.gz", 0, b"first record "),
        encode("warc_write", "fleet-test-00000.warc.gz", 13, b"second record"),
        encode("heartbeat", "c1"),
    ]


def run_once(client: redis.Redis, archive: Path) -> FleetWriter:
    """A writer that stops once it has nothing left to read."""
    writer = FleetWriter(client, PREFIX, archive)
    rounds = iter(range(4))
    writer.run(lambda: next(rounds, None) is None)
    return writer


def test_entries_a_killed_writer_read_are_applied_by_the_next(client: redis.Redis,
                                                              tmp_path: Path) -> None:
    client.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
    for entry in entries():
        client.xadd(STREAM, entry)  # type: ignore[arg-type]
    # A writer read them all and was killed before it committed: nothing acknowledged.
    read = client.xreadgroup(GROUP, "writer-on-another-machine", {STREAM: ">"})
    assert len(read[0][1]) == 5
    archive = tmp_path / "fleet.db"
    writer = run_once(client, archive)
    assert writer.applied == 5
    assert client.xpending(STREAM, GROUP)["pending"] == 0 and client.xlen(STREAM) == 0
    with sqlite3.connect(archive) as conn:
        assert conn.execute("select id, status from crawls").fetchall() == [("c1", "running")]
        assert conn.execute("select url, http_status from fetch_errors").fetchall() == [
            (BLOG + "gone/", 404)]
    warc = tmp_path / "fleet.warcs" / "fleet-test-00000.warc.gz"
    assert warc.read_bytes() == b"first record second record"


def test_an_entry_applied_twice_changes_nothing(client: redis.Redis, tmp_path: Path) -> None:
    archive = tmp_path / "fleet.db"
    for _ in range(2):  # the same entries again: a redelivery after a crash
        for entry in entries():
            client.xadd(STREAM, entry)  # type: ignore[arg-type]
        run_once(client, archive)
    with sqlite3.connect(archive) as conn:
        assert conn.execute("select count(*) from crawls").fetchone() == (1,)
        assert conn.execute("select count(*) from fetch_errors").fetchone() == (1,)
    warc = tmp_path / "fleet.warcs" / "fleet-test-00000.warc.gz"
    assert warc.read_bytes() == b"first record second record"
