"""Small things of Datasette's pages: canned queries titled by their title, the 404 page's
script found."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .test_datasette import make_datasette


@pytest.fixture(scope="module")
def get(archive_path: Path, meta: dict[str, Any],
        event_loop_runner: Callable) -> Callable[[str], Any]:
    ds = make_datasette(event_loop_runner, archive_path, meta)
    return lambda path: event_loop_runner(ds.client.get(path))


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1).strip()  # type: ignore[union-attr]


def test_a_canned_query_page_is_titled_by_its_title(get: Callable[[str], Any]) -> None:
    assert title(get("/archive/most_discussed").text) == "Most-discussed posts — archive"
    assert title(get("/archive?sql=select+1").text) == "archive: select 1"


@pytest.mark.parametrize("path", ["/nope", "/archive/nope"])
def test_the_404_page_loads_only_scripts_that_exist(get: Callable[[str], Any],
                                                     path: str) -> None:
    page = get(path)
    assert page.status_code == 404
    scripts = re.findall(r'<script[^>]* src="([^"]+)"', page.text)
    assert scripts
    for script in scripts:
        assert script.startswith("/"), script
        assert get(script).status_code == 200, script
