"""The charset a page is decoded with: its bytes win over a label that contradicts them."""

from __future__ import annotations

from scraper.html.charset import effective_content_type

CAFE_UTF8 = "<p>Café, naïve, déjà vu</p>".encode()
CAFE_1252 = "<p>Café, naïve, déjà vu</p>".encode("windows-1252")


def test_ascii_and_bom_pages_keep_their_label():
    assert effective_content_type("text/html; charset=iso-8859-1", b"<p>plain</p>") == \
        "text/html; charset=iso-8859-1"
    assert effective_content_type(None, b"\xef\xbb\xbf" + CAFE_UTF8) is None


def test_utf8_bytes_labelled_latin1_are_read_as_utf8():
    assert effective_content_type("text/html; charset=ISO-8859-1", CAFE_UTF8) == \
        "text/html; charset=utf-8"


def test_utf8_bytes_labelled_utf8_or_not_at_all_keep_their_label():
    assert effective_content_type("text/html; charset=UTF-8", CAFE_UTF8) == \
        "text/html; charset=UTF-8"
    assert effective_content_type(None, CAFE_UTF8) is None


def test_windows_1252_bytes_labelled_utf8_or_unlabelled_are_read_as_windows_1252():
    assert effective_content_type("text/html; charset=utf-8", CAFE_1252) == \
        "text/html; charset=windows-1252"
    assert effective_content_type(None, CAFE_1252) == "text/html; charset=windows-1252"


def test_windows_1252_bytes_labelled_latin1_keep_their_label():
    assert effective_content_type("text/html; charset=iso-8859-1", CAFE_1252) == \
        "text/html; charset=iso-8859-1"


def test_a_utf8_page_with_a_stray_byte_stays_utf8():
    body = CAFE_UTF8 * 5 + b"\x92"
    assert effective_content_type("text/html; charset=utf-8", body) == \
        "text/html; charset=utf-8"
