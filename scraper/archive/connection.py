"""Open the archive file: connection, pragmas, schema migrations, and what to say when it
cannot be written.

The busy timeout (how long to wait for another writer's lock, the ``ARCHIVE_BUSY_TIMEOUT``
setting) is passed in by whoever opens the archive; ``DEFAULT_BUSY_TIMEOUT`` is the
setting's default.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from scraper.archive.schema import ensure_schema

DEFAULT_BUSY_TIMEOUT = 30.0  # seconds to wait for another writer's lock


class ArchiveUnusable(Exception):
    """The archive file cannot be written: locked, read-only, corrupt or the disk is full.

    ``str()`` is one line for people: what is wrong with which file, and what to do.
    """


def open_archive(
    path: str | Path, busy_timeout: float = DEFAULT_BUSY_TIMEOUT
) -> sqlite_utils.Database:
    """Open (creating or migrating) an archive file."""
    conn = sqlite3.connect(str(path), timeout=busy_timeout, isolation_level=None)
    # WAL lets Datasette read while we write; NORMAL sync is durable enough in WAL
    # (a power cut can lose the last transaction, never corrupt the file).
    conn.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    # One short transaction per page: a 64 MB page cache keeps the indexes' hot pages
    # between them, and checkpointing every ~40 MB of WAL instead of SQLite's 4 MB
    # means ten times fewer fsyncs of the archive (bench/storage.py: ~1.5× pages/s).
    conn.execute("PRAGMA cache_size=-65536")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("PRAGMA wal_autocheckpoint=10000")
    db = sqlite_utils.Database(conn)
    ensure_schema(db)
    return db


def check_archive(path: str | Path, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
    """Open the archive, take its write lock and write once (rolled back); raise
    ArchiveUnusable if we can't."""
    db = None
    try:
        db = open_archive(path, busy_timeout)
        db.conn.execute("BEGIN IMMEDIATE")
        # A read-only file (or an immutable one, for root) takes the lock; only a write fails.
        db.conn.execute("update schema_meta set value = value where key = 'version'")
        db.conn.execute("ROLLBACK")
    except sqlite3.Error as error:
        raise ArchiveUnusable(describe_archive_error(error, path, busy_timeout)) from error
    finally:
        if db is not None:
            db.close()


def describe_archive_error(
    error: BaseException, path: str | Path, busy_timeout: float = DEFAULT_BUSY_TIMEOUT
) -> str:
    """One line saying what is wrong with the archive file, from an sqlite3 error."""
    message = str(error).lower()
    if "locked" in message or "busy" in message:
        return (f"archive {path} is locked by another program (waited {busy_timeout:g} s); "
                "stop the other crawl or choose another --archive")
    if "readonly" in message or "read-only" in message or "unable to open" in message:
        return (f"archive {path} cannot be written (read-only file or folder, or no "
                "permission); choose another --archive")
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return (f"archive {path} is not a wparchive SQLite file or is corrupt ({error}); "
                "choose another --archive")
    if "full" in message:
        return f"archive {path} could not be written: the disk is full ({error})"
    if "disk i/o" in message:
        return f"archive {path} could not be written: the disk is full or failing ({error})"
    return f"archive {path} cannot be used: {error}"
