"""The REST API route: the listing, the comments total, failures past the first page.

Driven without a spider: recorded responses answer the ``Fetch`` outputs (driving.py).
"""

from __future__ import annotations

from scraper.crawl.discovery.outputs import (
    Fetch,
    ListedPost,
)
from scraper.model.items import CommentsTotal, FetchFailure
from tests.crawl.discovery.driving import HOME, answer, discovery, fetches
from tests.crawl.discovery.fixtures import read_bytes, read_json


def test_the_first_output_is_a_fetch_of_the_rest_listing():
    [first] = list(discovery().begin())
    assert isinstance(first, Fetch) and first.kind == "api"
    assert first.url.startswith(HOME + "wp-json/wp/v2/posts?per_page=100&page=1")


def test_a_rest_listing_chooses_the_api_and_lists_every_post():
    d = discovery()
    fetch = fetches(d.begin())[0]
    outputs = list(d.on_response(fetch, answer(
        fetch, read_bytes("rest_posts_listing.json"),
        headers={"X-WP-Total": "5", "X-WP-TotalPages": "1"})))
    posts = [o for o in outputs if isinstance(o, ListedPost)]
    assert [p.url for p in posts] == [p["link"] for p in read_json("rest_posts_listing.json")]
    assert all(p.etag is None for p in posts)
    [total] = fetches(outputs)
    assert "wp/v2/comments" in total.url
    assert list(d.on_response(total, answer(total, b"[]", headers={"X-WP-Total": "7"}))) == [
        CommentsTotal(HOME, 7)]
    report = d.report()
    assert (report.route, report.posts_listed, report.posts_expected) == ("api", 5, {"api": 5})
    assert report.full_sync and not report.incremental and report.comments_api_total == 7
    assert report.route_reason == f"auto: REST API at {HOME}wp-json/ lists 5 posts (X-WP-Total)"


def test_a_rest_failure_after_the_first_page_is_a_fetch_failure_not_a_fallback():
    d = discovery()
    first = fetches(d.begin())[0]
    outputs = list(d.on_response(first, answer(
        first, read_bytes("rest_posts_listing.json"),
        headers={"X-WP-Total": "150", "X-WP-TotalPages": "2"})))
    second = next(f for f in fetches(outputs) if "page=2" in f.url)
    failed = list(d.on_response(second, answer(second, b"{}", status=500)))
    assert failed == [FetchFailure(second.url, "REST API page failed: HTTP 500", 500)]
