"""The live display's line: posts against the blogs' stated total, rate, elapsed, ETA."""

from __future__ import annotations

from types import SimpleNamespace

from scraper.crawl.discovery.listing import BlogListing
from scraper.crawl.progress import clock, posts_total, snapshot


def spider_with(*listings: BlogListing) -> SimpleNamespace:
    return SimpleNamespace(discoveries={
        listing.blog_home: SimpleNamespace(listing=listing) for listing in listings})


def test_the_total_is_what_the_blog_states_else_what_was_listed() -> None:
    stated = BlogListing("http://a.example/", None, True)
    stated.expected_posts.update({"api": 63, "sitemap": 61})
    listed = BlogListing("http://b.example/", None, True)
    listed.note_listed("http://b.example/one/")
    listed.note_listed("http://b.example/two/")
    assert posts_total(spider_with(stated, listed)) == 65
    assert posts_total(spider_with()) is None


def test_the_line_shows_done_of_total_rate_elapsed_and_eta() -> None:
    listing = BlogListing("http://a.example/", None, True)
    listing.expected_posts["api"] = 63
    stats = {"archive/posts": 50, "archive/not_modified": 5, "archive/comments": 120,
             "downloader/request_count": 300, "archive/errors": 1}
    line = snapshot(stats, spider_with(listing), elapsed=110.0).line()
    assert "posts 55 / 63" in line
    assert "2.7 req/s" in line and "1:50 elapsed" in line and "ETA 0:16" in line
    assert "errors 1" in line and "comments 120" in line


def test_without_a_total_there_is_no_eta() -> None:
    line = snapshot({"archive/posts": 4}, spider_with(), elapsed=10.0).line()
    assert "posts 4 ·" in line and "ETA –" in line


def test_clock_shows_hours_only_when_needed() -> None:
    assert clock(75.2) == "1:15"
    assert clock(3723) == "1:02:03"
