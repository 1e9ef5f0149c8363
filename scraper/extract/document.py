"""Turn raw bytes or text into a BeautifulSoup tree, decoding charsets the way browsers do."""

from __future__ import annotations

from bs4 import BeautifulSoup
from w3lib.encoding import html_to_unicode


def decode_html(body: bytes | str, content_type: str | None = None) -> str:
    """Decode HTML bytes: BOM, then HTTP header, then <meta charset>, then a guess.

    w3lib implements the WHATWG order that browsers (and Scrapy) use, and
    maps latin-1 to windows-1252 as browsers do.
    """
    if isinstance(body, str):
        return body
    _encoding, text = html_to_unicode(content_type, body)
    return text


def parse_html(body: bytes | str, content_type: str | None = None) -> BeautifulSoup:
    """Parse a page with the lxml parser; never raises on malformed markup."""
    text = decode_html(body, content_type)
    # lxml rejects NUL characters and some control characters outright.
    text = text.replace("\x00", "")
    return BeautifulSoup(text, "lxml")
