"""Which sitemaps and sitemap entries list a WordPress blog's posts.

Pure: URLs in, URLs out (the XML itself is read with Scrapy's sitemap utilities in
``scraper.discovery.sitemaps``, since this package never imports scrapy).

Known layouts:

* core (WordPress ≥ 5.5): ``/wp-sitemap.xml`` → ``wp-sitemap-posts-post-N.xml`` (also
  ``-posts-page-``, ``-taxonomies-…``, ``-users-…``, which are skipped);
* Yoast SEO and Rank Math: ``/sitemap_index.xml`` → ``post-sitemap.xml``,
  ``post-sitemap2.xml`` … (``page-``, ``category-``, ``author-`` … skipped);
* Jetpack: ``/sitemap.xml`` → ``sitemap-1.xml`` … (posts and pages together; ``image-``,
  ``video-`` and ``news-`` sitemaps skipped);
* anything named by a ``Sitemap:`` line of robots.txt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

DEFAULT_SITEMAP_PATHS = ("wp-sitemap.xml", "sitemap_index.xml", "sitemap.xml")

_CORE_CHILD = re.compile(r"wp-sitemap-(posts|taxonomies|users)-([\w-]+?)-\d+\.xml", re.I)
_PLUGIN_POST_CHILD = re.compile(r"(?:^|/)post-sitemap\d*\.xml", re.I)
_NOT_POSTS = re.compile(
    r"(?:^|[/_-])(?:page|pages|category|categories|tag|tags|post_tag|author|authors|user|users"
    r"|attachment|attachments|taxonomies|taxonomy|image|images|video|videos|news|product"
    r"|products|portfolio|local|geo|locations?)(?:[-_]?sitemap|[-_.]|\d|$)",
    re.I,
)
_NOT_A_POST_PATH = re.compile(
    r"/(?:category|tag|author|page|feed|wp-content|wp-admin|comments)(?:/|$)", re.I
)


def default_sitemap_urls(home_url: str) -> tuple[str, ...]:
    home = home_url if home_url.endswith("/") else home_url + "/"
    return tuple(home + path for path in DEFAULT_SITEMAP_PATHS)


def is_post_sitemap(url: str) -> bool:
    """Whether a child sitemap of an index lists posts (or may: Jetpack's ``sitemap-N.xml``)."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    core = _CORE_CHILD.search(name)
    if core:
        return core.group(1).lower() == "posts" and core.group(2).lower() == "post"
    if _PLUGIN_POST_CHILD.search(name):
        return True
    return not _NOT_POSTS.search(name)


def post_sitemaps(children: Iterable[str]) -> tuple[str, ...]:
    """The children of a sitemap index worth fetching for posts, in index order, no repeats."""
    chosen: list[str] = []
    for url in children:
        if is_post_sitemap(url) and url not in chosen:
            chosen.append(url)
    return tuple(chosen)


def post_entries(locs: Iterable[str], home_url: str) -> tuple[str, ...]:
    """Entries of a post sitemap that may be posts: on the blog, not the home page itself
    nor an archive (category, tag, author, /page/N/)."""
    home = urlsplit(home_url)
    home_host = (home.hostname or "").lower().removeprefix("www.")
    home_path = home.path.rstrip("/") + "/"
    found: list[str] = []
    for loc in locs:
        loc = loc.strip()
        parts = urlsplit(loc)
        if parts.scheme not in ("http", "https"):
            continue
        if (parts.hostname or "").lower().removeprefix("www.") != home_host:
            continue
        path = parts.path or "/"
        if (path.rstrip("/") + "/") == home_path and not parts.query:
            continue
        if _NOT_A_POST_PATH.search(path[len(home_path) - 1:]):
            continue
        if loc not in found:
            found.append(loc)
    return tuple(found)
