"""The writer: pages upserted on deterministic keys in whole transactions, batches, crawls."""

from __future__ import annotations

import dataclasses
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from scraper.archive.writer import ArchiveStore
from tests.archive.sample import BLOG, POST_URL, comment, page, table

IMAGE = "http://blog.example/wp-content/uploads/her.jpg"


@pytest.fixture
def store(tmp_path: Path) -> ArchiveStore:
    return ArchiveStore.open(tmp_path / "archive.db")


def test_saving_a_post_page_stores_post_terms_credit_media_and_comments(
    store: ArchiveStore, tmp_path: Path
) -> None:
    crawl = store.start_crawl([BLOG], {})
    comments = (comment(7, None, 0, "I think my favorite aspect"), comment(8, 7, 1, "Agreed"))
    store.save_page(page(comments=comments), crawl)
    db = tmp_path / "archive.db"
    assert table(db, "select id, title, author_id, comments_archived from posts") == [
        ("blog.example/?p=42", "Her (2013)", "blog.example/author/ana", 2)
    ]
    assert table(db, "select term_id from post_terms order by term_id") == [
        ("blog.example/category/reviews",), ("blog.example/tag/spike-jonze",)
    ]
    assert table(db, "select name, url from credits") == [
        ("hai-fuh-ku", "http://hai-fuh-ku.example/")
    ]
    assert table(db, "select id, parent_id from comments order by id") == [
        ("blog.example/#comment-7", None),
        ("blog.example/#comment-8", "blog.example/#comment-7"),
    ]
    assert table(db, "select media_id, role from post_media") == [(IMAGE, "featured")]
    assert table(db, "pragma foreign_key_check") == []


def test_rerun_updates_in_place_and_keeps_first_seen(store: ArchiveStore, tmp_path: Path) -> None:
    first = store.start_crawl([BLOG], {})
    store.save_page(page(comments=(comment(7, None, 0, "one"),)), first)
    second = store.start_crawl([BLOG], {})
    store.save_page(page(title="Her (2013), revisited",
                         comments=(comment(7, None, 0, "one"),)), second)
    db = tmp_path / "archive.db"
    rows = table(db, "select title, crawl_id, first_seen <= last_seen from posts")
    assert rows == [("Her (2013), revisited", second, 1)]
    assert table(db, "select count(*) from comments") == [(1,)]
    assert table(db, "select count(*) from credits") == [(1,)]


def test_comment_page_adds_comments_without_overwriting_the_post(
    store: ArchiveStore, tmp_path: Path
) -> None:
    crawl = store.start_crawl([BLOG], {})
    store.save_page(page(comments=(comment(7, None, 0, "newest"),)), crawl)
    older = page(title="must not overwrite", comments=(comment(3, None, 0, "oldest"),),
                 comment_page=1, url=POST_URL + "comment-page-1/")
    store.save_page(older, crawl)
    db = tmp_path / "archive.db"
    assert table(db, "select title, comments_archived from posts") == [("Her (2013)", 2)]
    assert table(db, "select id, comment_page from comments order by id") == [
        ("blog.example/#comment-3", 1), ("blog.example/#comment-7", 1)
    ]


def test_full_text_search_finds_posts_and_comments(store: ArchiveStore, tmp_path: Path) -> None:
    crawl = store.start_crawl([BLOG], {})
    store.save_page(page(comments=(comment(7, None, 0, "trajectory of love stories"),)), crawl)
    db = tmp_path / "archive.db"
    assert table(db, "select title from posts_fts where posts_fts match 'superficially'") == [
        ("Her (2013)",)
    ]
    assert table(db, "select count(*) from comments_fts where comments_fts match 'trajectory'") \
        == [(1,)]


def test_two_stores_of_the_same_pages_give_identical_content_rows(tmp_path: Path) -> None:
    def content(path: Path) -> list[tuple]:
        store = ArchiveStore.open(path)
        crawl = store.start_crawl([BLOG], {})
        store.save_page(page(comments=(comment(7, None, 0, "x"), comment(9, 7, 1, "y"))), crawl)
        store.close()
        return table(path, "select id, post_id, parent_id, text from comments order by id") + \
            table(path, "select id, title, body_html, content_hash from posts")

    assert content(tmp_path / "a.db") == content(tmp_path / "b.db")


def test_a_failed_page_is_rolled_back_whole(store: ArchiveStore, tmp_path: Path) -> None:
    crawl = store.start_crawl([BLOG], {})
    unbindable = dataclasses.replace(comment(8, None, 1, "y"), author_url=object())
    broken = page(comments=(comment(7, None, 0, "x"), unbindable))
    with pytest.raises(sqlite3.Error):
        store.save_page(broken, crawl)
    db = tmp_path / "archive.db"
    assert table(db, "select count(*) from posts") == [(0,)]
    assert table(db, "select count(*) from comments") == [(0,)]


def test_an_edited_post_keeps_its_previous_version(store: ArchiveStore, tmp_path: Path) -> None:
    first = store.start_crawl([BLOG], {})
    store.save_page(page(), first)
    second = store.start_crawl([BLOG], {})
    store.save_page(page(title="Her (2013) — edited"), second)
    store.save_page(page(title="Her (2013) — edited"), second)
    db = tmp_path / "archive.db"
    assert table(db, "select title, crawl_id from post_versions order by first_seen, title") \
        == [("Her (2013)", first), ("Her (2013) — edited", second)]


def test_buffered_pages_are_written_when_the_batch_is_full_or_closed(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    store = ArchiveStore.open(db, batch_pages=3, batch_seconds=3600)
    crawl = store.start_crawl([BLOG], {})
    store.save_page(page(), crawl)
    store.save_page(page(comments=(comment(3, None, 0, "oldest"),), comment_page=1,
                         url=POST_URL + "comment-page-1/"), crawl)
    assert store.pending_pages == 2
    assert table(db, "select count(*) from posts") == [(0,)]
    store.save_page(page(title="third"), crawl)
    assert store.pending_pages == 0
    assert table(db, "select title, comments_archived from posts") == [("third", 1)]
    store.save_page(page(title="fourth"), crawl)
    store.close()
    assert table(db, "select title from posts") == [("fourth",)]


def test_an_image_file_joins_the_batch_that_holds_its_media_row(tmp_path: Path) -> None:
    """The media pipeline writes through the crawl's writer: an image downloaded while its
    media row is still buffered is written with it, instead of updating no row."""
    db = tmp_path / "archive.db"
    store = ArchiveStore.open(db, batch_pages=1000, batch_seconds=3600)
    crawl = store.start_crawl([BLOG], {})
    store.save_page(page(), crawl)
    store.save_media_file(IMAGE, {"sha256": "ab" * 32, "size": 3})
    assert table(db, "select count(*) from media") == [(0,)]
    store.flush()
    assert table(db, "select sha256, size from media where id = ?", IMAGE) == [("ab" * 32, 3)]
    store.save_media_file(IMAGE, {"size": 4})  # nothing buffered: written at once
    assert table(db, "select size from media where id = ?", IMAGE) == [(4,)]
    store.close()


def test_a_crawl_whose_process_died_is_marked_interrupted(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    store = ArchiveStore.open(db)
    alive = store.start_crawl([BLOG], {})
    dead = store.start_crawl([BLOG], {})
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    store.db.execute("update crawls set pid = ? where id = ?", [int(child.stdout), dead])
    assert store.mark_dead_crawls() == [dead]
    assert table(db, "select id, status, finish_reason from crawls order by status") == [
        (dead, "interrupted", "process died"), (alive, "running", None)]
    store.close()


def test_finishing_a_crawl_records_its_counts(store: ArchiveStore, tmp_path: Path) -> None:
    crawl = store.start_crawl([BLOG], {"media": "no"})
    store.save_page(page(comments=(comment(7, None, 0, "x"), comment(8, 7, 1, "y"))), crawl)
    store.record_fetch_error(crawl, BLOG + "gone/", "http 500", 500, 3)
    store.finish_crawl(crawl, "finished", "finished", None, requests=4, pages=1)
    assert table(tmp_path / "archive.db",
                 "select status, requests, pages, posts, comments, errors, options from crawls"
                 ) == [("finished", 4, 1, 1, 2, 1, '{"media": "no"}')]


def test_finish_crawl_records_the_crawl_report_and_tombstones_what_a_full_sync_missed(
    store: ArchiveStore, tmp_path: Path
) -> None:
    from scraper.model.items import BlogReport, CrawlReport

    first = store.start_crawl([BLOG], {})
    store.save_page(page(), first)
    store.finish_crawl(first, "finished", "finished")
    second = store.start_crawl([BLOG], {})
    blog = BlogReport(BLOG, "sitemap", "auto: sitemap lists 0 posts", True, 1, {"sitemap": 1},
                      (POST_URL,), None, {}, full_sync=True)
    report = CrawlReport((blog,), {"start": 1, "sitemap": 2})
    store.finish_crawl(second, "finished", "finished", report, requests=3, responses=3,
                       response_bytes=900, pages=0)
    archive = tmp_path / "archive.db"
    crawl = table(archive, "select requests, bytes, pages, route, mode,"
                  f" route_reason, requests_by_kind from crawls where id = '{second}'")
    assert crawl == [(3, 900, 0, "sitemap", "full", "auto: sitemap lists 0 posts",
                      '{"sitemap": 2, "start": 1}')]
    assert table(archive, "select deleted_crawl_id from posts") == [(second,)]
    assert table(archive, "select route, posts_listed, posts_expected_sitemap, complete"
                 f" from blog_checks where crawl_id = '{second}'") == [("sitemap", 1, 1, 0)]
    assert table(archive, "select route, mode, requests_by_kind from crawls"
                 f" where id = '{first}'") == [(None, None, "{}")]


def test_the_same_film_reviewed_on_two_blogs_is_one_work_with_two_reviews(
    store: ArchiveStore, tmp_path: Path
) -> None:
    crawl = store.start_crawl([BLOG], {})
    store.save_page(page(), crawl)
    store.save_page(page(blog="http://other.example/"), crawl)
    db = tmp_path / "archive.db"
    assert table(db, "select id, title, year, type from works") == [
        ("film/her/2013", "Her", 2013, "film")]
    assert table(db, "select post_id, work_id, rating, rating_value, rating_best, readers_rating,"
                 " readers_rating_count from reviews order by post_id") == [
        ("blog.example/?p=42", "film/her/2013", 0.9, 4.5, 5.0, 0.7, 12),
        ("other.example/?p=42", "film/her/2013", 0.9, 4.5, 5.0, 0.7, 12)]
    assert table(db, "select title from works_fts where works_fts match 'her'") == [("Her",)]
    assert table(db, "pragma foreign_key_check") == []


def test_a_review_gone_from_a_completed_post_is_tombstoned_and_comes_back_when_seen(
    store: ArchiveStore, tmp_path: Path
) -> None:
    state = {"url": POST_URL, "blog_id": "blog.example", "post_id": "blog.example/?p=42"}
    first = store.start_crawl([BLOG], {})
    store.save_page(page(), first)
    store.post_complete(first, state)
    second = store.start_crawl([BLOG], {})
    store.save_page(page(review=None), second)
    store.post_complete(second, state)
    db = tmp_path / "archive.db"
    assert table(db, "select deleted_crawl_id from reviews") == [(second,)]
    assert table(db, "select count(*) from works") == [(1,)]  # a work stays a work
    third = store.start_crawl([BLOG], {})
    store.save_page(page(), third)
    store.post_complete(third, state)
    assert table(db, "select deleted_at, crawl_id from reviews") == [(None, third)]
