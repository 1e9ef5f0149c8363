"""What the reading room adds to Datasette's templates: variables for its header search
box and links, filters for scraped HTML, and links from table cells to the reading view."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from datasette.utils.asgi import Request
from jinja2 import Environment
from markupsafe import Markup

from scraper.reading_room import data
from scraper.reading_room.archives import archive_databases
from scraper.reading_room.sanitize import clean_html, safe_url, text_to_html
from scraper.reading_room.urls import SEARCH_PATH, STATIC_URL, post_url

if TYPE_CHECKING:  # datasette.app loads the plugins: importing it here would be circular
    from datasette.app import Datasette

READ_LINK = Markup('<a href="{}" class="rr-read">{}</a>')


def template_vars(datasette: Datasette, request: Request | None) -> dict[str, Any]:
    return {
        "rr_search_url": datasette.urls.path(SEARCH_PATH),
        "rr_static_url": datasette.urls.path(STATIC_URL),
        "rr_query": _search_words(request),
        "rr_post_url": lambda db, post_id, anchor=None: post_url(datasette, db, post_id, anchor),
        "rr_archive_databases": archive_databases(datasette),
    }


def _search_words(request: Request | None) -> str:
    """The words of the search being shown, to keep them in the header's search box."""
    if request is None or request.path != SEARCH_PATH:
        return ""
    words: str = request.args.get("q", "")
    return words


def add_filters(env: Environment) -> None:
    """Filters the reading room's templates put scraped text and HTML through."""
    env.filters["rr_clean"] = lambda html, base=None: Markup(clean_html(html, base))
    env.filters["rr_text"] = lambda text: Markup(text_to_html(text))
    env.filters["rr_safe_url"] = safe_url
    env.filters["rr_date"] = data.display_date
    env.filters["rr_highlight"] = lambda snippet: Markup(data.highlight(snippet))


def read_link_cell(datasette: Datasette, database: str, table: str | None, column: str,
                   row: Any, value: Any) -> Markup | None:
    """Post titles in the posts table, and ``post_id`` columns of query results (canned
    queries), link to the post as its blog showed it; None leaves the cell to Datasette."""
    if database not in archive_databases(datasette) or value is None:
        return None
    if table is None and column == "post_id" and isinstance(value, str):
        return READ_LINK.format(post_url(datasette, database, value), value)
    if table != "posts" or column != "title":
        return None
    try:
        post_id = row["id"]
    except (KeyError, IndexError, TypeError):
        return None
    return READ_LINK.format(post_url(datasette, database, post_id), value)
