"""Deterministic row keys, the content hash of a post, and UTC timestamps."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta, timezone

from scraper.model.keys import (
    author_key,
    comment_key,
    content_hash,
    post_key,
    term_key,
    utc_iso,
    utc_now,
)
from scraper.model.records import Author, Comment, Credit, Term
from tests.archive.sample import POST_URL, comment, post

BLOG_ID = "blog.example"


def test_a_post_is_keyed_by_its_wordpress_id_or_else_by_its_canonical_path() -> None:
    assert post_key(BLOG_ID, post(), POST_URL) == "blog.example/?p=42"
    assert post_key(BLOG_ID, post(wp_id=None), "http://blog.example/other/") == \
        "blog.example/2014/01/10/her-2013/"
    without_canonical = dataclasses.replace(post(wp_id=None), canonical_url=None)
    assert post_key(BLOG_ID, without_canonical, POST_URL) == "blog.example/2014/01/10/her-2013/"


def test_authors_and_terms_are_keyed_by_slug_or_a_slug_of_their_name() -> None:
    assert author_key(BLOG_ID, Author("Ana Critic", None, "ana")) == "blog.example/author/ana"
    assert author_key(BLOG_ID, Author("Ana  Critic", None, None)) == \
        "blog.example/author/ana-critic"
    assert term_key(BLOG_ID, Term("tag", "Spike Jonze")) == "blog.example/tag/spike-jonze"
    assert term_key(BLOG_ID, Term("category", "Reviews", None, "reviews")) == \
        "blog.example/category/reviews"
    assert term_key(BLOG_ID, Term("tag", " ")) == "blog.example/tag/unknown"


def test_a_comment_is_keyed_by_its_wordpress_id_or_else_by_a_hash_under_its_post() -> None:
    post_id = "blog.example/?p=42"
    assert comment_key(BLOG_ID, post_id, comment(7, None, 0, "x")) == "blog.example/#comment-7"
    anonymous: Comment = comment(None, None, 0, "x")
    key = comment_key(BLOG_ID, post_id, anonymous)
    assert re.fullmatch(r"blog\.example/\?p=42#c-[0-9a-f]{16}", key)
    assert comment_key(BLOG_ID, post_id, dataclasses.replace(anonymous, position=5)) == key
    assert comment_key(BLOG_ID, post_id, dataclasses.replace(anonymous, text="y")) != key


def test_the_content_hash_changes_with_title_body_terms_or_credits_only() -> None:
    credit = Credit("poster by x", "x", None, "poster", "paragraph", None, 0)
    base = content_hash(post(), [credit])
    assert re.fullmatch(r"[0-9a-f]{64}", base)
    assert content_hash(dataclasses.replace(post(), word_count=99), [credit]) == base
    reordered = dataclasses.replace(post(), terms=tuple(reversed(post().terms)))
    assert content_hash(reordered, [credit]) == base
    assert content_hash(post(title="other"), [credit]) != base
    assert content_hash(post(), []) != base
    assert content_hash(dataclasses.replace(post(), terms=()), [credit]) != base


def test_timestamps_are_utc_to_the_second_with_a_z() -> None:
    moment = datetime(2026, 1, 1, 10, 30, 15, 999, tzinfo=timezone(timedelta(hours=1)))
    assert utc_iso(moment) == "2026-01-01T09:30:15Z"
    now = utc_now()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", now)
    parsed = datetime.fromisoformat(now.removesuffix("Z")).replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - parsed).total_seconds()) < 5
