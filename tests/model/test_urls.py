"""URL identity, scope and WordPress trap rules."""

from __future__ import annotations

import pytest

from scraper.model.urls import (
    archive_page_number,
    blog_id_for,
    canonicalize,
    comment_page_number,
    in_scope,
    is_trap,
    post_url_of_comment_page,
    validate_start_url,
)

POST = "https://blog.example/2014/01/10/her-2013/"


@pytest.mark.parametrize(
    "url",
    [
        POST + "?replytocom=12#respond",
        POST + "?share=twitter",
        POST + "?like_comment=3&_wpnonce=1",
        POST + "feed/",
        POST + "attachment/poster/",
        POST + "embed/",
        "https://blog.example/?s=her",
        "https://blog.example/?m=201401",
        "https://blog.example/wp-login.php?redirect_to=x",
        "https://blog.example/wp-admin/",
        "https://blog.example/comments/feed/",
        "https://blog.example/?p=5&print=1",
        "mailto:someone@example.com",
    ],
)
def test_wordpress_traps_are_recognised(url: str) -> None:
    assert is_trap(url)


@pytest.mark.parametrize(
    "url",
    [POST, POST + "comment-page-2/", POST + "?cpage=3", "https://blog.example/page/4/",
     "https://blog.example/?paged=4", "https://blog.example/?p=42"],
)
def test_posts_listings_and_comment_pages_are_not_traps(url: str) -> None:
    assert not is_trap(url)


def test_canonical_form_drops_fragment_tracking_and_default_port() -> None:
    assert canonicalize("HTTPS://Blog.Example:443/a/?utm_source=x&b=2&a=1#comments") == \
        "https://blog.example/a/?a=1&b=2"


def test_blog_id_ignores_scheme_www_and_trailing_slash() -> None:
    assert blog_id_for("https://www.blog.example/") == "blog.example"
    assert blog_id_for("http://127.0.0.1:8080/films/") == "127.0.0.1:8080/films"


def test_scope_is_the_blog_host_and_path() -> None:
    assert in_scope(POST, "https://blog.example/")
    assert in_scope("https://www.blog.example/x/", "https://blog.example/")
    assert not in_scope("https://other.example/x/", "https://blog.example/")
    assert not in_scope("https://blog.example/shop/", "https://blog.example/films/")


def test_comment_page_numbers_and_their_post() -> None:
    assert comment_page_number(POST + "comment-page-2/") == 2
    assert comment_page_number(POST + "?cpage=3") == 3
    assert comment_page_number(POST) is None
    assert post_url_of_comment_page(POST + "comment-page-2/") == POST
    assert post_url_of_comment_page("https://blog.example/?p=4&cpage=2") == \
        "https://blog.example/?p=4"


def test_only_a_comment_page_at_the_end_of_the_path_counts() -> None:
    # One rule for the spider and the extractors: a /comment-page-N/ further up the path
    # (another page below it) is not the page shown.
    assert comment_page_number(POST + "comment-page-2/amp/") is None
    assert comment_page_number(POST + "comment-page-2") == 2
    assert comment_page_number("") is None


def test_archive_page_numbers() -> None:
    assert archive_page_number("https://blog.example/page/3/") == 3
    assert archive_page_number("https://blog.example/category/news/page/2") == 2
    assert archive_page_number("https://blog.example/?paged=4") == 4
    assert archive_page_number("https://blog.example/?paged=x") is None
    assert archive_page_number("https://blog.example/page/3/older/") is None


def test_start_urls_must_be_http_with_a_host() -> None:
    assert validate_start_url("https://blog.example/") is None
    assert validate_start_url("blog.example") is not None
    assert validate_start_url("https:///nohost") is not None
