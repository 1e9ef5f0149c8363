"""A post page's ``<base href>`` is honoured: its relative comment-page links and image
sources resolve against it, as in a browser, not against the page's own URL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.crawling import run_scrapy_crawl
from tests.faults.server import FaultServer, comments_html, post_html

POSTER = Path(__file__).resolve().parents[1] / "fixtures" / "media" / "poster.png"
POST = "/2021/12/01/based/"
RELATIVE = POST.lstrip("/")  # relative to <base href="/">


def _based(html: str) -> str:
    return html.replace("<title>", '<base href="/"><title>', 1)


def test_relative_links_of_a_post_resolve_against_its_base_href(tmp_path: Path) -> None:
    archive = tmp_path / "archive.db"
    with FaultServer() as server:
        server.home([(POST, "Based")])
        body = '<p><img src="wp-content/uploads/2021/12/based.png" alt="Based"></p>'
        first = comments_html([(1, "Ada", "First.")], newer=f"{RELATIVE}comment-page-2/")
        second = comments_html([(2, "Bo", "Second.")], older=f"{RELATIVE}comment-page-1/")
        server.add_page(POST, _based(post_html(1201, "Based", body, extra_body=first)))
        server.add_page(f"{POST}comment-page-2/",
                        _based(post_html(1201, "Based", body, extra_body=second)))
        server.add_page("/wp-content/uploads/2021/12/based.png", POSTER.read_bytes(),
                        "image/png")
        result = run_scrapy_crawl(server.url, archive, timeout=120)
        not_found = [e.path for e in server.log if e.outcome == "404"
                     and not e.path.startswith(("/wp-json", "/?rest_route", "/wp-sitemap",
                                                "/sitemap", "/feed"))]
    assert result.returncode == 0, result.stderr[-3000:]
    assert not_found == []
    with sqlite3.connect(archive) as conn:
        comments = sorted(r[0] for r in conn.execute("select author_name from comments"))
        media = conn.execute("select url, sha256 is not null from media").fetchall()
        errors = conn.execute("select url from fetch_errors").fetchall()
    assert comments == ["Ada", "Bo"]
    assert media == [(server.url + "wp-content/uploads/2021/12/based.png", 1)]
    assert errors == []
