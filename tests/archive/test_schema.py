"""The schema: named migrations applied once each, in order; older archives migrate in place."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import sqlite_utils

from scraper.archive.connection import open_archive
from scraper.archive.schema import MIGRATIONS, TABLES, applied_migrations, ensure_schema
from scraper.archive.writer import ArchiveStore
from tests.archive.sample import BLOG, comment, page, table

# Written by the code of commit 37a61dd (see make_pre_migrations.py beside it).
PRE_MIGRATIONS = Path(__file__).resolve().parents[1] / "fixtures" / "archive" / \
    "pre_migrations.db"


def _schema(db_path: Path) -> list[tuple]:
    """Every table, index and trigger as SQLite stores it (creation order aside, and the
    layout of a column ALTER TABLE appended: names, types and order still count)."""
    return sorted((kind, name, table_name, re.sub(r"\s+", "", sql or "")) for
                  kind, name, table_name, sql in
                  table(db_path, "select type, name, tbl_name, sql from sqlite_master"))


def _content(db_path: Path) -> dict[str, list[tuple]]:
    """Every table's rows as (column, value) pairs without the nulls (a migration that
    appends a column leaves the old rows' values as they were), but the full-text
    indexes' (derived: rebuilt by migrations)."""
    names = [name for (name,) in table(
        db_path, "select name from sqlite_master where type = 'table' and name != 'schema_meta'"
        " and name not like '%\\_fts%' escape '\\'")]
    content = {}
    for name in names:
        with sqlite3.connect(db_path) as conn:
            cursor = conn.execute(f"select * from [{name}]")
            columns = [d[0] for d in cursor.description]
            rows = [tuple((c, v) for c, v in zip(columns, row, strict=True) if v is not None)
                    for row in cursor.fetchall()]
        content[name] = sorted(rows, key=repr)
    return content


def test_schema_creation_is_idempotent_and_declares_every_table(tmp_path: Path) -> None:
    db = open_archive(tmp_path / "a.db")
    before = db.schema
    ensure_schema(db)
    assert db.schema == before
    for spec in TABLES:
        assert db.table(spec.name).exists(), spec.name
    assert db.table("posts_fts").exists() and db.table("comments_fts").exists()
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_every_migration_is_applied_once_in_order_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    open_archive(path).close()
    recorded = table(path, "select key, value from schema_meta where key like 'migration:%'")
    db = open_archive(path)
    assert applied_migrations(db) == [m.name for m in MIGRATIONS]
    db.close()
    assert table(path, "select key, value from schema_meta where key like 'migration:%'") \
        == recorded  # not applied (or re-recorded) again
    assert table(path, "select value from schema_meta where key = 'version'") == [("1",)]


def test_migrations_name_every_table() -> None:
    """Every table is created by a step; later steps name the tables they change again."""
    named = [name for migration in MIGRATIONS for name in migration.tables]
    assert set(named) == {spec.name for spec in TABLES}
    assert len({m.name for m in MIGRATIONS}) == len(MIGRATIONS)


def test_an_archive_of_the_code_before_migrations_opens_unchanged_with_todays_schema(
    tmp_path: Path
) -> None:
    old = tmp_path / "old.db"
    shutil.copy(PRE_MIGRATIONS, old)
    content = _content(old)
    assert content["posts"] and content["url_state"] and content["shortfalls"]
    fresh = tmp_path / "fresh.db"
    open_archive(fresh).close()
    db = open_archive(old)
    assert applied_migrations(db) == [m.name for m in MIGRATIONS]
    db.close()
    assert _schema(old) == _schema(fresh)
    migrated = _content(old)
    assert {name: migrated[name] for name in content} == content
    assert all(not migrated[name] for name in migrated.keys() - content.keys())  # new, empty
    _fts_in_sync(old)  # the indexes rebuilt with today's tokenizer
    # and it takes today's writes: a rerun of the same crawl updates the rows in place
    store = ArchiveStore.open(old)
    crawl = store.start_crawl([BLOG], {})
    store.save_page(page(comments=(comment(7, None, 0, "I think my favorite aspect"),)), crawl)
    store.close()
    assert table(old, "select count(*), max(crawl_id) from posts") == [(1, crawl)]


def test_missing_columns_are_added_to_an_older_archive(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table posts (id text primary key, title text)")
    db = open_archive(path)
    assert "body_text" in db.table("posts").columns_dict


def _fts_data(db_path: Path) -> list[tuple]:
    return table(db_path, "select * from posts_fts_data order by id") + table(
        db_path, "select * from comments_fts_data order by id")


def _fts_in_sync(db_path: Path) -> None:
    """FTS5's own check of the index against its content tables (raises if out of sync)."""
    with sqlite3.connect(db_path) as conn:
        for fts in ("posts_fts", "comments_fts", "credits_fts", "authors_fts"):
            conn.execute(f"insert into {fts} ({fts}, rank) values ('integrity-check', 1)")


def test_fts_follows_edits_of_indexed_columns_only(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    store = ArchiveStore.open(db)
    crawl = store.start_crawl([BLOG], {})
    store.save_page(page(comments=(comment(7, None, 0, "trajectory of love stories"),)), crawl)
    store.save_page(page(title="Her, revisited",
                         comments=(comment(7, None, 0, "orbit of love stories"),)), crawl)
    assert table(db, "select title from posts_fts where posts_fts match 'revisited'") == [
        ("Her, revisited",)]
    assert table(db, "select count(*) from posts_fts where posts_fts match '2013'") == [(0,)]
    assert table(db, "select count(*) from comments_fts where comments_fts match 'orbit'") \
        == [(1,)]
    assert table(db, "select count(*) from comments_fts where comments_fts match 'trajectory'") \
        == [(0,)]
    _fts_in_sync(db)
    # Same text again (a re-crawl), the comment count refresh, other columns: no re-indexing.
    before = _fts_data(db)
    store.save_page(page(title="Her, revisited",
                         comments=(comment(7, None, 0, "orbit of love stories"),)), crawl)
    with sqlite3.connect(db) as conn:
        conn.execute("update posts set comments_archived = 99, last_seen = 'x'")
        conn.execute("update comments set depth = 5")
    assert _fts_data(db) == before
    _fts_in_sync(db)


def test_sqlite_utils_fts_triggers_of_an_older_archive_are_replaced(tmp_path: Path) -> None:
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


def test_an_older_archive_gets_the_stemming_accent_folding_index_of_every_searched_table(
    tmp_path: Path
) -> None:
    old = tmp_path / "old.db"
    shutil.copy(PRE_MIGRATIONS, old)
    assert "porter" not in str(table(old, "select sql from sqlite_master where name = 'posts_fts'"))
    open_archive(old).close()
    for fts in ("posts_fts", "comments_fts", "credits_fts", "authors_fts"):
        [(sql,)] = table(old, f"select sql from sqlite_master where name = '{fts}'")
        assert "porter unicode61 remove_diacritics 2" in sql, fts
    # its post says "Her is striking": "strikes" finds it now (both stem to "strike")
    assert table(old, "select count(*) from posts_fts where posts_fts match 'strikes'") == [(1,)]
    _fts_in_sync(old)


def test_post_list_shows_a_post_with_its_blog_author_and_counts(tmp_path: Path) -> None:
    store = ArchiveStore.open(tmp_path / "archive.db")
    crawl = store.start_crawl([BLOG], {})
    store.save_page(page(comments=(comment(7, None, 0, "x"), comment(8, 7, 1, "y"))), crawl)
    store.finish_crawl(crawl, "finished", "finished")
    store.close()
    rows = table(tmp_path / "archive.db",
                 "select title, blog, author is not null, comments, credits from post_list")
    assert rows == [("Her (2013)", BLOG, 1, 2, 1)]


def test_post_list_leaves_out_posts_gone_from_the_blog(tmp_path: Path) -> None:
    store = ArchiveStore.open(tmp_path / "archive.db")
    crawl = store.start_crawl([BLOG], {})
    store.save_page(page(), crawl)
    store.finish_crawl(crawl, "finished", "finished")
    store.close()
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        conn.execute("update posts set deleted_at = '2026-12-07T00:00:00Z'")
    assert table(tmp_path / "archive.db", "select count(*) from post_list") == [(0,)]
