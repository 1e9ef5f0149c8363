"""One blog's discovery, driven without a spider: routes tried in order, their verdicts acted on.

Driven without a spider: recorded responses answer the ``Fetch`` outputs (driving.py).
"""

from __future__ import annotations

from scraper.crawl.discovery.outputs import (
    Counted,
    FollowListing,
    RouteReplaced,
    RouteUnavailable,
)
from scraper.crawl.discovery.routes import ROUTES, TITLES
from scraper.model.items import FetchFailure
from tests.crawl.discovery.driving import HOME, LISTING_HOME, answer, discovery, fetches
from tests.crawl.discovery.fixtures import read_bytes


def test_the_routes_table_lists_the_five_routes_in_the_automatic_order():
    assert list(ROUTES) == ["api", "wpcom", "sitemap", "feed", "html"]
    assert TITLES["api"] == "REST API"


def test_a_disabled_rest_api_falls_back_to_the_sitemap_without_a_spider():
    d = discovery()
    fetch = fetches(d.begin())[0]
    while fetch.kind == "api":  # every REST root refused
        outputs = list(d.on_response(fetch, answer(fetch, read_bytes("rest_disabled.json"),
                                                   status=403)))
        fetch = fetches(outputs)[0]
    assert Counted("archive/discovery/fallbacks") in outputs
    assert fetch.url == HOME + "robots.txt" and fetch.kind == "sitemap"
    assert d.listing.failures[0].startswith("api: ") and "HTTP 403 (rest_disabled)" in \
        d.listing.failures[0]
    assert not any(isinstance(o, RouteUnavailable | RouteReplaced) for o in outputs)


def test_the_feed_steps_aside_for_the_html_route_when_the_home_page_lists_posts():
    d = discovery(home=LISTING_HOME)
    d.order = ["feed", "html"]
    outputs = list(d.begin())
    assert [type(o) for o in outputs] == [FollowListing]
    assert d.order == []
    assert d.report().route == "html"
    assert d.listing.failures == ["feed: skipped, the home page lists posts (archive pages "
                                  "cost no more requests than feed pages)"]


def test_no_route_left_is_a_discovery_failure():
    d = discovery(forced="wpcom")
    fetch = fetches(d.begin())[0]
    outputs = list(d.on_response(fetch, answer(fetch, read_bytes("wpcom_unknown_blog.json"),
                                               status=200)))
    [failure] = [o for o in outputs if isinstance(o, FetchFailure)]
    assert failure.url == HOME and failure.reason.startswith("discovery failed: wpcom: ")
    assert d.report().route is None
    assert d.report().route_reason.startswith("no route could list the posts (wpcom: ")
