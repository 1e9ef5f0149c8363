"""``wparchive export wacz``: the crawl's WARC files as one WACZ 1.1.1 package (the ``wacz``
package, from the Webrecorder project): the WARCs, a CDXJ index, and a page list
(``pages/pages.jsonl``) naming every archived post page, so ReplayWeb.page and pywb open
the blog as it was crawled.

The page list comes from the archive (each post's fetched URL and title); a post whose page
has no response in the WARCs (a crawl with ``--warc no``) is reported as missing.
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

from wacz.main import main as wacz_main

from scraper.archive.companions import warc_dir
from scraper.archive.reading import NotInArchive, read_only
from scraper.export.file_output import temporary_beside

PAGES_INDEX = "pages/pages.jsonl"


@dataclass(frozen=True)
class WaczResult:
    pages: list[str]  # URLs in the WACZ's page list
    missing: list[str]  # archived post pages the WARCs hold no response for
    warcs: int


@dataclass(frozen=True)
class Page:
    url: str
    title: str


def archived_pages(conn: sqlite3.Connection) -> list[Page]:
    """Every live archived post page, by URL."""
    return [Page(row["url"], row["title"] or "") for row in conn.execute(
        "select coalesce(fetched_url, url) as url, title from posts"
        " where deleted_at is null order by url")]


def write_wacz(archive: Path, output: Path) -> WaczResult:
    with read_only(archive) as conn:
        pages = archived_pages(conn)
        blogs = [row[0] or row[1] for row in conn.execute(
            "select name, url from blogs order by id")]
    warcs = sorted(warc_dir(archive).glob("*.warc.gz"))
    if not warcs:
        raise NotInArchive(f"no WARC files in {warc_dir(archive)}: the archive was crawled "
                           "with --warc no; crawl again with WARCs to export a WACZ")
    with temporary_beside(output, ".wacz") as temporary, \
            temporary_beside(output, ".pages.jsonl") as page_list:
        page_list.write_text(pages_jsonl(pages), encoding="utf-8")
        arguments = ["create", "-o", str(temporary), "-p", str(page_list),
                     "--title", "; ".join(blogs) or "wparchive",
                     "--desc", "WordPress blog archived by wparchive",
                     *(str(path) for path in warcs)]
        log = io.StringIO()
        # The package talks on stdout as it goes; its words go with the error, if any.
        with contextlib.redirect_stdout(log):
            status = wacz_main(arguments)
        if status != 0:
            raise NotInArchive(f"the wacz package could not package the WARCs: "
                               f"{log.getvalue().strip().splitlines()[-1:]}")
        listed = pages_in(temporary)
    archived = {page.url for page in pages}
    return WaczResult(sorted(listed), sorted(archived - set(listed)), len(warcs))


def pages_jsonl(pages: list[Page]) -> str:
    """The WACZ page list: a header line, then one line per page (url and title; the
    timestamp is taken from the WARC record that answers the URL)."""
    lines = [{"format": "json-pages-1.0", "id": "pages", "title": "Archived posts"}]
    lines += [{"url": page.url, "title": page.title} for page in pages]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def pages_in(wacz: Path) -> list[str]:
    """The page URLs a WACZ's page list names."""
    with zipfile.ZipFile(wacz) as package:
        if PAGES_INDEX not in package.namelist():
            return []
        lines = package.read(PAGES_INDEX).decode("utf-8").splitlines()
    entries = [json.loads(line) for line in lines if line.strip()]
    return [entry["url"] for entry in entries if "url" in entry and "format" not in entry]
