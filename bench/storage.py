"""Storage speed: ``ArchiveStore.save_page`` vs sqlite-utils ``insert_all`` of the same rows.

Items are real extractions (generated-blog posts, comment pages and the WordPress
fixtures), each cloned onto many blogs (``blog-K.example``) so that every clone
adds new posts and comments.  Both sides write into a fresh archive created by
``open_archive`` (same schema, indexes, FTS triggers, WAL, synchronous=NORMAL):

* ours: ``save_page`` per item, as the pipeline does (rows built from the item,
  one transaction per page, upserts, comment count refresh);
* reference: the final rows (``page_rows`` of every item, merged by primary
  key) inserted with ``Table.insert_all`` inside one ``db.atomic()`` transaction.

Rows/s = rows in the archive at the end / wall seconds; the two archives must
hold the same number of rows per table.

    python -m bench --only storage
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from scraper.extract import extract_page
from scraper.items import ArchivedPage
from scraper.store import ArchiveStore, open_archive, page_rows
from scraper.urls import comment_page_number, post_url_of_comment_page

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


def final_rows(items: list[ArchivedPage]) -> dict[str, list[dict[str, Any]]]:
    """What the archive holds after storing ``items``: page_rows merged by primary key."""
    from scraper.store import _row_key  # the store's own notion of a row's key

    merged: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
    for item in items:
        for table, rows in page_rows(item, CRAWL_ID, SEEN_AT).items():
            into = merged.setdefault(table, {})
            for row in rows:
                key = _row_key(table, row)
                into[key] = {**into[key], **row} if key in into else row
    return {table: list(rows.values()) for table, rows in merged.items()}


def _fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def time_save_page(items: list[ArchivedPage], path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds to store ``items`` one save_page each."""
    _fresh(path)
    store = ArchiveStore.open(path)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        for item in items:
            store.save_page(item, CRAWL_ID)
        return time.perf_counter() - started, time.process_time() - cpu
    finally:
        store.close()


def time_insert_all(rows: dict[str, list[dict[str, Any]]], path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds to insert the final rows in one transaction."""
    _fresh(path)
    db = open_archive(path)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        with db.atomic():
            for table, table_rows in rows.items():
                if table_rows:
                    db[table].insert_all(table_rows)  # type: ignore[union-attr]
        return time.perf_counter() - started, time.process_time() - cpu
    finally:
        db.close()


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
    rows = final_rows(items)
    total = sum(len(r) for r in rows.values())
    log(f"storage: {len(items)} pages, {total} rows ({time.perf_counter() - started:.0f} s to "
        "extract and build)")
    ours_path, ref_path = folder / "save_page.db", folder / "insert_all.db"
    ours_runs, ref_runs = [], []
    for _ in range(1 if quick else 3):
        ours_runs.append(time_save_page(items, ours_path))
        ref_runs.append(time_insert_all(rows, ref_path))
    ours_times, ref_times = [w for w, _ in ours_runs], [w for w, _ in ref_runs]
    ours_cpu, ref_cpu = median([c for _, c in ours_runs]), median([c for _, c in ref_runs])
    build_seconds = min(
        _timed(lambda: [page_rows(i, CRAWL_ID, SEEN_AT) for i in items]) for _ in range(2))
    ours_counts, ref_counts = counts(ours_path, list(rows)), counts(ref_path, list(rows))
    same = ours_counts == ref_counts and sum(ours_counts.values()) == total
    ours_rate, ref_rate = total / median(ours_times), total / median(ref_times)
    comments = len(rows.get("comments", []))
    verdict = "yes" if same else f"NO {ours_counts} {ref_counts}"
    note = (f"{len(items)} pages → {total} rows ({comments} comments); "
            f"save_page {len(items) / median(ours_times):,.0f} pages/s, "
            f"{median(ours_times) / len(items) * 1000:.2f} ms/page, of which page_rows "
            f"{build_seconds / len(items) * 1000:.2f} ms; "
            f"by CPU time (no I/O waits): {total / ours_cpu:,.0f} vs {total / ref_cpu:,.0f} "
            "rows/s "
            f"= {ref_cpu / ours_cpu:.2f}×; same rows in both archives: {verdict}")
    return [ratio_result("storage", "rows/s written", ours_rate, ref_rate, "rows/s",
                         "insert_all", minimum=TARGET, note=note)]


def _timed(call: Any) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started
