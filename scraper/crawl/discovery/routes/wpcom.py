"""The ``wpcom`` route: for ``*.wordpress.com`` blogs, the WordPress.com public API v1.1
(``WPCOM_API_BASE`` setting; paged by ``page_handle``)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import ClassVar

from scrapy.http import Response

from scraper.crawl.discovery.outputs import Failed, Fetch, Output, RouteUnavailable
from scraper.crawl.discovery.route import RouteContext
from scraper.extract import api
from scraper.model.items import FetchFailure
from scraper.model.urls import canonicalize

DEFAULT_WPCOM_API_BASE = "https://public-api.wordpress.com/rest/v1.1"


class WpcomRoute:
    name: ClassVar[str] = "wpcom"
    title: ClassVar[str] = "WordPress.com API"

    def __init__(self, context: RouteContext) -> None:
        self.context = context
        self.listing = context.listing
        self.site = api.wpcom_site(context.blog_home)

    def start(self) -> Iterator[Output]:
        yield self._posts_fetch(1)

    def _posts_fetch(self, page: int, handle: str | None = None) -> Fetch:
        url = api.wpcom_posts_url(self.context.wpcom_api_base, self.site, handle)
        return Fetch(url, "api", partial(self._posts, page), partial(self._posts_failed, page))

    def _posts(self, page: int, response: Response) -> Iterator[Output]:
        data = api.load_json(response.body)
        listing = api.parse_wpcom_posts(data)
        if not isinstance(data, dict) or "posts" not in data:
            yield from self._posts_failed(page, Failed(response.url, "not a posts listing",
                                                       response.status))
            return
        if page == 1:
            found = listing.found if listing.found is not None else len(listing.items)
            self.listing.expected_posts["wpcom"] = found
            self.listing.choose("wpcom", f"WordPress.com API lists {found} posts (found)")
        for post in listing.items:
            self.listing.note_listed(post.link)
            if post.comment_count is not None:
                self.listing.expected_comments[canonicalize(post.link)] = (
                    post.comment_count, "wpcom")
        for post in listing.items:
            yield self.listing.listed_post(post.link)
        if listing.next_page_handle and listing.items:
            yield self._posts_fetch(page + 1, listing.next_page_handle)

    def _posts_failed(self, page: int, failed: Failed) -> Iterator[Output]:
        if page == 1 and self.listing.route is None:
            yield RouteUnavailable(f"{failed.url}: {failed.reason}")
            return
        yield FetchFailure(failed.url, f"WordPress.com API page failed: {failed.reason}",
                           failed.http_status)
