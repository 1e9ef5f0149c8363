"""The sitemap route: from the sitemap index to the post entries.

Driven without a spider: recorded responses answer the ``Fetch`` outputs (driving.py).
"""

from __future__ import annotations

from scraper.crawl.discovery.outputs import (
    ListedPost,
)
from tests.crawl.discovery.driving import HOME, answer, discovery, fetches
from tests.crawl.discovery.fixtures import read_bytes


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
