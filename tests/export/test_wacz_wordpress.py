"""The WACZ export of a crawl of the real WordPress fixture: it passes the wacz package's own
validator and its page list names every archived post page."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from scraper.export.wacz import pages_in
from tests.crawling import run_cli, run_scrapy_crawl
from tests.wordpress.wpsite import WordPressSite

pytestmark = pytest.mark.wordpress


@pytest.fixture(scope="module")
def wacz(wordpress_site: WordPressSite, tmp_path_factory: pytest.TempPathFactory
         ) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("wacz")
    archive = folder / "blog.db"
    crawl = run_scrapy_crawl(wordpress_site.home_url, archive, spider_args=("media=no",))
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    export = run_cli("export", "wacz", "--archive", str(archive), "--output",
                     str(folder / "blog.wacz"))
    assert export.returncode == 0, export.stderr
    return archive, folder / "blog.wacz"


def test_the_wacz_passes_wacz_validate(wacz: tuple[Path, Path]) -> None:
    result = subprocess.run([sys.executable, "-m", "wacz", "validate", "-f", str(wacz[1])],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Validation succeeded" in result.stdout


def test_the_wacz_lists_every_archived_page_and_holds_the_warcs(
        wacz: tuple[Path, Path], wordpress_truth: dict[str, object]) -> None:
    archive, package = wacz
    with sqlite3.connect(archive) as conn:
        posts = {url for (url,) in conn.execute("select fetched_url from posts")}
    assert len(posts) == len(wordpress_truth["posts"])  # type: ignore[arg-type]
    assert set(pages_in(package)) == posts
    with zipfile.ZipFile(package) as contents:
        names = set(contents.namelist())
    warcs = {f"archive/{path.name}" for path in archive.with_name("blog.warcs").glob("*.warc.gz")}
    assert warcs and warcs <= names
    assert {"datapackage.json", "datapackage-digest.json", "indexes/index.cdx.gz",
            "pages/pages.jsonl"} <= names
