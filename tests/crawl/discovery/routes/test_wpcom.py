"""The WordPress.com API route: posts and their comment counts, paged by ``page_handle``.

Driven without a spider: recorded responses answer the ``Fetch`` outputs (driving.py).
"""

from __future__ import annotations

from scraper.crawl.discovery.outputs import ListedPost
from tests.crawl.discovery.driving import answer, discovery, fetches
from tests.crawl.discovery.fixtures import read_bytes, read_json


def test_the_wordpress_com_api_lists_posts_with_their_comment_counts_and_pages_on():
    d = discovery(forced="wpcom")
    [first] = fetches(d.begin())
    assert first.kind == "api" and "/sites/127.0.0.1:18401/posts/" in first.url
    outputs = list(d.on_response(first, answer(first, read_bytes("wpcom_posts_page1.json"))))
    data = read_json("wpcom_posts_page1.json")
    assert [o.url for o in outputs if isinstance(o, ListedPost)] == [
        p["URL"] for p in data["posts"]]
    [second] = fetches(outputs)
    assert "page_handle=" in second.url
    report = d.report()
    assert report.route == "wpcom" and report.posts_expected == {"wpcom": data["found"]}
    assert report.comments_expected[data["posts"][0]["URL"]] == (
        data["posts"][0]["discussion"]["comment_count"], "wpcom")
