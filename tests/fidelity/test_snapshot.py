"""The refactoring's identity check: equal content passes, any content change is caught."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from scraper.archive.writer import ArchiveStore
from tests.archive.sample import comment, page
from tests.fidelity.snapshot import compare_all


def archive(folder: Path, text: str = "Lovely.") -> Path:
    folder.mkdir()
    store = ArchiveStore.open(folder / "blog.db")
    crawl = store.start_crawl(["http://blog.example/"], {})
    store.save_page(page(comments=(comment(7, None, 0, text),)), crawl)
    store.finish_crawl(crawl, "finished", "finished")
    store.close()
    return folder


def test_two_crawls_of_the_same_content_compare_identical(tmp_path: Path) -> None:
    before = archive(tmp_path / "before")
    time.sleep(1.1)  # another second: first_seen, crawl ids and fetched_at differ
    after = archive(tmp_path / "after")
    assert compare_all(before, after) == 0


def test_a_changed_comment_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    before = archive(tmp_path / "before")
    after = archive(tmp_path / "after", text="Lovely!")
    assert compare_all(before, after) == 1
    assert "DIFFERENT in comments" in capsys.readouterr().out


def test_a_missing_row_is_reported(tmp_path: Path) -> None:
    before = archive(tmp_path / "before")
    after = archive(tmp_path / "after")
    with sqlite3.connect(after / "blog.db") as conn:
        conn.execute("delete from credits")
    assert compare_all(before, after) == 1
