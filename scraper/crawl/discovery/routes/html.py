"""The ``html`` route: the archive pagination (``/page/N/``) from the home page already
fetched (the spider follows it: listing pages are its own requests)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from scraper.crawl.discovery.outputs import FollowListing, Output
from scraper.crawl.discovery.route import RouteContext


class HtmlRoute:
    name: ClassVar[str] = "html"
    title: ClassVar[str] = "HTML archive pages"

    def __init__(self, context: RouteContext) -> None:
        self.context = context

    def start(self) -> Iterator[Output]:
        self.context.listing.choose("html", "archive pagination from the home page")
        yield FollowListing(self.context.home_response)
