"""The reading room's own paths, and links to a post as its blog showed it."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from scraper.reading_room.archives import archive_databases

if TYPE_CHECKING:  # datasette.app loads the plugins: importing it here would be circular
    from datasette.app import Datasette

SEARCH_PATH = "/-/search"
POST_PATH = "/-/post"
WORK_PATH = "/-/work"
MEDIA_PATH = "/-/reading-room/media"
STATIC_URL = "/-/reading-room/static/"
PLUGIN_PATHS = (SEARCH_PATH, POST_PATH, WORK_PATH, "/-/reading-room/")


def database_params(datasette: Datasette, db_name: str) -> dict[str, str]:
    """The ``db`` argument naming an archive, left out for the first (the default one)."""
    names = archive_databases(datasette)
    return {} if names and names[0] == db_name else {"db": db_name}


def post_url(datasette: Datasette, db_name: str, post_id: str,
             anchor: str | None = None) -> str:
    return _page_url(datasette, db_name, POST_PATH, post_id) + (f"#{anchor}" if anchor else "")


def work_url(datasette: Datasette, db_name: str, work_id: str) -> str:
    """The reading room's page of a reviewed work: every review of it across the blogs."""
    return _page_url(datasette, db_name, WORK_PATH, work_id)


def _page_url(datasette: Datasette, db_name: str, page_path: str, row_id: str) -> str:
    query = urlencode({"id": row_id, **database_params(datasette, db_name)})
    # Datasette's urls are untyped: it returns a str subclass that knows it has its prefix
    path: str = datasette.urls.path(f"{page_path}?{query}")
    return path
