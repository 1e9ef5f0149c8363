"""Incremental re-crawls: unchanged posts skipped, changed ones asked with validators.

Driven without a spider: recorded responses answer the ``Fetch`` outputs (driving.py).
"""

from __future__ import annotations

from scraper.archive.state import ArchiveState, KnownUrl
from scraper.crawl.discovery.outputs import (
    Counted,
    ListedPost,
)
from scraper.extract import api
from scraper.model.items import TouchPosts
from tests.crawl.discovery.driving import HOME, answer, discovery, fetches
from tests.crawl.discovery.fixtures import read_bytes, read_json


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
