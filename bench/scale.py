"""Scale: a 100,000-post / ~1,000,000-comment archive served by Datasette, and a long crawl.

1. The archive is built through the storage layer (``ArchiveStore.save_page``
   with synthetic extractions: Zipf-distributed words, threaded comments,
   popular posts split into comment pages) and cached as
   ``bench/out/scale-<version>/archive.db``; later runs reuse it.
2. ``datasette serve`` of the file (``scraper.serve.datasette_args``: the
   reading-room plugin, the repo's metadata, immutable) on 127.0.0.1 answers
   a bounded number of sequential requests per endpoint: full-text search
   (the reading room's ``/-/search`` over posts and comments, and Datasette's
   own ``?_search=`` on ``posts`` and on ``comments``), the post page
   (``/-/post?id=``, the plugin route) and the row page
   (``/archive/posts/<id>``).  Each p95 is shown beside the p95 of
   ``/-/versions.json`` (Datasette's cheapest page) measured in the same run.
3. A crawl of a generated blog (20,000 posts; ``--crawl-posts N``) samples the
   crawler's RSS (its process tree: extraction workers count) every second and
   reports the peak while the archive held up to 25, 50, 75 and 100 % of the posts;
   its overall peak is shown beside the bare spider's peak on the first 5,000 of the
   same URLs.

    python -m bench --only scale [--crawl-posts N]
"""

from __future__ import annotations

import http.client
import itertools
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from scraper import settings as project_settings
from scraper.archive.schema import SCHEMA_VERSION
from scraper.archive.writer import ArchiveStore
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
from scraper.serve import datasette_args

from .common import OUT, REPO, Result, crawl_env, fmt, log, percentile, ratio_result
from .crawl import archived_counts, bare_command, fresh_archive, run_crawl, wordpress_command
from .sites import BlogSpec, serve_blog

# Bump when the generated content changes; the cached archive is rebuilt.
GENERATOR_VERSION = "1"
POSTS = 100_000
CRAWL_POSTS = 20_000  # the large generated blog whose crawl's memory is watched
BARE_PAGES = 5_000  # URLs the bare spider (the memory reference) fetches
BLOG = "http://scale-bench.example/"
SEARCH_P95_MS = 100.0
POST_P95_MS = 200.0
RSS_LIMIT_MB = 500.0
RSS_FLAT = 1.15  # RSS at 100% of posts ≤ 1.15 × RSS at 25%


# --- the synthetic archive ----------------------------------------------------------


def comment_count(n: int) -> int:
    """Comments of post ``n``: 250 on one post in 100 (five comment pages), a few on most."""
    if n % 100 == 0:
        return 250
    return (0, 1, 3, 5, 8, 10, 12, 22)[n % 8]


def expected_comments(posts: int) -> int:
    return sum(comment_count(n) for n in range(1, posts + 1))


class _Text:
    """Zipf-distributed pseudo-words (rank 1 is the commonest), sliced into texts cheaply."""

    def __init__(self, vocabulary: int = 30_000, pool: int = 2_000_000, seed: int = 9) -> None:
        rng = random.Random(seed)
        syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "be", "da", "fe", "gu",
                     "ho", "ji", "ku", "le", "ma", "no", "pi", "qu", "ra", "se", "to", "ul"]
        words: list[str] = []
        seen: set[str] = set()
        while len(words) < vocabulary:
            word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
            if word not in seen:
                seen.add(word)
                words.append(word)
        self.words = words
        weights = list(itertools.accumulate(1 / rank for rank in range(1, vocabulary + 1)))
        self.pool = rng.choices(words, cum_weights=weights, k=pool)

    def take(self, seed: int, count: int) -> str:
        start = (seed * 7919) % (len(self.pool) - count)
        return " ".join(self.pool[start:start + count])

    def word(self, rank: int) -> str:
        return self.words[rank - 1]


def _iso(n: int, hours: int = 0) -> str:
    seconds = 1_300_000_000 + n * 3 * 3600 + hours * 3600
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def synthetic_pages(n: int, text: _Text) -> Iterator[ArchivedPage]:
    """The post page of post ``n`` and then its comment pages (oldest first)."""
    blog = BlogInfo(True, "bench", name="Scale Bench", home_url=BLOG, generator="WordPress 6.4")
    path = f"{BLOG}{2011 + n // 40_000}/post-{n}/"
    body = text.take(n, 120 + (n * 37) % 400)
    image = Image(f"{BLOG}wp-content/uploads/poster-{n}.jpg", f"Poster {n}", 300, 450,
                  "featured")
    post = Post(
        url=path, canonical_url=path, wp_id=n, title=f"{text.take(n * 3, 4).title()} {n}",
        published=_iso(n), modified=_iso(n, 5), published_text=None,
        author=Author(f"Author {n % 25}", f"{BLOG}author/a{n % 25}/", f"a{n % 25}"),
        terms=(Term("category", f"Category {n % 12}", f"{BLOG}category/c{n % 12}/",
                    f"c{n % 12}"),
               Term("tag", text.word(50 + n % 500), None, None)),
        body_html="<p>" + body + "</p>", body_text=body, excerpt=body[:200],
        word_count=body.count(" ") + 1, featured_image=image, images=(image,), language="en",
    )
    credits = (Credit(f"poster designed by Artist {n % 97}", f"Artist {n % 97}",
                      f"http://artist-{n % 97}.example/", "poster", "paragraph", image.url, 0),)
    total = comment_count(n)
    per_page = 50
    pages = max(1, -(-total // per_page))
    comments = []
    for k in range(total):
        wp_id = n * 1000 + k
        reply = k % 4 == 3
        words = text.take(wp_id, 12 + (wp_id * 13) % 60)
        comments.append(Comment(
            wp_id=wp_id, parent_wp_id=wp_id - 1 if reply else None, depth=2 if reply else 1,
            position=k % per_page, parent_position=None,
            author_name=f"Reader {(n + k) % 5000}", author_url=None, published=_iso(n, k + 1),
            date_text=None, text=words, html=f"<p>{words}</p>", url=f"{path}#comment-{wp_id}"))
    # The post's URL shows the newest comment page; older pages come after it.
    for page in [pages, *range(1, pages)]:
        chunk = tuple(comments[(page - 1) * per_page: page * per_page])
        comment_page = None if page == pages else page
        url = path if comment_page is None else f"{path}comment-page-{page}/"
        yield ArchivedPage(
            blog_url=BLOG, post_url=path, fetched_url=url, http_status=200,
            fetched_at=_iso(n, 1000), comment_page=comment_page,
            extraction=PageExtraction(
                url=url, blog=blog, is_post_page=True, post=post, credits=credits,
                comments=chunk,
                comments_info=CommentsInfo(total, None, page if pages > 1 else None, ()),
            ),
        )


def archive_path(posts: int) -> Path:
    version = f"g{GENERATOR_VERSION}-s{SCHEMA_VERSION}-{posts}"
    return OUT / f"scale-{version}" / "archive.db"


def build_archive(posts: int) -> tuple[Path, float | None]:
    """The cached archive, built when missing; returns (path, build seconds or None)."""
    path = archive_path(posts)
    if path.exists():
        return path, None
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    _claim(path.with_suffix(".building"))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    text = _Text()
    # Written as a crawl writes: the project's batches of pages per transaction.
    store = ArchiveStore.open(partial, batch_pages=project_settings.ARCHIVE_BATCH_PAGES,
                              batch_seconds=project_settings.ARCHIVE_BATCH_SECONDS)
    crawl_id = store.start_crawl([BLOG], {"bench": "scale"})
    for n in range(1, posts + 1):
        for page in synthetic_pages(n, text):
            store.save_page(page, crawl_id)
        if n % 10_000 == 0:
            elapsed = time.perf_counter() - started
            log(f"scale: built {n:,}/{posts:,} posts in {elapsed:.0f} s "
                f"({n / elapsed:,.0f} posts/s)")
    store.finish_crawl(crawl_id, "finished", "finished")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    partial.rename(path)
    path.with_suffix(".building").unlink(missing_ok=True)
    return path, time.perf_counter() - started


def _claim(lock: Path) -> None:
    """One builder at a time: refuse while another live process is building the archive."""
    if lock.exists():
        pid = int(lock.read_text().strip() or 0)
        if pid and Path(f"/proc/{pid}").exists():
            raise RuntimeError(f"{lock.parent.name} is being built by process {pid}; "
                               "wait for it (or stop it) and run again")
    lock.write_text(str(os.getpid()))


# --- Datasette over HTTP ---------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# How a page shows that its SQL hit Datasette's sql_time_limit_ms.
_FAILED_MARKERS = (b'class="rr-error"', b"interrupted", b"Query took too long")
_REDIRECTS = (301, 302, 303, 307, 308)
_MAX_REDIRECTS = 3


@dataclass
class Endpoint:
    name: str
    paths: list[str]


class Datasette:
    """``datasette serve`` of an archive as wparchive serves it, in a subprocess."""

    def __init__(self, archive: Path) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            datasette_args(archive, port=self.port, immutable=True), cwd=REPO,
            env=crawl_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        deadline = time.monotonic() + 120
        while True:
            try:
                status, _ = self.get("/-/versions.json")
                if status == 200:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"datasette did not start: {error[-2000:]}")
            time.sleep(0.3)

    def get(self, path: str) -> tuple[int, float]:
        """(status, milliseconds) of one GET, body read in full, connection kept alive.

        A page that says its query was interrupted (Datasette's time limit) counts as
        status 504 even though Datasette answers 200 with an error message.  Redirects
        (a table search of many rows goes to its fast form) are followed, as a browser
        would, and timed with the page they lead to.
        """
        started = time.perf_counter()
        for _ in range(_MAX_REDIRECTS + 1):
            try:
                self.conn.request("GET", path)
                response = self.conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                self.conn.close()
                raise
            location = response.getheader("location")
            if response.status not in _REDIRECTS or not location:
                break
            path = location
        elapsed = (time.perf_counter() - started) * 1000
        status = response.status
        if status == 200 and any(marker in body for marker in _FAILED_MARKERS):
            status = 504
        return status, elapsed

    def close(self) -> None:
        self.conn.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def endpoints(archive: Path, text: _Text) -> list[Endpoint]:
    """The pages to time, with queries over common, middling and rare words."""
    conn = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    try:
        rows = conn.execute("select max(rowid) from posts").fetchone()
        top = int(rows[0])
        step = max(1, top // 40)
        post_ids = [r[0] for r in conn.execute(
            "select id from posts where rowid % ? = 7 limit 40", [step])]
        popular = [r[0] for r in conn.execute(
            "select id from posts where comments_archived >= 200 limit 5")]
    finally:
        conn.close()
    queries = [text.word(3), text.word(40), text.word(400), text.word(4000),
               f"{text.word(20)} {text.word(300)}", "Reader 42", "zzzznotaword"]
    search = [f"/-/search?{urlencode({'q': q})}" for q in queries]
    posts_search = [f"/archive/posts?{urlencode({'_search': q})}" for q in queries]
    comments_search = [f"/archive/comments?{urlencode({'_search': q})}" for q in queries]
    ids = post_ids[:35] + popular
    post_pages = [f"/-/post?{urlencode({'id': i})}" for i in ids]
    row_pages = [f"/archive/posts/{quote(_tilde(i), safe='~')}" for i in ids]
    return [
        Endpoint("baseline /-/versions.json", ["/-/versions.json"]),
        Endpoint("search /-/search (posts+comments)", search),
        Endpoint("search posts ?_search=", posts_search),
        Endpoint("search comments ?_search=", comments_search),
        Endpoint("post page /-/post?id=", post_pages),
        Endpoint("row page /archive/posts/<id>", row_pages),
    ]


def _tilde(value: str) -> str:
    from datasette.utils import tilde_encode

    return str(tilde_encode(value))


def time_endpoints(server: Datasette, points: list[Endpoint], requests: int,
                   budget_seconds: float = 40.0) -> dict[str, tuple[list[float], int]]:
    """Per endpoint: latencies (ms) of up to ``requests`` GETs cycling over its paths
    (fewer when the endpoint exhausts its time budget); and how many were not 200."""
    timings: dict[str, tuple[list[float], int]] = {}
    for point in points:
        deadline = time.monotonic() + budget_seconds / 4
        for path in point.paths:  # warm-up: each path once (SQLite page cache, templates)
            server.get(path)
            if time.monotonic() > deadline:
                break
        latencies: list[float] = []
        errors = 0
        deadline = time.monotonic() + budget_seconds
        for path in itertools.islice(itertools.cycle(point.paths), requests):
            status, ms = server.get(path)
            latencies.append(ms)
            errors += status != 200
            if time.monotonic() > deadline:
                break
        timings[point.name] = (latencies, errors)
    return timings


def datasette_results(archive: Path, requests: int) -> list[Result]:
    # The paths first: building them takes seconds (the word pool, a scan of posts), and
    # uvicorn drops a keep-alive connection idle for 5 s (RemoteDisconnected).
    points = endpoints(archive, _Text())
    server = Datasette(archive)
    try:
        timings = time_endpoints(server, points, requests)
    finally:
        server.close()
    baseline = percentile(timings["baseline /-/versions.json"][0], 95)
    results = []
    for name, (latencies, errors) in timings.items():
        if name.startswith("baseline"):
            continue
        p95 = percentile(latencies, 95)
        limit = SEARCH_P95_MS if name.startswith("search") else POST_P95_MS
        note = (f"{len(latencies)} requests, median {fmt(percentile(latencies, 50))} ms, "
                f"max {fmt(max(latencies))} ms"
                + (f", {errors} failed (non-200 or query interrupted by Datasette's "
                   "time limit)" if errors else ""))
        results.append(Result(
            "scale", f"p95 {name}", f"{fmt(p95)} ms", f"/-/versions.json p95 {fmt(baseline)} ms",
            p95 / baseline if baseline else None, f"≤ {limit:g} ms",
            p95 <= limit and errors == 0, note))
    return results


# --- the long crawl ------------------------------------------------------------------


def quarter_peaks(samples: list[tuple[float, int, float]], posts: int) -> list[float]:
    """The crawler's peak RSS while the archive held up to 25, 50, 75 and 100 % of the
    posts: ``samples`` are (seconds, posts archived, RSS MB) taken every second.  A
    quarter's peak, not one sample at its end, which may fall after the crawl closed
    its extraction workers."""
    peaks = [float("nan")] * 4
    for _, archived, rss in samples:
        quarter = min(3, max(0, -(-archived * 4 // max(posts, 1)) - 1))
        if not peaks[quarter] >= rss:  # nan compares false: the first sample counts
            peaks[quarter] = rss
    return peaks


def crawl_results(posts: int, bare_pages: int = BARE_PAGES) -> list[Result]:
    """Crawl a ``posts``-post generated blog, sampling the crawler's RSS (process tree).

    The reference is the bare spider fetching the first ``bare_pages`` URLs our crawl
    fetched (its memory does not grow with the crawl: it keeps nothing), so that the
    default run stays under 15 minutes; flatness is judged against our own RSS at 25%.
    """
    spec = BlogSpec(posts=posts)
    folder = OUT / f"scale-crawl-{posts}"
    archive = fresh_archive(folder / "archive.db")
    shutil.rmtree(folder / "archive.warcs", ignore_errors=True)
    with serve_blog(spec) as blog:
        ours = run_crawl(wordpress_command(blog.url, archive), blog, archive, timeout=4 * 3600,
                         sample_every=1.0, log_path=folder / "wordpress.log")
        fetched = [p for p in blog.paths if p != "/robots.txt"]
        urls_file = folder / "urls.txt"
        urls_file.write_text("".join(f"{blog.url.rstrip('/')}{p}\n"
                                     for p in fetched[:bare_pages]))
        bare = run_crawl(bare_command(urls_file), blog, timeout=3600,
                         log_path=folder / "bare.log")
    archived, comments = archived_counts(archive) if archive.exists() else (0, 0)
    at = quarter_peaks(ours.samples, spec.posts)
    flat = at[3] / at[0] if at[0] else float("nan")
    shares = ", ".join(f"{p}% {fmt(r)} MB" for p, r in zip((25, 50, 75, 100), at, strict=True))
    slope = (at[3] - at[0]) / (0.75 * spec.posts) * 1024 if at[0] == at[0] else float("nan")
    note = (f"{spec.posts:,}-post blog: {ours.pages:,} pages in {ours.wall_seconds:.0f} s "
            f"({ours.pages_per_second:.1f} pages/s), archived {archived:,} posts and "
            f"{comments:,}/{spec.total_comments:,} comments, exit {ours.returncode}; "
            f"peak RSS per quarter of the posts {shares} ({slope:.1f} KB per post from the "
            f"first quarter to the last); bare spider {bare.pages_per_second:.0f} pages/s "
            f"on the first "
            f"{min(bare_pages, len(fetched)):,} of them")
    size = f"{spec.posts:,}-post crawl"
    return [
        Result("scale", f"{size}: crawler peak RSS", f"{fmt(ours.peak_rss_mb)} MB",
               f"bare spider {fmt(bare.peak_rss_mb)} MB",
               ours.peak_rss_mb / bare.peak_rss_mb if bare.peak_rss_mb else None,
               f"≤ {RSS_LIMIT_MB:g} MB", ours.peak_rss_mb <= RSS_LIMIT_MB, note),
        ratio_result("scale", f"{size}: peak RSS last / first quarter", at[3], at[0], "MB",
                     "RSS at 25%", maximum=RSS_FLAT,
                     note=f"flat = peak RSS in the last quarter of the posts ≤ {RSS_FLAT}× "
                          f"the peak in the first; ratio {flat:.2f}"),
    ]


# --- entry point ------------------------------------------------------------------------


def run(quick: bool = False, crawl_posts: int = CRAWL_POSTS, posts: int = POSTS) -> list[Result]:
    results = []
    started = time.perf_counter()
    archive, build_seconds = build_archive(posts)
    conn = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    try:
        n_posts, n_comments = (conn.execute(f"select count(*) from {t}").fetchone()[0]
                               for t in ("posts", "comments"))
        text_bytes = conn.execute(
            "select (select sum(length(body_text)) + sum(length(title)) from posts)"
            " + (select sum(length(text)) from comments)").fetchone()[0]
    finally:
        conn.close()
    size = archive.stat().st_size
    built = (f"built in {build_seconds:.0f} s ({n_posts / build_seconds:,.0f} posts/s through "
             "save_page)" if build_seconds else "cached from an earlier run")
    log(f"scale: archive {archive} ready ({built}); {time.perf_counter() - started:.0f} s")
    results.append(ratio_result(
        "scale", f"database size ({n_posts:,} posts, {n_comments:,} comments)", size / 2**20,
        text_bytes / 2**20, "MB", "text stored", maximum=None,
        note=f"{archive.relative_to(REPO)}: {built}; ratio = file size / bytes of post and "
             "comment text it stores (HTML copies, versions, FTS and indexes make the rest)"))
    started = time.perf_counter()
    results += datasette_results(archive, requests=30 if quick else 100)
    log(f"scale: datasette timings {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    crawl_posts = 150 if quick else crawl_posts
    results += crawl_results(crawl_posts)
    log(f"scale: {crawl_posts}-post crawl {time.perf_counter() - started:.0f} s")
    return results


def clean_cache(keep: Path) -> None:
    """Remove cached archives of other versions (not called automatically)."""
    for folder in OUT.glob("scale-g*"):
        if folder != keep.parent:
            shutil.rmtree(folder, ignore_errors=True)
