"""Storage speed: the crawl's write path vs sqlite-utils ``insert_all`` of the same rows.

Items are real extractions (generated-blog posts, comment pages and the WordPress
fixtures), each cloned onto many blogs (``blog-K.example``) so that every clone
adds new posts and comments.  Both sides write into a fresh archive created by
``open_archive`` (same schema, indexes, FTS triggers, WAL, synchronous=NORMAL):

* ours: the items fed to ``ArchivePipeline.process_item`` as a crawl does, each
  post's pages followed by its ``post_complete`` (``url_state``), with the project's
  batch settings (``ARCHIVE_BATCH_PAGES``/``_SECONDS``), then ``spider_closed``
  (the last batch, the crawl's record);
* reference: the final rows (``page_rows`` of every item, merged by primary
  key, and the ``url_state`` rows) inserted with ``Table.insert_all`` inside one
  ``db.atomic()`` transaction.

Rows/s = rows in the archive at the end / wall seconds; the two archives must
hold the same number of rows per table.  The note also gives the same pipeline
with one transaction per page (``ARCHIVE_BATCH_PAGES=1``).

    python -m bench --only storage
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from scrapy.utils.test import get_crawler

from scraper import settings as project_settings
from scraper.archive.connection import open_archive
from scraper.archive.rows import page_rows
from scraper.archive.sync import completion_row
from scraper.crawl.pipelines import ArchivePipeline
from scraper.extract import extract_page
from scraper.model.items import ArchivedPage, PostComplete
from scraper.model.urls import comment_page_number, post_url_of_comment_page
from tests.crawl.streams import pages_then_completions

from .common import OUT, Result, log, median, ratio_result
from .extraction import wordpress_pages
from .sites import BlogSpec, render

TARGET = 0.5  # ≥ 50% of insert_all's rows/s
CRAWL_ID = "bench-storage"
SEEN_AT = "2024-01-01T00:00:00Z"


def template_pages() -> list[ArchivedPage]:
    """Extracted post pages (and comment pages) to clone: generated blog plus fixtures."""
    spec = BlogSpec(posts=40)
    sources: list[tuple[str, bytes]] = []
    base = "http://127.0.0.1:8080"
    for n in range(1, spec.posts + 1):
        paths = [spec.post_path(n)] + [f"{spec.post_path(n)}comment-page-{k}/"
                                       for k in range(1, spec.comment_pages(n))]
        for path in paths:
            body = render(spec, path)
            assert body is not None
            sources.append((base + path, body))
    for page in wordpress_pages():
        sources.append((page.url, page.body))
    items = []
    for url, body in sources:
        extraction = extract_page(body, url)
        if extraction.post is None:
            continue
        number = comment_page_number(url)
        items.append(ArchivedPage(
            blog_url=base + "/",
            post_url=post_url_of_comment_page(url) if number else url,
            fetched_url=url,
            http_status=200,
            fetched_at=SEEN_AT,
            comment_page=number,
            extraction=extraction,
        ))
    return items


def cloned(templates: list[ArchivedPage], count: int) -> list[ArchivedPage]:
    """``count`` items: the templates again and again, each pass on a new blog."""
    items = []
    clone = 0
    while len(items) < count:
        blog = f"http://blog-{clone}.example/"
        for item in templates:
            items.append(ArchivedPage(
                blog_url=blog,
                post_url=item.post_url.replace("http://127.0.0.1:8080/", blog),
                fetched_url=item.fetched_url.replace("http://127.0.0.1:8080/", blog),
                http_status=item.http_status,
                fetched_at=item.fetched_at,
                comment_page=item.comment_page,
                extraction=item.extraction,
            ))
        clone += 1
    return items[:count]


Item = ArchivedPage | PostComplete


def crawl_stream(items: list[ArchivedPage]) -> list[Item]:
    """The items as the spider yields them: each post's pages, then its completion."""
    return list(pages_then_completions(items))


def final_rows(stream: list[Item]) -> dict[str, list[dict[str, Any]]]:
    """What the archive holds after storing ``stream``: page_rows merged by primary key,
    and a ``url_state`` row per completed post."""
    from scraper.archive.rows import row_key  # the store's own notion of a row's key

    merged: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
    for item in stream:
        if isinstance(item, PostComplete):
            tables = {"url_state": [{**completion_row(item), "complete_at": SEEN_AT,
                                     "crawl_id": CRAWL_ID, "checked_at": SEEN_AT}]}
        else:
            tables = page_rows(item, CRAWL_ID, SEEN_AT)
        for table, rows in tables.items():
            into = merged.setdefault(table, {})
            for row in rows:
                key = row_key(table, row)
                into[key] = {**into[key], **row} if key in into else row
    return {table: list(rows.values()) for table, rows in merged.items()}


def _fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def time_pipeline(stream: list[Item], path: Path, batch_pages: int) -> tuple[float, float]:
    """(wall, CPU) seconds for ``ArchivePipeline`` to store ``stream`` and close."""
    _fresh(path)
    crawler = get_crawler(settings_dict={
        "ARCHIVE_PATH": str(path), "ARCHIVE_BATCH_PAGES": batch_pages,
        "ARCHIVE_BATCH_SECONDS": project_settings.ARCHIVE_BATCH_SECONDS})
    spider = SimpleNamespace(archive_path=str(path), start_url_list=[], options={})
    crawler.spider = spider  # type: ignore[assignment]
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.open_spider()
    started, cpu = time.perf_counter(), time.process_time()
    for item in stream:
        pipeline.process_item(item)
    pipeline.spider_closed(spider, "finished")  # type: ignore[arg-type]
    return time.perf_counter() - started, time.process_time() - cpu


def time_insert_all(rows: dict[str, list[dict[str, Any]]], path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds to insert the final rows in one transaction and close the file
    (the WAL checkpoint, as the pipeline's spider_closed does)."""
    _fresh(path)
    db = open_archive(path)
    started, cpu = time.perf_counter(), time.process_time()
    try:
        with db.atomic():
            for table, table_rows in rows.items():
                if table_rows:
                    db[table].insert_all(table_rows)  # type: ignore[union-attr]
    finally:
        db.close()
    return time.perf_counter() - started, time.process_time() - cpu


def counts(path: Path, tables: list[str]) -> dict[str, int]:
    db = open_archive(path)
    try:
        return {t: db.execute(f"select count(*) from [{t}]").fetchone()[0] for t in tables}
    finally:
        db.close()


def run(quick: bool = False) -> list[Result]:
    folder = OUT / "storage"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    templates = template_pages()
    items = cloned(templates, 600 if quick else 2000)
    stream = crawl_stream(items)
    rows = final_rows(stream)
    total = sum(len(r) for r in rows.values())
    log(f"storage: {len(items)} pages, {total} rows ({time.perf_counter() - started:.0f} s to "
        "extract and build)")
    ours_path, ref_path = folder / "pipeline.db", folder / "insert_all.db"
    per_page_path = folder / "per_page.db"
    batch_pages = project_settings.ARCHIVE_BATCH_PAGES
    ours_runs, ref_runs, per_page_runs = [], [], []
    for _ in range(1 if quick else 3):
        ours_runs.append(time_pipeline(stream, ours_path, batch_pages))
        ref_runs.append(time_insert_all(rows, ref_path))
        per_page_runs.append(time_pipeline(stream, per_page_path, 1))
    ours_times, ref_times = [w for w, _ in ours_runs], [w for w, _ in ref_runs]
    ours_cpu, ref_cpu = median([c for _, c in ours_runs]), median([c for _, c in ref_runs])
    per_page_time = median([w for w, _ in per_page_runs])
    per_page_cpu = median([c for _, c in per_page_runs])
    build_seconds = min(
        _timed(lambda: [page_rows(i, CRAWL_ID, SEEN_AT) for i in items]) for _ in range(2))
    ours_counts, ref_counts = counts(ours_path, list(rows)), counts(ref_path, list(rows))
    same = ours_counts == ref_counts == counts(per_page_path, list(rows)) and \
        sum(ours_counts.values()) == total
    ours_rate, ref_rate = total / median(ours_times), total / median(ref_times)
    comments = len(rows.get("comments", []))
    verdict = "yes" if same else f"NO {ours_counts} {ref_counts}"
    note = (f"{len(items)} pages → {total} rows ({comments} comments); "
            f"pipeline ({batch_pages} pages a transaction) "
            f"{len(items) / median(ours_times):,.0f} pages/s, "
            f"{median(ours_times) / len(items) * 1000:.2f} ms/page, of which page_rows "
            f"{build_seconds / len(items) * 1000:.2f} ms; "
            f"by CPU time (no I/O waits): {total / ours_cpu:,.0f} vs {total / ref_cpu:,.0f} "
            "rows/s "
            f"= {ref_cpu / ours_cpu:.2f}×; one transaction per page: "
            f"{total / per_page_time:,.0f} rows/s = {total / per_page_time / ref_rate:.2f}× "
            f"(CPU {ref_cpu / per_page_cpu:.2f}×) of insert_all; "
            f"same rows in all archives: {verdict}")
    return [ratio_result("storage", "rows/s written", ours_rate, ref_rate, "rows/s",
                         "insert_all", minimum=TARGET, note=note)]


def _timed(call: Any) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started
