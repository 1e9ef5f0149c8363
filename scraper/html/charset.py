"""The charset a page's bytes are really in, when the server's label contradicts them."""

from __future__ import annotations

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def effective_content_type(content_type: str | None, body: bytes) -> str | None:
    """The Content-Type to decode a page with: the bytes win over a charset that
    contradicts them (a UTF-8 blog served as ISO-8859-1, or windows-1252 bytes
    labelled UTF-8 or not labelled at all), which browsers would show as mojibake."""
    if body.startswith(_BOMS) or body.isascii():
        return content_type  # a BOM decides; ASCII decodes the same either way
    declared = http_content_type_encoding(content_type) or html_body_declared_encoding(body)
    text = body.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    if not broken:
        return content_type if declared in (None, "utf-8") else "text/html; charset=utf-8"
    if declared not in (None, "utf-8"):
        return content_type
    # Mostly-UTF-8 pages with a few stray bytes stay UTF-8; otherwise it is windows-1252.
    decoded = sum(1 for char in text if ord(char) > 127) - broken
    return content_type if decoded > broken else "text/html; charset=windows-1252"
