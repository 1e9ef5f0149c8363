"""Sitemaps (core, Yoast, Jetpack, robots.txt) and feeds (RSS with slash:comments, Atom)."""

from __future__ import annotations

from scraper.crawl.discovery.sitemaps import parse_sitemap, robots_sitemaps
from scraper.extract.feeds import feed_page_url, main_feed_url, parse_feed
from scraper.extract.sitemaps import default_sitemap_urls, post_entries, post_sitemaps
from tests.crawl.discovery.fixtures import read_bytes

ORIGIN = "http://127.0.0.1:18401"


def test_core_sitemap_index_keeps_only_the_posts_sitemap():
    index = parse_sitemap(read_bytes("wp-sitemap.xml"))
    assert index.kind == "sitemapindex" and len(index.locs) == 5
    assert post_sitemaps(index.locs) == (f"{ORIGIN}/wp-sitemap-posts-post-1.xml",)


def test_core_posts_sitemap_lists_every_post():
    urlset = parse_sitemap(read_bytes("wp-sitemap-posts-post-1.xml"))
    assert urlset.kind == "urlset"
    entries = post_entries(urlset.locs, ORIGIN + "/")
    assert len(entries) == 52
    assert entries[0] == f"{ORIGIN}/2019/01/12/roma-2018-memory-in-black-and-white/"


def test_yoast_index_and_post_sitemap():
    index = parse_sitemap(read_bytes("yoast_sitemap_index.xml"))
    assert post_sitemaps(index.locs) == ("https://films.example/post-sitemap.xml",
                                         "https://films.example/post-sitemap2.xml")
    urlset = parse_sitemap(read_bytes("yoast_post_sitemap.xml"))
    # the home page Yoast puts first is not a post
    assert post_entries(urlset.locs, "https://films.example/") == (
        "https://films.example/2024/11/16/ten-years-of-reviews/",
        "https://films.example/2024/09/21/the-substance-2024/",
    )


def test_jetpack_index_skips_image_video_and_news_sitemaps():
    index = parse_sitemap(read_bytes("jetpack_sitemap.xml"))
    assert post_sitemaps(index.locs) == ("https://films.example/sitemap-1.xml",)


def test_robots_sitemap_lines_and_defaults():
    assert robots_sitemaps(read_bytes("robots_with_sitemaps.txt"), "https://films.example/") == (
        "https://films.example/sitemap_index.xml", "https://films.example/wp-sitemap.xml")
    assert default_sitemap_urls("https://films.example") == (
        "https://films.example/wp-sitemap.xml", "https://films.example/sitemap_index.xml",
        "https://films.example/sitemap.xml")


def test_html_and_garbage_are_not_sitemaps():
    assert parse_sitemap(b"<!doctype html><html><body>Not found</body></html>").kind == ""
    assert parse_sitemap(b"").kind == ""
    assert parse_sitemap(read_bytes("rest_disabled.json")).kind == ""


def test_rss_feed_items_with_comment_counts():
    feed = parse_feed(read_bytes("feed_page1.xml"))
    assert feed.is_feed and len(feed.items) == 10
    first = feed.items[0]
    assert first.link.startswith(ORIGIN + "/") and first.published.endswith("Z")
    assert first.comment_count == 3


def test_atom_feed_items():
    feed = parse_feed(read_bytes("atom_feed.xml"))
    assert [i.link for i in feed.items] == [
        "https://films.example/2024/11/16/ten-years-of-reviews/",
        "https://films.example/2024/09/21/the-substance-2024/",
    ]


def test_an_html_404_is_not_a_feed():
    assert not parse_feed(b"<!doctype html><html><head><title>Page not found</title></head>"
                          b"<body><h1>Nothing here</h1></body></html>").is_feed


def test_feed_urls():
    html = (b'<link rel="alternate" type="application/rss+xml" title="X &raquo; Feed" '
            b'href="https://films.example/feed/"><link rel="alternate" '
            b'type="application/rss+xml" title="X &raquo; Comments Feed" '
            b'href="https://films.example/comments/feed/">')
    assert main_feed_url(html, "https://films.example/") == "https://films.example/feed/"
    assert main_feed_url(b"<html></html>", "https://films.example") == (
        "https://films.example/feed/")
    assert feed_page_url("https://films.example/feed/", 1) == "https://films.example/feed/"
    assert feed_page_url("https://films.example/?feed=rss2", 3) == (
        "https://films.example/?feed=rss2&paged=3")


def test_a_truncated_sitemap_keeps_its_whole_entries_and_says_it_is_broken():
    parsed = parse_sitemap(read_bytes("sitemap_truncated.xml"))
    assert parsed.kind == "urlset"
    assert parsed.locs == ("__BLOG__2021/08/01/kept/",)  # not the cut "…/2021/08/02/lo"
    assert parsed.problem is not None and parsed.problem.startswith("not well-formed XML")


def test_an_entity_bomb_sitemap_is_not_expanded_and_says_it_is_broken():
    parsed = parse_sitemap(read_bytes("sitemap_entity_bomb.xml"))
    assert parsed.locs == ("__BLOG__2021/08/01/kept/",)
    assert parsed.problem is not None


def test_a_well_formed_sitemap_has_no_problem():
    assert parse_sitemap(read_bytes("wp-sitemap-posts-post-1.xml")).problem is None
