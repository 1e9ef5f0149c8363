"""The archive-wide search finds what a reader types: stems ("tickets" → "ticket"), folded
accents ("Amelie" → "Amélie", "Nguyen" → "Nguyễn"), prefixes ("tick"), credited names and
authors."""

from __future__ import annotations

import html
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from .test_datasette import make_datasette

LONG_NIGHT = "posters.example/?p=101"
REEL = "reel.example/?p=7"


@pytest.fixture(scope="module")
def search(archive_path: Path, meta: dict[str, Any], event_loop_runner: Callable,
           tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], list[str]]:
    """Post ids the search page links to, for a query (an archive with a few edits)."""
    archive = tmp_path_factory.mktemp("search") / "archive.db"
    shutil.copy(archive_path, archive)
    with sqlite3.connect(archive) as conn:  # the FTS triggers index the edits
        conn.execute("update posts set body_text = body_text || ' One ticket left.'"
                     " where id = ?", [LONG_NIGHT])
        conn.execute("update posts set title = 'Why Amélie and Nguyễn credits matter' where id = ?",
                     [REEL])
        conn.execute("update credits set text = 'poster designed by hai-fuh-ku',"
                     " name = 'hai-fuh-ku' where post_id = ?", [LONG_NIGHT])
    ds = make_datasette(event_loop_runner, archive, meta)

    def found(q: str) -> list[str]:
        response = event_loop_runner(ds.client.get("/-/search?" + urlencode({"q": q})))
        assert response.status_code == 200
        hits = re.findall(r'<li class="rr-hit rr-hit-post">.*?<h3><a href="([^"]*)"',
                          response.text, re.DOTALL)
        return [parse_qs(urlsplit(html.unescape(href)).query)["id"][0] for href in hits]

    return found


def test_a_plural_finds_the_singular(search: Callable[[str], list[str]]) -> None:
    assert search("tickets") == [LONG_NIGHT]


def test_a_word_without_its_accents_finds_it(search: Callable[[str], list[str]]) -> None:
    assert search("Amelie") == [REEL]
    assert search("Nguyen") == [REEL]  # two accents on one letter: remove_diacritics 2


def test_a_word_start_finds_the_word(search: Callable[[str], list[str]]) -> None:
    assert search("tick") == [LONG_NIGHT]


def test_a_credited_name_finds_its_post(search: Callable[[str], list[str]]) -> None:
    assert search("hai-fuh-ku") == [LONG_NIGHT]


def test_an_author_finds_their_posts(search: Callable[[str], list[str]]) -> None:
    assert search("Sam Reel") == [REEL]
