"""The reading room's pages on an instance with two archives (the default one first)."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from datasette.app import Datasette

from scraper.reading_room.views import MAX_PAGE, page_number

LONG_NIGHT = "posters.example/?p=101"


@pytest.fixture(scope="module")
def get(archive_path: Path, meta: dict[str, Any], event_loop_runner: Callable,
        tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Any]:
    films = shutil.copy(archive_path, tmp_path_factory.mktemp("second") / "films.db")
    ds = Datasette(files=[str(archive_path), str(films)], metadata=copy.deepcopy(meta))
    event_loop_runner(ds.invoke_startup())
    return lambda path: event_loop_runner(ds.client.get(path))


def test_search_of_a_second_archive_links_to_its_posts(get: Callable[[str], Any]) -> None:
    html = get("/-/search?q=zeppelinesque&db=films").text
    assert f'href="/-/post?id={quote(LONG_NIGHT, safe="")}&amp;db=films#comment-201"' in html
    default = get("/-/search?q=zeppelinesque").text
    assert f'href="/-/post?id={quote(LONG_NIGHT, safe="")}#comment-201"' in default


def test_post_of_a_second_archive_is_read_from_it(get: Callable[[str], Any]) -> None:
    response = get(f"/-/post?id={quote(LONG_NIGHT, safe='')}&db=films")
    assert response.status_code == 200
    assert "/films/posts?blog_id=posters.example" in response.text


def test_search_pages_past_the_end_or_nonsense_still_answer(get: Callable[[str], Any]) -> None:
    for page in ("0", "-3", "abc", "99999999"):
        assert get(f"/-/search?q=sky&page={page}").status_code == 200, page


@pytest.mark.parametrize(("asked", "page"), [
    (None, 1), ("", 1), ("3", 3), ("0", 1), ("-2", 1), ("x", 1), ("10000000", MAX_PAGE)])
def test_page_number_is_kept_between_one_and_max_page(asked: str | None, page: int) -> None:
    assert page_number(asked) == page
