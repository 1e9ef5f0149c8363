"""Archival fidelity against the real WordPress fixture: WARCs of every response,
re-extraction from them, downloaded poster images, revisit records on a re-crawl."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from scraper.archive.companions import warc_dir
from tests.crawling import run_cli, run_scrapy_crawl
from tests.fidelity.compare import table_contents
from tests.wordpress.wpsite import WordPressSite, WordPressStack

pytestmark = pytest.mark.wordpress


@dataclass
class Record:
    type: str
    uri: str
    id: str
    kind: str | None
    digest: str | None
    concurrent_to: str | None
    refers_to: str | None
    status: str | None
    payload: bytes
    data: dict[str, Any] | None = None


@dataclass
class Crawled:
    archive: Path
    first_files: list[Path]
    second_files: list[Path]
    live: dict[str, list[tuple]]
    reextracted: dict[str, list[tuple]]
    reextract_seconds: float
    uploads: Path
    records: dict[str, list[Record]] = field(default_factory=dict)

    def rows(self, sql: str, *params: Any) -> list[sqlite3.Row]:
        with sqlite3.connect(self.archive) as conn:
            conn.row_factory = sqlite3.Row
            return conn.execute(sql, params).fetchall()


def read_records(path: Path) -> list[Record]:
    records = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, check_digests="raise"):
            headers = record.rec_headers
            payload = record.content_stream().read()
            records.append(Record(
                type=record.rec_type, uri=headers.get_header("WARC-Target-URI"),
                id=headers.get_header("WARC-Record-ID"), kind=headers.get_header("WPA-Kind"),
                digest=headers.get_header("WARC-Payload-Digest"),
                concurrent_to=headers.get_header("WARC-Concurrent-To"),
                refers_to=headers.get_header("WARC-Refers-To"),
                status=record.http_headers.get_statuscode() if record.http_headers else None,
                payload=payload,
                data=json.loads(payload) if record.rec_type == "metadata" else None,
            ))
    return records


@pytest.fixture(scope="module")
def crawled(wordpress_stack: WordPressStack, wordpress_site: WordPressSite,
            tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    folder = tmp_path_factory.mktemp("fidelity")
    archive = folder / "blog.db"
    result = run_scrapy_crawl(wordpress_site.home_url, archive)
    assert result.returncode == 0, result.stderr[-4000:]
    first = sorted(warc_dir(archive).glob("*.warc.gz"))
    live = table_contents(archive)
    started = time.monotonic()
    result = run_cli("reextract", "--archive", str(archive), "--output",
                     str(folder / "reextracted.db"))
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-4000:]
    reextracted = table_contents(folder / "reextracted.db")
    result = run_scrapy_crawl(wordpress_site.home_url, archive)
    assert result.returncode == 0, result.stderr[-4000:]
    second = sorted(set(warc_dir(archive).glob("*.warc.gz")) - set(first))
    crawled = Crawled(archive, first, second, live, reextracted, seconds,
                      wordpress_stack.content_dir / "uploads")
    crawled.records = {"first": [r for f in first for r in read_records(f)],
                       "second": [r for f in second for r in read_records(f)]}
    return crawled


def test_warcs_hold_every_archived_page(crawled: Crawled) -> None:
    records = crawled.records["first"]
    by_id = {r.id: r for r in records}
    responses = [r for r in records if r.type == "response"]
    assert records[0].type == "warcinfo"
    # Every response has its request record.
    requested = {r.concurrent_to for r in records if r.type == "request"}
    assert {r.id for r in responses} <= requested
    kinds = {r.kind for r in responses}
    assert {"start", "api", "post", "media"} <= kinds
    assert any(r.uri.endswith("/robots.txt") for r in responses)
    # Each post row names the response it came from, and that response holds the page.
    posts = crawled.rows("select fetched_url, warc_file, warc_record_id, payload_digest,"
                         " extractor_version from posts")
    assert posts
    for post in posts:
        record = by_id[post["warc_record_id"]]
        assert record.uri == post["fetched_url"]
        assert record.digest == post["payload_digest"] and record.status == "200"
        assert (crawled.archive.parent / post["warc_file"]).is_file()
        assert post["extractor_version"]
    # Comment pages too: every archived page has a metadata record next to its response.
    pages = [r for r in records if r.type == "metadata"]
    assert {r.concurrent_to for r in pages} <= {r.id for r in responses}
    assert len(pages) > len(posts)  # the posts with several comment pages
    assert any(r.data and r.data["comment_page"] for r in pages)
    missing = crawled.rows("select count(*) from comments where warc_record_id is null"
                           " union all select count(*) from credits where warc_record_id is null")
    assert [row[0] for row in missing] == [0, 0]


def test_reextraction_equals_the_live_archive(crawled: Crawled) -> None:
    assert crawled.live["posts"] and crawled.live["comments"]
    for table, rows in crawled.live.items():
        assert crawled.reextracted[table] == rows, table


def test_poster_images_downloaded_once_and_credited(
    crawled: Crawled, wordpress_truth: dict[str, Any]
) -> None:
    media_responses = [r for r in crawled.records["first"]
                       if r.type == "response" and r.kind == "media"]
    assert len({r.uri for r in media_responses}) == len(media_responses)  # once each
    archived = {row["url"] for row in crawled.rows("select url from posts")}
    posters = [p["featured_image"] for p in wordpress_truth["posts"]
               if p.get("featured_image") and p["permalink"] in archived]
    assert posters
    for poster in posters:
        rows = crawled.rows("select * from media where id = ?", poster["url"])
        assert rows, poster["url"]
        media = rows[0]
        served = crawled.uploads / poster["url"].split("/wp-content/uploads/", 1)[1]
        digest = hashlib.sha256(served.read_bytes()).hexdigest()
        assert media["sha256"] == digest
        local = crawled.archive.parent / media["local_path"]
        assert media["local_path"].startswith("blog.media/")
        assert hashlib.sha256(local.read_bytes()).hexdigest() == digest
        assert media["size"] == served.stat().st_size
        assert media["mime_type"] == "image/jpeg"
        assert (media["pixel_width"], media["pixel_height"]) == (poster["width"],
                                                                  poster["height"])
        assert media["warc_record_id"] in {r.id for r in media_responses}
    credits = crawled.rows(
        "select c.image_url, c.media_id, m.sha256 from credits c"
        " left join media m on m.id = c.media_id where c.image_url is not null")
    assert credits
    for credit in credits:
        assert credit["media_id"] == credit["image_url"] and credit["sha256"], credit


def test_unchanged_recrawl_writes_revisits(crawled: Crawled) -> None:
    first = {r.digest: r for r in crawled.records["first"]
             if r.type == "response" and r.payload}
    second = crawled.records["second"]
    revisits = [r for r in second if r.type == "revisit"]
    assert revisits
    for record in second:
        if record.type == "response" and record.payload:
            assert record.digest not in first, f"{record.uri}: payload stored twice"
        if record.type == "revisit":
            assert record.refers_to in {r.id for r in first.values()} | {
                r.id for r in second}
    # Images are not fetched again.
    assert not [r for r in second if r.kind == "media"]


def test_numbers(crawled: Crawled, capsys: pytest.CaptureFixture[str]) -> None:
    posts = len(crawled.live["posts"])
    warc_bytes = sum(f.stat().st_size for f in crawled.first_files)
    media = crawled.rows("select count(*) n, sum(size) bytes from media where sha256 is not null")
    with capsys.disabled():
        print(f"\nfidelity: {posts} posts, WARC {warc_bytes} bytes "
              f"({warc_bytes // posts} per post); media {media[0]['n']} files, "
              f"{media[0]['bytes']} bytes; re-extraction {crawled.reextract_seconds:.1f} s "
              f"(CLI, incl. start-up); re-crawl WARC "
              f"{sum(f.stat().st_size for f in crawled.second_files)} bytes")


def test_warc_and_media_can_be_switched_off(
    wordpress_site: WordPressSite, wordpress_truth: dict[str, Any], tmp_path: Path
) -> None:
    post = next(p for p in wordpress_truth["posts"] if p.get("featured_image"))
    archive = tmp_path / "plain.db"
    result = run_scrapy_crawl(post["permalink"], archive, spider_args=("warc=no", "media=no"))
    assert result.returncode == 0, result.stderr[-4000:]
    assert not warc_dir(archive).exists() and not (tmp_path / "plain.media").exists()
    with sqlite3.connect(archive) as conn:
        assert conn.execute("select count(*), count(warc_record_id) from posts").fetchone() == (
            1, 0)
