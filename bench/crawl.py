"""Crawl speed: ``scrapy crawl wordpress`` vs a bare Scrapy spider fetching the same URLs.

A generated blog (``bench.sites``: listings with ``/page/N/``, posts, comment
pages) is served on 127.0.0.1 by a threaded HTTP/1.1 server that renders pages
from memory.  The real crawl runs first, exactly as a user runs it (a
subprocess, the project's settings plus AUTOTHROTTLE_ENABLED=False,
DOWNLOAD_DELAY=0, robots.txt obeyed); the bare spider (``bench/bare_spider.py``)
then fetches the very URLs the server saw, with the same settings minus the
pipeline.  Pages/s = pages served / seconds from the first request's arrival
to the last response (timed by the server, the same way for both).

    python -m bench --only crawl
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .common import (
    FAST_CRAWL,
    OUT,
    PYTHON,
    REPO,
    Result,
    crawl_env,
    fmt,
    log,
    median,
    ratio_result,
    rss_mb,
)
from .mirror import THEME, ServedMirror, load_mirror, mirror_available, serve_mirror
from .sites import BlogSpec, ServedBlog, serve_blog

TARGET = 0.6  # ≥ 60% of the bare spider's pages/s


@dataclass
class CrawlRun:
    returncode: int
    wall_seconds: float
    served_seconds: float
    pages: int  # responses served, robots.txt excluded
    peak_rss_mb: float
    samples: list[tuple[float, int, float]] = field(default_factory=list)  # (t, posts, rss)
    log_tail: str = ""

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.served_seconds if self.served_seconds else 0.0


def run_crawl(
    command: Sequence[str],
    blog: ServedBlog | ServedMirror,
    archive: Path | None = None,
    timeout: float = 3600,
    sample_every: float = 0.5,
    log_path: Path | None = None,
) -> CrawlRun:
    """Run a crawler subprocess against ``blog``, sampling its RSS (and archived posts)."""
    blog.reset()
    log_path = log_path or OUT / "crawl-last.log"
    started = time.perf_counter()
    with log_path.open("w") as log_file:
        process = subprocess.Popen(list(command), cwd=REPO, env=crawl_env(),
                                   stdout=log_file, stderr=subprocess.STDOUT)
        samples: list[tuple[float, int, float]] = []
        peak = 0.0
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                rss = rss_mb(process.pid)
                if rss is not None:
                    peak = max(peak, rss[1])
                    posts = _posts_archived(archive) if archive else 0
                    samples.append((time.perf_counter() - started, posts, rss[0]))
                stop.wait(sample_every)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            returncode = process.wait()
        finally:
            stop.set()
            sampler.join()
    wall = time.perf_counter() - started
    pages = sum(1 for p in blog.paths if p != "/robots.txt")
    if archive is not None:
        samples.append((wall, _posts_archived(archive), samples[-1][2] if samples else 0.0))
    tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-25:])
    return CrawlRun(returncode, wall, blog.served_seconds, pages, peak, samples, tail)


def _posts_archived(archive: Path) -> int:
    if not archive.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{archive}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute(
                "select count(*) from posts where title is not null").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def wordpress_command(url: str, archive: Path, *settings: str) -> list[str]:
    command = [PYTHON, "-m", "scrapy", "crawl", "wordpress", "-a", f"url={url}",
               "-a", f"archive={archive}"]
    for setting in (*FAST_CRAWL, *settings):
        command += ["-s", setting]
    return command


def bare_command(urls_file: Path, *settings: str) -> list[str]:
    command = [PYTHON, "-m", "scrapy", "runspider", str(REPO / "bench" / "bare_spider.py"),
               "-a", f"urls_file={urls_file}"]
    for setting in (*FAST_CRAWL, *settings):
        command += ["-s", setting]
    return command


def fresh_archive(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def archived_counts(archive: Path) -> tuple[int, int]:
    conn = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    try:
        posts = conn.execute("select count(*) from posts").fetchone()[0]
        comments = conn.execute("select count(*) from comments").fetchone()[0]
        return int(posts), int(comments)
    finally:
        conn.close()


def compare(spec: BlogSpec, folder: Path) -> tuple[CrawlRun, CrawlRun, str]:
    """The real crawl and the bare crawl of the same URLs; and a completeness note."""
    archive = fresh_archive(folder / "archive.db")
    with serve_blog(spec) as blog:
        ours = run_crawl(wordpress_command(blog.url, archive), blog, archive,
                         log_path=folder / "wordpress.log")
        fetched = [p for p in blog.paths if p != "/robots.txt"]
        urls_file = folder / "urls.txt"
        urls_file.write_text("".join(f"{blog.url.rstrip('/')}{p}\n" for p in fetched))
        bare = run_crawl(bare_command(urls_file), blog, log_path=folder / "bare.log")
    expected = set(spec.urls())
    missing = expected - set(fetched)
    posts, comments = archived_counts(archive) if archive.exists() else (0, 0)
    complete = (f"archived {posts}/{spec.posts} posts, {comments}/{spec.total_comments} "
                f"comments; fetched {len(set(fetched) & expected)}/{len(expected)} expected "
                f"pages, {len(fetched) - len(set(fetched))} duplicates"
                + (f", MISSING e.g. {sorted(missing)[:3]}" if missing else ""))
    if ours.returncode != 0:
        complete += f"; wordpress crawl exit {ours.returncode}: {ours.log_tail[-400:]}"
    if bare.returncode != 0:
        complete += f"; bare crawl exit {bare.returncode}"
    return ours, bare, complete


def mirror_results(rounds: int) -> list[Result]:
    """Crawl the fixture blog's static mirror, alternating with the bare spider, ``rounds`` times.

    The mirror is small (one crawl is about a second), so each side's figure is the
    median of its rounds; the bare spider fetches the URLs our crawl fetched.
    """
    warcs = mirror_available()
    if warcs is None:
        return [Result("crawl", "pages/s (fixture blog mirror)", "skipped",
                       note="the WordPress fixture could not run here (make system-packages)")]
    mirror = load_mirror(warcs)
    truth = archived_counts(warcs.parent / "archive.db")
    folder = OUT / "crawl-mirror"
    ours_rates: list[float] = []
    bare_rates: list[float] = []
    counts: tuple[int, int] = (0, 0)
    with serve_mirror(mirror) as served:
        for _ in range(rounds):
            archive = fresh_archive(folder / "archive.db")
            shutil.rmtree(folder / "archive.warcs", ignore_errors=True)
            ours = run_crawl(wordpress_command(served.url, archive), served, archive,
                             log_path=folder / "wordpress.log")
            counts = archived_counts(archive)
            urls_file = folder / "urls.txt"
            urls_file.write_text("".join(f"{served.url.rstrip('/')}{p}\n" for p in served.paths
                                         if p != "/robots.txt"))
            bare = run_crawl(bare_command(urls_file), served, log_path=folder / "bare.log")
            ours_rates.append(ours.pages_per_second)
            bare_rates.append(bare.pages_per_second)
    note = (f"{len(mirror.responses)} recorded responses of the {THEME} fixture; each round "
            f"{ours.pages} pages; archived {counts[0]}/{truth[0]} posts and {counts[1]}/{truth[1]} "
            f"comments of the live crawl; rounds ours "
            f"{', '.join(fmt(r) for r in ours_rates)}; bare {', '.join(fmt(r) for r in bare_rates)}"
            f" pages/s")
    return [ratio_result("crawl", f"pages/s (fixture blog mirror, {ours.pages} pages)",
                         median(ours_rates), median(bare_rates), "pages/s", "bare spider",
                         minimum=TARGET, note=note)]


def run(quick: bool = False) -> list[Result]:
    spec = BlogSpec(posts=60 if quick else 250)
    started = time.perf_counter()
    ours, bare, complete = compare(spec, OUT / "crawl")
    log(f"crawl: {spec.posts} posts, {ours.pages} pages, {time.perf_counter() - started:.0f} s")
    note = (f"{complete}; wall (incl. start-up) wordpress {ours.wall_seconds:.1f} s, bare "
            f"{bare.wall_seconds:.1f} s; peak RSS wordpress {ours.peak_rss_mb:.0f} MB, bare "
            f"{bare.peak_rss_mb:.0f} MB")
    results = [ratio_result("crawl", f"pages/s ({spec.posts}-post generated blog, {ours.pages} "
                            "pages)", ours.pages_per_second, bare.pages_per_second, "pages/s",
                            "bare spider", minimum=TARGET, note=note)]
    started = time.perf_counter()
    results += mirror_results(rounds=1 if quick else 5)
    log(f"crawl: fixture mirror {time.perf_counter() - started:.0f} s")
    return results
