"""Sync actions land in the archive, and the next crawl reads them back (archive state)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from scraper.archive.state import KnownUrl, comments_total_key, load_state
from scraper.archive.sync import apply_sync
from scraper.archive.writer import ArchiveStore
from scraper.extract import extract_page
from scraper.model.items import (
    ArchivedPage,
    CommentsTotal,
    PostComplete,
    TombstoneComments,
    TombstonePosts,
    TouchPosts,
)
from scraper.model.keys import post_key
from scraper.model.urls import blog_id_for

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "classic_comment_list.html"
BLOG = "http://films.example/"
URL = "http://films.example/2014/01/10/her-2013/"


def _page() -> ArchivedPage:
    extraction = extract_page(FIXTURE.read_bytes(), URL)
    assert extraction.post is not None and extraction.comments
    return ArchivedPage(blog_url=BLOG, post_url=URL, fetched_url=URL, http_status=200,
                        fetched_at="2026-01-01T00:00:00Z", comment_page=None,
                        extraction=extraction)


@pytest.fixture
def archive(tmp_path: Path) -> tuple[Path, ArchiveStore, str, str]:
    """An archive holding one post page, with the post id; the store left open."""
    path = tmp_path / "a.db"
    store = ArchiveStore.open(path)
    crawl_id = store.start_crawl([BLOG], {})
    page = _page()
    store.save_page(page, crawl_id)
    assert page.extraction.post is not None
    return path, store, crawl_id, post_key(blog_id_for(BLOG), page.extraction.post, URL)


def _one(path: Path, sql: str) -> object:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchone()[0]


def test_an_archive_without_completed_posts_gives_no_incremental_state(archive) -> None:
    path, store, _, _ = archive
    store.flush()
    assert load_state(path, BLOG) is None
    assert load_state(path.parent / "missing.db", BLOG) is None


def test_a_completed_post_and_the_comments_total_are_the_next_crawls_state(archive) -> None:
    path, store, crawl_id, post_id = archive
    apply_sync(store, crawl_id, PostComplete(BLOG, URL, post_id, '"e1"', None, "2014-01-10"))
    apply_sync(store, crawl_id, CommentsTotal(BLOG, 12))
    store.flush()
    state = load_state(path, BLOG)
    assert state is not None and state.incremental
    known = state.urls[URL]
    assert isinstance(known, KnownUrl) and known.complete_at
    assert (known.post_id, known.etag, known.api_modified) == (post_id, '"e1"', "2014-01-10")
    assert state.comments_total == 12
    assert state.comments and all(p == post_id for _, p in state.comments.values())
    assert _one(path, f"select api_modified from url_state where url = "
                      f"'{comments_total_key(BLOG)}'") == "12"


def test_tombstones_mark_rows_deleted_and_touch_marks_them_seen(archive) -> None:
    path, store, crawl_id, post_id = archive
    store.flush()
    comment_id = _one(path, "select id from comments limit 1")
    apply_sync(store, crawl_id, TombstoneComments(BLOG, (str(comment_id),)))
    assert _one(path, f"select deleted_at is not null from comments where id = '{comment_id}'")
    second = store.start_crawl([BLOG], {})
    apply_sync(store, second, TouchPosts(BLOG, (post_id,)))
    assert _one(path, f"select crawl_id from posts where id = '{post_id}'") == second
    apply_sync(store, second, TombstonePosts(BLOG, (post_id,)))
    assert _one(path, f"select deleted_crawl_id from posts where id = '{post_id}'") == second
