"""One blog's discovery, driven without a spider: responses in, typed outputs out.

The responses are the recorded discovery fixtures (tests/fixtures/discovery), answered to
the ``Fetch`` outputs discovery hands out, as the spider does.
"""

from __future__ import annotations

from collections.abc import Iterable

from scrapy.http import HtmlResponse, Request, Response, TextResponse

from scraper.archive.state import ArchiveState, KnownUrl
from scraper.crawl.discovery.blog import BlogDiscovery
from scraper.crawl.discovery.outputs import (
    Counted,
    Fetch,
    FollowListing,
    ListedPost,
    RouteReplaced,
    RouteUnavailable,
)
from scraper.crawl.discovery.routes import DEFAULT_WPCOM_API_BASE, ROUTES, TITLES
from scraper.extract import api
from scraper.model.items import CommentsTotal, FetchFailure, TouchPosts
from scraper.model.records import BlogInfo
from tests.crawl.discovery.fixtures import read_bytes, read_json

HOME = "http://127.0.0.1:18401/"
BLOG = BlogInfo(is_wordpress=True, reason="fixture", home_url=HOME)
EMPTY_HOME = b"<html><body><p>No posts here.</p></body></html>"
LISTING_HOME = (b'<html><body><article class="post"><h2 class="entry-title"><a href="'
                b'http://127.0.0.1:18401/2019/02/23/her-2013/">Her</a></h2></article>'
                b"</body></html>")


def discovery(home: bytes = EMPTY_HOME, forced: str | None = None,
              state: ArchiveState | None = None, known: tuple[str, ...] | None = None
              ) -> BlogDiscovery:
    response = HtmlResponse(HOME, body=home, headers={"Content-Type": "text/html"})
    return BlogDiscovery(HOME, response, BLOG, forced, True, DEFAULT_WPCOM_API_BASE,
                         lambda: known, state=state)


def answer(fetch: Fetch, body: bytes, status: int = 200, headers: dict | None = None
           ) -> Response:
    return TextResponse(fetch.url, status=status, body=body, request=Request(fetch.url),
                        headers={"Content-Type": "application/json", **(headers or {})})


def fetches(outputs: Iterable[object]) -> list[Fetch]:
    return [o for o in outputs if isinstance(o, Fetch)]


def test_the_routes_table_lists_the_five_routes_in_the_automatic_order():
    assert list(ROUTES) == ["api", "wpcom", "sitemap", "feed", "html"]
    assert TITLES["api"] == "REST API"


def test_the_first_output_is_a_fetch_of_the_rest_listing():
    [first] = list(discovery().begin())
    assert isinstance(first, Fetch) and first.kind == "api"
    assert first.url.startswith(HOME + "wp-json/wp/v2/posts?per_page=100&page=1")


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


def test_an_incremental_listing_skips_unchanged_posts_and_asks_again_with_validators():
    posts = api.parse_posts(read_json("rest_posts_listing.json"))
    unchanged, changed = posts[0], posts[1]
    state = ArchiveState(urls={
        unchanged.link: KnownUrl("b/?p=110", None, None, unchanged.modified, "2025-01-01"),
        changed.link: KnownUrl("b/?p=109", '"v1"', None, "2000-01-01T00:00:00", "2025-01-01"),
    }, posts_by_wp_id={110: ("b/?p=110", unchanged.link), 109: ("b/?p=109", changed.link),
                       1: ("b/?p=1", HOME + "gone/")})
    d = discovery(state=state)
    assert d.incremental
    fetch = fetches(d.begin())[0]
    outputs = list(d.on_response(fetch, answer(
        fetch, read_bytes("rest_posts_listing.json"),
        headers={"X-WP-Total": "5", "X-WP-TotalPages": "1"})))
    listed = {o.url: o for o in outputs if isinstance(o, ListedPost)}
    assert unchanged.link not in listed
    assert listed[changed.link] == ListedPost(changed.link, '"v1"', None, "b/?p=109")
    assert Counted("archive/incremental/unchanged_posts") in outputs
    [comments] = fetches(outputs)
    assert "orderby=id" in comments.url
    done = list(d.on_response(comments, answer(comments, b"[]", headers={
        "X-WP-Total": "0", "X-WP-TotalPages": "1"})))
    assert TouchPosts(HOME, ("b/?p=110",)) in done
    tombstoned = [o for o in done if type(o).__name__ == "TombstonePosts"]
    assert [t.post_ids for t in tombstoned] == [("b/?p=1",)]  # gone from the listing
    assert d.report().incremental and not d.report().full_sync


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


def test_robots_sitemaps_known_to_scrapy_are_not_fetched_again():
    d = discovery(forced="sitemap", known=(HOME + "wp-sitemap.xml",))
    [fetch] = fetches(d.begin())
    assert fetch.url == HOME + "wp-sitemap.xml"
    children = fetches(d.on_response(fetch, answer(fetch, read_bytes("wp-sitemap.xml"))))
    assert [c.url for c in children] == [HOME + "wp-sitemap-posts-post-1.xml"]
    posts = [o for o in d.on_response(children[0], answer(
        children[0], read_bytes("wp-sitemap-posts-post-1.xml"))) if isinstance(o, ListedPost)]
    assert posts and d.report().route == "sitemap"
    assert d.report().route_reason == (f"forced by -a route=sitemap: sitemap {fetch.url} "
                                       f"lists {len(posts)} posts")
