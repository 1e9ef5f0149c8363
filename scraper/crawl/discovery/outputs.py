"""What discovery hands out: typed outputs the spider turns into requests and items.

Discovery never sees the spider: a route answers a response with these, and the spider
fetches (``Fetch``, ``ListedPost``, ``FollowListing``), counts (``Counted``) or passes on
the items (pages, fetch failures, sync actions) to the pipelines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from scrapy.http import Response

from scraper.model.items import ArchivedPage, FetchFailure, SyncAction


@dataclass(frozen=True, slots=True)
class Failed:
    """A discovery request that failed, or whose answer is unusable."""

    url: str
    reason: str
    http_status: int | None = None


@dataclass(frozen=True, slots=True)
class Fetch:
    """Fetch this discovery URL: its response goes to ``on_response``, a failure to
    ``on_failure`` (both bound when the fetch is made)."""

    url: str
    kind: str  # the request kind counted in crawls.requests_by_kind: api, sitemap, feed
    on_response: Callable[[Response], Iterator[Output]]
    on_failure: Callable[[Failed], Iterator[Output]]


@dataclass(frozen=True, slots=True)
class ListedPost:
    """A post was listed: request its page (conditionally when the archive has its
    validators from the last fetch: a 304 means the page did not change)."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    known_post_id: str | None = None


@dataclass(frozen=True, slots=True)
class FollowListing:
    """Follow the archive pagination (``/page/N/``) from this already fetched listing."""

    response: Response


@dataclass(frozen=True, slots=True)
class Counted:
    """Add ``value`` to the crawl stats counter ``stat``."""

    stat: str
    value: int = 1


@dataclass(frozen=True, slots=True)
class RouteUnavailable:
    """The current route cannot list the posts: the next one is tried."""

    reason: str


@dataclass(frozen=True, slots=True)
class RouteReplaced:
    """The current route steps aside for route ``by`` (tried now, not later)."""

    by: str
    reason: str


# What the spider receives from discovery.
SpiderOutput = (Fetch | ListedPost | FollowListing | Counted | ArchivedPage | FetchFailure
                | SyncAction)
# What a route yields: the spider's outputs and its own verdicts (``BlogDiscovery`` acts on
# them, the spider never sees them).
Output = SpiderOutput | RouteUnavailable | RouteReplaced
