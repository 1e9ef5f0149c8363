"""Fast full-text search on the archive's own table pages (``/archive/posts?_search=…``).

Datasette (0.65) filters a table search with ``rowid in (select rowid from <fts> where
<fts> match …)``: SQLite lists every match for the page, again for the count and again
for each facet, and the table's browsing order (``published``, which has no index of its
own) sorts every match.  For a word found in most of a million comments that is seconds
per page.  So on the ``posts`` and ``comments`` tables of an archive:

* a plain search page (no filter, order or cursor besides ``_search``) whose words
  match more than ``FACETED_LIMIT`` rows is redirected, as Datasette itself redirects
  ``_sort_by_desc``, to the same search with
  ``_sort_desc=rowid&_nocount=1&_nofacet=1&_labels=off``: most recently archived first,
  no facets, the number of matches stated by the page (exact up to ``COUNT_LIMIT``; so
  does any search page with ``_nocount``);
* such a page (whoever asks for it, HTML or JSON) needs only the matches it can show, so
  its FTS subquery takes just the first ``max_returned_rows + 1`` matches after the
  ``_next`` cursor, in rowid order, which FTS5 reads straight from its index.  The rows
  and the next-page link are exactly those of Datasette's unbounded search.

Everything else (searches of at most ``FACETED_LIMIT`` rows, other filters, another
sort, counts or facets asked for, CSV streams) keeps Datasette's own search.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

from datasette.filters import FilterArguments
from datasette.plugins import pm
from datasette.utils import await_me_maybe, escape_sqlite, tilde_decode
from datasette.utils.asgi import Request, Response

from scraper.reading_room.archives import archive_databases
from scraper.reading_room.asgi_types import ASGIApp, Receive, Scope, Send

if TYPE_CHECKING:  # datasette.app loads the plugins: importing it here would be circular
    from datasette.app import Datasette

SEARCH_TABLES = ("posts", "comments")
# More matches than this: redirected to the fast page.  Datasette's full page (count,
# four facets, date sort, labels) over 200 comment matches of the 1M-comment bench
# archive takes ~70 ms of CPU, a fast page ~40.
FACETED_LIMIT = 100
COUNT_LIMIT = 10_000  # the fast page counts matches up to this many
# Labels off: with foreign-key labels expanded, Datasette 0.65 cannot read the rowid
# cursor of the next-page link (KeyError in its lookup by primary key).
FAST_ARGS = (("_sort_desc", "rowid"), ("_nocount", "1"), ("_nofacet", "1"), ("_labels", "off"))
_FAST_KEYS = frozenset(key for key, _ in FAST_ARGS)
_SORTS = ("_sort", "_sort_desc")
_FAST_PAGE = frozenset({"_sort_desc", "_next"})  # what a fast page adds to a plain search
# Arguments that narrow, order or page the rows: with any of them a search is not a
# plain one, and is answered as asked.
_CHOICES = frozenset({*_SORTS, "_sort_by_desc", "_next", "_where", "_through", "_stream",
                      "_filter_column"})


def _is_filter(key: str) -> bool:
    """Datasette's rule: arguments not starting with ``_`` (or containing ``__``) filter."""
    return not (key.startswith("_") and "__" not in key)


def _only_a_search(args: Any, allow: frozenset[str] = frozenset()) -> bool:
    """True if ``_search`` is given and nothing else narrows, orders or pages the rows.

    An empty ``_sort`` or ``_sort_desc`` orders nothing: the table page's form sends
    them so when a search is made again from a page sorted by rowid.
    """
    if not args.get("_search", "").strip():
        return False
    for key in args:
        if key in allow or (key in _SORTS and not args.get(key)):
            continue
        if _is_filter(key) or key in _CHOICES or key.startswith("_search_"):
            return False
    return True


def _fts_table(datasette: Any, database: str, table: str) -> str:
    return datasette.table_metadata(database, table).get("fts_table") or f"{table}_fts"


def _match_clause(datasette: Any, database: str, table: str, args: Any) -> str:
    """``:search`` as Datasette would pass it to MATCH (escaped unless raw search mode)."""
    raw = datasette.table_metadata(database, table).get("searchmode") == "raw"
    if args.get("_searchmode") in ("raw", "escaped"):
        raw = args.get("_searchmode") == "raw"
    return ":search" if raw else "escape_fts(:search)"


async def count_matches(datasette: Any, database: str, table: str, args: Any,
                        limit: int) -> int | None:
    """Rows matching ``_search``, counted up to ``limit + 1``; None for a bad FTS query."""
    fts = escape_sqlite(_fts_table(datasette, database, table))
    match = _match_clause(datasette, database, table, args)
    sql = (f"select count(*) from (select 1 from {fts} where {fts} match {match}"
           f" limit {limit + 1})")
    try:
        found = await datasette.get_database(database).execute(
            sql, {"search": args.get("_search")})
    except Exception:  # FTS5 syntax error in raw mode: Datasette's page reports it
        return None
    return int(found.first()[0])


# --- the redirect --------------------------------------------------------------------


def searched_table(datasette: Any, path: str, databases: list[str]) -> tuple[str, str] | None:
    """(database, table) if ``path`` is the HTML page of an archive's posts or comments."""
    for database in databases:
        for table in SEARCH_TABLES:
            if path == datasette.urls.table(database, table):
                return database, table
    return None


async def fast_search_location(datasette: Any, request: Any, database: str,
                               table: str) -> str | None:
    """Where to send a plain search of many rows, or None to let Datasette answer."""
    if not _only_a_search(request.args):
        return None
    matches = await count_matches(datasette, database, table, request.args, FACETED_LIMIT)
    if matches is None or matches <= FACETED_LIMIT:
        return None
    kept = [(key, value) for key, value in parse_qsl(request.query_string,
                                                     keep_blank_values=True)
            if key not in _FAST_KEYS and key not in _SORTS]
    return f"{request.path}?{urlencode([*kept, *FAST_ARGS])}"


def redirect_searches_of_many_rows(datasette: Datasette, app: ASGIApp) -> ASGIApp:
    """``app`` sending a plain table search of many rows to its fast form.

    An ASGI wrapper rather than a view: the table page is Datasette's own.
    """

    async def redirecting_app(scope: Scope, receive: Receive, send: Send) -> None:
        location = None
        if scope["type"] == "http":
            location = await _fast_search_redirect(datasette, scope, receive)
        if location is None:
            await app(scope, receive, send)
        else:
            await Response.redirect(location).asgi_send(send)

    return redirecting_app


async def _fast_search_redirect(datasette: Datasette, scope: Scope,
                                receive: Receive) -> str | None:
    """The fast form of a table search of many rows, for whoever may see the table."""
    if scope.get("method", "GET") != "GET" or not scope.get("query_string"):
        return None
    searched = searched_table(datasette, scope.get("path", ""), archive_databases(datasette))
    if searched is None:
        return None
    database, table = searched
    request = Request(scope, receive)
    actor = await _actor(datasette, request)
    visible, _ = await datasette.check_visibility(actor, permissions=[
        ("view-table", (database, table)), ("view-database", database), "view-instance"])
    if not visible:
        return None
    return await fast_search_location(datasette, request, database, table)


async def _actor(datasette: Datasette, request: Request) -> Any:
    """The actor as Datasette will see it (its router resolves it after this wrapper)."""
    for actor in pm.hook.actor_from_request(datasette=datasette, request=request):
        actor = await await_me_maybe(actor)
        if actor:
            return actor
    return request.scope.get("actor")


# --- the bounded FTS subquery ---------------------------------------------------------


def page_cursor(args: Any, path: str) -> tuple[bool, int | None]:
    """(whether the page needs only its own matches, the rowid its rows come before).

    Only when the page is sorted by rowid descending and neither counts nor facets its
    rows (they would see the bounded list); never for CSV, whose stream pages through
    the same request.
    """
    if args.get("_sort_desc") != "rowid" or not (args.get("_nocount") and args.get("_nofacet")):
        return False, None
    if path.endswith(".csv") or not _only_a_search(args, allow=_FAST_PAGE):
        return False, None
    token = args.get("_next")
    if not token:
        return True, None
    try:  # "<rowid>,<primary key>": Datasette's cursor for a sort_desc on rowid
        return True, int(tilde_decode(token.split(",")[0]))
    except ValueError:
        return False, None


def search_filter(datasette: Any, request: Any, database: str,
                  table: str) -> Callable[[], Awaitable[FilterArguments]] | None:
    """The replacement for Datasette's ``_search`` filter on a page that does not count
    its rows (``_nocount``): the same filter, or on a fast page the bounded one, and
    the number of matches in the page's description.  None elsewhere."""
    args = request.args
    if (table not in SEARCH_TABLES or not args.get("_nocount")
            or not args.get("_search", "").strip()
            or any(key.startswith("_search_") for key in args)):
        return None
    fast, before = page_cursor(args, request.path)

    async def inner() -> FilterArguments:
        search = request.args["_search"]
        fts = escape_sqlite(_fts_table(datasette, database, table))
        fts_pk = escape_sqlite(datasette.table_metadata(database, table).get("fts_pk")
                               or "rowid")
        match = _match_clause(datasette, database, table, request.args)
        where = f"{fts_pk} in (select rowid from {fts} where {fts} match {match})"
        if fast:
            # the page shows at most max_returned_rows, and Datasette asks for one more
            window = datasette.setting("max_returned_rows") + 1
            after = "" if before is None else " and rowid < :rr_before"
            where = (f"{fts_pk} in (select rowid from {fts} where {fts} match {match}"
                     f"{after} order by rowid desc limit {window})")
        params: dict[str, Any] = {"search": search}
        if fast and before is not None:
            params["rr_before"] = before
        matches = await count_matches(datasette, database, table, request.args, COUNT_LIMIT)
        if matches is None:
            counted = ""
        elif matches > COUNT_LIMIT:
            counted = f" (more than {COUNT_LIMIT:,} rows)"
        else:
            counted = f" ({matches:,} row{'' if matches == 1 else 's'})"
        return FilterArguments(
            [where], params, [f'search matches "{search}"{counted}'],
            {"supports_search": True, "search": search},
        )

    return inner


def is_datasette_search(result: Any) -> bool:
    """True for what Datasette's own ``search_filters`` hook returned."""
    return (getattr(result, "__module__", None) == "datasette.filters"
            and getattr(result, "__qualname__", "").startswith("search_filters."))


def sortable_columns(columns: list[str]) -> list[str]:
    """A searched table's sortable columns: its own and rowid, the order of a fast page."""
    return [*columns, "rowid"]
