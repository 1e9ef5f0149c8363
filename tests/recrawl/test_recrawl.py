"""Re-crawls against the real WordPress fixture (issue 6): incremental, lossless, resumable.

The blog is changed through WordPress's PHP API (``mutate.php``), so these tests run on a
stack of their own (state dir in a temp folder, ports 20940+), purged at the end: the
session's seeded blog other tests read is never touched.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.crawling import FAST, REPO
from tests.wordpress.wpsite import PHP_DIR, WordPressSite, WordPressStack

pytestmark = pytest.mark.wordpress

HERE = Path(__file__).resolve().parent
SETTINGS = (*FAST, "MEDIA_ENABLED=False", "WARC_ENABLED=False")
CONTENT = ("blogs", "authors", "posts", "post_versions", "terms", "post_terms", "credits",
           "comments", "comment_versions", "reviews")
NOT_CONTENT = {"first_seen", "last_seen", "crawl_id", "fetched_at", "deleted_crawl_id",
               "warc_file", "warc_record_id", "payload_digest"}


def crawl_command(site: WordPressSite, archive: Path, *args: str,
                  settings: tuple[str, ...] = ()) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", "wordpress", "-a",
               f"url={site.home_url}", "-a", f"archive={archive}"]
    for arg in args:
        command += ["-a", arg]
    for setting in (*SETTINGS, *settings):
        command += ["-s", setting]
    return command


def crawl(site: WordPressSite, archive: Path, *args: str) -> dict[str, Any]:
    proc = subprocess.run(crawl_command(site, archive, *args), cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with sqlite3.connect(archive) as conn:
        conn.row_factory = sqlite3.Row
        return dict(conn.execute("select * from crawls order by started_at desc, rowid desc"
                                 " limit 1").fetchone())


def content(archive: Path, live_only: bool = False) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    with sqlite3.connect(archive) as conn:
        for table in CONTENT:
            columns = [r[1] for r in conn.execute(f"pragma table_info({table})")
                       if r[1] not in NOT_CONTENT]
            where = " where deleted_at is null" if live_only and "deleted_at" in columns else ""
            rows = conn.execute(f"select {', '.join(columns)} from {table}{where}").fetchall()
            out[table] = sorted(rows, key=repr)
    return out


def scalar(archive: Path, sql: str, *params: Any) -> Any:
    with sqlite3.connect(archive) as conn:
        return conn.execute(sql, params).fetchone()[0]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WordPressStack]:
    """A WordPress of our own: we change its blog."""
    state = tmp_path_factory.mktemp("wp-recrawl-state")
    own = WordPressStack(state, db_port=20946, port_base=20940)
    own.provision()
    try:
        yield own
    finally:
        own.down(purge=True)


@pytest.fixture(scope="module")
def site(stack: WordPressStack) -> WordPressSite:
    return stack.start_site("twentytwentyone")


def mutate(stack: WordPressStack, site: WordPressSite) -> dict[str, Any]:
    env = {**stack.php_env(site.base_url, site.theme), "WPA_PHP_DIR": str(PHP_DIR)}
    proc = subprocess.run(stack._php_cmd(str(HERE / "mutate.php"),
                                         error_log=stack.log_dir / "mutate-errors.log"),
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def recrawled(stack: WordPressStack, site: WordPressSite,
              tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """first crawl → unchanged re-crawl → change set → re-crawl → fresh full crawl."""
    folder = tmp_path_factory.mktemp("recrawl")
    archive = folder / "archive.db"
    first = crawl(site, archive)
    before = content(archive)
    unchanged = crawl(site, archive)
    after_unchanged = content(archive)
    changes = mutate(stack, site)
    changed = crawl(site, archive)
    fresh = folder / "fresh.db"
    crawl(site, fresh)
    return {"archive": archive, "fresh": fresh, "first": first, "unchanged": unchanged,
            "changed": changed, "changes": changes, "before": before,
            "after_unchanged": after_unchanged}


def test_unchanged_recrawl_costs_a_handful_of_requests(recrawled: dict[str, Any]) -> None:
    first, unchanged = recrawled["first"], recrawled["unchanged"]
    assert first["mode"] == "full" and unchanged["mode"] == "incremental"
    assert unchanged["status"] == "finished" and unchanged["errors"] == 0
    # robots.txt, home page, 1 REST posts listing page, 1 REST comments page
    assert unchanged["requests"] <= 4, unchanged["requests_by_kind"]
    assert json.loads(unchanged["requests_by_kind"]).get("post", 0) == 0
    assert recrawled["after_unchanged"] == recrawled["before"]


def test_recrawl_after_changes_holds_new_state_versions_and_tombstones(
    recrawled: dict[str, Any]
) -> None:
    archive, changes, changed = recrawled["archive"], recrawled["changes"], recrawled["changed"]
    assert changed["mode"] == "incremental" and changed["errors"] == 0
    kinds = json.loads(changed["requests_by_kind"])
    assert kinds.get("post", 0) <= 3 + 2 + 5 + 1 + 1, kinds  # only changed posts re-fetched
    # the live archive is exactly what a fresh full crawl of the changed blog gives
    assert content(archive, live_only=True)["posts"] == \
        content(recrawled["fresh"], live_only=True)["posts"]
    live = content(archive, live_only=True)
    fresh = content(recrawled["fresh"], live_only=True)
    for table in ("comments", "credits", "authors", "terms", "reviews"):
        assert live[table] == fresh[table], table
    assert len(live["reviews"]) >= 40  # every film post of the fixture reviews its film
    # old versions kept
    for wp_id in changes["edited_posts"]:
        versions = scalar(archive, "select count(*) from post_versions where post_id like ?",
                          f"%/?p={wp_id}")
        assert versions == 2, wp_id
    # tombstones, never removals
    post = f"%/?p={changes['trashed_post']}"
    assert scalar(archive, "select deleted_crawl_id from posts where id like ?", post) == \
        changed["id"]
    for table in ("comments", "credits", "reviews"):  # gone with their post
        assert scalar(archive, f"select count(*) from {table} where post_id like ? and"
                      " deleted_at is null", post) == 0, table
    comment = f"%/#comment-{changes['trashed_comment']}"
    assert scalar(archive, "select deleted_crawl_id from comments where id like ?",
                  comment) == changed["id"]
    for wp_id in changes["new_comments"]:
        assert scalar(archive, "select count(*) from comments where id like ? and"
                      " deleted_at is null", f"%/#comment-{wp_id}") == 1, wp_id
    # unchanged posts were seen (last_seen, crawl_id) without being fetched again
    assert scalar(archive, "select count(*) from posts where crawl_id = ? and deleted_at is"
                  " null", changed["id"]) == 52 - 1 + 3
    before = recrawled["before"]
    assert len(content(archive)["posts"]) == len(before["posts"]) + 3
    assert len(content(archive)["comments"]) == len(before["comments"]) + 11


def test_full_crawl_tombstones_what_it_did_not_see(
    recrawled: dict[str, Any], site: WordPressSite, tmp_path: Path
) -> None:
    archive = tmp_path / "a.db"
    archive.write_bytes(recrawled["archive"].read_bytes())
    with sqlite3.connect(archive) as conn:  # as if the trashed post were back, then gone
        conn.execute("update posts set deleted_at = null, deleted_crawl_id = null")
    run = crawl(site, archive, "full=yes")
    assert run["mode"] == "full"
    changes = recrawled["changes"]
    assert scalar(archive, "select deleted_crawl_id from posts where id like ?",
                  f"%/?p={changes['trashed_post']}") == run["id"]
    assert scalar(archive, "select count(*) from posts where deleted_at is null") == 52 - 1 + 3


# Small write batches, so that every kill point falls mid-crawl and the kill finds a
# batch buffered (the default batch of 50 pages would hold most of this blog).
KILLED_BATCH = ("ARCHIVE_BATCH_PAGES=3",)
KILL_POINTS = (("early", "posts", 1), ("mid-posts", "posts", 20),
               ("mid-comments", "comments", 200), ("near-end", "posts", 50))


def _rows(archive: Path, table: str) -> int:
    try:
        with sqlite3.connect(f"file:{archive}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute(f"select count(*) from {table}").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.parametrize(("point", "table", "rows"), KILL_POINTS,
                         ids=[p[0] for p in KILL_POINTS])
def test_sigkill_then_rerun_gives_the_uninterrupted_archive(
    recrawled: dict[str, Any], site: WordPressSite, tmp_path: Path, point: str, table: str,
    rows: int
) -> None:
    archive = tmp_path / "killed.db"
    proc = subprocess.Popen(crawl_command(site, archive, settings=KILLED_BATCH), cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while proc.poll() is None and _rows(archive, table) < rows and time.monotonic() < deadline:
        time.sleep(0.02)
    killed = proc.poll() is None
    if killed:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    rerun = crawl(site, archive)
    assert rerun["status"] == "finished"
    assert content(archive) == content(recrawled["fresh"]), point
    assert scalar(archive, "pragma integrity_check") == "ok"
    statuses = [r[0] for r in sqlite3.connect(archive).execute(
        "select status from crawls order by started_at, rowid")]
    assert statuses == (["interrupted", "finished"] if killed else ["finished", "finished"])


def test_sigint_stops_gracefully(site: WordPressSite, tmp_path: Path) -> None:
    archive = tmp_path / "int.db"
    proc = subprocess.Popen(crawl_command(site, archive), cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while proc.poll() is None and _rows(archive, "posts") < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    assert scalar(archive, "select status from crawls") == "interrupted"
    assert scalar(archive, "pragma integrity_check") == "ok"


def test_datasette_reader_sees_no_errors_during_a_crawl(
    site: WordPressSite, tmp_path: Path
) -> None:
    from scraper.archive.connection import open_archive

    archive = tmp_path / "served.db"
    open_archive(archive).close()
    port = 20999
    server = subprocess.Popen([str(Path(sys.executable).parent / "datasette"), "serve",
                               str(archive), "-p", str(port), "-h", "127.0.0.1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/served"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + ".json", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        errors: list[str] = []
        reads = 0
        done = threading.Event()

        def hammer() -> None:
            nonlocal reads
            urls = [f"{base}/posts.json?_size=5", f"{base}/comments.json?_size=20",
                    f"{base}.json?sql=select+count(*)+from+comments"]
            while not done.is_set():
                for url in urls:
                    try:
                        with urllib.request.urlopen(url, timeout=10) as response:
                            json.load(response)
                            reads += 1
                    except Exception as error:
                        errors.append(f"{url}: {error}")

        readers = [threading.Thread(target=hammer) for _ in range(3)]
        for reader in readers:
            reader.start()
        try:
            crawl(site, archive)
        finally:
            done.set()
            for reader in readers:
                reader.join()
        assert not errors, errors[:5]
        assert reads > 20
    finally:
        server.terminate()
        server.wait(timeout=10)
