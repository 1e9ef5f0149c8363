"""The ``wordpress`` spider: decides what to request next, nothing else.

    scrapy crawl wordpress -a url=https://blog.example/
    scrapy crawl wordpress -a url=https://blog.example/,https://other.example/
    scrapy crawl wordpress -a urls_file=blogs.txt -a archive=my.db
    scrapy crawl wordpress -a url=https://blog.example/2014/01/10/her-2013/

    scrapy crawl wordpress -a url=https://blog.example/ -a route=sitemap
    scrapy crawl wordpress -a url=https://blog.example/ -a route=api -a pages=no

A blog URL's posts are listed by the first discovery route that works
(``scraper.discovery``: REST API, WordPress.com API, sitemaps, feed, and the
archive pagination ``/page/N/`` last); ``-a route=api|wpcom|sitemap|feed|html``
forces one.  A post URL archives that post.  Every post page is fetched once and
followed by all its comment pages (``/comment-page-N/``, ``?cpage=N``), unless
``-a pages=no`` (API-only archive).  The spider stays on the blog's host and never
follows WordPress traps (``urls.is_trap``).
"""

from __future__ import annotations

import logging
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import defer
from twisted.internet import error as net_error
from twisted.python.failure import Failure
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

from scraper.archive.connection import ArchiveUnusable, describe_archive_error
from scraper.crawl.discovery import requests as request_kinds
from scraper.crawl.discovery.incremental import (
    SyncAction,
    load_state,
    parse_full_arg,
    post_completion,
)
from scraper.crawl.discovery.routes import (
    DEFAULT_WPCOM_API_BASE,
    BlogDiscovery,
    Reports,
    parse_pages_arg,
    parse_route_arg,
)
from scraper.crawl.extraction_pool import ExtractionPool, default_workers
from scraper.crawl.scope import ScopeRefused
from scraper.extract import extract_page
from scraper.extract.links import next_archive_page, post_links
from scraper.extract.parse import parse_page
from scraper.model.items import ArchivedPage, FetchFailure
from scraper.model.keys import post_key
from scraper.model.urls import (
    archive_page_number,
    blog_id_for,
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
        max_pages: str | int | None = None,
        route: str | None = None,
        pages: str | None = None,
        full: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        # Discovery (scraper/crawl/discovery): the forced route (None = automatic order), whether
        # post pages are fetched (pages=no: API-only archive), and each blog's state.
        self.route_arg = parse_route_arg(route)
        self.fetch_pages = parse_pages_arg(pages)
        self.discoveries: dict[str, BlogDiscovery] = {}
        # Incremental re-crawls (scraper/crawl/discovery/incremental.py): -a full=yes ignores
        # what the archive holds; posts being fetched until all their pages are stored.
        self.full = parse_full_arg(full)
        self.tracking: dict[str, _Tracked] = {}
        # Listing pages (home, /page/N/) this crawl may follow; None = ARCHIVE_MAX_PAGES.
        self.max_pages_arg = int(max_pages) if max_pages not in (None, "") else None
        self.listing_pages: Counter[str] = Counter()  # per blog home
        self.seen_posts: set[str] = set()
        # Replaced in from_crawler by one sized by EXTRACTION_WORKERS.
        self.extraction_pool = ExtractionPool(0)
        self.start_url_list = _start_urls(url, urls_file)
        if not self.start_url_list:
            raise ValueError("give a blog or post URL: -a url=https://blog.example/")
        for start_url in self.start_url_list:
            problem = validate_start_url(start_url)
            if problem:
                raise ValueError(f"{start_url!r}: {problem}")
        self.archive_path = archive
        self.options = {"url": url, "urls_file": urls_file, "archive": archive, **kwargs}
        if max_pages not in (None, ""):
            self.options["max_pages"] = self.max_pages_arg
        if route is not None:
            self.options["route"] = route
        if pages is not None:
            self.options["pages"] = pages
        if full is not None:
            self.options["full"] = full

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> WordPressSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_item_error, signal=signals.item_error)
        crawler.signals.connect(spider.count_request, signal=signals.request_reached_downloader)
        workers = crawler.settings.get("EXTRACTION_WORKERS")
        spider.extraction_pool = ExtractionPool(
            default_workers() if workers in (None, "") else int(workers))
        crawler.signals.connect(spider.extraction_pool.close, signal=signals.spider_closed)
        return spider

    @property
    def max_pages(self) -> int:
        if self.max_pages_arg is not None:
            return self.max_pages_arg
        return self.crawler.settings.getint("ARCHIVE_MAX_PAGES", 0)

    async def start(self) -> AsyncIterator[Any]:
        for url in self.start_url_list:
            yield scrapy.Request(
                url, callback=self.parse_start, errback=self.on_error, dont_filter=True,
                meta={"wparchive_start": True, "archive_kind": "start"},
            )

    # --- callbacks ----------------------------------------------------------

    def parse_start(self, response: Response) -> Iterator[Any]:
        """The start URL is either a listing (home, archive) or one post."""
        self.crawler.stats.inc_value("archive/start_pages_ok")
        extraction = extract_page(response.body, response.url, _content_type(response))
        if not extraction.blog.is_wordpress:
            # Archiving a page that is not a blog post would only store noise.
            logger.warning("%s does not look like a WordPress blog (%s): nothing archived "
                           "from it", response.url, extraction.blog.reason)
            self.crawler.stats.inc_value("archive/not_wordpress")
            return
        if extraction.is_post_page:
            blog_home = extraction.blog.home_url or home_of(response.url)
            yield from self._archive_post_page(response, extraction, blog_home)
        else:
            blog_home = extraction.blog.home_url or response.url
            self.listing_pages[blog_home] += 1
            yield from self._discover(response, extraction, blog_home)

    def parse_listing(self, response: Response) -> Iterator[Any]:
        yield from self._follow_listing(response, response.meta["blog_home"])

    async def parse_post(self, response: Response) -> AsyncIterator[Any]:
        if response.status == 304:  # the validators say nothing changed
            for output in self._unchanged_post(response, response.meta["blog_home"]):
                yield output
            return
        extraction = await self.extraction_pool.extract(
            response.body, response.url, _content_type(response))
        for output in self._archive_post_page(response, extraction, response.meta["blog_home"]):
            yield output

    # --- discovery (scraper/crawl/discovery/routes.py holds the logic) -------------

    def _discover(self, response: Response, extraction: Any, blog_home: str) -> Iterator[Any]:
        if blog_home in self.discoveries:  # two start URLs of one blog: list it once
            return
        archive = self.archive_path or self.crawler.settings.get("ARCHIVE_PATH")
        state = None if self.full else load_state(archive, blog_home)
        discovery = BlogDiscovery(
            self, blog_home, response, extraction.blog, self.route_arg, self.fetch_pages,
            self.crawler.settings.get("WPCOM_API_BASE") or DEFAULT_WPCOM_API_BASE,
            state=state,
        )
        self.discoveries[blog_home] = discovery
        yield from discovery.begin()

    def parse_discovery(self, response: Response) -> Iterator[Any]:
        yield from self.discoveries[response.meta["blog_home"]].on_response(response)

    def on_discovery_error(self, failure: Failure) -> Iterator[Any]:
        """A route's request failed: the discovery falls back, it is not an archive error."""
        request = failure.request  # type: ignore[attr-defined]
        yield from self.discoveries[request.meta["blog_home"]].on_failure(failure)

    def follow_listing(self, response: Response, blog_home: str) -> Iterator[Any]:
        """The ``html`` route: the archive pagination from an already fetched listing."""
        yield from self._follow_listing(response, blog_home)

    def request_post(self, url: str, blog_home: str) -> Iterator[scrapy.Request]:
        """A post page, once per crawl (canonical URL, trap and scope rules applied)."""
        discovery = self.discoveries.get(blog_home)
        meta: dict[str, Any] = {}
        if discovery is not None:
            discovery.note_listed(url)
            known = discovery.sync.state.urls.get(canonicalize(url)) if discovery.sync else None
            if known and (known["etag"] or known["last_modified"]):
                # HTTP validators from the last fetch: a 304 means the page did not change.
                headers = {"If-None-Match": known["etag"],
                           "If-Modified-Since": known["last_modified"]}
                meta = {"headers": {k: v for k, v in headers.items() if v},
                        "handle_httpstatus_list": [304], "known_post_id": known["post_id"]}
        yield from self._request(url, self.parse_post, blog_home, archive_kind="post", **meta)

    def note_full_sync(self, blog_home: str) -> None:
        """This crawl lists the whole blog and fetches every post: if it finishes without
        a fetch error, the blog's rows it did not see are tombstoned."""
        stats = self.crawler.stats
        blogs = stats.get_value("archive/full_sync_blogs") or []
        if blog_home not in blogs:
            stats.set_value("archive/full_sync_blogs", [*blogs, blog_home])

    def publish_routes(self) -> None:
        """``archive/route`` and ``archive/route_reason`` (copied into the crawls table)."""
        request_kinds.publish_routes(self.crawler.stats, self.discoveries.values())

    def count_request(self, request: Request, spider: Any = None) -> None:
        request_kinds.count_request(self.crawler.stats, request)

    def closed(self, reason: str) -> None:
        """Hand the completeness check its numbers (the pipeline writes them afterwards)."""
        incremental = any(d.sync is not None for d in self.discoveries.values())
        self.crawler.stats.set_value("archive/mode", "incremental" if incremental else "full")
        if self.discoveries:
            self.publish_routes()
            self.crawler.stats.set_value(
                "archive/discovery", Reports(d.report() for d in self.discoveries.values())
            )

    def on_error(self, failure: Failure) -> Iterator[FetchFailure]:
        request = failure.request  # type: ignore[attr-defined]
        # A redirect hop failed: the page we wanted (and will ask for again) is the first URL.
        url = (request.meta.get("redirect_urls") or [request.url])[0]
        reason, status, attempts = describe_failure(failure, request, self.crawler.settings)
        if request.meta.get("wparchive_start"):
            failures = self.crawler.stats.get_value("archive/start_failures") or []
            self.crawler.stats.set_value("archive/start_failures", [*failures, f"{url}: {reason}"])
        logger.error("Could not archive %s: %s", url, reason)
        tracked = self.tracking.get(request.meta.get("track", ""))
        if tracked is not None:
            tracked.failed = True  # never "complete": its comments are not tombstoned
        yield FetchFailure(url, reason, status, attempts)

    def on_item_error(self, item: Any, response: Any, spider: Any, failure: Failure) -> None:
        """The archive cannot be written (disk full, locked, read-only): stop at once, since
        every later page would be lost too; the CLI reports it and exits 4."""
        error = failure.value
        if not isinstance(error, sqlite3.Error | ArchiveUnusable):
            return
        stats = self.crawler.stats
        if stats.get_value("archive/unusable"):
            return
        path = stats.get_value("archive/path") or self.archive_path
        message = str(error) if isinstance(error, ArchiveUnusable) else describe_archive_error(
            error, path)
        stats.set_value("archive/unusable", message)
        logger.error("Stopping the crawl: %s", message)
        if self.crawler.engine is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive_unusable"))

    # --- decisions ----------------------------------------------------------

    def _follow_listing(self, response: Response, blog_home: str) -> Iterator[scrapy.Request]:
        soup = parse_page(response.body, _content_type(response))
        links = post_links(soup, response.url)
        new_posts = {canonicalize(link) for link in links} - self.seen_posts
        self.seen_posts |= new_posts
        for link in links:
            yield from self.request_post(link, blog_home)
        next_page = next_archive_page(soup, response.url)
        if not next_page:
            return
        if not new_posts and archive_page_number(response.url):
            # /page/N/ that repeats what we have seen: a pagination that never ends.
            logger.warning("%s lists no new post; not following %s", response.url, next_page)
            self.crawler.stats.inc_value("archive/skipped_trap")
            return
        if self.max_pages and self.listing_pages[blog_home] >= self.max_pages:
            reason = (f"not followed: listing page budget reached ({self.max_pages} pages; "
                      "raise ARCHIVE_MAX_PAGES or -a max_pages=N)")
            logger.warning("%s %s", next_page, reason)
            self.crawler.stats.set_value("archive/listing_budget_reached", self.max_pages)
            yield FetchFailure(canonicalize(next_page), reason, None, 0)
            return
        self.listing_pages[blog_home] += 1
        yield from self._request(next_page, self.parse_listing, blog_home, archive_kind="listing")

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
        discovery = self.discoveries.get(blog_home)
        if discovery is not None and page_number is None:
            for url in (*response.meta.get("redirect_urls", ()), response.url):
                discovery.note_archived(url)
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
        requested = canonicalize((response.meta.get("redirect_urls") or [response.url])[0])
        if page_number is None:
            key = response.meta.get("track") or requested
            tracked = self.tracking[key] = _Tracked(
                key, blog_home, post_key(blog_id_for(blog_home), extraction.post, post_url),
                _header(response, b"ETag"), _header(response, b"Last-Modified"))
        else:
            key = response.meta.get("track", "")
            tracked = self.tracking.get(key)
        if tracked is not None:
            tracked.done.add(requested)
            tracked.pending.discard(requested)
            if page_number is None:
                tracked.shown_comment_page = extraction.comments_info.page
        for url in extraction.comments_info.page_urls:
            if tracked is not None and tracked.shown_comment_page is not None \
                    and comment_page_number(url) == tracked.shown_comment_page:
                continue
            for request in self._request(url, self.parse_post, blog_home, post_url=post_url,
                                         archive_kind="comment_page", track=key):
                if tracked is not None and request.url not in tracked.done:
                    tracked.pending.add(request.url)
                yield request
        if tracked is not None and not tracked.pending and not tracked.failed:
            del self.tracking[key]
            yield self._post_complete(tracked)

    def _post_complete(self, tracked: _Tracked) -> SyncAction:
        discovery = self.discoveries.get(tracked.blog_home)
        modified = discovery.listed_modified.get(tracked.url) if discovery else None
        self.crawler.stats.inc_value("archive/posts_complete")
        return post_completion(tracked.blog_home, tracked.url, tracked.post_id, tracked.etag,
                               tracked.last_modified, modified)

    def _unchanged_post(self, response: Response, blog_home: str) -> Iterator[Any]:
        self.crawler.stats.inc_value("archive/not_modified")
        discovery = self.discoveries.get(blog_home)
        if discovery is not None:
            discovery.note_archived(response.url)
        post_id = response.meta.get("known_post_id")
        if post_id:
            yield SyncAction("touch", blog_home, (post_id,))

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
        headers = meta.pop("headers", None)
        yield scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            headers=headers,
            meta={"blog_home": blog_home, **meta},
        )


@dataclass
class _Tracked:
    """A post being fetched: complete once its page and every comment page are stored."""

    url: str  # the URL it was requested at (canonical)
    blog_home: str
    post_id: str
    etag: str | None
    last_modified: str | None
    pending: set[str] = field(default_factory=set)
    done: set[str] = field(default_factory=set)
    failed: bool = False
    # The comment page the post's own URL shows (WordPress's "newest" default shows the
    # last one there): its /comment-page-N/ twin would be a second fetch of the same page.
    shown_comment_page: int | None = None


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _start_urls(url: str | None, urls_file: str | None) -> list[str]:
    urls = [u.strip() for u in (url or "").split(",") if u.strip()]
    if urls_file:
        lines = Path(urls_file).read_text(encoding="utf-8").splitlines()
        urls += [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return urls


def _content_type(response: Response) -> str | None:
    value = response.headers.get(b"Content-Type")
    return effective_content_type(value.decode("latin-1") if value else None, response.body)


def effective_content_type(content_type: str | None, body: bytes) -> str | None:
    """The Content-Type to decode a page with: the bytes win over a charset that
    contradicts them (a UTF-8 blog served as ISO-8859-1, or windows-1252 bytes
    labelled UTF-8 or not labelled at all), which browsers would show as mojibake."""
    if body.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or body.isascii():
        return content_type  # a BOM decides; ASCII decodes the same either way
    declared = http_content_type_encoding(content_type) or html_body_declared_encoding(body)
    text = body.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    if not broken:
        return content_type if declared in (None, "utf-8") else "text/html; charset=utf-8"
    if declared not in (None, "utf-8"):
        return content_type
    # Mostly-UTF-8 pages with a few stray bytes stay UTF-8; otherwise it is windows-1252.
    decoded = sum(1 for char in text if ord(char) > 127) - broken
    return content_type if decoded > broken else "text/html; charset=windows-1252"


def describe_failure(
    failure: Failure, request: Request, settings: BaseSettings
) -> tuple[str, int | None, int]:
    """(readable reason, HTTP status, download attempts) for a page that failed."""
    error = failure.value
    retries = request.meta.get("retry_times", 0)
    attempts = retries + 1
    after = f" after {attempts} attempts" if attempts > 1 else ""
    if isinstance(error, ScopeRefused):
        return error.reason, None, retries + (0 if error.before_download else 1)
    response = getattr(error, "response", None)
    if response is not None:
        try:
            phrase = f" {HTTPStatus(response.status).phrase}"
        except ValueError:
            phrase = ""
        return f"HTTP {response.status}{phrase}{after}", response.status, attempts
    if isinstance(error, DownloadTimeoutError | defer.TimeoutError | net_error.TimeoutError):
        timeout = request.meta.get("download_timeout") or settings.getfloat("DOWNLOAD_TIMEOUT")
        return f"timeout: no complete answer within {timeout:g} s{after}", None, attempts
    if isinstance(error, DownloadConnectionRefusedError | net_error.ConnectionRefusedError):
        return f"connection refused{after}", None, attempts
    if isinstance(error, CannotResolveHostError | net_error.DNSLookupError):
        host = request.url.split("/")[2] if "//" in request.url else request.url
        return f"DNS lookup failed: {host} not found{after}", None, attempts
    if isinstance(error, ResponseDataLossError):
        return (f"truncated response: the connection closed before the announced "
                f"Content-Length arrived{after}"), None, attempts
    maxsize = request.meta.get("download_maxsize") or settings.getint("DOWNLOAD_MAXSIZE")
    if isinstance(error, DownloadCancelledError | defer.CancelledError):
        return f"size cap: response larger than DOWNLOAD_MAXSIZE ({maxsize} bytes)", None, 1
    if isinstance(error, IgnoreRequest):
        message = str(error)
        if "max redirections" in message:
            limit = settings.getint("REDIRECT_MAX_TIMES")
            return f"too many redirects (more than {limit}){after}", None, attempts
        if "max size" in message or "decompressed" in message:
            return (f"size cap: decompressed body larger than DOWNLOAD_MAXSIZE ({maxsize} "
                    "bytes; gzip bomb?)"), None, 1
        if "robots.txt" in message:
            return "forbidden by robots.txt", None, 0
        return f"ignored: {message}", None, attempts
    if isinstance(error, net_error.ConnectionLost | net_error.ConnectionDone | OSError) or (
        "ResponseFailed" in type(error).__name__ or "DownloadFailed" in type(error).__name__
        or "ResponseNeverReceived" in type(error).__name__
    ):
        return f"connection reset or closed by the server{after}", None, attempts
    message = failure.getErrorMessage() or repr(error)
    return f"{type(error).__name__}: {message}{after}", None, attempts
