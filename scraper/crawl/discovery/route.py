"""The ``Route`` protocol: one way of listing a blog's posts, and what it is given."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import ClassVar, Protocol

from scrapy.http import Response

from scraper.crawl.discovery.listing import BlogListing
from scraper.crawl.discovery.outputs import Output
from scraper.model.records import BlogInfo


@dataclass(frozen=True)
class RouteContext:
    """What every route of a blog starts from."""

    blog_home: str
    home_response: Response  # the start page, already fetched
    blog: BlogInfo
    listing: BlogListing  # the blog's discovery facts, shared by its routes
    wpcom_api_base: str
    # The Sitemap: lines of a robots.txt Scrapy already fetched, None if it did not.
    known_sitemaps: Callable[[], tuple[str, ...] | None]
    # Listing pages a route may fetch per listing (ARCHIVE_MAX_PAGES); 0 = no limit.
    max_listing_pages: int = 0

    @property
    def fetch_pages(self) -> bool:
        return self.listing.fetch_pages

    @property
    def forced(self) -> bool:
        return self.listing.forced is not None


class Route(Protocol):
    """A route starts with outputs (a first discovery fetch, usually); every later output
    comes from the handlers its ``Fetch`` outputs carry. It ends by listing posts (after
    ``listing.choose``) or with ``RouteUnavailable``."""

    name: ClassVar[str]  # as in -a route=NAME
    title: ClassVar[str]  # for the log

    def start(self) -> Iterator[Output]: ...
