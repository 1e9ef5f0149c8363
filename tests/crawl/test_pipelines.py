"""ArchivePipeline: pages and post completions are written in batches, crash-safely.

The items are the HTML fixtures (``tests/fixtures/site``, a small blog with a comment
page, and ``tests/fixtures/pages``, one post each), extracted and fed to the pipeline
as the spider yields them: each post's pages, then its ``post_complete``.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from scraper.crawl.outcome import CrawlOutcome
from scraper.crawl.pipelines import ArchivePipeline
from scraper.extract import extract_page
from scraper.model.items import (
    ArchivedPage,
    BlogReport,
    CrawlReport,
    FetchFailure,
    SyncAction,
    TombstonePosts,
    TouchPosts,
)
from scraper.model.urls import comment_page_number, post_url_of_comment_page
from tests.crawl.streams import completion_of, pages_then_completions

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CONTENT = ("blogs", "authors", "posts", "post_versions", "terms", "post_terms", "media",
           "post_media", "credits", "comments", "comment_versions", "url_state",
           "fetch_errors")
# Times differ from run to run: compared as set or not set.
TIMES = {"first_seen", "last_seen", "checked_at", "complete_at", "deleted_at", "fetched_at",
         "at"}
CRAWL_COLUMNS = {"crawl_id", "deleted_crawl_id"}

Item = ArchivedPage | SyncAction | FetchFailure


@functools.cache
def fixture_pages() -> tuple[ArchivedPage, ...]:
    """Post pages and comment pages of the fixtures, each post's own page first."""
    sources: list[tuple[str, str, bytes]] = []
    site = FIXTURES / "site"
    for path in site.rglob("index.html"):
        relative = path.parent.relative_to(site).as_posix()
        sources.append(("http://site.example/", f"http://site.example/{relative}/",
                        path.read_bytes()))
    for path in (FIXTURES / "pages").glob("*.html"):
        blog = f"http://{path.stem.replace('_', '-')}.example/"
        sources.append((blog, f"{blog}2020/01/05/a-post/", path.read_bytes()))
    pages = []
    for blog, url, body in sources:
        extraction = extract_page(body, url)
        if extraction.post is None:
            continue
        number = comment_page_number(url)
        pages.append(ArchivedPage(
            blog_url=blog, post_url=post_url_of_comment_page(url) if number else url,
            fetched_url=url, http_status=200, fetched_at="2026-01-01T00:00:00Z",
            comment_page=number, extraction=extraction))
    return tuple(sorted(pages, key=lambda p: (p.post_url, p.comment_page or 0)))


def crawl_stream(pages: tuple[ArchivedPage, ...] | None = None) -> list[Item]:
    """Pages as the spider yields them: each post's pages, then its completion."""
    return list(pages_then_completions(fixture_pages() if pages is None else pages))


def open_pipeline(path: str | Path, batch_pages: int, batch_seconds: float = 3600.0
                  ) -> ArchivePipeline:
    crawler = get_crawler(settings_dict={
        "ARCHIVE_PATH": str(path), "ARCHIVE_BATCH_PAGES": batch_pages,
        "ARCHIVE_BATCH_SECONDS": batch_seconds})
    crawler.spider = SimpleNamespace(  # type: ignore[assignment]
        archive_path=str(path), start_url_list=[], options={})
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline


def run(path: Path, stream: list[Item], batch_pages: int) -> None:
    pipeline = open_pipeline(path, batch_pages)
    for item in stream:
        pipeline.process_item(item)
    pipeline.spider_closed(pipeline.crawler.spider, "finished")  # type: ignore[arg-type]


def count(path: Path, sql: str, *params: Any) -> int:
    """What another connection (Datasette, a killed crawl's rerun) sees."""
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchone()[0]


def content(path: Path, crawls: bool = True) -> dict[str, list[tuple[Any, ...]]]:
    """Every content row; times as set/unset; crawl ids as the crawl's rank (or left out)."""
    out = {}
    with sqlite3.connect(path) as conn:
        rank = {crawl_id: n for n, (crawl_id,) in enumerate(
            conn.execute("select id from crawls order by rowid"))}
        for table in CONTENT:
            columns = [r[1] for r in conn.execute(f"pragma table_info({table})")
                       if crawls or r[1] not in CRAWL_COLUMNS]
            rows = []
            for row in conn.execute(f"select {', '.join(columns)} from {table}"):
                rows.append(tuple(
                    (value is not None) if column in TIMES
                    else rank.get(value) if column in CRAWL_COLUMNS else value
                    for column, value in zip(columns, row, strict=True)))
            out[table] = sorted(rows, key=repr)
    return out


def test_the_fixtures_give_posts_with_comment_pages_and_images() -> None:
    pages = fixture_pages()
    assert len({p.post_url for p in pages}) >= 15
    assert any(p.comment_page for p in pages)
    assert any(p.extraction.post and p.extraction.post.images for p in pages)


def test_buffered_pages_become_visible_only_when_the_batch_is_flushed(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    pipeline = open_pipeline(path, batch_pages=1000)
    first_post = [i for i in crawl_stream() if not isinstance(i, SyncAction)][:1]
    for item in [*first_post, completion_of(first_post[0])]:  # type: ignore[arg-type]
        pipeline.process_item(item)
    assert count(path, "select count(*) from posts") == 0
    assert count(path, "select count(*) from url_state") == 0
    assert pipeline.store is not None and pipeline.store.pending_pages == 1
    pipeline.store.flush()
    assert count(path, "select count(*) from posts") == 1
    assert count(path, "select count(*) from url_state where complete_at is not null") == 1


def test_a_batch_is_written_when_it_holds_batch_pages_pages(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    pipeline = open_pipeline(path, batch_pages=3)
    pages = list(fixture_pages())
    pipeline.process_item(pages[0])
    pipeline.process_item(pages[1])
    assert count(path, "select count(*) from blogs") == 0
    pipeline.process_item(pages[2])
    assert count(path, "select count(*) from blogs") > 0
    assert pipeline.store is not None and pipeline.store.pending_pages == 0


def test_a_batch_is_written_after_batch_seconds(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    pipeline = open_pipeline(path, batch_pages=1000, batch_seconds=0.05)
    pipeline.process_item(fixture_pages()[0])
    pipeline.flush_if_due()  # what the timer calls
    assert count(path, "select count(*) from blogs") == 0
    time.sleep(0.1)
    pipeline.flush_if_due()
    assert count(path, "select count(*) from blogs") == 1


@pytest.mark.parametrize("other", [
    FetchFailure("http://site.example/gone/", "HTTP 404", 404),
    TombstonePosts("http://site.example/", ("site.example/?p=999",)),
    TouchPosts("http://site.example/", ("site.example/?p=999",)),
], ids=["fetch_error", "tombstone", "touch"])
def test_any_other_write_flushes_the_batch_first(tmp_path: Path, other: Item) -> None:
    path = tmp_path / "a.db"
    pipeline = open_pipeline(path, batch_pages=1000)
    pipeline.process_item(fixture_pages()[0])
    pipeline.process_item(other)
    assert count(path, "select count(*) from blogs") == 1


def test_url_state_never_commits_before_the_pages_of_its_post(tmp_path: Path) -> None:
    """After every item (the only moments a batch commits), a post marked complete has all
    the comments and versions the whole crawl gives it."""
    stream = crawl_stream()
    whole = tmp_path / "whole.db"
    run(whole, stream, batch_pages=1)
    path = tmp_path / "batched.db"
    pipeline = open_pipeline(path, batch_pages=3)
    checks = 0
    for item in stream:
        pipeline.process_item(item)
        with sqlite3.connect(path) as conn:
            complete = [r[0] for r in conn.execute(
                "select post_id from url_state where complete_at is not null")]
        for post_id in complete:
            for sql in ("select count(*) from comments where post_id = ?",
                        "select count(*) from post_versions where post_id = ?",
                        "select count(*) from posts where id = ? and body_html is not null"):
                assert count(path, sql, post_id) == count(whole, sql, post_id), (sql, post_id)
                checks += 1
    assert checks > 50


def unwritable(page: ArchivedPage) -> ArchivedPage:
    """``page`` with a comment SQLite cannot bind: its batch fails to commit."""
    unbindable = dataclasses.replace(page.extraction.comments[0], author_url=object())
    return dataclasses.replace(page, extraction=dataclasses.replace(
        page.extraction, comments=(unbindable,)))


def test_a_post_whose_batch_failed_is_never_marked_complete(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    pipeline = open_pipeline(path, batch_pages=1000)
    pages = [p for p in fixture_pages() if p.extraction.comments and p.comment_page is None]
    broken, fine = unwritable(pages[0]), pages[1]
    pipeline.process_item(broken)
    with pytest.raises(sqlite3.Error):
        pipeline.process_item(FetchFailure("http://x.example/", "HTTP 500", 500))
    for item in (completion_of(broken), fine, completion_of(fine)):
        pipeline.process_item(item)
    pipeline.spider_closed(pipeline.crawler.spider, "finished")  # type: ignore[arg-type]
    complete = {r[0] for r in sqlite3.connect(path).execute(
        "select url from url_state where complete_at is not null")}
    assert complete == {fine.post_url}
    assert count(path, "select count(*) from posts where url = ?", broken.post_url) == 0


def test_a_last_batch_that_cannot_be_written_makes_the_crawl_fail(tmp_path: Path) -> None:
    """The CLI exits 4 on ``outcome.unusable``; the crawl is not ``finished`` (a finished
    crawl would tombstone what it did not store)."""
    path = tmp_path / "a.db"
    pipeline = open_pipeline(path, batch_pages=1000)
    page = next(p for p in fixture_pages() if p.extraction.comments)
    pipeline.process_item(unwritable(page))
    pipeline.spider_closed(pipeline.crawler.spider, "finished")  # type: ignore[arg-type]
    assert pipeline.outcome.unusable and "cannot be used" in pipeline.outcome.unusable
    with sqlite3.connect(path) as conn:
        assert conn.execute("select status, finish_reason from crawls").fetchall() == [
            ("interrupted", "archive_unusable")]
    assert count(path, "select count(*) from posts") == 0


def test_batches_give_the_archive_of_one_transaction_per_page(tmp_path: Path) -> None:
    """Two crawls — the second re-fetches some posts, touches and tombstones others, with
    a fetch error between — store the same rows however the pages are batched."""
    pages = fixture_pages()
    second: list[Item] = [*crawl_stream(pages[::2]), FetchFailure(
        "http://site.example/gone/", "HTTP 404", 404)]
    second.insert(3, TouchPosts(pages[1].blog_url, (completion_of(pages[1]).post_id,)))
    gone = completion_of(pages[3])
    second.insert(5, TombstonePosts(pages[3].blog_url, (gone.post_id,)))
    archives = []
    for batch_pages in (1, 4, 1000):
        path = tmp_path / f"batch-{batch_pages}.db"
        run(path, crawl_stream(), batch_pages)
        run(path, second, batch_pages)
        archives.append(content(path))
    assert archives[0]["posts"] and any(r for r in archives[0]["comments"])
    assert archives[1] == archives[0]
    assert archives[2] == archives[0]


CHILD = """
import os, signal, sys
from tests.crawl.test_pipelines import crawl_stream, open_pipeline
pipeline = open_pipeline(sys.argv[1], batch_pages=4)
for n, item in enumerate(crawl_stream()):
    if n == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)
    pipeline.process_item(item)
"""


@pytest.mark.parametrize("kill_at", [1, 6, 17, 30, -1])
def test_sigkill_mid_batch_then_resume_gives_the_uninterrupted_archive(
    tmp_path: Path, kill_at: int
) -> None:
    stream = crawl_stream()
    kill_at = kill_at % len(stream)
    whole = tmp_path / "whole.db"
    run(whole, stream, batch_pages=4)
    path = tmp_path / "killed.db"
    child = subprocess.run([sys.executable, "-c", CHILD, str(path), str(kill_at)], cwd=REPO,
                           capture_output=True, text=True, timeout=120, env=os.environ)
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
    assert count(path, "pragma integrity_check") == "ok"
    # Posts marked complete are whole; the others are fetched again, as the spider's
    # incremental sync does for a post without complete_at.
    with sqlite3.connect(path) as conn:
        complete = {r[0] for r in conn.execute(
            "select url from url_state where complete_at is not null")}
    assert len(complete) < len({p.post_url for p in fixture_pages()})
    assert complete or kill_at < 10  # later kills leave some posts complete
    again = [i for i in stream if (i.post_url if isinstance(i, ArchivedPage) else
                                   i.url) not in complete]
    run(path, again, batch_pages=4)
    assert content(path, crawls=False) == content(whole, crawls=False)
    statuses = [r[0] for r in sqlite3.connect(path).execute(
        "select status from crawls order by rowid")]
    assert statuses == ["interrupted", "finished"]


class ReportingSpider:
    """What the pipeline needs of the wordpress spider: its outcome and its crawl report."""

    def __init__(self, path: Path) -> None:
        self.archive_path, self.start_url_list, self.options = str(path), [], {}
        self.outcome = CrawlOutcome()

    def crawl_report(self) -> CrawlReport:
        blog = BlogReport("http://site.example/", "feed", "auto: feed lists the posts", True,
                          1, {}, (), None, {}, full_sync=True)
        return CrawlReport((blog,), {"start": 1, "feed": 2, "post": 1})


def test_an_interrupted_crawl_still_records_the_spiders_report_and_fills_its_outcome(
    tmp_path: Path
) -> None:
    path = tmp_path / "a.db"
    crawler = get_crawler(settings_dict={"ARCHIVE_PATH": str(path), "ARCHIVE_BATCH_PAGES": 4})
    spider = ReportingSpider(path)
    crawler.spider = spider  # type: ignore[assignment]
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.process_item(fixture_pages()[0])
    pipeline.process_item(FetchFailure("http://site.example/gone/", "HTTP 404", 404))
    pipeline.spider_closed(spider, "shutdown")  # type: ignore[arg-type]
    with sqlite3.connect(path) as conn:
        assert conn.execute("select status, route, mode, requests_by_kind from crawls"
                            ).fetchall() == [("interrupted", "feed", "full",
                                              '{"feed": 2, "post": 1, "start": 1}')]
        assert conn.execute("select route, posts_listed from blog_checks").fetchall() == [
            ("feed", 1)]
    outcome = spider.outcome
    assert outcome.crawl_id and outcome.archive_path == str(path)
    assert (outcome.pages, outcome.errors, outcome.finish_reason) == (1, 1, "shutdown")
    assert not outcome.complete and outcome.unusable is None
