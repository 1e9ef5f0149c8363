"""How the spider lists a blog's posts: the discovery routes, tried in order per blog.

1. ``api``: the WordPress REST API, ``/wp/v2/posts?per_page=100&page=N`` (100 posts a
   request, paged by ``X-WP-TotalPages``), at the root the home page advertises
   (``Link: rel="https://api.w.org/"``), else ``/wp-json/``, else ``/?rest_route=/``;
2. ``wpcom``: for ``*.wordpress.com`` blogs, the WordPress.com public API v1.1
   (``WPCOM_API_BASE`` setting; ``page_handle`` paging);
3. ``sitemap``: ``Sitemap:`` lines of robots.txt, core ``/wp-sitemap.xml``, Yoast/Rank
   Math ``/sitemap_index.xml``, Jetpack ``/sitemap.xml``;
4. ``feed``: the RSS/Atom feed, ``/feed/?paged=N``; in the automatic order only when the
   home page lists no posts: feed pages and archive pages hold the same number of posts
   (10 by default) and the first archive page is already fetched, so when the listing
   works the feed would only cost more requests;
5. ``html``: the archive pagination (``/page/N/``) from the home page already fetched.

A route that is missing or refused (401/403/404, ``rest_*disabled``, not JSON/XML/a feed,
robots.txt disallows it) is not an error: the next route is tried. ``-a route=NAME`` forces
one route; if that route is unavailable the crawl records a fetch error instead.

Whatever route lists the posts, the spider fetches each post page once (the record), then
its comment pages. With ``-a pages=no`` the ``api`` route builds the records from the API
alone (posts, comments, users, categories, tags) and fetches no pages.

Every route also notes what it says the blog has (``X-WP-Total``, sitemap entries, the
REST comments total, per-post comment counts of the feed or WordPress.com), for the
completeness check written at the end of the crawl (``scraper.discovery.checks``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from scraper.crawl.arguments import yes_no
from scraper.crawl.discovery.incremental import ArchiveState, IncrementalSync, comments_total_action
from scraper.crawl.discovery.sitemaps import (
    parse_sitemap,
    robots_sitemaps,
    sitemaps_known_to_robots_mw,
)
from scraper.extract import api
from scraper.extract.feeds import feed_page_url, main_feed_url, parse_feed
from scraper.extract.links import post_links
from scraper.extract.parse import parse_page
from scraper.extract.sitemaps import default_sitemap_urls, post_entries, post_sitemaps
from scraper.model.items import ArchivedPage, FetchFailure
from scraper.model.records import BlogInfo
from scraper.model.urls import canonicalize

if TYPE_CHECKING:
    from scraper.crawl.spiders.wordpress import WordPressSpider

logger = logging.getLogger(__name__)

ROUTES: tuple[str, ...] = ("api", "wpcom", "sitemap", "feed", "html")
ROUTE_NAMES = {"api": "REST API", "wpcom": "WordPress.com API", "sitemap": "sitemap",
               "feed": "feed", "html": "HTML archive pages"}
DEFAULT_WPCOM_API_BASE = "https://public-api.wordpress.com/rest/v1.1"
REQUEST_KINDS = ("start", "robots", "api", "sitemap", "feed", "listing", "post", "comment_page")


def parse_route_arg(value: str | None) -> str | None:
    """``-a route=`` → a route name, or None for the automatic order."""
    if value is None or value.strip().lower() in ("", "auto"):
        return None
    route = value.strip().lower()
    if route not in ROUTES:
        raise ValueError(f"route={value!r}: choose one of auto, {', '.join(ROUTES)}")
    return route


def parse_pages_arg(value: str | None) -> bool:
    """``-a pages=no`` → False (API-only archive); default True."""
    return yes_no("pages", value, default=True)


def route_order(forced: str | None, home_url: str, is_wordpress_com: bool) -> list[str]:
    """Routes to try for a blog, in order."""
    if forced:
        return [forced]
    wpcom = is_wordpress_com or api.is_wordpress_com_host(home_url)
    return [r for r in ROUTES if r != "wpcom" or wpcom]


@dataclass
class _ApiOnly:
    """What ``pages=no`` collects before it can build the records."""

    posts: list[api.ApiPost] = field(default_factory=list)
    comments: list[api.ApiComment] = field(default_factory=list)
    users: dict[int, api.ApiUser] = field(default_factory=dict)
    terms: dict[int, api.ApiTerm] = field(default_factory=dict)
    outstanding: int = 0
    emitted: bool = False


class BlogDiscovery:
    """Discovery state of one blog; the spider routes discovery responses here."""

    def __init__(
        self,
        spider: WordPressSpider,
        blog_home: str,
        home_response: Response,
        blog: BlogInfo,
        forced: str | None,
        fetch_pages: bool,
        wpcom_api_base: str = DEFAULT_WPCOM_API_BASE,
        state: ArchiveState | None = None,
    ) -> None:
        self.spider = spider
        # Incremental re-crawl (REST route only): what the archive holds for this blog.
        self.sync = IncrementalSync(self, state) if state is not None and fetch_pages else None
        self.listed_modified: dict[str, str | None] = {}  # post URL → REST modified_gmt
        self.blog_home = blog_home
        self.home_response = home_response
        self.blog = blog
        self.forced = forced
        self.fetch_pages = fetch_pages
        self.wpcom_api_base = wpcom_api_base
        self.order = route_order(forced, blog_home, blog.is_wordpress_com)
        self.route: str | None = None
        self.route_reason: str | None = None
        self.current: str | None = None
        self.failures: list[str] = []
        # what the route listed and what independent sources say
        self.listed: list[str] = []
        self._listed_set: set[str] = set()
        self.archived: set[str] = set()
        self.expected_posts: dict[str, int] = {}
        self.comments_api_total: int | None = None
        self.expected_comments: dict[str, tuple[int, str]] = {}
        # route state
        self._api_roots: list[str] = []
        self._api_attempts: list[str] = []
        self._api_root: str | None = None
        self._api_only = _ApiOnly()
        self._sitemap_candidates: list[str] = []
        self._sitemap_attempts: list[str] = []
        self._sitemap_outstanding = 0
        self._sitemap_entries = 0
        self._sitemap_source: str | None = None
        self._feed_url: str | None = None

    # --- driving ------------------------------------------------------------

    def begin(self) -> Iterator[Any]:
        yield from self._next_route()

    def on_response(self, response: Response) -> Iterator[Any]:
        step = response.meta["discovery_step"]
        yield from getattr(self, f"_{step}")(response)

    def on_failure(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        response = getattr(failure.value, "response", None)
        status = getattr(response, "status", None)
        reason = f"HTTP {status}" if status else (failure.getErrorMessage()
                                                 or type(failure.value).__name__)
        step = request.meta["discovery_step"]
        yield from getattr(self, f"_{step}_failed")(request, reason, response)

    def note_listed(self, url: str) -> None:
        url = canonicalize(url)
        if url not in self._listed_set:
            self._listed_set.add(url)
            self.listed.append(url)

    def note_archived(self, url: str) -> None:
        self.archived.add(canonicalize(url))

    def _next_route(self) -> Iterator[Any]:
        if not self.order:
            tried = "; ".join(self.failures) or "no route"
            self.route_reason = f"no route could list the posts ({tried})"
            self._publish()
            logger.error("%s: %s", self.blog_home, self.route_reason)
            yield FetchFailure(self.blog_home, f"discovery failed: {tried}")
            return
        self.current = self.order.pop(0)
        logger.info("%s: trying the %s", self.blog_home, ROUTE_NAMES[self.current])
        yield from getattr(self, f"_start_{self.current}")()

    def _route_failed(self, reason: str) -> Iterator[Any]:
        assert self.current is not None
        self.failures.append(f"{self.current}: {reason}")
        self._count("archive/discovery/fallbacks")
        logger.info("%s: %s unavailable (%s)", self.blog_home, ROUTE_NAMES[self.current], reason)
        yield from self._next_route()

    def _choose(self, route: str, why: str) -> None:
        if self.route is not None:
            return
        self.route = route
        how = f"forced by -a route={route}" if self.forced else "auto"
        tried = f"; tried before: {'; '.join(self.failures)}" if self.failures else ""
        self.route_reason = f"{how}: {why}{tried}"
        if self.sync is not None and route != "api":
            self.sync = None  # only the REST API says what changed: this crawl is full
        if self.sync is None:
            self.spider.note_full_sync(self.blog_home)
        else:
            self.route_reason += " (incremental: only what changed)"
        logger.info("%s: route %s (%s)", self.blog_home, route, self.route_reason)
        self._publish()

    def _publish(self) -> None:
        self.spider.publish_routes()

    def _request(self, url: str, step: str, kind: str, **meta: Any) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.spider.parse_discovery,
            errback=self.spider.on_discovery_error,
            meta={"blog_home": self.blog_home, "discovery_step": step, "archive_kind": kind,
                  **meta},
            dont_filter=True,
        )

    def _posts(self, urls: Any) -> Iterator[scrapy.Request]:
        for url in urls:
            yield from self.spider.request_post(url, self.blog_home)

    def _count(self, key: str, value: int = 1) -> None:
        self.spider.crawler.stats.inc_value(key, value)

    # --- api: WordPress REST API ----------------------------------------------

    def _start_api(self) -> Iterator[Any]:
        advertised = api.rest_root_from_link_header(self.home_response.headers.get(b"Link"))
        self._api_roots = list(api.rest_root_candidates(self.blog_home, advertised))
        yield from self._try_api_root()

    def _try_api_root(self) -> Iterator[Any]:
        if not self._api_roots:
            yield from self._route_failed("; ".join(self._api_attempts) or "no REST root")
            return
        root = self._api_roots.pop(0)
        yield self._request(self._api_posts_url(root, 1), "api_posts", "api", api_root=root,
                            api_page=1)

    def _api_posts_url(self, root: str, page: int) -> str:
        fields = api.LISTING_POST_FIELDS if self.fetch_pages else api.FULL_POST_FIELDS
        return api.rest_url(root, "wp/v2/posts", {"per_page": 100, "page": page,
                                                  "_fields": ",".join(fields)})

    def _api_posts(self, response: Response) -> Iterator[Any]:
        page = response.meta["api_page"]
        problem = api.rest_unavailable(response.status, response.body, _content_type(response))
        if problem:
            yield from self._api_posts_failed(response.request, problem, response)
            return
        listing = api.listing(api.parse_posts(api.load_json(response.body)),
                              response.headers.get(b"X-WP-Total"),
                              response.headers.get(b"X-WP-TotalPages"))
        if page == 1:
            root = response.meta["api_root"]
            self._api_root = root
            total = listing.total if listing.total is not None else len(listing.items)
            self.expected_posts["api"] = total
            self._choose("api", f"REST API at {root} lists {total} posts (X-WP-Total)")
            pages = listing.total_pages or 1
            for n in range(2, pages + 1):
                self._api_only.outstanding += 1
                yield self._request(self._api_posts_url(root, n), "api_posts", "api",
                                    api_root=root, api_page=n)
            if self.sync is not None:
                yield self._request(self.sync.comments_url(root, 1), "inc_comments", "api",
                                    api_root=root, api_page=1)
            elif self.fetch_pages:
                yield self._request(
                    api.rest_url(root, "wp/v2/comments", {"per_page": 1, "_fields": "id"}),
                    "api_comment_total", "api")
            else:
                yield from self._api_only_collections(root)
        else:
            self._api_only.outstanding -= 1
        if self.sync is not None:
            yield from self.sync.on_listed(listing.items)
            if self._api_only.outstanding == 0:
                yield from self.sync.on_listing_done(True)
        elif self.fetch_pages:
            for post in listing.items:
                self.note_listed(post.link)
                self.listed_modified[canonicalize(post.link)] = post.modified
            yield from self._posts(post.link for post in listing.items)
        else:
            self._api_only.posts.extend(listing.items)
            for post in listing.items:
                self.note_listed(post.link)
            yield from self._api_only_maybe_emit()

    def _api_posts_failed(self, request: scrapy.Request, reason: str, response: Any
                          ) -> Iterator[Any]:
        if request.meta["api_page"] == 1 and self.route is None:
            self._api_attempts.append(f"{request.url}: {reason}")
            yield from self._try_api_root()
            return
        self._api_only.outstanding -= 1
        yield FetchFailure(request.url, f"REST API page failed: {reason}",
                           getattr(response, "status", None))
        if self.sync is not None:
            self.sync.listing_ok = False
            if self._api_only.outstanding == 0:
                yield from self.sync.on_listing_done(False)
        if not self.fetch_pages:
            yield from self._api_only_maybe_emit()

    def _api_comment_total(self, response: Response) -> Iterator[Any]:
        if not api.rest_unavailable(response.status, response.body, _content_type(response)):
            self.comments_api_total = api.header_int(response.headers.get(b"X-WP-Total"))
            yield comments_total_action(self.blog_home, self.comments_api_total)

    def _api_comment_total_failed(self, request: Any, reason: str, response: Any
                                  ) -> Iterator[Any]:
        logger.info("%s: REST comments total unavailable (%s)", self.blog_home, reason)
        return iter(())

    def _inc_comments(self, response: Response) -> Iterator[Any]:
        assert self.sync is not None
        yield from self.sync.on_comments(response)

    def _inc_comments_failed(self, request: Any, reason: str, response: Any) -> Iterator[Any]:
        assert self.sync is not None
        yield from self.sync.on_comments_failed(request, reason, response)

    # --- api with pages=no: the records come from the API alone --------------

    _COLLECTIONS: ClassVar[dict[str, tuple[str, tuple[str, ...]]]] = {
        "comments": ("wp/v2/comments", api.COMMENT_FIELDS),
        "users": ("wp/v2/users", api.USER_FIELDS),
        "categories": ("wp/v2/categories", api.TERM_FIELDS),
        "tags": ("wp/v2/tags", api.TERM_FIELDS),
    }

    def _collection_url(self, root: str, name: str, page: int) -> str:
        route, fields = self._COLLECTIONS[name]
        return api.rest_url(root, route, {"per_page": 100, "page": page,
                                          "_fields": ",".join(fields)})

    def _api_only_collections(self, root: str) -> Iterator[Any]:
        for name in self._COLLECTIONS:
            self._api_only.outstanding += 1
            yield self._request(self._collection_url(root, name, 1), "api_collection", "api",
                                collection=name, api_page=1, api_root=root)

    def _api_collection(self, response: Response) -> Iterator[Any]:
        name, page = response.meta["collection"], response.meta["api_page"]
        state = self._api_only
        state.outstanding -= 1
        if not api.rest_unavailable(response.status, response.body, _content_type(response)):
            data = api.load_json(response.body)
            if name == "comments":
                state.comments.extend(api.parse_comments(data))
                if page == 1:
                    self.comments_api_total = api.header_int(response.headers.get(b"X-WP-Total"))
            elif name == "users":
                state.users.update((u.wp_id, u) for u in api.parse_users(data))
            else:
                taxonomy = "category" if name == "categories" else "tag"
                state.terms.update((t.wp_id, t) for t in api.parse_terms(data, taxonomy))
            pages = api.header_int(response.headers.get(b"X-WP-TotalPages")) or 1
            if page == 1:
                for n in range(2, pages + 1):
                    state.outstanding += 1
                    yield self._request(
                        self._collection_url(response.meta["api_root"], name, n),
                        "api_collection", "api", collection=name, api_page=n,
                        api_root=response.meta["api_root"])
        yield from self._api_only_maybe_emit()

    def _api_collection_failed(self, request: Any, reason: str, response: Any) -> Iterator[Any]:
        self._api_only.outstanding -= 1
        logger.warning("%s: REST %s unavailable (%s); the API-only archive lacks them",
                       self.blog_home, request.meta["collection"], reason)
        yield from self._api_only_maybe_emit()

    def _api_only_maybe_emit(self) -> Iterator[Any]:
        state = self._api_only
        if state.outstanding > 0 or state.emitted:
            return
        state.emitted = True
        by_post: dict[int, list[api.ApiComment]] = {}
        for comment in state.comments:
            by_post.setdefault(comment.post_id, []).append(comment)
        fetched_at = _now()
        for post in state.posts:
            extraction = api.page_extraction_from_api(
                post, self.blog, state.users, state.terms, by_post.get(post.wp_id, [])
            )
            self.note_archived(post.link)
            yield ArchivedPage(
                blog_url=self.blog_home,
                post_url=post.link,
                fetched_url=post.link,
                http_status=200,
                fetched_at=fetched_at,
                comment_page=None,
                extraction=extraction,
            )

    # --- wpcom: WordPress.com public API ------------------------------------------

    def _start_wpcom(self) -> Iterator[Any]:
        url = api.wpcom_posts_url(self.wpcom_api_base, api.wpcom_site(self.blog_home))
        yield self._request(url, "wpcom_posts", "api", wpcom_page=1)

    def _wpcom_posts(self, response: Response) -> Iterator[Any]:
        data = api.load_json(response.body)
        listing = api.parse_wpcom_posts(data)
        first = response.meta["wpcom_page"] == 1
        if not isinstance(data, dict) or "posts" not in data:
            yield from self._wpcom_posts_failed(response.request, "not a posts listing",
                                                response)
            return
        if first:
            found = listing.found if listing.found is not None else len(listing.items)
            self.expected_posts["wpcom"] = found
            self._choose("wpcom", f"WordPress.com API lists {found} posts (found)")
        for post in listing.items:
            self.note_listed(post.link)
            if post.comment_count is not None:
                self.expected_comments[canonicalize(post.link)] = (post.comment_count, "wpcom")
        yield from self._posts(post.link for post in listing.items)
        if listing.next_page_handle and listing.items:
            yield self._request(
                api.wpcom_posts_url(self.wpcom_api_base, api.wpcom_site(self.blog_home),
                                    listing.next_page_handle),
                "wpcom_posts", "api", wpcom_page=response.meta["wpcom_page"] + 1)

    def _wpcom_posts_failed(self, request: Any, reason: str, response: Any) -> Iterator[Any]:
        if request.meta["wpcom_page"] == 1 and self.route is None:
            yield from self._route_failed(f"{request.url}: {reason}")
            return
        yield FetchFailure(request.url, f"WordPress.com API page failed: {reason}",
                           getattr(response, "status", None))

    # --- sitemap ---------------------------------------------------------------

    def _start_sitemap(self) -> Iterator[Any]:
        known = sitemaps_known_to_robots_mw(self.spider.crawler, self.blog_home)
        if known is not None:  # robots.txt was fetched already (ROBOTSTXT_OBEY)
            self._sitemap_candidates = list(
                dict.fromkeys([*known, *default_sitemap_urls(self.blog_home)]))
            yield from self._try_sitemap()
            return
        yield self._request(self.blog_home.rstrip("/") + "/robots.txt", "robots", "sitemap")

    def _robots(self, response: Response) -> Iterator[Any]:
        listed = robots_sitemaps(response.body, response.url) if response.status == 200 else ()
        candidates = [*listed, *default_sitemap_urls(self.blog_home)]
        self._sitemap_candidates = list(dict.fromkeys(candidates))
        yield from self._try_sitemap()

    def _robots_failed(self, request: Any, reason: str, response: Any) -> Iterator[Any]:
        self._sitemap_candidates = list(default_sitemap_urls(self.blog_home))
        yield from self._try_sitemap()

    def _try_sitemap(self) -> Iterator[Any]:
        if not self._sitemap_candidates:
            yield from self._route_failed("; ".join(self._sitemap_attempts) or "no sitemap")
            return
        url = self._sitemap_candidates.pop(0)
        yield self._request(url, "sitemap_root", "sitemap")

    def _sitemap_root(self, response: Response) -> Iterator[Any]:
        parsed = parse_sitemap(response.body)
        if parsed.kind == "sitemapindex":
            children = post_sitemaps(parsed.locs)
            if not children:
                self._sitemap_attempts.append(f"{response.url}: index lists no post sitemap")
                yield from self._try_sitemap()
                return
            self._sitemap_source = response.url
            self._sitemap_outstanding = len(children)
            for child in children:
                yield self._request(child, "sitemap_child", "sitemap")
        elif parsed.kind == "urlset":
            self._sitemap_source = response.url
            self._sitemap_outstanding = 1
            yield from self._sitemap_child(response)
        else:
            self._sitemap_attempts.append(f"{response.url}: not a sitemap")
            yield from self._try_sitemap()

    def _sitemap_root_failed(self, request: Any, reason: str, response: Any) -> Iterator[Any]:
        self._sitemap_attempts.append(f"{request.url}: {reason}")
        yield from self._try_sitemap()

    def _sitemap_child(self, response: Response) -> Iterator[Any]:
        parsed = parse_sitemap(response.body)
        if parsed.kind == "sitemapindex":  # nested index: follow its post sitemaps too
            children = post_sitemaps(parsed.locs)
            self._sitemap_outstanding += len(children)
            for child in children:
                yield self._request(child, "sitemap_child", "sitemap")
        entries = post_entries(parsed.locs, self.blog_home) if parsed.kind == "urlset" else ()
        if entries:
            self._sitemap_entries += len(entries)
            self.expected_posts["sitemap"] = self._sitemap_entries
            self._choose("sitemap", f"sitemap {self._sitemap_source} lists the posts")
            for url in entries:
                self.note_listed(url)
            yield from self._posts(entries)
        yield from self._sitemap_child_done()

    def _sitemap_child_failed(self, request: Any, reason: str, response: Any) -> Iterator[Any]:
        if self.route == "sitemap":
            yield FetchFailure(request.url, f"post sitemap failed: {reason}",
                               getattr(response, "status", None))
        self._sitemap_attempts.append(f"{request.url}: {reason}")
        yield from self._sitemap_child_done()

    def _sitemap_child_done(self) -> Iterator[Any]:
        self._sitemap_outstanding -= 1
        if self._sitemap_outstanding == 0 and self.route is None:
            self._sitemap_attempts.append(f"{self._sitemap_source}: no post entries")
            yield from self._try_sitemap()
        elif self._sitemap_outstanding == 0 and self.route == "sitemap":
            self.route_reason = (self.route_reason or "").replace(
                "lists the posts", f"lists {self._sitemap_entries} posts", 1)
            self._publish()

    # --- feed --------------------------------------------------------------------

    def _start_feed(self) -> Iterator[Any]:
        if not self.forced and self._home_lists_posts():
            # Feed pages and archive pages hold the same number of posts (10 by default) and
            # the first archive page is in hand: the feed would only cost more requests.
            self.order = [r for r in self.order if r != "html"]
            self.failures.append("feed: skipped, the home page lists posts (archive pages "
                                 "cost no more requests than feed pages)")
            yield from self._start_html()
            return
        self._feed_url = main_feed_url(self.home_response.body, self.blog_home)
        yield self._request(self._feed_url, "feed", "feed", feed_page=1)

    def _feed(self, response: Response) -> Iterator[Any]:
        page = response.meta["feed_page"]
        feed = parse_feed(response.body)
        new = [item for item in feed.items if canonicalize(item.link) not in self._listed_set]
        if page == 1 and not new:
            why = "no items" if feed.is_feed else "not an RSS/Atom feed"
            yield from self._route_failed(f"{response.url}: {why}")
            return
        if page == 1:
            self._choose("feed", f"feed {self._feed_url} lists the posts (paged)")
        for item in new:
            self.note_listed(item.link)
            if item.comment_count is not None:
                self.expected_comments[canonicalize(item.link)] = (item.comment_count, "feed")
        yield from self._posts(item.link for item in new)
        if new:  # a feed that ignores ?paged repeats page 1: stop there
            assert self._feed_url is not None
            yield self._request(feed_page_url(self._feed_url, page + 1), "feed", "feed",
                                feed_page=page + 1)

    def _feed_failed(self, request: Any, reason: str, response: Any) -> Iterator[Any]:
        if request.meta["feed_page"] == 1:
            yield from self._route_failed(f"{request.url}: {reason}")
        # past the last page WordPress answers 404: the end of the feed, not an error

    def _home_lists_posts(self) -> bool:
        soup = parse_page(self.home_response.body, _content_type(self.home_response))
        return bool(post_links(soup, self.home_response.url))

    # --- html ----------------------------------------------------------------------

    def _start_html(self) -> Iterator[Any]:
        self._choose("html", "archive pagination from the home page")
        yield from self.spider.follow_listing(self.home_response, self.blog_home)

    # --- report ----------------------------------------------------------------------

    def report(self) -> dict[str, Any]:
        """JSON-able summary for the completeness check (``archive/discovery`` stat)."""
        return {
            "blog_url": self.blog_home,
            "route": self.route,
            "route_reason": self.route_reason,
            "fetch_pages": self.fetch_pages,
            "posts_listed": len(self.listed),
            "posts_expected": dict(self.expected_posts),
            "posts_not_archived": [u for u in self.listed if u not in self.archived],
            "comments_api_total": self.comments_api_total,
            "comments_expected": {url: list(v) for url, v in self.expected_comments.items()},
        }


class Reports(list):  # type: ignore[type-arg]
    """The ``archive/discovery`` stat: blog reports, shown briefly in Scrapy's stats dump."""

    def __repr__(self) -> str:
        return f"<{len(self)} blog report(s): see the blog_checks table>"


def _content_type(response: Response) -> str | None:
    value = response.headers.get(b"Content-Type")
    return value.decode("latin-1") if value else None


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
