"""The ``feed`` route: the RSS/Atom feed, ``/feed/?paged=N``.

In the automatic order only when the home page lists no posts: feed pages and archive pages
hold the same number of posts (10 by default) and the first archive page is already
fetched, so when the listing works the feed would only cost more requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import ClassVar

from scrapy.http import Response

from scraper.crawl.discovery.outputs import (
    Failed,
    Fetch,
    Output,
    RouteReplaced,
    RouteUnavailable,
)
from scraper.crawl.discovery.route import RouteContext
from scraper.crawl.headers import page_content_type
from scraper.extract.feeds import feed_page_url, main_feed_url, parse_feed
from scraper.extract.links import post_links
from scraper.extract.parse import parse_page
from scraper.model.urls import canonicalize


class FeedRoute:
    name: ClassVar[str] = "feed"
    title: ClassVar[str] = "feed"

    def __init__(self, context: RouteContext) -> None:
        self.context = context
        self.listing = context.listing
        self._feed_url = ""

    def start(self) -> Iterator[Output]:
        if not self.context.forced and self._home_lists_posts():
            yield RouteReplaced("html", "skipped, the home page lists posts (archive pages "
                                "cost no more requests than feed pages)")
            return
        self._feed_url = main_feed_url(self.context.home_response.body, self.context.blog_home)
        yield self._page_fetch(1)

    def _page_fetch(self, page: int) -> Fetch:
        url = self._feed_url if page == 1 else feed_page_url(self._feed_url, page)
        return Fetch(url, "feed", partial(self._page, page), partial(self._page_failed, page))

    def _page(self, page: int, response: Response) -> Iterator[Output]:
        feed = parse_feed(response.body)
        new = [item for item in feed.items if not self.listing.is_listed(item.link)]
        if page == 1 and not new:
            why = "no items" if feed.is_feed else "not an RSS/Atom feed"
            yield RouteUnavailable(f"{response.url}: {why}")
            return
        if page == 1:
            self.listing.choose("feed", f"feed {self._feed_url} lists the posts (paged)")
        for item in new:
            self.listing.note_listed(item.link)
            if item.comment_count is not None:
                self.listing.expected_comments[canonicalize(item.link)] = (
                    item.comment_count, "feed")
        for item in new:
            yield self.listing.listed_post(item.link)
        if new:  # a feed that ignores ?paged repeats page 1: stop there
            yield self._page_fetch(page + 1)

    def _page_failed(self, page: int, failed: Failed) -> Iterator[Output]:
        if page == 1:
            yield RouteUnavailable(f"{failed.url}: {failed.reason}")
        # past the last page WordPress answers 404: the end of the feed, not an error

    def _home_lists_posts(self) -> bool:
        home = self.context.home_response
        return bool(post_links(parse_page(home.body, page_content_type(home)), home.url))
