"""Metadata and canned queries for every archive, from ``datasette_meta.json``.

The metadata written there for the database named ``archive`` (the default
``archive.db``) is applied to every database that has the archive's schema, whatever
its file is called; and ``plugins.wparchive.queries_needing_tables`` holds canned
queries that need a table a later version of the archive adds.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from scraper.reading_room.archives import archive_databases, archive_table_columns
from scraper.reading_room.table_search import SEARCH_TABLES, sortable_columns

if TYPE_CHECKING:  # datasette.app loads the plugins: importing it here would be circular
    from datasette.app import Datasette

PLUGIN = "wparchive"
TEMPLATE_DATABASE = "archive"  # whose metadata in datasette_meta.json applies to every archive

# Set while this plugin reads the template through Datasette's own metadata look-up,
# which asks this plugin's get_metadata hook again: the hook then adds nothing.
_READING_TEMPLATE: ContextVar[bool] = ContextVar("wparchive_reading_template", default=False)


def archive_metadata(datasette: Datasette) -> dict[str, Any]:
    """The ``archive`` database's metadata for every other archive database, and rowid
    among the sortable columns of posts and comments (the order of a fast table search)."""
    if _READING_TEMPLATE.get():
        return {}
    template = _template_metadata(datasette)
    columns = archive_table_columns(datasette)
    databases = {}
    for name in archive_databases(datasette):
        meta = copy.deepcopy(template) if template and name != TEMPLATE_DATABASE else {}
        tables = meta.setdefault("tables", {})
        for table in SEARCH_TABLES:
            if table in columns.get(name, {}):
                tables.setdefault(table, {}).setdefault(
                    "sortable_columns", sortable_columns(columns[name][table]))
        databases[name] = meta
    return {"databases": databases} if databases else {}


def _template_metadata(datasette: Datasette) -> dict[str, Any]:
    """The metadata configured for the ``archive`` database (without this plugin's own)."""
    with _reading_template():
        return datasette.metadata(database=TEMPLATE_DATABASE, fallback=False) or {}


@contextmanager
def _reading_template() -> Iterator[None]:
    token = _READING_TEMPLATE.set(True)
    try:
        yield
    finally:
        _READING_TEMPLATE.reset(token)


def queries_needing_tables(
    datasette: Datasette, database: str
) -> Callable[[], Awaitable[dict[str, Any]]] | None:
    """The canned queries of ``plugins.wparchive.queries_needing_tables`` whose tables the
    database has.

    Each names its tables in ``requires``; once they exist, the query replaces the
    same-named one of ``databases.archive.queries``.
    """
    if database not in archive_databases(datasette):
        return None
    config = datasette.plugin_config(PLUGIN) or {}
    candidates: dict[str, dict[str, Any]] = config.get("queries_needing_tables") or {}
    if not candidates:
        return None

    async def inner() -> dict[str, Any]:
        tables = set(await datasette.get_database(database).table_names())
        return {
            name: {key: value for key, value in query.items() if key != "requires"}
            for name, query in candidates.items()
            if all(table in tables for table in query.get("requires", []))
        }

    return inner
