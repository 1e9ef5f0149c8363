"""The metadata of the database named ``archive`` in datasette_meta.json applies to every
archive, and posts and comments can be sorted by rowid."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from datasette.app import Datasette

from scraper.reading_room.metadata import archive_metadata


def _datasette(run: Callable, files: list[Path], meta: dict[str, Any] | None) -> Datasette:
    ds = Datasette(files=[str(f) for f in files], metadata=copy.deepcopy(meta))
    run(ds.invoke_startup())
    return ds


def test_every_archive_but_archive_itself_gets_the_archive_databases_metadata(
    archive_path: Path, meta: dict[str, Any], event_loop_runner: Callable, tmp_path: Path
) -> None:
    films = shutil.copy(archive_path, tmp_path / "films.db")
    ds = _datasette(event_loop_runner, [archive_path, films], meta)
    databases = archive_metadata(ds)["databases"]
    assert set(databases) == {"archive", "films"}
    template = meta["databases"]["archive"]
    assert databases["films"]["description"] == template["description"]
    assert set(databases["films"]["queries"]) == set(template["queries"])
    # "archive" has its own metadata already: the plugin adds only the rowid sort
    assert set(databases["archive"]) == {"tables"}
    assert ds.metadata("description", database="films") == template["description"]


def test_posts_and_comments_of_every_archive_can_be_sorted_by_rowid(
    archive_path: Path, meta: dict[str, Any], event_loop_runner: Callable, tmp_path: Path
) -> None:
    films = shutil.copy(archive_path, tmp_path / "films.db")
    ds = _datasette(event_loop_runner, [archive_path, films], meta)
    for database in ("archive", "films"):
        tables = archive_metadata(ds)["databases"][database]["tables"]
        for table in ("posts", "comments"):
            assert tables[table]["sortable_columns"][-1] == "rowid", (database, table)
            assert "published" in tables[table]["sortable_columns"]


def test_sortable_columns_set_in_the_metadata_are_kept(
    archive_path: Path, meta: dict[str, Any], event_loop_runner: Callable, tmp_path: Path
) -> None:
    films = shutil.copy(archive_path, tmp_path / "films.db")
    configured = copy.deepcopy(meta)
    configured["databases"]["archive"]["tables"]["posts"]["sortable_columns"] = ["title"]
    ds = _datasette(event_loop_runner, [films], configured)
    posts = archive_metadata(ds)["databases"]["films"]["tables"]["posts"]
    assert posts["sortable_columns"] == ["title"]


def test_without_metadata_archives_get_only_the_rowid_sort(
    archive_path: Path, event_loop_runner: Callable, tmp_path: Path
) -> None:
    films = shutil.copy(archive_path, tmp_path / "films.db")
    ds = _datasette(event_loop_runner, [films], None)
    assert set(archive_metadata(ds)["databases"]["films"]) == {"tables"}
    assert ds.metadata("description", database="films") is None


def test_a_datasette_without_archives_gets_no_metadata(
    event_loop_runner: Callable, tmp_path: Path
) -> None:
    ds = _datasette(event_loop_runner, [], None)
    assert archive_metadata(ds) == {}
