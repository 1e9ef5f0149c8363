"""Drive a blog's discovery as the spider does: recorded responses answer its fetches."""

from __future__ import annotations

from collections.abc import Iterable

from scrapy.http import HtmlResponse, Request, Response, TextResponse

from scraper.archive.state import ArchiveState
from scraper.crawl.discovery.blog import BlogDiscovery
from scraper.crawl.discovery.outputs import Fetch
from scraper.crawl.discovery.routes import DEFAULT_WPCOM_API_BASE
from scraper.model.records import BlogInfo

HOME = "http://127.0.0.1:18401/"
BLOG = BlogInfo(is_wordpress=True, reason="fixture", home_url=HOME)
EMPTY_HOME = b"<html><body><p>No posts here.</p></body></html>"
LISTING_HOME = (b'<html><body><article class="post"><h2 class="entry-title"><a href="'
                b'http://127.0.0.1:18401/2019/02/23/her-2013/">Her</a></h2></article>'
                b"</body></html>")


def discovery(home: bytes = EMPTY_HOME, forced: str | None = None,
              state: ArchiveState | None = None, known: tuple[str, ...] | None = None
              ) -> BlogDiscovery:
    response = HtmlResponse(HOME, body=home, headers={"Content-Type": "text/html"})
    return BlogDiscovery(HOME, response, BLOG, forced, True, DEFAULT_WPCOM_API_BASE,
                         lambda: known, state=state)


def answer(fetch: Fetch, body: bytes, status: int = 200, headers: dict | None = None
           ) -> Response:
    return TextResponse(fetch.url, status=status, body=body, request=Request(fetch.url),
                        headers={"Content-Type": "application/json", **(headers or {})})


def fetches(outputs: Iterable[object]) -> list[Fetch]:
    return [o for o in outputs if isinstance(o, Fetch)]
