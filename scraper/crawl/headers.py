"""Response headers as text, and the Content-Type a page is decoded with."""

from __future__ import annotations

from scrapy.http import Response

from scraper.html import effective_content_type


def header(response: Response, name: bytes) -> str | None:
    """A header's value as the server sent it (HTTP headers are latin-1), or None."""
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def page_content_type(response: Response) -> str | None:
    """The Content-Type to parse an HTML page with: its charset corrected by the bytes."""
    return effective_content_type(header(response, b"Content-Type"), response.body)
