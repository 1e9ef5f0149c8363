"""Which attached databases the reading room treats as archives, per Datasette instance."""

from __future__ import annotations

import gc
import shutil
import sqlite3
import weakref
from collections.abc import Callable
from pathlib import Path

from datasette.app import Datasette

from scraper.reading_room.archives import (
    archive_databases,
    archive_table_columns,
    find_archives,
)


def _other_database(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("create table posts (id text)")  # posts alone is not an archive
    return path


def test_archives_are_the_databases_with_posts_and_comments_whatever_their_file_names(
    archive_path: Path, event_loop_runner: Callable, tmp_path: Path
) -> None:
    films = shutil.copy(archive_path, tmp_path / "films.db")
    other = _other_database(tmp_path / "other.db")
    ds = Datasette(files=[str(other), str(films)])
    assert archive_databases(ds) == []  # nothing is known before the first look
    assert event_loop_runner(find_archives(ds)) == ["films"]
    assert archive_databases(ds) == ["films"]
    columns = archive_table_columns(ds)
    assert set(columns) == {"films"} and set(columns["films"]) == {"posts", "comments"}
    assert {"id", "title", "published"} <= set(columns["films"]["posts"])
    assert {"id", "post_id", "parent_id"} <= set(columns["films"]["comments"])


def test_each_datasette_remembers_its_own_archives(
    archive_path: Path, event_loop_runner: Callable, tmp_path: Path
) -> None:
    films = shutil.copy(archive_path, tmp_path / "films.db")
    first, second = Datasette(files=[str(archive_path)]), Datasette(files=[str(films)])
    event_loop_runner(find_archives(first))
    event_loop_runner(find_archives(second))
    assert archive_databases(first) == ["archive"]
    assert archive_databases(second) == ["films"]


class NoDatabases:
    """Stands in for a Datasette: a real one sometimes outlives gc.collect() through
    references of its own, which would make the test below flaky."""

    def __init__(self) -> None:
        self.databases: dict[str, object] = {}


def test_remembering_its_archives_does_not_keep_a_datasette_alive(
    event_loop_runner: Callable,
) -> None:
    instance = NoDatabases()
    assert event_loop_runner(find_archives(instance)) == []
    dropped = weakref.ref(instance)
    del instance
    gc.collect()
    assert dropped() is None
