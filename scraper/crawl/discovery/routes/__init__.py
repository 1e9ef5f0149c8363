"""The discovery routes, in the automatic order, each its own class behind ``Route``.

1. ``api``: the WordPress REST API (``routes/api.py``);
2. ``wpcom``: for ``*.wordpress.com`` blogs, the WordPress.com public API v1.1;
3. ``sitemap``: robots.txt ``Sitemap:`` lines and the usual sitemap URLs;
4. ``feed``: the RSS/Atom feed, only when the home page lists no posts;
5. ``html``: the archive pagination (``/page/N/``) from the home page already fetched.

A route that is missing or refused (401/403/404, ``rest_*disabled``, not JSON/XML/a feed,
robots.txt disallows it) is not an error: the next route is tried. ``-a route=NAME`` forces
one route; if that route is unavailable the crawl records a fetch error instead.

Whatever route lists the posts, the spider fetches each post page once (the record), then
its comment pages. Every route also notes what it says the blog has (``X-WP-Total``,
sitemap entries, the REST comments total, per-post comment counts of the feed or
WordPress.com), for the completeness check written at the end of the crawl
(``scraper.archive.checks``).
"""

from __future__ import annotations

from collections.abc import Callable

from scraper.crawl.arguments import yes_no
from scraper.crawl.discovery.route import Route, RouteContext
from scraper.crawl.discovery.routes.api import ApiRoute
from scraper.crawl.discovery.routes.feed import FeedRoute
from scraper.crawl.discovery.routes.html import HtmlRoute
from scraper.crawl.discovery.routes.sitemap import SitemapRoute
from scraper.crawl.discovery.routes.wpcom import DEFAULT_WPCOM_API_BASE, WpcomRoute
from scraper.extract import api

__all__ = ["DEFAULT_WPCOM_API_BASE", "ROUTES", "TITLES", "Route", "RouteContext",
           "parse_pages_arg", "parse_route_arg", "route_order"]

_IN_ORDER = (ApiRoute, WpcomRoute, SitemapRoute, FeedRoute, HtmlRoute)
# name → the route (a class taking the blog's RouteContext), in the automatic order
ROUTES: dict[str, Callable[[RouteContext], Route]] = {route.name: route for route in _IN_ORDER}
TITLES: dict[str, str] = {route.name: route.title for route in _IN_ORDER}


def parse_route_arg(value: str | None) -> str | None:
    """``-a route=`` → a route name, or None for the automatic order."""
    if value is None or value.strip().lower() in ("", "auto"):
        return None
    route = value.strip().lower()
    if route not in ROUTES:
        raise ValueError(f"route={value!r}: choose one of auto, {', '.join(ROUTES)}")
    return route


def parse_pages_arg(value: str | None) -> bool:
    """``-a pages=no`` → False (API-only archive); default True."""
    return yes_no("pages", value, default=True)


def route_order(forced: str | None, home_url: str, is_wordpress_com: bool) -> list[str]:
    """Routes to try for a blog, in order."""
    if forced:
        return [forced]
    wpcom = is_wordpress_com or api.is_wordpress_com_host(home_url)
    return [r for r in ROUTES if r != "wpcom" or wpcom]
