"""The posts and comments table pages open on the columns a person reads.

Datasette shows every column of a table: for ``posts`` that is the raw ``body_html`` of
each row, the title pushed off-screen, a page of 17,800 px for 20 rows. A table page asked
for with no arguments at all (``/archive/posts``) is answered as
``/archive/posts?_col=title&_col=blog_id&…``: the reading columns, in Datasette's own
page with its facets, search and sorting. Any argument (``?_sort_desc=published``, the
"every column" link in the table's description) gets Datasette's full table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from scraper.reading_room.archives import archive_databases
from scraper.reading_room.asgi_types import ASGIApp, Receive, Scope, Send

if TYPE_CHECKING:  # datasette.app loads the plugins: importing it here would be circular
    from datasette.app import Datasette

# The columns shown by default, in this order (Datasette adds the primary key first).
READING_COLUMNS = {
    "posts": ("title", "blog_id", "published", "author_id", "comments_archived"),
    "comments": ("author_name", "post_id", "published", "type", "text"),
}


def reading_table(datasette: Datasette, path: str) -> str | None:
    """The table (posts or comments) if ``path`` is an archive's HTML page of it."""
    for database in archive_databases(datasette):
        for table in READING_COLUMNS:
            if path == datasette.urls.table(database, table):
                return table
    return None


def reading_columns_query(table: str) -> bytes:
    return urlencode([("_col", column) for column in READING_COLUMNS[table]]).encode()


def default_to_reading_columns(datasette: Datasette, app: ASGIApp) -> ASGIApp:
    """``app`` answering a bare posts or comments table page with the reading columns."""

    async def reading_app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method", "GET") == "GET" \
                and not scope.get("query_string"):
            table = reading_table(datasette, scope.get("path", ""))
            if table is not None:
                scope = {**scope, "query_string": reading_columns_query(table)}
        await app(scope, receive, send)

    return reading_app
