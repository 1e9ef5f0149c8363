"""The ``wordpress`` spider: decides what to request next, nothing else.

    scrapy crawl wordpress -a url=https://blog.example/
    scrapy crawl wordpress -a url=https://blog.example/,https://other.example/
    scrapy crawl wordpress -a urls_file=blogs.txt -a archive=my.db
    scrapy crawl wordpress -a url=https://blog.example/2014/01/10/her-2013/

A blog URL is walked through its archive pagination (``/page/N/``,
``?paged=N``); a post URL archives that post.  Every post page is followed
by all its comment pages (``/comment-page-N/``, ``?cpage=N``).  The spider
stays on the blog's host and never follows WordPress traps (``urls.is_trap``).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from ..extract import extract_page
from ..extract.document import parse_html
from ..extract.links import next_archive_page, post_links
from ..items import ArchivedPage, FetchFailure
from ..urls import (
    canonicalize,
    comment_page_number,
    home_of,
    in_scope,
    is_trap,
    post_url_of_comment_page,
    validate_start_url,
)

logger = logging.getLogger(__name__)


class WordPressSpider(scrapy.Spider):
    name = "wordpress"

    def __init__(
        self,
        url: str | None = None,
        urls_file: str | None = None,
        archive: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.start_url_list = _start_urls(url, urls_file)
        if not self.start_url_list:
            raise ValueError("give a blog or post URL: -a url=https://blog.example/")
        for start_url in self.start_url_list:
            problem = validate_start_url(start_url)
            if problem:
                raise ValueError(f"{start_url!r}: {problem}")
        self.archive_path = archive
        self.options = {"url": url, "urls_file": urls_file, "archive": archive, **kwargs}

    async def start(self) -> AsyncIterator[Any]:
        for url in self.start_url_list:
            yield scrapy.Request(
                url, callback=self.parse_start, errback=self.on_error, dont_filter=True
            )

    # --- callbacks ----------------------------------------------------------

    def parse_start(self, response: Response) -> Iterator[Any]:
        """The start URL is either a listing (home, archive) or one post."""
        extraction = extract_page(response.body, response.url, _content_type(response))
        if not extraction.blog.is_wordpress:
            logger.warning("%s does not look like WordPress: %s", response.url,
                           extraction.blog.reason)
        if extraction.is_post_page:
            blog_home = extraction.blog.home_url or home_of(response.url)
            yield from self._archive_post_page(response, extraction, blog_home)
        else:
            blog_home = extraction.blog.home_url or response.url
            yield from self._follow_listing(response, blog_home)

    def parse_listing(self, response: Response) -> Iterator[Any]:
        yield from self._follow_listing(response, response.meta["blog_home"])

    def parse_post(self, response: Response) -> Iterator[Any]:
        extraction = extract_page(response.body, response.url, _content_type(response))
        yield from self._archive_post_page(response, extraction, response.meta["blog_home"])

    def on_error(self, failure: Failure) -> Iterator[FetchFailure]:
        request = failure.request  # type: ignore[attr-defined]
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        reason = f"HTTP {status}" if status else failure.getErrorMessage() or repr(failure.value)
        attempts = request.meta.get("retry_times", 0) + 1
        logger.error("Could not archive %s: %s", request.url, reason)
        yield FetchFailure(request.url, reason, status, attempts)

    # --- decisions ----------------------------------------------------------

    def _follow_listing(self, response: Response, blog_home: str) -> Iterator[scrapy.Request]:
        soup = parse_html(response.body, _content_type(response))
        for link in post_links(soup, response.url):
            yield from self._request(link, self.parse_post, blog_home)
        next_page = next_archive_page(soup, response.url)
        if next_page:
            yield from self._request(next_page, self.parse_listing, blog_home)

    def _archive_post_page(
        self, response: Response, extraction: Any, blog_home: str
    ) -> Iterator[Any]:
        if extraction.post is None:
            logger.warning("%s is not a single post page; skipped", response.url)
            return
        page_number = comment_page_number(response.url)
        post_url = response.meta.get("post_url") or (
            post_url_of_comment_page(response.url) if page_number else response.url
        )
        yield ArchivedPage(
            blog_url=blog_home,
            post_url=post_url,
            fetched_url=response.url,
            http_status=response.status,
            fetched_at=datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")
            + "Z",
            comment_page=page_number,
            extraction=extraction,
        )
        for url in extraction.comments_info.page_urls:
            yield from self._request(url, self.parse_post, blog_home, post_url=post_url)

    def _request(
        self, url: str, callback: Any, blog_home: str, **meta: Any
    ) -> Iterator[scrapy.Request]:
        url = canonicalize(url)
        if is_trap(url):
            self.crawler.stats.inc_value("archive/skipped_trap")
            return
        if not in_scope(url, blog_home):
            self.crawler.stats.inc_value("archive/skipped_offsite")
            return
        yield scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            meta={"blog_home": blog_home, **meta},
        )


def _start_urls(url: str | None, urls_file: str | None) -> list[str]:
    urls = [u.strip() for u in (url or "").split(",") if u.strip()]
    if urls_file:
        lines = Path(urls_file).read_text(encoding="utf-8").splitlines()
        urls += [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return urls


def _content_type(response: Response) -> str | None:
    value = response.headers.get(b"Content-Type")
    return value.decode("latin-1") if value else None
