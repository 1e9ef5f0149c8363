"""Compare two archives' content tables, ignoring when and by which crawl rows were seen."""

from __future__ import annotations

import sqlite3
from pathlib import Path

CONTENT_TABLES = ("blogs", "authors", "posts", "post_versions", "terms", "post_terms", "media",
                  "post_media", "credits", "comments", "comment_versions")
IGNORED = {"first_seen", "last_seen", "crawl_id", "deleted_at", "deleted_crawl_id"}


def table_contents(path: Path, ignored: frozenset[str] | set[str] = IGNORED
                   ) -> dict[str, list[tuple]]:
    """Every content table's rows, sorted, without the ``ignored`` columns."""
    conn = sqlite3.connect(path)
    try:
        contents = {}
        for table in CONTENT_TABLES:
            columns = [row[1] for row in conn.execute(f"pragma table_info([{table}])")
                       if row[1] not in ignored]
            if table == "media" and "local_path" in columns:  # under each archive's folder
                columns.remove("local_path")
            names = ", ".join(f"[{c}]" for c in columns)
            contents[table] = sorted(
                conn.execute(f"select {names} from [{table}]").fetchall(), key=repr)
        return contents
    finally:
        conn.close()
