"""MediaPipeline writes image files through the crawl's own writer (ArchivePipeline's)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from scraper.crawl.media import MediaPipeline
from scraper.crawl.pipelines import ArchivePipeline
from tests.crawl.test_pipelines import fixture_pages, open_pipeline


def _count(path: Path, sql: str, *params: Any) -> Any:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchone()[0]


def _media_beside(archive: ArchivePipeline | None, path: Path | None = None) -> MediaPipeline:
    """A MediaPipeline in a crawl (archiving into ``path``) whose item pipelines hold
    ``archive``."""
    crawler = SimpleNamespace(
        spider=SimpleNamespace(media=None, archive_path=str(path)),
        settings=SimpleNamespace(getbool=lambda name, default: default,
                                 get=lambda name: None),
        get_item_pipeline=lambda cls: archive if cls is ArchivePipeline else None)
    return MediaPipeline(crawler)  # type: ignore[arg-type]


def test_an_image_file_is_written_after_its_buffered_media_row(tmp_path: Path) -> None:
    """An image downloaded while its media row is still in the crawl's batch joins that
    batch instead of updating no row."""
    path = tmp_path / "a.db"
    archive = open_pipeline(path, batch_pages=1000)
    media = _media_beside(archive, path)
    media.open_spider()
    assert media.store is archive.store is not None
    page = next(p for p in fixture_pages() if p.extraction.post and p.extraction.post.images)
    assert page.extraction.post is not None
    url = page.extraction.post.images[0].url
    archive.process_item(page)
    media.store.save_media_file(url, {"sha256": "ab" * 32, "size": 3})
    assert _count(path, "select count(*) from media") == 0
    archive.store.flush()
    assert _count(path, "select sha256 from media where id = ?", url) == "ab" * 32
    media.store.save_media_file(url, {"size": 4})  # nothing buffered: written at once
    assert _count(path, "select size from media where id = ?", url) == 4
    media.close_spider()
    archive.store.save_media_file(url, {"size": 5})  # the crawl's writer is still open
    assert _count(path, "select size from media where id = ?", url) == 5


def test_media_downloads_are_off_when_the_archive_could_not_be_opened() -> None:
    archive = ArchivePipeline(SimpleNamespace())  # type: ignore[arg-type]
    media = _media_beside(archive)
    media.open_spider()
    assert not media.enabled and media.store is None


def test_media_pipeline_refuses_to_run_without_the_archive_pipeline() -> None:
    with pytest.raises(RuntimeError, match="ArchivePipeline"):
        _media_beside(None).open_spider()
