"""Links to a post as its blog showed it: the first archive is the default one."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from datasette.app import Datasette

from scraper.reading_room.archives import find_archives
from scraper.reading_room.urls import POST_PATH, database_params, post_url


def test_links_to_the_first_archive_omit_its_name_and_links_to_others_give_it(
    archive_path: Path, event_loop_runner: Callable, tmp_path: Path
) -> None:
    films = shutil.copy(archive_path, tmp_path / "films.db")
    ds = Datasette(files=[str(archive_path), str(films)])
    event_loop_runner(find_archives(ds))
    assert database_params(ds, "archive") == {}
    assert database_params(ds, "films") == {"db": "films"}
    assert post_url(ds, "archive", "a.example/?p=1") == f"{POST_PATH}?id=a.example%2F%3Fp%3D1"
    assert post_url(ds, "films", "a.example/?p=1", "comment-7") == (
        f"{POST_PATH}?id=a.example%2F%3Fp%3D1&db=films#comment-7")


def test_post_links_follow_datasettes_base_url(
    archive_path: Path, event_loop_runner: Callable
) -> None:
    ds = Datasette(files=[str(archive_path)], settings={"base_url": "/archives/"})
    event_loop_runner(find_archives(ds))
    assert post_url(ds, "archive", "x") == f"/archives{POST_PATH}?id=x"
