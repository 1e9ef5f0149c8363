"""Archive the fixture blog with one checkout's code, and compare two such sets of archives.

A refactoring must leave every content row as it was. This crawls the real WordPress
fixture in every theme, with and without post pages and with every discovery route
disabled, then compares each archive's content tables with another checkout's, leaving
out what differs between any two crawls (times, crawl ids, WARC file names and record ids)::

    python -m tests.fidelity.snapshot crawl OUT_BEFORE --checkout /path/to/old/checkout
    python -m tests.fidelity.snapshot crawl OUT_AFTER
    python -m tests.fidelity.snapshot compare OUT_BEFORE OUT_AFTER   # exit 1 on a difference
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.crawling import REPO
from tests.fidelity.compare import CONTENT_TABLES, IGNORED, table_contents
from tests.wordpress.wpsite import up

# Differ between two crawls of the same blog whatever the code: when, which crawl, which file.
VOLATILE = IGNORED | {"fetched_at", "warc_file", "warc_record_id"}

SITES = (("twentytwentyone", ""), ("twentytwentytwo", ""), ("twentytwentythree", ""),
         ("twentytwentyone", "rest,sitemap,feed"))
VARIANTS = (("default", ()), ("nopages", ("-a", "pages=no")))


def crawl_all(out: Path, checkout: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(checkout))
    for theme, disable in SITES:
        site = up(theme=theme, disable=disable)
        for variant, arguments in VARIANTS:
            name = f"{theme}-{disable.replace(',', '_') or 'all'}-{variant}"
            for old in out.glob(f"{name}.*"):
                shutil.rmtree(old) if old.is_dir() else old.unlink()
            command = [sys.executable, "-m", "scrapy", "crawl", "wordpress",
                       "-a", f"url={site.url()}", "-a", f"archive={out / name}.db",
                       "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
                       "-s", "LOG_LEVEL=WARNING", *arguments]
            done = subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True)
            print(f"{name}: exit {done.returncode}", done.stderr[-500:] if done.returncode else "")


def compare_all(before: Path, after: Path) -> int:
    differing = 0
    for old in sorted(before.glob("*.db")):
        new = after / old.name
        a, b = table_contents(old, VOLATILE), table_contents(new, VOLATILE)
        tables = [t for t in CONTENT_TABLES if a[t] != b[t]]
        rows = sum(len(v) for v in a.values())
        verdict = "identical" if not tables else f"DIFFERENT in {', '.join(tables)}"
        print(f"{old.stem}: {rows} rows in {len(CONTENT_TABLES)} content tables, {verdict}")
        differing += bool(tables)
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    crawl = commands.add_parser("crawl")
    crawl.add_argument("out", type=Path)
    crawl.add_argument("--checkout", type=Path, default=REPO)
    compare = commands.add_parser("compare")
    compare.add_argument("before", type=Path)
    compare.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "crawl":
        crawl_all(args.out.resolve(), args.checkout.resolve())
        return 0
    return compare_all(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())
