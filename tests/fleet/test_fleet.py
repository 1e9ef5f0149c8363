"""A fleet (real Redis, one writer, three workers) archives twelve blogs — three of them
the real WordPress in three themes, nine generated — into one archive equal to a single
crawl of the same blogs, also when a worker and the writer are killed mid-way."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from bench.sites import BlogSpec
from tests.fidelity.compare import IGNORED, table_contents
from tests.fleet.blogs import WatchedBlog, overlapping_workers, watched_blog
from tests.fleet.fleet import fleet, wparchive
from tests.wordpress.wpsite import WordPressStack

pytestmark = [pytest.mark.wordpress, pytest.mark.timeout(600)]

# Unthrottled (the servers are local), extraction in the crawl's own process (2 cores), and a
# lease short enough that a killed worker's blog comes back within seconds.
CRAWL_SETTINGS = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "EXTRACTION_WORKERS=0"]
FLEET_SETTINGS = [*CRAWL_SETTINGS, "FLEET_LEASE_SECONDS=3"]
# The fixture blog in three themes, one without its REST API (found through its sitemaps).
WORDPRESS_SITES = [("twentytwentyone", None), ("twentytwentytwo", "rest"),
                   ("twentytwentythree", None)]
WORDPRESS_POSTS = 52
# Rows of one crawl and of another differ in when they were fetched and which WARC record
# (random ids, files named per crawl) holds the response: everything else must be equal.
COMPARED_WITHOUT = frozenset(IGNORED | {"fetched_at", "warc_file", "warc_record_id"})


@dataclass
class Blogs:
    wordpress: list[str]
    generated: list[WatchedBlog]

    @property
    def urls(self) -> list[str]:
        return [*self.wordpress, *(blog.url for blog in self.generated)]


@pytest.fixture(scope="module")
def blogs(wordpress_stack: WordPressStack) -> Iterator[Blogs]:
    wordpress = [wordpress_stack.start_site(theme, disable).home_url
                 for theme, disable in WORDPRESS_SITES]
    with ExitStack() as stack:
        generated = [stack.enter_context(watched_blog(
            BlogSpec(posts=4 + n, per_page=3, name=f"Generated {n}"), delay=0.01))
            for n in range(9)]
        yield Blogs(wordpress, generated)


@pytest.fixture(scope="module")
def reference(blogs: Blogs, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list]:
    """What one process crawling the same blogs archives."""
    archive = tmp_path_factory.mktemp("single") / "single.db"
    sets = [part for s in CRAWL_SETTINGS for part in ("--set", s)]
    result = subprocess.run(wparchive("crawl", "-q", *blogs.urls, "-o", str(archive), *sets),
                            capture_output=True, text=True, timeout=400)
    assert result.returncode == 0, result.stderr[-3000:]
    for blog in blogs.generated:
        blog.forget()
    return table_contents(archive, COMPARED_WITHOUT)


def assert_warc_provenance(archive: Path) -> None:
    """Every post, comment, credit and image row names a response record of the archive's
    WARC files that holds its URL and payload."""
    records = {}
    for path in archive.parent.glob(f"{archive.stem}.warcs/*.warc.gz"):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type in ("response", "revisit"):
                    records[record.rec_headers.get_header("WARC-Record-ID")] = (
                        path, record.rec_headers.get_header("WARC-Target-URI"),
                        record.rec_headers.get_header("WARC-Payload-Digest"))
    with sqlite3.connect(archive) as conn:
        rows = conn.execute(
            "select fetched_url, warc_file, warc_record_id, payload_digest from posts union all"
            " select id, warc_file, warc_record_id, payload_digest from media"
            " where sha256 is not null").fetchall()
        unnamed = conn.execute("select count(*) from comments where warc_record_id is null"
                               ).fetchone()[0]
    assert rows and unnamed == 0
    for url, warc_file, record_id, digest in rows:
        path, uri, stored_digest = records[record_id]
        assert (archive.parent / warc_file).resolve() == path.resolve()
        assert (uri, stored_digest) == (url, digest)


def assert_one_worker_per_host(blogs: Blogs) -> None:
    for blog in blogs.generated:
        assert any(visit.worker for visit in blog.visits), blog.url
        assert overlapping_workers(blog.visits) == [], blog.url


def crawls(archive: Path) -> list[dict]:
    with sqlite3.connect(archive) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute(
            "select id, status, start_urls, options, requests_by_kind from crawls"
            " order by started_at")]


def test_three_workers_archive_twelve_blogs_as_one_crawl_does(
        blogs: Blogs, reference: dict[str, list], tmp_path: Path) -> None:
    with fleet(tmp_path, FLEET_SETTINGS) as running:
        running.queue(blogs.urls)
        running.start_writer()
        for name in ("w1", "w2", "w3"):
            running.start_worker(name)
        running.finish(timeout=300)
        status = running.run("queue", "status").stdout
    assert f"{len(blogs.urls)} done, 0 failed" in status
    assert table_contents(running.archive, COMPARED_WITHOUT) == reference
    assert_warc_provenance(running.archive)
    assert_one_worker_per_host(blogs)
    finished = crawls(running.archive)
    assert [c["status"] for c in finished] == ["finished"] * len(blogs.urls)
    workers = {json.loads(c["options"])["fleet_worker"] for c in finished}
    assert len(workers) > 1  # the blogs were shared out
    # The reading room's crawl list tells each crawl's worker and blog.
    with sqlite3.connect(running.archive) as conn:
        listed = conn.execute("select worker, blog, status from crawl_list").fetchall()
    assert {worker for worker, _, _ in listed} == workers
    assert sorted(blog for _, blog, _ in listed) == sorted(blogs.urls)


def test_killed_worker_and_writer_lose_nothing(
        blogs: Blogs, reference: dict[str, list], tmp_path: Path) -> None:
    for blog in blogs.generated:
        blog.forget()
    with fleet(tmp_path, FLEET_SETTINGS) as running:
        running.queue(blogs.urls)  # the WordPress blogs first: each worker starts on one
        running.start_writer()
        for name in ("w1", "w2", "w3"):
            running.start_worker(name)
        # A blog with its REST API: a resumed crawl asks it which posts it still needs.
        with_api = [url for url, (_, disable) in zip(blogs.wordpress, WORDPRESS_SITES,
                                                     strict=True) if disable is None]
        victim, blog = running.wait_for(lambda: next(
            ((name, record["blog"]) for name, record in running.progress().items()
             if record.get("blog") in with_api and record.get("pages", 0) >= 15), None),
            timeout=120, what="a worker 15 pages into a blog")
        running.kill_worker(victim)
        running.kill_writer()
        running.start_writer()
        running.finish(timeout=300)
        attempts = int(running.client.hget("wpa:attempts", blog))
    assert attempts == 2  # the blog was taken over once its lease expired
    assert table_contents(running.archive, COMPARED_WITHOUT) == reference
    assert_warc_provenance(running.archive)
    assert_one_worker_per_host(blogs)
    of_blog = [c for c in crawls(running.archive) if json.loads(c["start_urls"]) == [blog]]
    assert [c["status"] for c in of_blog] == ["interrupted", "finished"]
    # Resumed, not restarted: the second crawl fetched only the posts the first had not
    # stored whole.
    resumed_posts = json.loads(of_blog[1]["requests_by_kind"]).get("post", 0)
    assert resumed_posts <= WORDPRESS_POSTS - 10
