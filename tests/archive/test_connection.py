"""Opening the archive: pragmas, the busy timeout passed in, one line when it is unusable."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from scraper.archive.connection import (
    ArchiveUnusable,
    check_archive,
    describe_archive_error,
    open_archive,
)


def test_an_archive_opens_in_wal_with_normal_sync_and_the_busy_timeout_given(
    tmp_path: Path
) -> None:
    db = open_archive(tmp_path / "a.db", busy_timeout=2.5)
    assert db.execute("pragma journal_mode").fetchone() == ("wal",)
    assert db.execute("pragma synchronous").fetchone() == (1,)  # NORMAL
    assert db.execute("pragma busy_timeout").fetchone() == (2500,)
    db.close()


def test_a_locked_archive_is_unusable_after_waiting_the_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    open_archive(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        with pytest.raises(ArchiveUnusable) as raised:
            check_archive(path, busy_timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert str(raised.value) == (
        f"archive {path} is locked by another program (waited 0.2 s); "
        "stop the other crawl or choose another --archive")
    check_archive(path, busy_timeout=0.2)  # free again


def test_a_file_that_is_not_an_archive_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    with pytest.raises(ArchiveUnusable, match="is not a wparchive SQLite file or is corrupt"):
        check_archive(path)
    assert path.read_bytes().startswith(b"these are my notes")


@pytest.mark.parametrize(("error", "says"), [
    ("attempt to write a readonly database", "cannot be written (read-only file or folder"),
    ("unable to open database file", "cannot be written (read-only file or folder"),
    ("database or disk is full", "the disk is full (database or disk is full)"),
    ("disk I/O error", "the disk is full or failing"),
    ("database disk image is malformed", "is not a wparchive SQLite file or is corrupt"),
    ("something else", "cannot be used: something else"),
])
def test_each_sqlite_error_is_one_line_saying_what_to_do(error: str, says: str) -> None:
    message = describe_archive_error(sqlite3.OperationalError(error), "a.db")
    assert says in message and message.startswith("archive a.db ") and "\n" not in message


def test_the_lock_message_names_the_default_wait_unless_told() -> None:
    locked = sqlite3.OperationalError("database is locked")
    assert "(waited 30 s)" in describe_archive_error(locked, "a.db")
    assert "(waited 0.5 s)" in describe_archive_error(locked, "a.db", busy_timeout=0.5)


def test_an_archive_that_takes_the_lock_but_no_write_is_unusable(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    open_archive(path).close()
    read_only = f"file:{path}?mode=ro"
    original = sqlite3.connect

    def connect_read_only(database: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        return original(read_only, *args, uri=True, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sqlite3, "connect", connect_read_only)
        with pytest.raises(ArchiveUnusable, match=r"cannot be written \(read-only"):
            check_archive(path)
