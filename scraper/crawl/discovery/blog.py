"""One blog's discovery: its routes tried in order until one lists the posts.

The spider hands each discovery response (or failure) back here with the ``Fetch`` that
asked for it; the route's handler answers with outputs. A route's verdicts
(``RouteUnavailable``, ``RouteReplaced``) are acted on here; everything else goes to the
spider, which never tells discovery what to do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from scrapy.http import Response
from twisted.python.failure import Failure

from scraper.archive.state import ArchiveState
from scraper.crawl.discovery.listing import BlogListing
from scraper.crawl.discovery.outputs import (
    Counted,
    Failed,
    Fetch,
    ListedPost,
    Output,
    RouteReplaced,
    RouteUnavailable,
    SpiderOutput,
)
from scraper.crawl.discovery.routes import ROUTES, TITLES, RouteContext, route_order
from scraper.model.items import BlogReport, FetchFailure
from scraper.model.records import BlogInfo

logger = logging.getLogger(__name__)


class BlogDiscovery:
    """The discovery state machine of one blog."""

    def __init__(
        self,
        blog_home: str,
        home_response: Response,
        blog: BlogInfo,
        forced: str | None,
        fetch_pages: bool,
        wpcom_api_base: str,
        known_sitemaps: Callable[[], tuple[str, ...] | None],
        state: ArchiveState | None = None,
        max_listing_pages: int = 0,
    ) -> None:
        # Incremental re-crawl (REST route only): what the archive holds for this blog.
        self.listing = BlogListing(blog_home, forced, fetch_pages,
                                   state=state if fetch_pages else None)
        self.context = RouteContext(blog_home, home_response, blog, self.listing,
                                    wpcom_api_base, known_sitemaps, max_listing_pages)
        self.order = route_order(forced, blog_home, blog.is_wordpress_com)
        self.current: str | None = None

    @property
    def blog_home(self) -> str:
        return self.listing.blog_home

    @property
    def incremental(self) -> bool:
        return self.listing.state is not None

    # --- what the spider calls ----------------------------------------------------------

    def begin(self) -> Iterator[SpiderOutput]:
        yield from self._decide(self._next_route())

    def on_response(self, fetch: Fetch, response: Response) -> Iterator[SpiderOutput]:
        yield from self._decide(fetch.on_response(response))

    def on_failure(self, fetch: Fetch, failure: Failure) -> Iterator[SpiderOutput]:
        """A discovery request failed: the route falls back, it is not an archive error."""
        request = failure.request  # type: ignore[attr-defined]
        response = getattr(failure.value, "response", None)
        status = getattr(response, "status", None)
        reason = f"HTTP {status}" if status else (failure.getErrorMessage()
                                                 or type(failure.value).__name__)
        yield from self._decide(fetch.on_failure(Failed(request.url, reason, status)))

    def listed_post(self, url: str) -> ListedPost:
        """A post link found on a listing page the spider follows (the html route)."""
        return self.listing.listed_post(url)

    def note_archived(self, url: str) -> None:
        self.listing.note_archived(url)

    def api_modified(self, url: str) -> str | None:
        """The REST API's ``modified_gmt`` of a listed post (canonical URL)."""
        return self.listing.listed_modified.get(url)

    def report(self) -> BlogReport:
        return self.listing.report()

    # --- the routes, in order -----------------------------------------------------------

    def _decide(self, outputs: Iterator[Output]) -> Iterator[SpiderOutput]:
        for output in outputs:
            if isinstance(output, RouteUnavailable):
                yield from self._decide(self._route_failed(output.reason))
            elif isinstance(output, RouteReplaced):
                yield from self._decide(self._replace(output))
            else:
                yield output

    def _next_route(self) -> Iterator[Output]:
        if not self.order:
            tried = "; ".join(self.listing.failures) or "no route"
            self.listing.route_reason = f"no route could list the posts ({tried})"
            logger.error("%s: %s", self.blog_home, self.listing.route_reason)
            yield FetchFailure(self.blog_home, f"discovery failed: {tried}")
            return
        self.current = self.order.pop(0)
        logger.info("%s: trying the %s", self.blog_home, TITLES[self.current])
        yield from ROUTES[self.current](self.context).start()

    def _route_failed(self, reason: str) -> Iterator[Output]:
        assert self.current is not None
        self.listing.failures.append(f"{self.current}: {reason}")
        yield Counted("archive/discovery/fallbacks")
        logger.info("%s: %s unavailable (%s)", self.blog_home, TITLES[self.current], reason)
        yield from self._next_route()

    def _replace(self, replaced: RouteReplaced) -> Iterator[Output]:
        self.order = [r for r in self.order if r != replaced.by]
        self.listing.failures.append(f"{self.current}: {replaced.reason}")
        self.current = replaced.by
        yield from ROUTES[replaced.by](self.context).start()
