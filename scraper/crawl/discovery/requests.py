"""Requests by kind (``crawls.requests_by_kind``): start, robots, api, sitemap, feed,
listing, post, comment_page."""

from __future__ import annotations

from scrapy.http import Request


def request_kind(request: Request) -> str:
    """The kind its maker gave the request (``archive_kind`` meta), else robots or other."""
    kind = request.meta.get("archive_kind")
    if kind:
        return str(kind)
    return "robots" if request.url.endswith("/robots.txt") else "other"
