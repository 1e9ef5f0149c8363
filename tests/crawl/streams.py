"""Item streams as the spider yields them, for the pipeline tests and ``bench/storage.py``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from scraper.model.items import ArchivedPage, PostComplete
from scraper.model.keys import post_key
from scraper.model.urls import blog_id_for


def pages_then_completions(pages: Iterable[ArchivedPage]) -> Iterator[ArchivedPage | PostComplete]:
    """Archived pages in the order a crawl yields them, each post's completion after its
    last page (pages of one post together, as the spider fetches them)."""
    previous: ArchivedPage | None = None
    for page in pages:
        if previous is not None and page.post_url != previous.post_url:
            yield completion_of(previous)
        yield page
        previous = page
    if previous is not None:
        yield completion_of(previous)


def completion_of(page: ArchivedPage) -> PostComplete:
    """The completion of the post of an archived page (no validators)."""
    assert page.extraction.post is not None
    blog_id = blog_id_for(page.blog_url)
    return PostComplete(page.blog_url, page.post_url,
                        post_key(blog_id, page.extraction.post, page.post_url))
