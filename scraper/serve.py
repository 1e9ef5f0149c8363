"""Serve an archive with Datasette: the reading room (``scraper.reading_room``) on a
read-only archive, with the repo's ``datasette_meta.json``.

``datasette_args`` builds the command line, ``serve`` runs it.  A finished
archive is opened immutable (``-i``: no locking, row counts cached); one that a
crawl may still be writing is opened plain, which Datasette reads through a
read-only connection, so the crawl's new pages appear as they are committed.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

METADATA_PATH = Path(__file__).resolve().parent.parent / "datasette_meta.json"


class ServeError(RuntimeError):
    """The archive or the Datasette metadata cannot be served."""


def metadata_path() -> Path:
    if not METADATA_PATH.is_file():
        raise ServeError(
            f"datasette_meta.json not found at {METADATA_PATH}: it ships at the root of the "
            "wparchive repository, next to the scraper package; serve from a checkout "
            "(pip install -e .)"
        )
    return METADATA_PATH


def datasette_args(
    archive_path: str | os.PathLike[str],
    host: str = "127.0.0.1",
    port: int = 8001,
    immutable: bool = True,
) -> list[str]:
    """The ``datasette serve`` command line for an archive (run with this Python)."""
    archive = str(Path(archive_path))
    return [
        sys.executable, "-m", "datasette", "serve",
        *(["-i", archive] if immutable else [archive]),
        "--metadata", str(metadata_path()),
        "--host", host,
        "--port", str(port),
        "--setting", "truncate_cells_html", "400",
        "--setting", "sql_time_limit_ms", "3000",
        # Facet suggestions try a count query per column of every table page (up to
        # 50 ms each): seconds on a large archive's ?_search= pages, for hints only.
        # The facets set in datasette_meta.json are still computed.
        "--setting", "suggest_facets", "off",
    ]


def checkpoint_wal(archive_path: str | os.PathLike[str]) -> bool:
    """Fold a leftover write-ahead log into the archive file; False if a writer holds it.

    Immutable mode ignores ``<archive>-wal``, so a crawl that was killed before
    SQLite could checkpoint would otherwise hide its last pages.
    """
    wal = Path(f"{archive_path}-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        return True
    conn = sqlite3.connect(str(archive_path), timeout=2)
    try:
        busy: int
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()
    return busy == 0


def serve(
    archive_path: str | os.PathLike[str],
    host: str = "127.0.0.1",
    port: int = 8001,
    immutable: bool = True,
) -> None:
    """Replace this process with Datasette serving the archive (returns only on error)."""
    if not Path(archive_path).is_file():
        raise ServeError(f"no archive at {archive_path}")
    if immutable and not checkpoint_wal(archive_path):
        print(f"wparchive serve: {archive_path} is being written; serving it live (read-only)",
              file=sys.stderr)
        immutable = False
    args = datasette_args(archive_path, host=host, port=port, immutable=immutable)
    print(f"wparchive serve: http://{host}:{port}/  (Ctrl-C to stop)", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(args[0], args)
