"""Incremental re-crawls: fetch only what changed since the archive last saw the blog.

The archive is the record of progress (``scraper.archive.state``): ``url_state`` holds, per
post URL, the REST API's ``modified_gmt`` of the version stored and when the post was
*complete* (its page and every comment page stored), plus the HTTP validators (``ETag``,
``Last-Modified``) its server sent. A blog with such rows is re-crawled incrementally
(``-a full=yes`` forces a full crawl):

* the REST listing (``/wp/v2/posts?_fields=id,link,date_gmt,modified_gmt``, 100 posts a
  request) is fetched whole: a post is fetched again only when it is new, its
  ``modified_gmt`` differs from the stored one, or it was never completed (a crawl killed
  mid-post); ids the listing no longer has are posts gone from the blog (tombstoned);
* the newest comments (``/wp/v2/comments?orderby=id&order=desc&_fields=id,post``): comments
  the archive does not have yet send their posts to be fetched again; when the comment
  count (``X-WP-Total``) does not add up, the whole id list (100 a request) is fetched, and
  comments gone from it are tombstoned (their posts are fetched again as well);
* a re-fetched post whose page and comment pages were all stored tombstones its comments
  that this crawl did not see (``ArchiveStore.post_complete``);
* unchanged posts are only marked seen (``last_seen``/``crawl_id``), not re-extracted;
* a post page re-fetched with ``If-None-Match``/``If-Modified-Since`` that answers 304 is
  unchanged: marked seen, not re-extracted.

Other routes (sitemap, feed, HTML) re-crawl in full; a full crawl that ends without a fetch
error tombstones the rows of the blog it did not see (``ArchiveStore.tombstone_unseen``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from functools import partial

from scrapy.http import Response

from scraper.archive.state import ArchiveState
from scraper.crawl.arguments import yes_no
from scraper.crawl.discovery.listing import BlogListing
from scraper.crawl.discovery.outputs import Counted, Failed, Fetch, Output
from scraper.crawl.discovery.paging import END_STATUSES, Pager
from scraper.crawl.headers import header
from scraper.extract import api
from scraper.model.items import (
    CommentsTotal,
    FetchFailure,
    TombstoneComments,
    TombstonePosts,
    TouchPosts,
)
from scraper.model.urls import canonicalize

logger = logging.getLogger(__name__)

STAT = "archive/incremental/"


def parse_full_arg(value: str | None) -> bool:
    """``-a full=yes`` → True (ignore what the archive holds); default False."""
    return yes_no("full", value, default=False)


class IncrementalSync:
    """The incremental part of the REST route for one blog."""

    def __init__(self, listing: BlogListing, state: ArchiveState) -> None:
        self.listing = listing
        self.state = state
        self.listed_ids: set[int] = set()
        self.listing_ok = True
        self.listing_done = False
        self.skipped: dict[str, str] = {}  # url → post id, unchanged
        self.refetched: set[str] = set()
        self.remote_comments: dict[int, int] = {}  # comment wp_id → post wp_id
        self.total: int | None = None
        self.comments_pager = Pager(1)  # replaced when the first comments page answers
        self.comments_ok = True
        self.comments_done = False
        self.finished = False
        self.links: dict[int, str] = {}  # post wp_id → listed link

    # --- posts ------------------------------------------------------------------

    def on_listed(self, posts: Sequence[api.ApiPost]) -> Iterator[Output]:
        """A page of the REST listing: the new and changed posts are fetched."""
        listing = self.listing
        for post in posts:
            url = canonicalize(post.link)
            self.listed_ids.add(post.wp_id)
            self.links[post.wp_id] = url
            listing.listed_modified[url] = post.modified
            known = self.state.urls.get(url)
            listing.note_listed(url)
            if (known and known.complete_at and post.modified
                    and known.api_modified == post.modified):
                self.skipped[url] = known.post_id
                listing.note_archived(url)
                yield Counted(STAT + "unchanged_posts")
                continue
            self.refetched.add(url)
            yield Counted(STAT + "changed_posts")
            yield listing.listed_post(url)

    def listing_failed(self) -> None:
        """A page of the listing failed: posts missing from it are not gone."""
        self.listing_ok = False

    def on_listing_done(self, ok: bool) -> Iterator[Output]:
        self.listing_ok = self.listing_ok and ok
        self.listing_done = True
        yield from self._maybe_finish()

    # --- comments -------------------------------------------------------------------

    def first_comments_fetch(self, root: str) -> Fetch:
        return self._comments_fetch(root, 1)

    def _comments_fetch(self, root: str, page: int) -> Fetch:
        url = api.rest_url(root, "wp/v2/comments", {
            "per_page": 100, "page": page, "_fields": "id,post", "orderby": "id",
            "order": "desc"})
        return Fetch(url, "api", partial(self._on_comments, root, page),
                     partial(self._on_comments_failed, root, page))

    def _on_comments(self, root: str, page: int, response: Response) -> Iterator[Output]:
        problem = api.rest_unavailable(response.status, response.body,
                                       header(response, b"Content-Type"))
        if problem:
            yield from self._on_comments_failed(root, page, Failed(response.url, problem,
                                                                   response.status))
            return
        data = api.load_json(response.body)
        items = [(int(c["id"]), int(c.get("post") or 0)) for c in data or ()
                 if isinstance(c, dict) and isinstance(c.get("id"), int)]
        listed_new = any(cid not in self.remote_comments for cid, _ in items)
        self.remote_comments.update(items)
        if page == 1:
            total = api.header_int(response.headers.get(b"X-WP-Total"))
            self.listing.comments_api_total = total
            self.total = total
            new = [cid for cid, _ in items if cid not in self.state.comments]
            last = self.state.comments_total
            if total is not None and last is not None and len(new) < len(items) and \
                    total == last + len(new):
                yield from self._comments_decided(complete_list=False)
                return
            # X-WP-TotalPages is a hint: pages are asked a few at a time (paging.Pager).
            self.comments_pager = Pager(api.header_int(
                response.headers.get(b"X-WP-TotalPages")) or 1)
            pages = self.comments_pager.first_pages()
        else:
            pages = self.comments_pager.on_page(listed_new)
        for n in pages:
            yield self._comments_fetch(root, n)
        if self.comments_pager.done:
            yield from self._comments_decided(complete_list=not self.comments_pager.short)

    def _on_comments_failed(self, root: str, page: int, failed: Failed) -> Iterator[Output]:
        if failed.http_status not in END_STATUSES or page == 1:
            self.comments_ok = False
            yield FetchFailure(failed.url, f"REST comments list failed: {failed.reason}",
                               failed.http_status)
        if page == 1:
            yield from self._comments_decided(complete_list=False)
            return
        for n in self.comments_pager.on_failed(failed.http_status):
            yield self._comments_fetch(root, n)
        if self.comments_pager.done:
            yield from self._comments_decided(complete_list=not self.comments_pager.short)

    def _comments_decided(self, complete_list: bool) -> Iterator[Output]:
        blog_home = self.listing.blog_home
        posts: set[int] = set()
        for cid, post in self.remote_comments.items():
            if cid not in self.state.comments:
                posts.add(post)
                yield Counted(STAT + "new_comments")
        if complete_list and self.comments_ok:
            gone = [(key, post_id) for cid, (key, post_id) in self.state.comments.items()
                    if cid not in self.remote_comments]
            if gone:
                yield Counted(STAT + "gone_comments", len(gone))
                yield TombstoneComments(blog_home, tuple(k for k, _ in gone))
                gone_posts = {post_id for _, post_id in gone}
                # their posts, for the comment counts (a post gone too is not fetched: the
                # listing dropped it, it is tombstoned with its comments)
                posts |= {wp for wp, (post_id, _) in self.state.posts_by_wp_id.items()
                          if post_id in gone_posts and wp in self.links}
        for wp_id in sorted(posts):
            url = self.links.get(wp_id) or (self.state.posts_by_wp_id.get(wp_id, (None, None))[1])
            if not url:
                continue
            url = canonicalize(url)
            self.skipped.pop(url, None)
            if url not in self.refetched:
                self.refetched.add(url)
                yield Counted(STAT + "posts_with_new_comments")
                yield self.listing.listed_post(url)
        if self.comments_ok:
            yield CommentsTotal(blog_home, self.total)
        self.comments_done = True
        yield from self._maybe_finish()

    # --- end ----------------------------------------------------------------------------

    def _maybe_finish(self) -> Iterator[Output]:
        if self.finished or not (self.listing_done and self.comments_done):
            return
        self.finished = True
        blog_home = self.listing.blog_home
        skipped = [pid for url, pid in self.skipped.items() if url not in self.refetched]
        if skipped:
            yield TouchPosts(blog_home, tuple(skipped))
        if self.listing_ok:
            gone = [post_id for wp_id, (post_id, _) in self.state.posts_by_wp_id.items()
                    if wp_id not in self.listed_ids]
            if gone:
                yield Counted(STAT + "gone_posts", len(gone))
                yield TombstonePosts(blog_home, tuple(gone))
