"""The reading room's own paths, and links to a post as its blog showed it."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from scraper.reading_room.archives import archive_databases

if TYPE_CHECKING:  # datasette.app loads the plugins: importing it here would be circular
    from datasette.app import Datasette

SEARCH_PATH = "/-/search"
POST_PATH = "/-/post"
MEDIA_PATH = "/-/reading-room/media"
STATIC_URL = "/-/reading-room/static/"
PLUGIN_PATHS = (SEARCH_PATH, POST_PATH, "/-/reading-room/")


def database_params(datasette: Datasette, db_name: str) -> dict[str, str]:
    """The ``db`` argument naming an archive, left out for the first (the default one)."""
    names = archive_databases(datasette)
    return {} if names and names[0] == db_name else {"db": db_name}


def post_url(datasette: Datasette, db_name: str, post_id: str,
             anchor: str | None = None) -> str:
    query = urlencode({"id": post_id, **database_params(datasette, db_name)})
    # Datasette's urls are untyped: it returns a str subclass that knows it has its prefix
    path: str = datasette.urls.path(f"{POST_PATH}?{query}")
    return path + (f"#{anchor}" if anchor else "")
