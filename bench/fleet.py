"""Fleet benchmark: 1 vs 3 worker processes archiving 30 generated blogs through one Redis
and one writer (``wparchive queue|worker|writer``).

Each blog is its own host (its own 127.0.0.1 port), answers every request after
``SERVER_DELAY`` and is crawled with ``DOWNLOAD_DELAY`` between requests, so politeness — not
the CPU — bounds how fast one worker goes, as with real blogs.  The reference is the same
fleet with one worker, measured in the same run: blogs per minute with three workers must be
≥ 2.5× that.  Also reported: the writer's backlog (stream entries waiting, sampled; it must
stay under ``FLEET_MAX_BACKLOG``) and the peak RSS of the writer and of each worker (with
its blog's crawl process).

    python -m bench --only fleet [--quick]
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import redis

from tests.fleet.blogs import watched_blog
from tests.fleet.redis_server import redis_server

from .common import OUT, PYTHON, Result, crawl_env, log, ratio_result, rss_mb
from .sites import BlogSpec

BLOGS = 30
POSTS = 6  # per blog: 6 posts, 2 listing pages, comment pages on some
SERVER_DELAY = 0.05  # seconds before each response
POLITENESS = ("DOWNLOAD_DELAY=0.25", "AUTOTHROTTLE_ENABLED=False", "EXTRACTION_WORKERS=0")
MAX_BACKLOG = 10_000  # FLEET_MAX_BACKLOG (scraper/settings.py)


def run(quick: bool = False) -> list[Result]:
    blogs = 12 if quick else BLOGS
    folder = OUT / "fleet"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with ExitStack() as stack:
        urls = [stack.enter_context(watched_blog(
            BlogSpec(posts=POSTS, per_page=4, name=f"Fleet blog {n}"), delay=SERVER_DELAY)).url
            for n in range(blogs)]
        one = _fleet_run(folder / "one-worker", urls, workers=1)
        three = _fleet_run(folder / "three-workers", urls, workers=3)
    rate_one, rate_three = (blogs / (run["seconds"] / 60) for run in (one, three))
    results = [
        ratio_result("fleet", f"blogs/min, 3 workers ({blogs} blogs)", rate_three, rate_one,
                     "blogs/min", "1 worker", minimum=2.5),
        Result("fleet", "writer backlog (max entries waiting)",
               f"{max(one['backlog'], three['backlog'])}", f"bound {MAX_BACKLOG}",
               passed=max(one["backlog"], three["backlog"]) <= MAX_BACKLOG),
        Result("fleet", "peak RSS, writer", f"{three['rss']['writer']:.0f} MB"),
        Result("fleet", "peak RSS, worker + its crawl (max of 3)",
               f"{max(three['rss'][k] for k in three['rss'] if k != 'writer'):.0f} MB",
               f"1 worker {one['rss']['w1']:.0f} MB"),
    ]
    return results


def _fleet_run(folder: Path, urls: list[str], workers: int) -> dict:
    folder.mkdir(parents=True)
    with redis_server(folder / "redis") as url:
        env = {**crawl_env(), "WPARCHIVE_REDIS": url}
        client = redis.Redis.from_url(url)
        wparchive = [PYTHON, "-m", "scraper.cli"]
        subprocess.run([*wparchive, "queue", "add", *urls], env=env, check=True,
                       capture_output=True)
        logs = []
        writer_log = open(folder / "writer.log", "wb")  # noqa: SIM115 - closed below
        logs.append(writer_log)
        writer = subprocess.Popen([*wparchive, "writer", "-o", str(folder / "fleet.db")],
                                  env=env, stdout=writer_log, stderr=writer_log)
        sets = [part for s in POLITENESS for part in ("--set", s)]
        started = time.perf_counter()
        names = [f"w{n + 1}" for n in range(workers)]
        processes = {}
        for name in names:
            log_file = open(folder / f"{name}.log", "wb")  # noqa: SIM115 - closed below
            logs.append(log_file)
            processes[name] = subprocess.Popen(
                [*wparchive, "worker", "--name", name, "--exit-when-done", *sets],
                env=env, stdout=log_file, stderr=log_file)
        peaks = {name: 0.0 for name in [*names, "writer"]}
        backlog = {"max": 0}
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                for name, process in [*processes.items(), ("writer", writer)]:
                    memory = rss_mb(process.pid)
                    if memory is not None:
                        peaks[name] = max(peaks[name], memory[1])
                backlog["max"] = max(backlog["max"], int(client.xlen("wpa:pages")))
                time.sleep(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        for name, process in processes.items():
            if process.wait(timeout=1800) != 0:
                raise RuntimeError(f"fleet worker {name} failed: see {folder}")
        while client.xlen("wpa:pages"):
            time.sleep(0.1)
        seconds = time.perf_counter() - started
        stop.set()
        sampler.join()
        writer.terminate()
        writer.wait(timeout=60)
        for file in logs:
            file.close()
        status = json.loads(client.get("wpa:writer") or b"{}")
        done = client.zcard("wpa:done")
        if done != len(urls):
            raise RuntimeError(f"{done} of {len(urls)} blogs done: see {folder}")
        log(f"fleet: {workers} worker(s): {len(urls)} blogs in {seconds:.1f} s, "
            f"backlog ≤ {backlog['max']}, peaks {peaks}")
        return {"seconds": seconds, "backlog": max(backlog["max"], status.get("max_backlog", 0)),
                "rss": peaks}
