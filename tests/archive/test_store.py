"""The store: schema created idempotently, pages upserted on deterministic keys."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from scraper.archive.schema import TABLES, ensure_schema
from scraper.archive.store import ArchiveStore, open_archive
from scraper.model.items import ArchivedPage
from scraper.model.records import (
    Author,
    BlogInfo,
    Comment,
    CommentsInfo,
    Credit,
    Image,
    PageExtraction,
    Post,
    Term,
)

BLOG = "http://blog.example/"
POST_URL = "http://blog.example/2014/01/10/her-2013/"


def _comment(wp_id: int, parent: int | None, position: int, text: str) -> Comment:
    return Comment(
        wp_id=wp_id, parent_wp_id=parent, depth=1 if parent is None else 2, position=position,
        parent_position=None, author_name=f"reader {wp_id}", author_url=None,
        published="2014-01-11T10:00:00Z", date_text="January 11, 2014 at 10:00 am",
        text=text, html=f"<p>{text}</p>", url=f"{POST_URL}#comment-{wp_id}",
    )


def _page(*, title: str = "Her (2013)", comments: tuple[Comment, ...] = (),
          comment_page: int | None = None, url: str = POST_URL) -> ArchivedPage:
    post = Post(
        url=url, canonical_url=POST_URL, wp_id=42, title=title,
        published="2014-01-10T08:00:00Z", modified=None, published_text=None,
        author=Author("Ana Critic", "http://blog.example/author/ana/", "ana"),
        terms=(Term("category", "Reviews", None, "reviews"), Term("tag", "Spike Jonze")),
        body_html="<p>Superficially, Her is striking.</p>",
        body_text="Superficially, Her is striking.", excerpt=None, word_count=4,
        featured_image=Image("http://blog.example/wp-content/uploads/her.jpg", role="featured"),
    )
    extraction = PageExtraction(
        url=url, blog=BlogInfo(True, "test", name="Films"), is_post_page=True, post=post,
        credits=(Credit("poster designed by hai-fuh-ku", "hai-fuh-ku",
                        "http://hai-fuh-ku.example/", "poster", "paragraph", None, 0),),
        comments=comments, comments_info=CommentsInfo(count_shown=len(comments)),
    )
    return ArchivedPage(blog_url=BLOG, post_url=POST_URL, fetched_url=url, http_status=200,
                        fetched_at="2026-01-01T00:00:00Z", comment_page=comment_page,
                        extraction=extraction)


def _table(db_path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def store(tmp_path: Path) -> ArchiveStore:
    return ArchiveStore.open(tmp_path / "archive.db")


def test_schema_creation_is_idempotent_and_declares_every_table(tmp_path: Path) -> None:
    db = open_archive(tmp_path / "a.db")
    before = db.schema
    ensure_schema(db)
    assert db.schema == before
    for spec in TABLES:
        assert db.table(spec.name).exists(), spec.name
    assert db.table("posts_fts").exists() and db.table("comments_fts").exists()
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_missing_columns_are_added_to_an_older_archive(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table posts (id text primary key, title text)")
    db = open_archive(path)
    assert "body_text" in db.table("posts").columns_dict


def test_saving_a_post_page_stores_post_terms_credit_media_and_comments(
    store: ArchiveStore, tmp_path: Path
) -> None:
    crawl = store.start_crawl([BLOG], {})
    comments = (_comment(7, None, 0, "I think my favorite aspect"), _comment(8, 7, 1, "Agreed"))
    store.save_page(_page(comments=comments), crawl)
    db = tmp_path / "archive.db"
    assert _table(db, "select id, title, author_id, comments_archived from posts") == [
        ("blog.example/?p=42", "Her (2013)", "blog.example/author/ana", 2)
    ]
    assert _table(db, "select term_id from post_terms order by term_id") == [
        ("blog.example/category/reviews",), ("blog.example/tag/spike-jonze",)
    ]
    assert _table(db, "select name, url from credits") == [
        ("hai-fuh-ku", "http://hai-fuh-ku.example/")
    ]
    assert _table(db, "select id, parent_id from comments order by id") == [
        ("blog.example/#comment-7", None),
        ("blog.example/#comment-8", "blog.example/#comment-7"),
    ]
    assert _table(db, "select media_id, role from post_media") == [
        ("http://blog.example/wp-content/uploads/her.jpg", "featured")
    ]
    assert _table(db, "pragma foreign_key_check") == []


def test_rerun_updates_in_place_and_keeps_first_seen(store: ArchiveStore, tmp_path: Path) -> None:
    first = store.start_crawl([BLOG], {})
    store.save_page(_page(comments=(_comment(7, None, 0, "one"),)), first)
    second = store.start_crawl([BLOG], {})
    store.save_page(_page(title="Her (2013), revisited",
                          comments=(_comment(7, None, 0, "one"),)), second)
    db = tmp_path / "archive.db"
    rows = _table(db, "select title, crawl_id, first_seen <= last_seen from posts")
    assert rows == [("Her (2013), revisited", second, 1)]
    assert _table(db, "select count(*) from comments") == [(1,)]
    assert _table(db, "select count(*) from credits") == [(1,)]


def test_comment_page_adds_comments_without_overwriting_the_post(
    store: ArchiveStore, tmp_path: Path
) -> None:
    crawl = store.start_crawl([BLOG], {})
    store.save_page(_page(comments=(_comment(7, None, 0, "newest"),)), crawl)
    older = _page(title="must not overwrite", comments=(_comment(3, None, 0, "oldest"),),
                  comment_page=1, url=POST_URL + "comment-page-1/")
    store.save_page(older, crawl)
    db = tmp_path / "archive.db"
    assert _table(db, "select title, comments_archived from posts") == [("Her (2013)", 2)]
    assert _table(db, "select id, comment_page from comments order by id") == [
        ("blog.example/#comment-3", 1), ("blog.example/#comment-7", 1)
    ]


def test_full_text_search_finds_posts_and_comments(store: ArchiveStore, tmp_path: Path) -> None:
    crawl = store.start_crawl([BLOG], {})
    store.save_page(_page(comments=(_comment(7, None, 0, "trajectory of love stories"),)), crawl)
    db = tmp_path / "archive.db"
    assert _table(db, "select title from posts_fts where posts_fts match 'superficially'") == [
        ("Her (2013)",)
    ]
    assert _table(db, "select count(*) from comments_fts where comments_fts match 'trajectory'") \
        == [(1,)]


def test_two_stores_of_the_same_pages_give_identical_content_rows(tmp_path: Path) -> None:
    def content(path: Path) -> list[tuple]:
        store = ArchiveStore.open(path)
        crawl = store.start_crawl([BLOG], {})
        store.save_page(_page(comments=(_comment(7, None, 0, "x"), _comment(9, 7, 1, "y"))),
                        crawl)
        store.close()
        return _table(path, "select id, post_id, parent_id, text from comments order by id") + \
            _table(path, "select id, title, body_html, content_hash from posts")

    assert content(tmp_path / "a.db") == content(tmp_path / "b.db")


def test_a_failed_page_is_rolled_back_whole(store: ArchiveStore, tmp_path: Path) -> None:
    crawl = store.start_crawl([BLOG], {})
    unbindable = dataclasses.replace(_comment(8, None, 1, "y"), author_url=object())
    broken = _page(comments=(_comment(7, None, 0, "x"), unbindable))
    with pytest.raises(sqlite3.Error):
        store.save_page(broken, crawl)
    db = tmp_path / "archive.db"
    assert _table(db, "select count(*) from posts") == [(0,)]
    assert _table(db, "select count(*) from comments") == [(0,)]


def test_an_edited_post_keeps_its_previous_version(store: ArchiveStore, tmp_path: Path) -> None:
    first = store.start_crawl([BLOG], {})
    store.save_page(_page(), first)
    second = store.start_crawl([BLOG], {})
    store.save_page(_page(title="Her (2013) — edited"), second)
    store.save_page(_page(title="Her (2013) — edited"), second)
    db = tmp_path / "archive.db"
    assert _table(db, "select title, crawl_id from post_versions order by first_seen, title") \
        == [("Her (2013)", first), ("Her (2013) — edited", second)]


def _fts_data(db_path: Path) -> list[tuple]:
    return _table(db_path, "select * from posts_fts_data order by id") + _table(
        db_path, "select * from comments_fts_data order by id")


def _fts_in_sync(db_path: Path) -> None:
    """FTS5's own check of the index against its content tables (raises if out of sync)."""
    with sqlite3.connect(db_path) as conn:
        for fts in ("posts_fts", "comments_fts"):
            conn.execute(f"insert into {fts} ({fts}, rank) values ('integrity-check', 1)")


def test_fts_follows_edits_of_indexed_columns_only(store: ArchiveStore, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    crawl = store.start_crawl([BLOG], {})
    store.save_page(_page(comments=(_comment(7, None, 0, "trajectory of love stories"),)), crawl)
    store.save_page(_page(title="Her, revisited",
                          comments=(_comment(7, None, 0, "orbit of love stories"),)), crawl)
    assert _table(db, "select title from posts_fts where posts_fts match 'revisited'") == [
        ("Her, revisited",)]
    assert _table(db, "select count(*) from posts_fts where posts_fts match '2013'") == [(0,)]
    assert _table(db, "select count(*) from comments_fts where comments_fts match 'orbit'") \
        == [(1,)]
    assert _table(db, "select count(*) from comments_fts where comments_fts match 'trajectory'") \
        == [(0,)]
    _fts_in_sync(db)
    # Same text again (a re-crawl), the comment count refresh, other columns: no re-indexing.
    before = _fts_data(db)
    store.save_page(_page(title="Her, revisited",
                          comments=(_comment(7, None, 0, "orbit of love stories"),)), crawl)
    with sqlite3.connect(db) as conn:
        conn.execute("update posts set comments_archived = 99, last_seen = 'x'")
        conn.execute("update comments set depth = 5")
    assert _fts_data(db) == before
    _fts_in_sync(db)


def test_sqlite_utils_fts_triggers_of_an_older_archive_are_replaced(tmp_path: Path) -> None:
    import sqlite_utils

    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    old["posts"].insert({"id": "a", "title": "old title", "body_text": "words"}, pk="id")
    old["posts"].enable_fts(["title", "body_text"], create_triggers=True, tokenize="unicode61")
    old.close()
    db = open_archive(path)
    au = db.execute("select sql from sqlite_master where name = 'posts_au'").fetchone()[0]
    assert "after update of [title], [body_text]" in au
    schema = db.schema
    ensure_schema(db)
    assert db.schema == schema
    db.execute("update posts set title = 'new title' where id = 'a'")
    assert db.execute("select count(*) from posts_fts where posts_fts match 'new'").fetchone() \
        == (1,)
    assert db.execute("select count(*) from posts_fts where posts_fts match 'old'").fetchone() \
        == (0,)
    db.close()
    _fts_in_sync(path)


def test_finish_crawl_records_the_crawl_report_and_tombstones_what_a_full_sync_missed(
    store: ArchiveStore, tmp_path: Path
) -> None:
    from scraper.model.items import BlogReport, CrawlReport

    first = store.start_crawl([BLOG], {})
    store.save_page(_page(), first)
    store.finish_crawl(first, "finished", "finished")
    second = store.start_crawl([BLOG], {})
    blog = BlogReport(BLOG, "sitemap", "auto: sitemap lists 0 posts", True, 1, {"sitemap": 1},
                      (POST_URL,), None, {}, full_sync=True)
    report = CrawlReport((blog,), {"start": 1, "sitemap": 2})
    store.finish_crawl(second, "finished", "finished", report, requests=3, responses=3,
                       response_bytes=900, pages=0)
    crawl = _table(tmp_path / "archive.db", "select requests, bytes, pages, route, mode,"
                   f" route_reason, requests_by_kind from crawls where id = '{second}'")
    assert crawl == [(3, 900, 0, "sitemap", "full", "auto: sitemap lists 0 posts",
                      '{"sitemap": 2, "start": 1}')]
    assert _table(tmp_path / "archive.db", "select deleted_crawl_id from posts") == [(second,)]
    assert _table(tmp_path / "archive.db",
                  "select route, posts_listed, posts_expected_sitemap, complete"
                  f" from blog_checks where crawl_id = '{second}'") == [("sitemap", 1, 1, 0)]
    assert _table(tmp_path / "archive.db", "select route, mode, requests_by_kind from crawls"
                  f" where id = '{first}'") == [(None, None, "{}")]
