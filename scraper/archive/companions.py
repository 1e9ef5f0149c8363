"""The folders an archive keeps beside its SQLite file, named after it."""

from __future__ import annotations

from pathlib import Path


def warc_dir(archive_path: str | Path) -> Path:
    """``films.db`` → ``films.warcs/``: every response of its crawls, as WARC files."""
    path = Path(archive_path)
    return path.with_name(f"{path.stem}.warcs")
