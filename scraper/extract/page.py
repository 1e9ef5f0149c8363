"""Extract everything from one page: blog, post, credits, comments, review."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from scraper.extract.blog import extract_blog_info
from scraper.extract.comments import extract_comments
from scraper.extract.credits import extract_credits
from scraper.extract.parse import parse_page
from scraper.extract.post import extract_post
from scraper.extract.reviews import extract_review
from scraper.html import release
from scraper.model.records import PageExtraction


def extract_page(
    body: bytes | str, url: str, content_type: str | None = None
) -> PageExtraction:
    """Pure: HTML and its URL in, a PageExtraction out. Never raises on bad markup."""
    with _cyclic_gc_paused():
        return _extract(body, url, content_type)


def _extract(body: bytes | str, url: str, content_type: str | None) -> PageExtraction:
    soup = parse_page(body, content_type)
    try:
        blog = extract_blog_info(soup, url)
        post = extract_post(soup, url)
        credits = extract_credits(soup, url, post)
        comments, comments_info = extract_comments(soup, url, post)
        review = extract_review(soup, post, credits)
    finally:
        release(soup)
    return PageExtraction(
        url=url,
        blog=blog,
        is_post_page=post is not None,
        post=post,
        credits=credits,
        comments=comments,
        comments_info=comments_info,
        review=review,
    )


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Hold Python's cyclic garbage collector off while one page is extracted.

    A parsed page is tens of thousands of linked objects, all reachable, and each
    collection the allocations trigger walks them again: about a third of extraction's
    time (bench/profile.py).  The tree itself is taken apart when the page is done
    (``document.release``); copies made along the way are left to the next collection.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
