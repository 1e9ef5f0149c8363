"""``wparchive``: archive WordPress blogs without speaking Scrapy.

    wparchive crawl https://blog.example/            # into ./archive.db
    wparchive crawl URL --archive films.db --serve   # then browse it
    wparchive serve --archive films.db               # Datasette on 127.0.0.1:8001
    wparchive extract page.html --url URL            # what extraction sees, as JSON
    wparchive reextract --archive films.db           # re-run extraction on the WARCs

``crawl`` runs the project's ``wordpress`` spider in-process (the same one as
``scrapy crawl wordpress``) with a live progress display.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scraper.crawl.outcome import CrawlOutcome

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_CRAWL_INCOMPLETE = 3
EXIT_ARCHIVE_UNUSABLE = 4  # the archive file is locked, read-only, corrupt, or the disk is full
EXIT_NOTHING_REACHABLE = 5  # no start URL answered, or none is a WordPress blog


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return EXIT_USAGE
    return int(args.handler(args))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wparchive",
        description="Archive WordPress blogs (posts, image credits, threaded comments) "
        "into SQLite and browse them with Datasette.",
    )
    commands = parser.add_subparsers(title="commands")

    crawl = commands.add_parser(
        "crawl", help="archive one or more blogs or posts",
        description="Crawl blogs (or single posts) into the archive. Reruns update rows in "
        "place; nothing is duplicated.",
    )
    crawl.add_argument("urls", nargs="*", metavar="URL",
                       help="blog home URL (every public post) or a single post URL")
    crawl.add_argument("--urls-file", metavar="FILE",
                       help="a file with one URL per line (# starts a comment)")
    crawl.add_argument("--archive", "-o", metavar="PATH",
                       help="SQLite file to write (default: ARCHIVE_PATH setting, archive.db)")
    crawl.add_argument("--set", "-s", action="append", default=[], metavar="NAME=VALUE",
                       help="override a Scrapy setting, e.g. --set DOWNLOAD_DELAY=2")
    crawl.add_argument("--quiet", "-q", action="store_true",
                       help="no live progress display, only warnings and the summary")
    crawl.add_argument("--serve", action="store_true",
                       help="serve the archive with Datasette when the crawl ends")
    crawl.add_argument("--port", type=int, default=8001, help="port for --serve (default 8001)")
    crawl.set_defaults(handler=_crawl)

    serve = commands.add_parser("serve", help="browse an archive in Datasette (read-only)")
    serve.add_argument("--archive", "-o", metavar="PATH", default="archive.db",
                       help="SQLite file to serve (default archive.db)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    serve.add_argument("--live", action="store_true",
                       help="the archive is still being written: open it read-only, "
                       "not immutable")
    serve.set_defaults(handler=_serve)

    reextract = commands.add_parser(
        "reextract", help="rebuild the archive's rows from its WARCs, without refetching",
        description="Re-run extraction on every archived page recorded in the archive's "
        "WARC files (<archive>.warcs/) and store the result, in place or into --output.",
    )
    reextract.add_argument("--archive", "-a", metavar="PATH", default="archive.db",
                           help="archive whose WARCs are read (default archive.db)")
    reextract.add_argument("--output", "-o", metavar="PATH",
                           help="write a new archive there instead of updating in place")
    reextract.set_defaults(handler=_reextract)

    extract = commands.add_parser("extract", help="print what extraction finds in a saved page")
    extract.add_argument("file", type=Path, help="saved HTML file")
    extract.add_argument("--url", required=True, help="the URL the page was saved from")
    extract.set_defaults(handler=_extract)
    return parser


def _crawl(args: argparse.Namespace) -> int:
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from scraper.crawl.outcome import outcome_of
    from scraper.model.urls import validate_start_url

    urls = list(args.urls)
    if not urls and not args.urls_file:
        print("wparchive crawl: give at least one URL or --urls-file", file=sys.stderr)
        return EXIT_USAGE
    for url in urls:
        problem = validate_start_url(url)
        if problem:
            print(f"wparchive crawl: {url!r}: {problem}", file=sys.stderr)
            return EXIT_USAGE
    settings = get_project_settings()
    for assignment in args.set:
        name, _, value = assignment.partition("=")
        settings.set(name, value, priority="cmdline")
    if not args.quiet:
        settings.set("PROGRESS_ENABLED", True, priority="cmdline")
        settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    archive = args.archive or settings.get("ARCHIVE_PATH")
    # One clear line, before any crawling, when the archive cannot be written.
    from scraper.archive import connection

    busy_timeout = settings.getfloat("ARCHIVE_BUSY_TIMEOUT", connection.DEFAULT_BUSY_TIMEOUT)
    try:
        connection.check_archive(archive, busy_timeout)
    except connection.ArchiveUnusable as error:
        print(f"wparchive crawl: {error}", file=sys.stderr)
        return EXIT_ARCHIVE_UNUSABLE
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("wordpress")
    process.crawl(crawler, url=",".join(urls), urls_file=args.urls_file, archive=archive)
    process.start()
    outcome = outcome_of(crawler.spider)
    verdict = _crawl_problem(outcome, archive, busy_timeout)
    if verdict is not None:
        code, message = verdict
        print(f"wparchive crawl: {message}", file=sys.stderr)
        return code
    incomplete = outcome.incomplete_reason()
    if incomplete is not None:
        # Printed before serving: the line must not wait for Datasette to stop.
        print(f"wparchive crawl: incomplete: {incomplete}", file=sys.stderr)
    if args.serve:
        return _serve(argparse.Namespace(archive=archive, host="127.0.0.1", port=args.port,
                                         live=False))
    return EXIT_OK if incomplete is None else EXIT_CRAWL_INCOMPLETE


def _crawl_problem(outcome: CrawlOutcome, archive: str, busy_timeout: float
                   ) -> tuple[int, str] | None:
    """(exit code, one line for stderr) when the crawl could not do its job at all."""
    from scraper.archive import connection

    if outcome.unusable:
        return EXIT_ARCHIVE_UNUSABLE, outcome.unusable
    if not outcome.crawl_id:  # the archive could not even be opened
        try:
            connection.check_archive(archive, busy_timeout)
        except connection.ArchiveUnusable as error:
            return EXIT_ARCHIVE_UNUSABLE, str(error)
        return EXIT_ARCHIVE_UNUSABLE, f"archive {archive} could not be opened; see the log above"
    if not outcome.start_pages_ok and outcome.finish_reason == "finished":
        failures = outcome.start_failures or ["no start URL answered"]
        return EXIT_NOTHING_REACHABLE, "nothing reachable: " + "; ".join(failures)
    if outcome.not_wordpress and not outcome.pages:
        return EXIT_NOTHING_REACHABLE, (
            "not a WordPress blog: the start page has no WordPress markers (generator, "
            "wp-content, REST API link); nothing was archived")
    return None


def _serve(args: argparse.Namespace) -> int:
    from scraper.serve import serve

    if not Path(args.archive).exists():
        print(f"wparchive serve: no archive at {args.archive}; run `wparchive crawl URL` first",
              file=sys.stderr)
        return EXIT_USAGE
    serve(args.archive, host=args.host, port=args.port, immutable=not args.live)
    return EXIT_OK


def _reextract(args: argparse.Namespace) -> int:
    from scraper.reextract import reextract, warc_files

    if not Path(args.archive).exists() or not warc_files(args.archive):
        print(f"wparchive reextract: no archive with WARCs at {args.archive}", file=sys.stderr)
        return EXIT_USAGE
    result = reextract(args.archive, args.output)
    print(f"re-extracted {result.pages} pages and {result.media} images from the WARCs into "
          f"{args.output or args.archive} in {result.seconds:.1f} s"
          + (f"; {result.missing} records missing" if result.missing else ""))
    return EXIT_OK if not result.missing else EXIT_CRAWL_INCOMPLETE


def _extract(args: argparse.Namespace) -> int:
    from scraper.extract import extract_page

    extraction = extract_page(args.file.read_bytes(), args.url)
    print(json.dumps(asdict(extraction), indent=2, ensure_ascii=False))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
