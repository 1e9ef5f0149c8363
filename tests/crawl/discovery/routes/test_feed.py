"""The feed route: paged by ``?paged=N``; a feed that ignores the page number ends there.

Driven without a spider: recorded responses answer the ``Fetch`` outputs (driving.py).
"""

from __future__ import annotations

from scraper.crawl.discovery.outputs import ListedPost
from tests.crawl.discovery.driving import answer, discovery, fetches
from tests.crawl.discovery.fixtures import read_bytes


def test_feed_pages_list_new_posts_until_a_page_repeats_what_was_listed():
    d = discovery(forced="feed")
    [first] = fetches(d.begin())
    assert first.kind == "feed" and first.url.endswith("/feed/")
    outputs = list(d.on_response(first, answer(first, read_bytes("feed_page1.xml"))))
    posts = [o for o in outputs if isinstance(o, ListedPost)]
    [second] = fetches(outputs)
    assert posts and "paged=2" in second.url
    assert d.report().route == "feed"
    assert d.report().comments_expected  # slash:comments of the items
    again = list(d.on_response(second, answer(second, read_bytes("feed_page1.xml"))))
    assert again == []
    assert d.report().posts_listed == len(posts)


def test_past_the_last_feed_page_a_404_is_the_end_not_an_error():
    d = discovery(forced="feed")
    [first] = fetches(d.begin())
    [second] = fetches(d.on_response(first, answer(first, read_bytes("feed_page1.xml"))))
    assert list(d.on_response(second, answer(second, b"", status=404))) == []
