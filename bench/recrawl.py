"""Re-crawl benchmark (issue 6): requests and wall time of a first crawl, an unchanged
re-crawl and a re-crawl after a change set, in one run, against the real WordPress fixture.

    python -m bench.recrawl            # own stack: WPA_STATE_DIR (default /tmp/wpa-recrawl),
                                       # WPA_PORT_BASE (20500), WPA_DB_PORT (20506)

The change set (tests/recrawl/mutate.php): 3 new posts with 2 comments each, 2 edited
bodies, 5 new comments on old posts (one a reply), 1 comment and 1 post trashed. The blog is
reseeded before and after (the stack is left as it was seeded). Default crawl settings
(media downloads and WARC as shipped), no throttling.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.wordpress.wpsite import PHP_DIR, WordPressStack

REPO = Path(__file__).resolve().parent.parent
MUTATE = REPO / "tests" / "recrawl" / "mutate.php"
SETTINGS = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "LOG_LEVEL=WARNING")


def _crawl(url: str, archive: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "scrapy", "crawl", "wordpress", "-a", f"url={url}",
               "-a", f"archive={archive}"]
    for setting in SETTINGS:
        command += ["-s", setting]
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    with sqlite3.connect(archive) as conn:
        conn.row_factory = sqlite3.Row
        row = dict(conn.execute("select * from crawls order by started_at desc, rowid desc"
                                " limit 1").fetchone())
    kinds = json.loads(row["requests_by_kind"] or "{}")
    return {"mode": row["mode"], "requests": row["requests"], "kinds": kinds,
            "requests_no_media": row["requests"] - kinds.get("media", 0), "wall_s": wall}


def main() -> int:
    stack = WordPressStack(
        os.environ.get("WPA_STATE_DIR") or "/tmp/wpa-recrawl",
        db_port=int(os.environ.get("WPA_DB_PORT") or 20506),
        port_base=int(os.environ.get("WPA_PORT_BASE") or 20500))
    stack.provision(reseed=True)
    site = stack.start_site("twentytwentyone")
    results = {}
    try:
        with tempfile.TemporaryDirectory() as folder:
            archive = Path(folder) / "archive.db"
            results["first crawl"] = _crawl(site.home_url, archive)
            results["unchanged re-crawl"] = _crawl(site.home_url, archive)
            env = {**stack.php_env(site.base_url, site.theme), "WPA_PHP_DIR": str(PHP_DIR)}
            subprocess.run(stack._php_cmd(str(MUTATE), error_log=stack.log_dir / "mutate.log"),
                           env=env, check=True, capture_output=True, timeout=120)
            results["re-crawl after change set"] = _crawl(site.home_url, archive)
    finally:
        stack.provision(reseed=True)  # the blog as seeded again
    first = results["first crawl"]
    print(f"{'crawl':28} {'mode':12} {'requests':>8} {'w/o media':>9} {'% of 1st':>8} "
          f"{'wall s':>7}  requests by kind")
    for name, r in results.items():
        share = 100 * r["requests"] / first["requests"]
        print(f"{name:28} {r['mode']:12} {r['requests']:>8} {r['requests_no_media']:>9} "
              f"{share:>7.1f}% {r['wall_s']:>7.2f}  {json.dumps(r['kinds'], sort_keys=True)}")
    unchanged = results["unchanged re-crawl"]
    print(f"\nunchanged re-crawl: {unchanged['requests']} requests = "
          f"{100 * unchanged['requests'] / first['requests']:.1f}% of the first crawl "
          f"({100 * unchanged['requests'] / first['requests_no_media']:.1f}% of its "
          f"{first['requests_no_media']} page/API requests); target 2%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
