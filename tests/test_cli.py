"""The installed ``wparchive`` command, run as a person would: from a folder of their own
(not the project's), against the fault server's fixture blog or an unreachable port."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper import cli
from scraper.crawl.discovery.routes import ROUTES
from scraper.crawl.outcome import CrawlOutcome
from tests.faults.server import FaultServer, free_port

WPARCHIVE = Path(sys.executable).with_name("wparchive")  # the console script pip installed
SETS = [arg for setting in ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "RETRY_TIMES=0")
        for arg in ("--set", setting)]


def wparchive(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(WPARCHIVE), *args], cwd=folder, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def blog() -> Iterator[FaultServer]:
    """The fixture site with its posters: a complete crawl of it exits 0."""
    with FaultServer() as server:
        server.home(server.load_fixture_site())
        server.add_fixture_posters()
        yield server


def posts_in(archive: Path) -> int:
    with sqlite3.connect(archive) as conn:
        return int(conn.execute("select count(*) from posts").fetchone()[0])


def test_crawl_from_any_folder_finds_its_own_spider_and_settings(
        blog: FaultServer, tmp_path: Path) -> None:
    result = wparchive(tmp_path, "crawl", blog.url, "--quiet", *SETS)
    assert result.returncode == 0, result.stderr[-3000:]
    assert posts_in(tmp_path / "archive.db") == 3


def test_quiet_prints_only_the_summary_and_what_to_do_next(
        blog: FaultServer, tmp_path: Path) -> None:
    result = wparchive(tmp_path, "crawl", blog.url, "-q", "-o", "films.db", *SETS)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout == ""
    assert "[scrapy" not in result.stderr and "telnet" not in result.stderr.lower()
    assert "wparchive: finished" in result.stderr
    assert "wparchive serve --archive films.db" in result.stderr
    assert len(result.stderr.splitlines()) < 25, result.stderr
    # credits counted once per post, not again on each comment page
    shown = re.search(r"credits\s*│\s*(\d+)", result.stderr)
    with sqlite3.connect(tmp_path / "films.db") as conn:
        stored = conn.execute("select count(*) from credits").fetchone()[0]
    assert shown is not None and int(shown.group(1)) == stored


def test_a_recrawl_that_stored_no_page_says_nothing_had_changed() -> None:
    args = cli._parser().parse_args(["crawl", "http://blog.example/"])
    done = CrawlOutcome(finish_reason="finished")
    stored = CrawlOutcome(finish_reason="finished", pages=2)
    again = cli._next_steps(args, "a.db", done, first_crawl=False)
    first = cli._next_steps(args, "a.db", done, first_crawl=True)
    changed = cli._next_steps(args, "a.db", stored, first_crawl=False)
    assert any(step.startswith("Nothing had changed") for step in again)
    assert not any(step.startswith("Nothing had changed") for step in first + changed)


def test_an_incomplete_crawl_suggests_the_rerun() -> None:
    args = cli._parser().parse_args(["crawl", "http://blog.example/", "-o", "a b.db"])
    steps = cli._next_steps(args, "a b.db", CrawlOutcome(finish_reason="finished", errors=2),
                            first_crawl=True)
    assert any("wparchive crawl http://blog.example/ --archive 'a b.db'" in step
               for step in steps)


def test_an_unreachable_port_is_one_line_no_traceback_and_leaves_no_files(
        tmp_path: Path) -> None:
    result = wparchive(tmp_path, "crawl", f"http://127.0.0.1:{free_port()}/", *SETS)
    assert result.returncode == cli.EXIT_NOTHING_REACHABLE
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("wparchive crawl:")]
    assert len(lines) == 1 and "nothing reachable" in lines[0], result.stderr
    assert "finished" not in result.stderr  # the heading says it failed
    assert list(tmp_path.iterdir()) == []


def test_a_failed_crawl_keeps_an_archive_that_existed_before(
        blog: FaultServer, tmp_path: Path) -> None:
    assert wparchive(tmp_path, "crawl", blog.url, "-q", *SETS).returncode == 0
    result = wparchive(tmp_path, "crawl", f"http://127.0.0.1:{free_port()}/", "-q", *SETS)
    assert result.returncode == cli.EXIT_NOTHING_REACHABLE
    assert posts_in(tmp_path / "archive.db") == 3


def test_spider_options_are_crawl_options(blog: FaultServer, tmp_path: Path) -> None:
    result = wparchive(tmp_path, "crawl", blog.url, "-q", "--media", "no", "--warc", "no",
                       "--route", "html", *SETS)
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["archive.db"]
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        routes = {route for (route,) in conn.execute("select route from crawls")}
    assert routes == {"html"}


def test_crawl_help_lists_the_spider_options(tmp_path: Path) -> None:
    text = wparchive(tmp_path, "crawl", "--help").stdout
    for option in ("--route", "--full", "--media", "--warc", "--pages", "--max-pages"):
        assert option in text


def test_version_is_the_installed_distribution(tmp_path: Path) -> None:
    from importlib.metadata import version

    result = wparchive(tmp_path, "--version")
    assert result.stdout.strip() == f"wparchive {version('wparchive')}"


def test_route_choices_are_the_spiders_routes() -> None:
    assert set(cli.ROUTE_CHOICES) == {"auto", *ROUTES}


def test_o_names_the_archive_in_every_command() -> None:
    parser = cli._parser()
    for command in (["crawl", "http://blog.example/"], ["serve"], ["reextract"],
                    ["export", "wxr"], ["export", "wacz"]):
        assert parser.parse_args([*command, "-o", "x.db"]).archive == "x.db"
