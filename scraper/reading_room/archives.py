"""Which attached databases are archives: those with the archive's ``posts`` and
``comments`` tables, whatever their files are called.

What is found is remembered per Datasette instance in a module-level table keyed by the
instance (Datasette has no public place for a plugin's state), weakly, so an instance a
test drops takes its entry with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

if TYPE_CHECKING:  # datasette.app loads the plugins: importing it here would be circular
    from datasette.app import Datasette


ARCHIVE_TABLES = ("posts", "comments")
INTERNAL_DATABASE = "_internal"


@dataclass(frozen=True)
class Archives:
    """The archives of one Datasette instance, in attach order."""

    names: tuple[str, ...] = ()
    # per archive: the columns of its posts and comments tables
    columns: dict[str, dict[str, list[str]]] = field(default_factory=dict)


_FOUND: WeakKeyDictionary[Datasette, Archives] = WeakKeyDictionary()


def archive_databases(datasette: Datasette) -> list[str]:
    """Names of the attached archives, as last found (none before the first look)."""
    return list(_found(datasette).names)


def archive_table_columns(datasette: Datasette) -> dict[str, dict[str, list[str]]]:
    """Per archive: the columns of its posts and comments tables, as last found."""
    return _found(datasette).columns


async def find_archives(datasette: Datasette) -> list[str]:
    """Look at the attached databases again, remember which are archives and return them."""
    names: list[str] = []
    columns: dict[str, dict[str, list[str]]] = {}
    for name, db in datasette.databases.items():
        if name == INTERNAL_DATABASE:
            continue
        tables = set(await db.table_names())
        if all(table in tables for table in ARCHIVE_TABLES):
            names.append(name)
            columns[name] = {table: await db.table_columns(table) for table in ARCHIVE_TABLES}
    _FOUND[datasette] = Archives(tuple(names), columns)
    return names


def _found(datasette: Datasette) -> Archives:
    return _FOUND.get(datasette) or Archives()
