"""The ``sitemap`` route: the ``Sitemap:`` lines of robots.txt, core ``/wp-sitemap.xml``,
Yoast/Rank Math ``/sitemap_index.xml``, Jetpack ``/sitemap.xml``, tried in that order."""

from __future__ import annotations

import logging
from collections.abc import Iterator
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
from scraper.crawl.discovery.sitemaps import ParsedSitemap, parse_sitemap, robots_sitemaps
from scraper.extract.sitemaps import default_sitemap_urls, post_entries, post_sitemaps
from scraper.model.items import FetchFailure

logger = logging.getLogger(__name__)


class SitemapRoute:
    name: ClassVar[str] = "sitemap"
    title: ClassVar[str] = "sitemap"

    def __init__(self, context: RouteContext) -> None:
        self.context = context
        self.listing = context.listing
        self._candidates: list[str] = []
        self._attempts: list[str] = []
        self._outstanding = 0  # post sitemaps still to come
        self._entries = 0
        self._source: str | None = None
        self._unreadable: list[str] = []  # "url: why" of sitemaps read only in part

    def start(self) -> Iterator[Output]:
        blog_home = self.context.blog_home
        known = self.context.known_sitemaps()
        if known is not None:  # robots.txt was fetched already (ROBOTSTXT_OBEY)
            self._candidates = list(dict.fromkeys([*known, *default_sitemap_urls(blog_home)]))
            yield from self._try_next()
            return
        yield Fetch(blog_home.rstrip("/") + "/robots.txt", "sitemap", self._robots,
                    self._robots_failed)

    def _robots(self, response: Response) -> Iterator[Output]:
        listed = robots_sitemaps(response.body, response.url) if response.status == 200 else ()
        candidates = [*listed, *default_sitemap_urls(self.context.blog_home)]
        self._candidates = list(dict.fromkeys(candidates))
        yield from self._try_next()

    def _robots_failed(self, failed: Failed) -> Iterator[Output]:
        self._candidates = list(default_sitemap_urls(self.context.blog_home))
        yield from self._try_next()

    def _try_next(self) -> Iterator[Output]:
        if not self._candidates:
            yield RouteUnavailable("; ".join(self._attempts) or "no sitemap")
            return
        yield Fetch(self._candidates.pop(0), "sitemap", self._root, self._root_failed)

    def _root(self, response: Response) -> Iterator[Output]:
        parsed = self._parse(response)
        if parsed.kind == "sitemapindex":
            children = post_sitemaps(parsed.locs)
            if not children:
                self._attempts.append(f"{response.url}: index lists no post sitemap")
                yield from self._try_next()
                return
            self._source = response.url
            self._outstanding = len(children)
            for child in children:
                yield self._child_fetch(child)
        elif parsed.kind == "urlset":
            self._source = response.url
            self._outstanding = 1
            yield from self._listed(parsed)
        else:
            self._attempts.append(f"{response.url}: not a sitemap")
            yield from self._try_next()

    def _root_failed(self, failed: Failed) -> Iterator[Output]:
        self._attempts.append(f"{failed.url}: {failed.reason}")
        yield from self._try_next()

    def _child_fetch(self, url: str) -> Fetch:
        return Fetch(url, "sitemap", self._child, self._child_failed)

    def _parse(self, response: Response) -> ParsedSitemap:
        """The sitemap, and a note in the blog's listing when it could be read only in part
        (its entries may be short: the crawl falls back to the archive pagination too)."""
        parsed = parse_sitemap(response.body)
        if parsed.problem is not None:
            self._unreadable.append(f"{response.url}: {parsed.problem}")
            self.listing.unreadable_sources.append((response.url, "sitemap", parsed.problem))
            logger.warning("%s: sitemap %s %s; what it lists may be short",
                           self.context.blog_home, response.url, parsed.problem)
        return parsed

    def _child(self, response: Response) -> Iterator[Output]:
        yield from self._listed(self._parse(response))

    def _listed(self, parsed: ParsedSitemap) -> Iterator[Output]:
        blog_home = self.context.blog_home
        if parsed.kind == "sitemapindex":  # nested index: follow its post sitemaps too
            children = post_sitemaps(parsed.locs)
            self._outstanding += len(children)
            for child in children:
                yield self._child_fetch(child)
        entries = post_entries(parsed.locs, blog_home) if parsed.kind == "urlset" else ()
        if entries:
            self._entries += len(entries)
            self.listing.expected_posts["sitemap"] = self._entries
            self.listing.choose("sitemap", f"sitemap {self._source} lists the posts")
            for url in entries:
                self.listing.note_listed(url)
            for url in entries:
                yield self.listing.listed_post(url)
        yield from self._child_done()

    def _child_failed(self, failed: Failed) -> Iterator[Output]:
        if self.listing.route == "sitemap":
            yield FetchFailure(failed.url, f"post sitemap failed: {failed.reason}",
                               failed.http_status)
        self._attempts.append(f"{failed.url}: {failed.reason}")
        yield from self._child_done()

    def _child_done(self) -> Iterator[Output]:
        self._outstanding -= 1
        if self._outstanding == 0 and self.listing.route is None:
            self._attempts.append(f"{self._source}: no post entries")
            yield from self._try_next()
        elif self._outstanding == 0 and self.listing.route == "sitemap":
            self.listing.route_reason = (self.listing.route_reason or "").replace(
                "lists the posts", f"lists {self._entries} posts", 1)
            if self._unreadable:
                # Its posts are listed; the archive pagination lists those it missed.
                yield RouteReplaced("html", "sitemap read only in part ("
                                    + "; ".join(self._unreadable) + ")")
