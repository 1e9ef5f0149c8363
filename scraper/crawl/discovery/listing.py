"""What discovery found out about one blog: the posts listed, the route chosen and why,
and what independent sources say the blog has (for the completeness check)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from scraper.archive.state import ArchiveState
from scraper.crawl.discovery.outputs import ListedPost
from scraper.model.items import BlogReport
from scraper.model.urls import canonicalize

logger = logging.getLogger(__name__)


@dataclass
class BlogListing:
    """The discovery facts of one blog, shared by its routes."""

    blog_home: str
    forced: str | None  # -a route=NAME
    fetch_pages: bool
    # What the archive holds (incremental re-crawl); dropped when a route other than the
    # REST API is chosen: only the REST API says what changed.
    state: ArchiveState | None = None
    route: str | None = None
    route_reason: str | None = None
    failures: list[str] = field(default_factory=list)  # "route: why not", in order
    full_sync: bool = False
    listed: list[str] = field(default_factory=list)
    archived: set[str] = field(default_factory=set)
    listed_modified: dict[str, str | None] = field(default_factory=dict)  # → REST modified_gmt
    expected_posts: dict[str, int] = field(default_factory=dict)  # source → posts stated
    comments_api_total: int | None = None
    expected_comments: dict[str, tuple[int, str]] = field(default_factory=dict)
    # (URL, source kind, why): listing sources read only in part (a truncated sitemap).
    unreadable_sources: list[tuple[str, str, str]] = field(default_factory=list)
    _listed_set: set[str] = field(default_factory=set)

    def note_listed(self, url: str) -> None:
        url = canonicalize(url)
        if url not in self._listed_set:
            self._listed_set.add(url)
            self.listed.append(url)

    def is_listed(self, url: str) -> bool:
        return canonicalize(url) in self._listed_set

    def note_archived(self, url: str) -> None:
        self.archived.add(canonicalize(url))

    def listed_post(self, url: str) -> ListedPost:
        """The post at ``url`` is listed: its page request, with the validators the archive
        holds for it."""
        self.note_listed(url)
        known = self.state.urls.get(canonicalize(url)) if self.state is not None else None
        if known and (known.etag or known.last_modified):
            return ListedPost(url, known.etag, known.last_modified, known.post_id)
        return ListedPost(url)

    def choose(self, route: str, why: str) -> None:
        """``route`` lists the posts (the first route to say so wins)."""
        if self.route is not None:
            return
        self.route = route
        how = f"forced by -a route={route}" if self.forced else "auto"
        tried = f"; tried before: {'; '.join(self.failures)}" if self.failures else ""
        self.route_reason = f"{how}: {why}{tried}"
        if self.state is not None and route != "api":
            self.state = None  # only the REST API says what changed: this crawl is full
        if self.state is None:
            self.full_sync = True
        else:
            self.route_reason += " (incremental: only what changed)"
        logger.info("%s: route %s (%s)", self.blog_home, route, self.route_reason)

    def report(self) -> BlogReport:
        return BlogReport(
            blog_url=self.blog_home,
            route=self.route,
            route_reason=self.route_reason,
            fetch_pages=self.fetch_pages,
            posts_listed=len(self.listed),
            posts_expected=dict(self.expected_posts),
            posts_not_archived=tuple(u for u in self.listed if u not in self.archived),
            comments_api_total=self.comments_api_total,
            comments_expected=dict(self.expected_comments),
            full_sync=self.full_sync,
            incremental=self.state is not None,
            unreadable_sources=tuple(self.unreadable_sources),
        )
