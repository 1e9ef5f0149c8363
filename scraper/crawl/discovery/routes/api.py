"""The ``api`` route: the WordPress REST API, ``/wp/v2/posts?per_page=100&page=N``.

100 posts a request, paged by ``X-WP-TotalPages``, at the root the home page advertises
(``Link: rel="https://api.w.org/"``), else ``/wp-json/``, else ``/?rest_route=/``. With a
re-crawl the listing goes to ``IncrementalSync``; with ``-a pages=no`` the records are
built from the API alone (posts, comments, users, categories, tags) and no page is fetched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import ClassVar

from scrapy.http import Response

from scraper.crawl.discovery.incremental import IncrementalSync
from scraper.crawl.discovery.outputs import Counted, Failed, Fetch, Output, RouteUnavailable
from scraper.crawl.discovery.paging import END_STATUSES, Pager
from scraper.crawl.discovery.route import RouteContext
from scraper.crawl.headers import header
from scraper.extract import api
from scraper.model.items import ArchivedPage, CommentsTotal, FetchFailure
from scraper.model.keys import utc_now
from scraper.model.urls import canonicalize

logger = logging.getLogger(__name__)

# pages=no: the REST collections the records need besides the posts.
COLLECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "comments": ("wp/v2/comments", api.COMMENT_FIELDS),
    "users": ("wp/v2/users", api.USER_FIELDS),
    "categories": ("wp/v2/categories", api.TERM_FIELDS),
    "tags": ("wp/v2/tags", api.TERM_FIELDS),
}


@dataclass
class _ApiOnly:
    """What ``pages=no`` collects before it can build the records."""

    posts: list[api.ApiPost] = field(default_factory=list)
    comments: list[api.ApiComment] = field(default_factory=list)
    users: dict[int, api.ApiUser] = field(default_factory=dict)
    terms: dict[int, api.ApiTerm] = field(default_factory=dict)
    outstanding: int = 0  # listing and collection pages still to come
    emitted: bool = False


class ApiRoute:
    name: ClassVar[str] = "api"
    title: ClassVar[str] = "REST API"

    def __init__(self, context: RouteContext) -> None:
        self.context = context
        self.listing = context.listing
        state = self.listing.state
        self.sync = IncrementalSync(self.listing, state) if state is not None else None
        self._roots: list[str] = []
        self._attempts: list[str] = []
        self._only = _ApiOnly()
        self._root = ""
        self._pager = Pager(1)  # replaced when the first posts page answers
        self._listing_ended = False
        self._collection_pagers: dict[str, Pager] = {}

    def start(self) -> Iterator[Output]:
        home = self.context.home_response
        advertised = api.rest_root_from_link_header(home.headers.get(b"Link"))
        self._roots = list(api.rest_root_candidates(self.context.blog_home, advertised))
        yield from self._try_root()

    def _try_root(self) -> Iterator[Output]:
        if not self._roots:
            yield RouteUnavailable("; ".join(self._attempts) or "no REST root")
            return
        yield self._posts_fetch(self._roots.pop(0), 1)

    # --- the posts listing ----------------------------------------------------------

    def _posts_fetch(self, root: str, page: int) -> Fetch:
        fields = api.LISTING_POST_FIELDS if self.context.fetch_pages else api.FULL_POST_FIELDS
        url = api.rest_url(root, "wp/v2/posts", {"per_page": 100, "page": page,
                                                 "_fields": ",".join(fields)})
        return Fetch(url, "api", partial(self._posts, root, page),
                     partial(self._posts_failed, page))

    def _posts(self, root: str, page: int, response: Response) -> Iterator[Output]:
        problem = api.rest_unavailable(response.status, response.body,
                                       header(response, b"Content-Type"))
        if problem:
            yield from self._posts_failed(page, Failed(response.url, problem, response.status))
            return
        listing = api.listing(api.parse_posts(api.load_json(response.body)),
                              response.headers.get(b"X-WP-Total"),
                              response.headers.get(b"X-WP-TotalPages"))
        listed_new = any(not self.listing.is_listed(post.link) for post in listing.items)
        if page == 1:
            yield from self._first_page(root, listing)
        else:
            self._only.outstanding -= 1
        if self.sync is not None:
            yield from self.sync.on_listed(listing.items)
        elif self.context.fetch_pages:
            for post in listing.items:
                self.listing.note_listed(post.link)
                self.listing.listed_modified[canonicalize(post.link)] = post.modified
            for post in listing.items:
                yield self.listing.listed_post(post.link)
        else:
            self._only.posts.extend(listing.items)
            for post in listing.items:
                self.listing.note_listed(post.link)
        if page > 1:
            yield from self._next_pages(root, self._pager.on_page(listed_new))
        yield from self._posts_page_done()

    def _first_page(self, root: str, listing: api.ApiListing) -> Iterator[Output]:
        total = listing.total if listing.total is not None else len(listing.items)
        self.listing.expected_posts["api"] = total
        self.listing.choose("api", f"REST API at {root} lists {total} posts (X-WP-Total)")
        # X-WP-TotalPages is a hint: pages are asked a few at a time (paging.Pager).
        self._pager = Pager(listing.total_pages or 1, budget=self.context.max_listing_pages)
        self._root = root
        yield from self._next_pages(root, self._pager.first_pages())
        if self.sync is not None:
            yield self.sync.first_comments_fetch(root)
        elif self.context.fetch_pages:
            url = api.rest_url(root, "wp/v2/comments", {"per_page": 1, "_fields": "id"})
            yield Fetch(url, "api", self._comment_total, self._comment_total_failed)
        else:
            yield from self._only_collections(root)

    def _next_pages(self, root: str, pages: list[int]) -> Iterator[Fetch]:
        for n in pages:
            self._only.outstanding += 1
            yield self._posts_fetch(root, n)

    def _posts_failed(self, page: int, failed: Failed) -> Iterator[Output]:
        if page == 1 and self.listing.route is None:
            self._attempts.append(f"{failed.url}: {failed.reason}")
            yield from self._try_root()
            return
        self._only.outstanding -= 1
        if failed.http_status not in END_STATUSES:
            yield FetchFailure(failed.url, f"REST API page failed: {failed.reason}",
                               failed.http_status)
            if self.sync is not None:
                self.sync.listing_failed()
        if page > 1:
            yield from self._next_pages(self._root, self._pager.on_failed(failed.http_status))
        yield from self._posts_page_done()

    def _posts_page_done(self) -> Iterator[Output]:
        """After each answered posts page: once the listing has ended, say how."""
        if not self._pager.done or self._listing_ended:
            return
        self._listing_ended = True
        pager = self._pager
        if pager.stopped is not None:
            logger.warning("%s: REST listing ended at page %d of the %d the server stated "
                           "(%s)", self.context.blog_home, pager.next_page - 1, pager.stated,
                           pager.stopped)
            yield Counted("archive/discovery/listing_stopped_early")
        if pager.cut_by_budget and pager.stopped is None:
            reason = (f"not followed: listing page budget reached ({pager.budget} pages; "
                      "raise ARCHIVE_MAX_PAGES or -a max_pages=N)")
            logger.warning("%s: REST listing page %d %s", self.context.blog_home,
                           pager.budget + 1, reason)
            yield FetchFailure(self._posts_fetch(self._root, pager.budget + 1).url, reason,
                               None, 0)
        if self.sync is not None:
            if pager.short:
                self.sync.listing_failed()  # posts missing from it are not known to be gone
            yield from self.sync.on_listing_done(True)
        elif not self.context.fetch_pages:
            yield from self._only_maybe_emit()

    # --- the REST comments total (completeness check) ------------------------------------

    def _comment_total(self, response: Response) -> Iterator[Output]:
        if not api.rest_unavailable(response.status, response.body,
                                    header(response, b"Content-Type")):
            total = api.header_int(response.headers.get(b"X-WP-Total"))
            self.listing.comments_api_total = total
            yield CommentsTotal(self.context.blog_home, total)

    def _comment_total_failed(self, failed: Failed) -> Iterator[Output]:
        logger.info("%s: REST comments total unavailable (%s)", self.context.blog_home,
                    failed.reason)
        return iter(())

    # --- pages=no: the records come from the API alone ------------------------------------

    def _collection_fetch(self, root: str, name: str, page: int) -> Fetch:
        route, fields = COLLECTIONS[name]
        url = api.rest_url(root, route, {"per_page": 100, "page": page,
                                         "_fields": ",".join(fields)})
        return Fetch(url, "api", partial(self._collection, root, name, page),
                     partial(self._collection_failed, root, name, page))

    def _only_collections(self, root: str) -> Iterator[Output]:
        for name in COLLECTIONS:
            self._only.outstanding += 1
            yield self._collection_fetch(root, name, 1)

    def _collection(self, root: str, name: str, page: int, response: Response
                    ) -> Iterator[Output]:
        state = self._only
        state.outstanding -= 1
        problem = api.rest_unavailable(response.status, response.body,
                                       header(response, b"Content-Type"))
        if problem:
            yield from self._collection_failed(
                root, name, page, Failed(response.url, problem, response.status),
                counted=True)
            return
        data = api.load_json(response.body)
        before = (len(state.comments), len(state.users), len(state.terms))
        if name == "comments":
            known = {c.wp_id for c in state.comments}
            state.comments.extend(c for c in api.parse_comments(data) if c.wp_id not in known)
            if page == 1:
                self.listing.comments_api_total = api.header_int(
                    response.headers.get(b"X-WP-Total"))
        elif name == "users":
            state.users.update((u.wp_id, u) for u in api.parse_users(data))
        else:
            taxonomy = "category" if name == "categories" else "tag"
            state.terms.update((t.wp_id, t) for t in api.parse_terms(data, taxonomy))
        if page == 1:
            # X-WP-TotalPages is a hint: pages are asked a few at a time (paging.Pager).
            pager = self._collection_pagers[name] = Pager(
                api.header_int(response.headers.get(b"X-WP-TotalPages")) or 1,
                budget=self.context.max_listing_pages)
            pages = pager.first_pages()
        else:
            listed_new = (len(state.comments), len(state.users), len(state.terms)) != before
            pages = self._collection_pagers[name].on_page(listed_new)
        yield from self._collection_pages(root, name, pages)
        yield from self._only_maybe_emit()

    def _collection_pages(self, root: str, name: str, pages: list[int]) -> Iterator[Fetch]:
        for n in pages:
            self._only.outstanding += 1
            yield self._collection_fetch(root, name, n)

    def _collection_failed(self, root: str, name: str, page: int, failed: Failed,
                           counted: bool = False) -> Iterator[Output]:
        if not counted:
            self._only.outstanding -= 1
        logger.warning("%s: REST %s page %d unavailable (%s); the API-only archive lacks "
                       "what it lists", self.context.blog_home, name, page, failed.reason)
        pager = self._collection_pagers.get(name)
        if page > 1 and pager is not None:
            yield from self._collection_pages(root, name, pager.on_failed(failed.http_status))
        yield from self._only_maybe_emit()

    def _only_maybe_emit(self) -> Iterator[Output]:
        state = self._only
        if state.outstanding > 0 or state.emitted:
            return
        state.emitted = True
        by_post: dict[int, list[api.ApiComment]] = {}
        for comment in state.comments:
            by_post.setdefault(comment.post_id, []).append(comment)
        fetched_at = utc_now()
        blog_home = self.context.blog_home
        for post in state.posts:
            extraction = api.page_extraction_from_api(
                post, self.context.blog, state.users, state.terms, by_post.get(post.wp_id, [])
            )
            self.listing.note_archived(post.link)
            yield ArchivedPage(
                blog_url=blog_home,
                post_url=post.link,
                fetched_url=post.link,
                http_status=200,
                fetched_at=fetched_at,
                comment_page=None,
                extraction=extraction,
            )
