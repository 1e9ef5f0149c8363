from __future__ import annotations

import pytest

from scraper.extract.blog import extract_blog_info
from scraper.extract.parse import parse_page
from tests.extract.pages import BLOCK_URL, BLOGGER_URL, CLASSIC_URL, HER_URL, load


def test_wordpress_com_blog_is_recognised_with_name_and_home():
    info = extract_blog_info(load("wpcom-her-2013.html"), HER_URL)
    assert info.is_wordpress and info.is_wordpress_com
    assert "generator" in info.reason
    assert info.name == "The Cinephile's Notebook"
    assert info.home_url == "https://cinephilenotebook.wordpress.com/"
    assert info.language == "en"


def test_self_hosted_home_url_comes_from_the_rest_api_link():
    info = extract_blog_info(load("classic-caption-credits.html"), CLASSIC_URL)
    assert info.is_wordpress and not info.is_wordpress_com
    assert info.home_url == "https://slowrails.example.org/"
    assert info.name == "Slow Rails"


def test_block_theme_blog():
    info = extract_blog_info(load("block-theme-credits.html"), BLOCK_URL)
    assert info.is_wordpress
    assert info.language == "de-DE"


def test_blogger_page_is_not_wordpress_and_says_why():
    info = extract_blog_info(load("blogger-photo-caption.html"), BLOGGER_URL)
    assert not info.is_wordpress
    assert "Blogger" in info.reason


def test_medium_page_is_not_wordpress():
    html = '<html><head><meta property="og:site_name" content="Medium"></head><body></body></html>'
    info = extract_blog_info(parse_page(html), "https://medium.com/@someone/a-post-123")
    assert not info.is_wordpress
    assert "Medium" in info.reason


def test_wordpress_without_generator_is_recognised_by_its_markup():
    html = (
        '<html><head><link rel="https://api.w.org/" href="https://ex.org/wp-json/">'
        '<link rel="stylesheet" href="https://ex.org/wp-content/themes/x/style.css"></head>'
        '<body class="single postid-4"></body></html>'
    )
    info = extract_blog_info(parse_page(html), "https://ex.org/a-post/")
    assert info.is_wordpress
    assert "REST API link" in info.reason and "wp-content" in info.reason
    assert info.home_url == "https://ex.org/"


def test_links_to_wordpress_sites_do_not_make_a_page_wordpress():
    html = '<html><body><a href="https://other.org/wp-content/uploads/x.jpg">x</a></body></html>'
    assert not extract_blog_info(parse_page(html), "https://plain.example/").is_wordpress


@pytest.mark.parametrize("body", [b"", b"\xff\xfe\x00garbage", "<html>" + "<div>" * 5000])
def test_never_raises(body):
    info = extract_blog_info(parse_page(body), "https://example.org/")
    assert info.is_wordpress is False


def test_the_language_code_is_the_primary_subtag_of_the_pages_language() -> None:
    from scraper.extract.blog import language_code, page_language

    assert language_code("en-US") == "en" and language_code("de_DE") == "de"
    assert language_code("PT") == "pt" and language_code("-x") is None
    assert language_code(None) is None
    with_locale_only = parse_page('<html><head><meta property="og:locale" content="fr_FR">'
                                  "</head><body></body></html>")
    assert language_code(page_language(with_locale_only)) == "fr"


def test_a_malformed_canonical_link_is_ignored_not_raised() -> None:
    html = ('<html><head><link rel="canonical" href="https://]]>blog.example/x/">'
            '<meta name="generator" content="WordPress 6.4"></head><body></body></html>')
    info = extract_blog_info(parse_page(html), "https://blog.example/x/")
    assert info.is_wordpress
