"""The ``wordpress`` spider: decides what to request next, nothing else.

    scrapy crawl wordpress -a url=https://blog.example/
    scrapy crawl wordpress -a url=https://blog.example/,https://other.example/
    scrapy crawl wordpress -a urls_file=blogs.txt -a archive=my.db
    scrapy crawl wordpress -a url=https://blog.example/2014/01/10/her-2013/

    scrapy crawl wordpress -a url=https://blog.example/ -a route=sitemap
    scrapy crawl wordpress -a url=https://blog.example/ -a route=api -a pages=no

A blog URL's posts are listed by the first discovery route that works
(``scraper.crawl.discovery``: REST API, WordPress.com API, sitemaps, feed, and the
archive pagination ``/page/N/`` last); ``-a route=api|wpcom|sitemap|feed|html``
forces one.  A post URL archives that post.  Every post page is fetched once and
followed by all its comment pages (``/comment-page-N/``, ``?cpage=N``), unless
``-a pages=no`` (API-only archive).  The spider stays on the blog's host and never
follows WordPress traps (``urls.is_trap``).
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

from scraper.archive.connection import ArchiveUnusable, describe_archive_error
from scraper.archive.state import ArchiveState, load_state
from scraper.crawl.discovery.blog import BlogDiscovery
from scraper.crawl.discovery.incremental import parse_full_arg
from scraper.crawl.discovery.outputs import (
    Counted,
    Fetch,
    FollowListing,
    ListedPost,
    SpiderOutput,
)
from scraper.crawl.discovery.requests import request_kind
from scraper.crawl.discovery.routes import (
    DEFAULT_WPCOM_API_BASE,
    parse_pages_arg,
    parse_route_arg,
)
from scraper.crawl.discovery.sitemaps import sitemaps_known_to_robots_mw
from scraper.crawl.extraction_pool import ExtractionPool, default_workers
from scraper.crawl.failures import describe_failure
from scraper.crawl.headers import header, page_content_type
from scraper.crawl.media import media_enabled
from scraper.crawl.outcome import CrawlOutcome
from scraper.extract import extract_page
from scraper.extract.api import (
    comments_extraction_from_api,
    header_int,
    post_comments_url,
    rest_root_candidates,
    rest_root_from_link_header,
)
from scraper.extract.links import next_archive_page, post_links
from scraper.extract.parse import parse_page
from scraper.model.items import (
    ArchivedPage,
    CrawlReport,
    FetchFailure,
    PostComplete,
    SyncAction,
    TouchPosts,
)
from scraper.model.keys import comment_key, post_key, utc_now
from scraper.model.records import PageExtraction, Post
from scraper.model.urls import (
    archive_page_number,
    blog_id_for,
    canonicalize,
    comment_page_number,
    home_of,
    in_scope,
    is_trap,
    post_url_of_comment_page,
    urls_in_file,
    validate_start_url,
)

logger = logging.getLogger(__name__)

# What the spider's callbacks hand out: requests, and the items the pipelines store.
Yielded = scrapy.Request | ArchivedPage | FetchFailure | SyncAction


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
        # What the CLI's exit code depends on, and the requests by kind for the crawl report.
        self.outcome = CrawlOutcome()
        self.requests_by_kind: Counter[str] = Counter()
        # Listing pages (home, /page/N/) this crawl may follow; None = ARCHIVE_MAX_PAGES.
        self.max_pages_arg = int(max_pages) if max_pages not in (None, "") else None
        self.listing_pages: Counter[str] = Counter()  # per blog home
        self.seen_posts: set[str] = set()
        # Comment pages asked per post (ARCHIVE_MAX_COMMENT_PAGES), the URLs asked, and the
        # posts whose budget ran out (one fetch_errors row each).
        self.comment_pages_per_post: Counter[str] = Counter()
        self.comment_pages_asked: set[str] = set()
        self.comment_budget_posts: set[str] = set()
        # Per blog home: posts whose comments came from the REST API because their pages
        # showed fewer than they state (post URL, comments stated, comments shown).
        self.comments_from_api: dict[str, list[tuple[str, int, int]]] = {}
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

    async def start(self) -> AsyncIterator[Yielded]:
        for url in self.start_url_list:
            yield scrapy.Request(
                url, callback=self.parse_start, errback=self.on_error, dont_filter=True,
                meta={"wparchive_start": True, "archive_kind": "start"},
            )

    # --- callbacks ----------------------------------------------------------

    def parse_start(self, response: Response) -> Iterator[Yielded]:
        """The start URL is either a listing (home, archive) or one post."""
        self.outcome.start_pages_ok += 1
        extraction = extract_page(response.body, response.url, page_content_type(response))
        if not extraction.blog.is_wordpress:
            # Archiving a page that is not a blog post would only store noise.
            logger.warning("%s does not look like a WordPress blog (%s): nothing archived "
                           "from it", response.url, extraction.blog.reason)
            self.outcome.not_wordpress += 1
            return
        if extraction.is_post_page:
            blog_home = extraction.blog.home_url or home_of(response.url)
            yield from self._archive_post_page(response, extraction, blog_home)
        else:
            blog_home = extraction.blog.home_url or response.url
            self.listing_pages[blog_home] += 1
            yield from self._discover(response, extraction, blog_home)

    def parse_listing(self, response: Response) -> Iterator[Yielded]:
        yield from self._follow_listing(response, response.meta["blog_home"])

    async def parse_post(self, response: Response) -> AsyncIterator[Yielded]:
        if response.status == 304:  # the validators say nothing changed
            for output in self._unchanged_post(response, response.meta["blog_home"]):
                yield output
            return
        extraction = await self.extraction_pool.extract(
            response.body, response.url, page_content_type(response))
        for output in self._archive_post_page(response, extraction, response.meta["blog_home"]):
            yield output

    # --- discovery (scraper/crawl/discovery holds the logic) -----------------------

    def _discover(self, response: Response, extraction: PageExtraction, blog_home: str
                  ) -> Iterator[Yielded]:
        if blog_home in self.discoveries:  # two start URLs of one blog: list it once
            return
        state = None if self.full else self.archive_state(blog_home)
        discovery = BlogDiscovery(
            blog_home, response, extraction.blog, self.route_arg, self.fetch_pages,
            self.crawler.settings.get("WPCOM_API_BASE") or DEFAULT_WPCOM_API_BASE,
            partial(sitemaps_known_to_robots_mw, self.crawler, blog_home),
            state=state,
            max_listing_pages=self.max_pages,
        )
        self.discoveries[blog_home] = discovery
        yield from self._from_discovery(discovery.begin(), blog_home)

    def archive_state(self, blog_home: str) -> ArchiveState | None:
        """What the archive already holds of the blog (None: a full crawl).  A fleet worker
        (scraper/crawl/fleet) asks the fleet's writer instead of reading a file."""
        archive = self.archive_path or self.crawler.settings.get("ARCHIVE_PATH")
        return load_state(archive, blog_home)

    def parse_discovery(self, response: Response) -> Iterator[Yielded]:
        blog_home = response.meta["blog_home"]
        outputs = self.discoveries[blog_home].on_response(response.meta["discovery"], response)
        yield from self._from_discovery(outputs, blog_home)

    def on_discovery_error(self, failure: Failure) -> Iterator[Yielded]:
        """A route's request failed: the discovery falls back, it is not an archive error."""
        request = failure.request  # type: ignore[attr-defined]
        blog_home = request.meta["blog_home"]
        outputs = self.discoveries[blog_home].on_failure(request.meta["discovery"], failure)
        yield from self._from_discovery(outputs, blog_home)

    def _from_discovery(self, outputs: Iterator[SpiderOutput], blog_home: str
                        ) -> Iterator[Yielded]:
        """Discovery's outputs as requests and items."""
        for output in outputs:
            if isinstance(output, Fetch):
                yield self._discovery_request(output, blog_home)
            elif isinstance(output, ListedPost):
                yield from self._request_post(output, blog_home)
            elif isinstance(output, FollowListing):
                yield from self._follow_listing(output.response, blog_home)
            elif isinstance(output, Counted):
                self.crawler.stats.inc_value(output.stat, output.value)
            else:
                yield output

    def _discovery_request(self, fetch: Fetch, blog_home: str) -> scrapy.Request:
        # Not filtered by trap or scope rules: APIs and sitemaps may live elsewhere.
        return scrapy.Request(
            fetch.url,
            callback=self.parse_discovery,
            errback=self.on_discovery_error,
            meta={"blog_home": blog_home, "discovery": fetch, "archive_kind": fetch.kind},
            dont_filter=True,
        )

    def _request_post(self, post: ListedPost, blog_home: str) -> Iterator[scrapy.Request]:
        """A post page, once per crawl (canonical URL, trap and scope rules applied)."""
        meta: dict[str, Any] = {}
        if post.etag or post.last_modified:
            # HTTP validators from the last fetch: a 304 means the page did not change.
            headers = {"If-None-Match": post.etag, "If-Modified-Since": post.last_modified}
            meta = {"headers": {k: v for k, v in headers.items() if v},
                    "handle_httpstatus_list": [304], "known_post_id": post.known_post_id}
        yield from self._request(post.url, self.parse_post, blog_home, archive_kind="post",
                                 **meta)

    def count_request(self, request: Request, spider: Any = None) -> None:
        """One request that reached the downloader (retries included, like
        ``downloader/request_count``), by kind."""
        self.requests_by_kind[request_kind(request)] += 1

    def crawl_report(self) -> CrawlReport:
        """What the archive records about this crawl when it ends (the pipeline asks for it
        when the spider closes, however it closes)."""
        return CrawlReport(
            blogs=tuple(
                dataclasses.replace(discovery.report(), comments_from_api=tuple(
                    self.comments_from_api.get(home, ())))
                for home, discovery in self.discoveries.items()),
            requests_by_kind=dict(self.requests_by_kind),
            media=media_enabled(self, self.crawler.settings),
        )

    def on_error(self, failure: Failure) -> Iterator[FetchFailure]:
        request = failure.request  # type: ignore[attr-defined]
        # A redirect hop failed: the page we wanted (and will ask for again) is the first URL.
        url = (request.meta.get("redirect_urls") or [request.url])[0]
        described = describe_failure(failure, request, self.crawler.settings)
        if request.meta.get("wparchive_start"):
            self.outcome.start_failures.append(f"{url}: {described.reason}")
        logger.error("Could not archive %s: %s", url, described.reason)
        tracked = self.tracking.get(request.meta.get("track", ""))
        if tracked is not None:
            tracked.failed = True  # never "complete": its comments are not tombstoned
        yield FetchFailure(url, described.reason, described.http_status, described.attempts)

    def on_item_error(self, item: Any, response: Any, spider: Any, failure: Failure) -> None:
        """The archive cannot be written (disk full, locked, read-only): stop at once, since
        every later page would be lost too; the CLI reports it and exits 4."""
        error = failure.value
        if not isinstance(error, sqlite3.Error | ArchiveUnusable):
            return
        if self.outcome.unusable:
            return
        path = self.outcome.archive_path or self.archive_path or ""
        message = str(error) if isinstance(error, ArchiveUnusable) else describe_archive_error(
            error, path, self.crawler.settings.getfloat("ARCHIVE_BUSY_TIMEOUT", 30.0))
        self.outcome.unusable = message
        logger.error("Stopping the crawl: %s", message)
        if self.crawler.engine is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive_unusable"))

    # --- decisions ----------------------------------------------------------

    def _follow_listing(self, response: Response, blog_home: str
                        ) -> Iterator[scrapy.Request | FetchFailure]:
        soup = parse_page(response.body, page_content_type(response))
        links = post_links(soup, response.url)
        new_posts = {canonicalize(link) for link in links} - self.seen_posts
        self.seen_posts |= new_posts
        discovery = self.discoveries.get(blog_home)
        for link in links:
            post = discovery.listed_post(link) if discovery is not None else ListedPost(link)
            yield from self._request_post(post, blog_home)
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
            self.crawler.stats.inc_value("archive/listing_budget_reached")
            yield FetchFailure(canonicalize(next_page), reason, None, 0)
            return
        self.listing_pages[blog_home] += 1
        yield from self._request(next_page, self.parse_listing, blog_home, archive_kind="listing")

    def _archive_post_page(
        self, response: Response, extraction: PageExtraction, blog_home: str
    ) -> Iterator[Yielded]:
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
            fetched_at=utc_now(),
            comment_page=page_number,
            extraction=extraction,
        )
        requested = canonicalize((response.meta.get("redirect_urls") or [response.url])[0])
        tracked: _Tracked | None
        if page_number is None:
            key = response.meta.get("track") or requested
            tracked = self.tracking[key] = _Tracked(
                key, blog_home, post_key(blog_id_for(blog_home), extraction.post, post_url),
                header(response, b"ETag"), header(response, b"Last-Modified"))
        else:
            key = response.meta.get("track", "")
            tracked = self.tracking.get(key)
        if tracked is not None:
            tracked.done.add(requested)
            tracked.pending.discard(requested)
            blog_id = blog_id_for(blog_home)
            tracked.comments_shown.update(
                comment_key(blog_id, tracked.post_id, c) for c in extraction.comments)
            if page_number is None:
                tracked.shown_comment_page = extraction.comments_info.page
                tracked.post_url = post_url
                tracked.post = extraction.post
                tracked.comments_stated = extraction.comments_info.count_shown
                tracked.rest_root = self._rest_root(response, blog_home)
        for request in self._comment_page_requests(extraction, page_number, post_url,
                                                   blog_home, key, tracked):
            if isinstance(request, scrapy.Request) and tracked is not None \
                    and request.url not in tracked.done:
                tracked.pending.add(request.url)
            yield request
        if tracked is not None:
            yield from self._settle(key, tracked)

    def _settle(self, key: str, tracked: _Tracked) -> Iterator[Yielded]:
        """A post with nothing pending is complete; first, when its pages showed fewer
        comments than they state, its comments are asked of the REST API."""
        if tracked.pending or tracked.failed:
            return
        if tracked.rest_page == 0 and tracked.comments_missing():
            request = self._rest_comments_request(key, tracked, 1)
            if request is not None:
                yield request
                return
        del self.tracking[key]
        yield self._post_complete(tracked)

    @staticmethod
    def _rest_root(response: Response, blog_home: str) -> str | None:
        """The REST root the post page advertises (its ``Link`` header), if on the blog's
        host; else the conventional ``/wp-json/``."""
        advertised = rest_root_from_link_header(header(response, b"Link"))
        for root in rest_root_candidates(blog_home, advertised):
            if in_scope(root, blog_home):
                return root
        return None

    def _rest_comments_request(self, key: str, tracked: _Tracked, page: int
                               ) -> scrapy.Request | None:
        """Page ``page`` of the post's comments from the REST API (None: no API to ask)."""
        post = tracked.post
        if tracked.rest_root is None or post is None or post.wp_id is None:
            return None
        tracked.rest_page = page
        url = post_comments_url(tracked.rest_root, post.wp_id, page)
        # Not through the trap rules: an API URL of our making, on the blog's host.
        request = scrapy.Request(
            url, callback=self.parse_rest_comments, errback=self.on_rest_comments_error,
            dont_filter=True, meta={"blog_home": tracked.blog_home, "archive_kind": "api",
                                    "track": key, "pending_url": url})
        tracked.pending.add(url)
        return request

    def parse_rest_comments(self, response: Response) -> Iterator[Yielded]:
        """One page of the REST API's comments of a post whose pages showed too few: the
        API's comments are archived (they replace what the pages gave) until its last page."""
        key = response.meta["track"]
        tracked = self.tracking.get(key)
        if tracked is None or tracked.post is None or tracked.post.wp_id is None:
            return
        tracked.pending.discard(response.meta["pending_url"])
        extraction = comments_extraction_from_api(response.body, tracked.post_url,
                                                  tracked.post.wp_id)
        if extraction.comments:
            yield ArchivedPage(
                blog_url=tracked.blog_home, post_url=tracked.post_url,
                fetched_url=response.url, http_status=response.status, fetched_at=utc_now(),
                comment_page=None, extraction=extraction, rest_comments=True)
            tracked.comments_from_api += len(extraction.comments)
        last = header_int(response.headers.get(b"X-WP-TotalPages")) or 1
        budget = self.crawler.settings.getint("ARCHIVE_MAX_COMMENT_PAGES", 0)
        if extraction.comments and tracked.rest_page < last \
                and (not budget or tracked.rest_page < budget):
            request = self._rest_comments_request(key, tracked, tracked.rest_page + 1)
            if request is not None:
                yield request
                return
        if tracked.comments_from_api:
            stated = tracked.comments_stated or 0
            shown = len(tracked.comments_shown)
            logger.warning("%s shows %d of the %d comments it states; the REST API's %d "
                           "comments were archived", tracked.post_url, shown, stated,
                           tracked.comments_from_api)
            self.comments_from_api.setdefault(tracked.blog_home, []).append(
                (tracked.post_url, stated, shown))
        yield from self._settle(key, tracked)

    def on_rest_comments_error(self, failure: Failure) -> Iterator[Yielded]:
        """No REST API to ask (disabled, 401, 404…): the post keeps what its pages
        showed, and the completeness check records it as short."""
        request = failure.request  # type: ignore[attr-defined]
        key = request.meta.get("track", "")
        tracked = self.tracking.get(key)
        logger.info("%s: the REST API could not list the comments (%s)", request.url,
                    failure.getErrorMessage())
        if tracked is not None:
            tracked.pending.discard(request.meta.get("pending_url", request.url))
            yield from self._settle(key, tracked)

    def _comment_page_requests(
        self, extraction: PageExtraction, page_number: int | None, post_url: str,
        blog_home: str, key: str, tracked: _Tracked | None,
    ) -> Iterator[scrapy.Request | FetchFailure]:
        """The comment pages this page links to, within the post's comment page budget.

        A comment page that shows no comment ends the pagination there: an endless
        ``/comment-page-N/`` of empty pages is a trap, not a thread."""
        if page_number is not None and not extraction.comments:
            if extraction.comments_info.page_urls:
                self.crawler.stats.inc_value("archive/empty_comment_page")
            return
        budget = self.crawler.settings.getint("ARCHIVE_MAX_COMMENT_PAGES", 0)
        for url in extraction.comments_info.page_urls:
            if tracked is not None and tracked.shown_comment_page is not None \
                    and comment_page_number(url) == tracked.shown_comment_page:
                continue
            for request in self._request(url, self.parse_post, blog_home, post_url=post_url,
                                         archive_kind="comment_page", track=key):
                if request.url in self.comment_pages_asked:
                    continue  # asked already (Scrapy's duplicate filter would drop it)
                asked = self.comment_pages_per_post[post_url]
                if budget and asked >= budget:
                    yield from self._comment_budget_reached(request.url, post_url, budget,
                                                            tracked)
                    return
                self.comment_pages_asked.add(request.url)
                self.comment_pages_per_post[post_url] += 1
                yield request

    def _comment_budget_reached(self, url: str, post_url: str, budget: int,
                                tracked: _Tracked | None) -> Iterator[FetchFailure]:
        if tracked is not None:
            tracked.failed = True  # not complete: its unseen comments are not tombstoned
        if post_url in self.comment_budget_posts:
            return
        self.comment_budget_posts.add(post_url)
        reason = (f"not followed: comment page budget reached ({budget} pages of {post_url}; "
                  "raise ARCHIVE_MAX_COMMENT_PAGES)")
        logger.warning("%s %s", url, reason)
        self.crawler.stats.inc_value("archive/comment_budget_reached")
        yield FetchFailure(url, reason, None, 0)

    def _post_complete(self, tracked: _Tracked) -> PostComplete:
        discovery = self.discoveries.get(tracked.blog_home)
        modified = discovery.api_modified(tracked.url) if discovery else None
        self.crawler.stats.inc_value("archive/posts_complete")
        return PostComplete(tracked.blog_home, tracked.url, tracked.post_id, tracked.etag,
                            tracked.last_modified, modified)

    def _unchanged_post(self, response: Response, blog_home: str) -> Iterator[Yielded]:
        self.crawler.stats.inc_value("archive/not_modified")
        discovery = self.discoveries.get(blog_home)
        if discovery is not None:
            discovery.note_archived(response.url)
        post_id = response.meta.get("known_post_id")
        if post_id:
            yield TouchPosts(blog_home, (post_id,))

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
    # What its own page says: its URL and record, the comments it states, its REST root.
    post_url: str = ""
    post: Post | None = None
    comments_stated: int | None = None
    rest_root: str | None = None
    # The comments its pages showed, by their archive keys (model.keys.comment_key).
    comments_shown: set[str] = field(default_factory=set)
    rest_page: int = 0  # the REST API comment page last asked (0: none)
    comments_from_api: int = 0

    def comments_missing(self) -> bool:
        """Its pages showed fewer comments than its page states."""
        return self.comments_stated is not None \
            and self.comments_stated > len(self.comments_shown)


def _start_urls(url: str | None, urls_file: str | None) -> list[str]:
    urls = [u.strip() for u in (url or "").split(",") if u.strip()]
    if urls_file:
        urls += urls_in_file(urls_file)
    return urls
