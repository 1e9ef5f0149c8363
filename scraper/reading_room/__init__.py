"""The reading room: a Datasette plugin that shows archived blogs as their readers saw them.

Registered through the ``datasette`` entry point in ``pyproject.toml`` (so an
installed wparchive activates it in any ``datasette serve``).  This module is its hook
table; each hook hands its work to the module named for it:

* :mod:`.views` — ``/-/search?q=…``, one full-text search over posts *and* comments
  (FTS5, bm25 ranking, highlighted snippets, facets by blog, author, year and kind;
  queries in :mod:`.data`), and ``/-/post?id=<post id>``, a post with its featured
  image, credits, terms and body, then its comment thread nested by ``parent_id``;
* :mod:`.rendering` — a search box in every page's header, a "read as the blog showed
  it" link on rows of ``posts`` and query results, scraped HTML only through
  :mod:`.sanitize`;
* :mod:`.table_search` — fast Datasette table search (``?_search=``) on ``posts`` and
  ``comments``: a search of many rows goes to a form whose pages read only their matches;
* :mod:`.readable_tables` — the posts and comments table pages open on the columns a
  person reads (title, blog, date, author, comments), every column one click away;
* :mod:`.security` — a Content-Security-Policy without inline script on every page, a
  read-only instance (any non-GET request is refused and the write permissions are
  denied), ``noindex`` headers (robots.txt comes from datasette-block-robots);
* :mod:`.metadata` — the settings in ``datasette_meta.json``: the metadata of the
  database named ``archive`` applies to every archive (:mod:`.archives` finds them).
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from datasette import hookimpl
from datasette.utils.asgi import Request
from jinja2 import Environment
from markupsafe import Markup

from scraper.reading_room import (
    archives,
    metadata,
    readable_tables,
    rendering,
    security,
    table_search,
    views,
)
from scraper.reading_room.asgi_types import ASGIApp
from scraper.reading_room.urls import SEARCH_PATH, STATIC_URL

if TYPE_CHECKING:  # datasette.app loads the plugins: importing it here would be circular
    from datasette.app import Datasette


@hookimpl
def startup(datasette: Datasette) -> Callable[[], Awaitable[None]]:
    async def find_archives() -> None:
        await archives.find_archives(datasette)

    return find_archives


@hookimpl
def get_metadata(datasette: Datasette, key: str | None, database: str | None,
                 table: str | None) -> dict[str, Any]:
    return metadata.archive_metadata(datasette)


@hookimpl
def canned_queries(datasette: Datasette, database: str,
                   actor: Any) -> Callable[[], Awaitable[dict[str, Any]]] | None:
    return metadata.queries_needing_tables(datasette, database)


@hookimpl(hookwrapper=True)
def filters_from_request(request: Request, database: str, table: str,
                         datasette: Datasette) -> Any:
    """On a search of posts or comments that does not count its rows, Datasette's
    ``_search`` filter is replaced by :func:`.table_search.search_filter`."""
    outcome = yield
    if database not in archives.archive_databases(datasette):
        return
    replacement = table_search.search_filter(datasette, request, database, table)
    if replacement is not None:
        outcome.force_result([
            replacement if table_search.is_datasette_search(result) else result
            for result in outcome.get_result()])


@hookimpl
def register_routes(datasette: Datasette) -> list[tuple[str, Any]]:
    return views.ROUTES


@hookimpl
def extra_css_urls(datasette: Datasette) -> list[dict[str, str]]:
    return [{"url": datasette.urls.path(STATIC_URL + "reading-room.css")}]


@hookimpl
def extra_template_vars(datasette: Datasette, request: Request | None) -> dict[str, Any]:
    return rendering.template_vars(datasette, request)


@hookimpl
def prepare_jinja2_environment(env: Environment, datasette: Datasette) -> None:
    rendering.add_filters(env)


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str,
                datasette: Datasette) -> Markup | None:
    return rendering.read_link_cell(datasette, database, table, column, row, value)


@hookimpl
def menu_links(datasette: Datasette) -> list[dict[str, str]]:
    return [{"href": datasette.urls.path(SEARCH_PATH), "label": "Search the archive"}]


@hookimpl
def permission_allowed(action: str) -> bool | None:
    return security.write_permission(action)


@hookimpl
def asgi_wrapper(datasette: Datasette) -> Callable[[ASGIApp], ASGIApp]:
    def wrap(app: ASGIApp) -> ASGIApp:
        # read_only outermost: its headers go on the redirects too
        return security.read_only(table_search.redirect_searches_of_many_rows(
            datasette, readable_tables.default_to_reading_columns(datasette, app)))

    return wrap


def _register_with_hooks() -> None:
    """Register this plugin again if Datasette registered it half-imported.

    Importing ``scraper.reading_room`` before Datasette's plugin manager (a test, a script)
    makes the manager load its entry points during this package's own import: it then
    registers the module before the hooks above exist, and the plugin does nothing."""
    from datasette.plugins import pm

    module = sys.modules[__name__]
    if pm.is_registered(module) and not pm.get_hookcallers(module):
        name = pm.get_name(module)
        pm.unregister(module)
        pm.register(module, name)


_register_with_hooks()
