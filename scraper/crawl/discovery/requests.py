"""Requests by kind (``archive/requests/<kind>`` stats → ``crawls.requests_by_kind``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy.http import Request

PREFIX = "archive/requests/"


def request_kind(request: Request) -> str:
    """start, robots, api, sitemap, feed, listing, post, comment_page (or other)."""
    kind = request.meta.get("archive_kind")
    if kind:
        return str(kind)
    return "robots" if request.url.endswith("/robots.txt") else "other"


def count_request(stats: Any, request: Request) -> None:
    """Count one request that reached the downloader (retries included, like
    ``downloader/request_count``)."""
    stats.inc_value(PREFIX + request_kind(request))


def publish_routes(stats: Any, discoveries: Iterable[Any]) -> None:
    """``archive/route`` and ``archive/route_reason`` for the crawls row: the route of the
    blog, or ``blog=route`` pairs when a crawl covers several blogs."""
    blogs = [d for d in discoveries if d.route or d.route_reason]
    if not blogs:
        return
    if len(blogs) == 1:
        stats.set_value("archive/route", blogs[0].route)
        stats.set_value("archive/route_reason", blogs[0].route_reason)
        return
    stats.set_value("archive/route", ", ".join(f"{d.blog_home}={d.route}" for d in blogs))
    stats.set_value("archive/route_reason",
                    "; ".join(f"{d.blog_home}: {d.route_reason}" for d in blogs))
