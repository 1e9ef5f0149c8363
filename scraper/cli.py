"""``wparchive``: archive WordPress blogs without speaking Scrapy.

    wparchive crawl https://blog.example/            # into ./archive.db
    wparchive crawl URL --archive films.db --serve   # then browse it
    wparchive serve --archive films.db               # Datasette on 127.0.0.1:8001
    wparchive extract page.html --url URL            # what extraction sees, as JSON
    wparchive reextract --archive films.db           # re-run extraction on the WARCs
    wparchive export wxr --archive films.db --output blog.xml   # back into WordPress
    wparchive export wacz --archive films.db --output blog.wacz # for replay tools

``crawl`` runs the project's ``wordpress`` spider in-process (the same one as
``scrapy crawl wordpress``) with a live progress display.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.settings import Settings

    from scraper.crawl.outcome import CrawlOutcome

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_CRAWL_INCOMPLETE = 3
EXIT_ARCHIVE_UNUSABLE = 4  # the archive file is locked, read-only, corrupt, or the disk is full
EXIT_NOTHING_REACHABLE = 5  # no start URL answered, or none is a WordPress blog

# The project's own Scrapy settings, found by import rather than through a scrapy.cfg in the
# current folder: an installed ``wparchive`` runs from anywhere.
SETTINGS_MODULE = "scraper.settings"
DEFAULT_ARCHIVE = "archive.db"
# Where a fleet's Redis is when --redis is not given.
REDIS_ENV = "WPARCHIVE_REDIS"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
# ``--route`` choices: scraper.crawl.discovery.routes.ROUTES plus the automatic order
# (named here so ``--help`` does not import Scrapy; tests/test_cli.py keeps them equal).
ROUTE_CHOICES = ("auto", "api", "wpcom", "sitemap", "feed", "html")
# Spider options that take yes/no, passed to the spider as ``-a name=value`` would be.
YES_NO_OPTIONS = {
    "full": "ignore what the archive holds and refetch every post (default no)",
    "media": "download the images posts show, beside the archive (archive.db → "
             "archive.media/) (default yes)",
    "warc": "record every response in WARC files beside the archive (archive.db → "
            "archive.warcs/) (default yes)",
    "pages": "fetch each post's page; no = an API-only archive (default yes)",
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wparchive")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


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
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
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
    crawl.add_argument("--route", choices=ROUTE_CHOICES, default=None,
                       help="how posts are listed: auto tries api, wpcom, sitemap, feed, html "
                       "in that order (default auto)")
    for name, text in YES_NO_OPTIONS.items():
        crawl.add_argument(f"--{name}", choices=("yes", "no"), default=None, help=text)
    crawl.add_argument("--max-pages", type=int, default=None, metavar="N",
                       help="follow at most N listing pages per blog (default: the "
                       "ARCHIVE_MAX_PAGES setting)")
    crawl.add_argument("--set", "-s", action="append", default=[], metavar="NAME=VALUE",
                       help="override a Scrapy setting, e.g. --set DOWNLOAD_DELAY=2")
    crawl.add_argument("--quiet", "-q", action="store_true",
                       help="no live progress display and no log: only the summary (failures are "
                       "counted there and listed in the fetch_errors table)")
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
    # -o names the archive in every command; -a stays as the older spelling.
    reextract.add_argument("--archive", "-o", "-a", metavar="PATH", default="archive.db",
                           help="archive whose WARCs are read (default archive.db)")
    reextract.add_argument("--output", metavar="PATH",
                           help="write a new archive there instead of updating in place")
    reextract.set_defaults(handler=_reextract)

    _fleet_parsers(commands)
    _export_parser(commands)

    extract = commands.add_parser("extract", help="print what extraction finds in a saved page")
    extract.add_argument("file", type=Path, help="saved HTML file")
    extract.add_argument("--url", required=True, help="the URL the page was saved from")
    extract.set_defaults(handler=_extract)
    return parser


def _fleet_parsers(commands: Any) -> None:
    """``queue``, ``worker`` and ``writer``: many machines archive many blogs into one archive
    (scraper/crawl/fleet)."""
    queue = commands.add_parser("queue", help="the fleet's queue of blogs: add, status")
    queue_commands = queue.add_subparsers(title="queue commands")
    add = _fleet_parser(queue_commands, "add", _queue_add, "queue add",
                        help="queue blogs for the fleet's workers")
    add.add_argument("urls", nargs="*", metavar="URL", help="blog home URL")
    add.add_argument("--urls-file", metavar="FILE",
                     help="a file with one URL per line (# starts a comment)")
    _fleet_parser(queue_commands, "status", _queue_status, "queue status",
                  help="blogs queued, leased, done, failed, and what each worker and the "
                  "writer are doing")
    worker = _fleet_parser(
        commands, "worker", _worker, "worker",
        help="crawl the fleet's queued blogs, one at a time, under a lease",
        description="Take a blog from the queue, crawl it, stream what it archives to the "
        "fleet's writer; repeat. Any number of workers on any number of machines.")
    worker.add_argument("--name", default=None,
                        help="how queue status names this worker (default HOST-PID)")
    worker.add_argument("--exit-when-done", action="store_true",
                        help="stop once no blog is queued or being crawled")
    worker.add_argument("--set", "-s", action="append", default=[], metavar="NAME=VALUE",
                        help="override a Scrapy setting for every crawl, e.g. "
                        "--set FLEET_LEASE_SECONDS=30")
    writer = _fleet_parser(
        commands, "writer", _writer, "writer",
        help="write what the fleet's workers archive into one archive",
        description="The one process that writes the archive: applies the workers' stream "
        "and acknowledges each entry once committed. Run exactly one per fleet.")
    writer.add_argument("--archive", "-o", metavar="PATH", default=DEFAULT_ARCHIVE,
                        help="SQLite file to write (default archive.db)")


def _fleet_parser(commands: Any, name: str, handler: Callable[[argparse.Namespace], int],
                  command: str, **texts: str) -> argparse.ArgumentParser:
    """A fleet command's parser, with its ``--redis`` option and its one-line errors."""
    parser: argparse.ArgumentParser = commands.add_parser(name, **texts)
    parser.add_argument("--redis", default=None,
                        help=f"the fleet's Redis (default: ${REDIS_ENV} or {DEFAULT_REDIS})")
    parser.set_defaults(handler=_fleet_command(handler, command))
    return parser


def _fleet_command(handler: Callable[[argparse.Namespace], int], name: str
                   ) -> Callable[[argparse.Namespace], int]:
    """``handler``, with an unreachable Redis (exit 5) or an archive the writer cannot write
    (exit 4) reported in one line."""

    def run(args: argparse.Namespace) -> int:
        import sqlite3

        import redis

        try:
            return handler(args)
        except redis.ConnectionError as error:
            print(f"wparchive {name}: cannot reach Redis at {_redis_url(args)}: {error}",
                  file=sys.stderr)
            return EXIT_NOTHING_REACHABLE
        except sqlite3.Error as error:
            print(f"wparchive {name}: archive unusable: {error}; nothing unwritten was "
                  "acknowledged: start the writer again once it is fixed", file=sys.stderr)
            return EXIT_ARCHIVE_UNUSABLE

    return run


def _redis_url(args: argparse.Namespace) -> str:
    import os

    return str(args.redis or os.environ.get(REDIS_ENV) or DEFAULT_REDIS)


def _queue_add(args: argparse.Namespace) -> int:
    from scraper.crawl.fleet.connection import DEFAULT_PREFIX, connect
    from scraper.crawl.fleet.queue import BlogQueue
    from scraper.model.urls import urls_in_file

    try:
        urls = [*args.urls, *(urls_in_file(args.urls_file) if args.urls_file else [])]
    except OSError as error:
        print(f"wparchive queue add: {error}", file=sys.stderr)
        return EXIT_USAGE
    problem = _start_urls_problem(urls, has_file=False)
    if problem:
        print(f"wparchive queue add: {problem}", file=sys.stderr)
        return EXIT_USAGE
    queue = BlogQueue(connect(_redis_url(args)), DEFAULT_PREFIX)
    added = sum(queue.add(url) for url in urls)
    print(f"queued {added} blog{'s' if added != 1 else ''}"
          + (f" ({len(urls) - added} already queued or being crawled)"
             if added < len(urls) else ""))
    return EXIT_OK


def _queue_status(args: argparse.Namespace) -> int:
    from scraper.crawl.fleet.connection import DEFAULT_PREFIX, connect
    from scraper.crawl.fleet.status import status_lines

    client = connect(_redis_url(args))
    for line in status_lines(client, DEFAULT_PREFIX):
        print(line)
    return EXIT_OK


def _worker(args: argparse.Namespace) -> int:
    from scraper.crawl.fleet.worker import WorkerOptions, run_worker

    settings = crawl_settings(argparse.Namespace(quiet=True, set=args.set))
    options = WorkerOptions(
        redis_url=_redis_url(args),
        lease_seconds=settings.getfloat("FLEET_LEASE_SECONDS", 60.0),
        max_attempts=settings.getint("FLEET_MAX_ATTEMPTS", 3),
        exit_when_done=args.exit_when_done, overrides=tuple(args.set))
    if args.name:
        options.name = args.name
    done = run_worker(options, _stop_on_signal())
    print(f"wparchive worker {options.name}: {done} blog{'s' if done != 1 else ''} archived")
    return EXIT_OK


def _writer(args: argparse.Namespace) -> int:
    from scraper.archive import connection
    from scraper.crawl.fleet.connection import DEFAULT_PREFIX, connect
    from scraper.crawl.fleet.writer import FleetWriter

    try:
        connection.check_archive(args.archive, connection.DEFAULT_BUSY_TIMEOUT)
    except connection.ArchiveUnusable as error:
        print(f"wparchive writer: {error}", file=sys.stderr)
        return EXIT_ARCHIVE_UNUSABLE
    writer = FleetWriter(connect(_redis_url(args)), DEFAULT_PREFIX, args.archive)
    writer.run(_stop_on_signal())
    print(f"wparchive writer: {writer.applied} entries written into {args.archive}")
    return EXIT_OK


def _stop_on_signal() -> Callable[[], bool]:
    """A flag SIGINT and SIGTERM raise: the loop ends after what it is doing."""
    import signal

    stop = {"now": False}

    def request_stop(signum: int, frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    return lambda: stop["now"]
def _export_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser(
        "export", help="write an archived blog as WXR (back into WordPress) or WACZ",
        description="Export the archive: wxr writes one blog as WordPress eXtended RSS 1.2 "
        "(Tools → Import → WordPress restores it, comments and all); wacz packages the "
        "crawl's WARCs with a page list and indexes for ReplayWeb.page and pywb.",
    )
    formats = export.add_subparsers(title="formats")
    wxr = formats.add_parser("wxr", help="one blog as WordPress eXtended RSS 1.2")
    wxr.add_argument("--blog", metavar="ID",
                     help="the blog to export, as in the blogs table (example.wordpress.com); "
                     "needed when the archive holds several")
    wxr.add_argument("--include-deleted", action="store_true",
                     help="also posts and comments a later crawl found gone, as trash")
    wacz = formats.add_parser("wacz", help="the crawl's WARCs as a WACZ for replay tools")
    for parser, suffix in ((wxr, "xml"), (wacz, "wacz")):
        # -o names the archive in every command; the file written is --output.
        parser.add_argument("--archive", "-o", "-a", metavar="PATH", default=DEFAULT_ARCHIVE,
                            help="archive to read (default archive.db)")
        parser.add_argument("--output", metavar="FILE",
                            help=f"file to write (default: the archive's name with .{suffix})")
        parser.set_defaults(handler=_export, suffix=suffix,
                            exporter=_write_wxr if suffix == "xml" else _write_wacz)


def _crawl(args: argparse.Namespace) -> int:
    from scrapy.crawler import CrawlerProcess

    from scraper.crawl.outcome import outcome_of
    from scraper.crawl.progress import print_summary

    urls = list(args.urls)
    problem = _start_urls_problem(urls, has_file=bool(args.urls_file))
    if problem:
        print(f"wparchive crawl: {problem}", file=sys.stderr)
        return EXIT_USAGE
    settings = crawl_settings(args)
    archive = args.archive or settings.get("ARCHIVE_PATH") or DEFAULT_ARCHIVE
    created = _paths_this_crawl_may_create(archive)
    # One clear line, before any crawling, when the archive cannot be written.
    from scraper.archive import connection

    busy_timeout = settings.getfloat("ARCHIVE_BUSY_TIMEOUT", connection.DEFAULT_BUSY_TIMEOUT)
    try:
        connection.check_archive(archive, busy_timeout)
    except connection.ArchiveUnusable as error:
        print(f"wparchive crawl: {error}", file=sys.stderr)
        return EXIT_ARCHIVE_UNUSABLE
    process = CrawlerProcess(settings)
    _quiet_network_failures()  # after CrawlerProcess, whose logging set-up resets levels
    crawler = process.create_crawler("wordpress")
    process.crawl(crawler, url=",".join(urls), urls_file=args.urls_file, archive=archive,
                  **spider_options(args))
    process.start()
    outcome = outcome_of(crawler.spider)
    verdict = _crawl_problem(outcome, archive, busy_timeout)
    if verdict is not None:
        code, message = verdict
        removed = code == EXIT_NOTHING_REACHABLE
        if removed:
            _remove_created(created)
        print_summary(crawler, "failed: nothing archived" if removed else "failed",
                      "none written" if removed else archive, [])
        print(f"wparchive crawl: {message}", file=sys.stderr)
        return code
    incomplete = outcome.incomplete_reason()
    print_summary(crawler, _heading(outcome), archive,
                  _next_steps(args, archive, outcome, first_crawl=Path(archive) in created))
    if incomplete is not None:
        # Printed before serving: the line must not wait for Datasette to stop.
        print(f"wparchive crawl: incomplete: {incomplete}", file=sys.stderr)
    if args.serve:
        return _serve(argparse.Namespace(archive=archive, host="127.0.0.1", port=args.port,
                                         live=False))
    return EXIT_OK if incomplete is None else EXIT_CRAWL_INCOMPLETE


def _start_urls_problem(urls: Sequence[str], has_file: bool) -> str | None:
    """Why these start URLs cannot be crawled (None: they can)."""
    from scraper.model.urls import validate_start_url

    if not urls and not has_file:
        return "give at least one URL or --urls-file"
    for url in urls:
        problem = validate_start_url(url)
        if problem:
            return f"{url!r}: {problem}"
    return None


def _heading(outcome: CrawlOutcome) -> str:
    if outcome.finish_reason != "finished":
        return f"stopped early ({outcome.finish_reason})"
    if outcome.errors:
        return f"finished with {outcome.errors} error{'s' if outcome.errors != 1 else ''}"
    return "finished"


def _next_steps(args: argparse.Namespace, archive: str, outcome: CrawlOutcome,
                first_crawl: bool) -> list[str]:
    """What the person may do now, as commands to copy."""
    import shlex

    steps = []
    if not first_crawl and not outcome.pages and outcome.complete:
        steps.append("Nothing had changed since the last crawl: the archive was already "
                     "up to date.")
    if not outcome.complete:
        rerun = ["wparchive", "crawl", *args.urls,
                 *(["--urls-file", args.urls_file] if args.urls_file else []),
                 "--archive", archive]
        steps.append("Some pages are missing (see the fetch_errors table); run the same "
                     f"command again to fetch only what is missing: {shlex.join(rerun)}")
    if not args.serve:
        steps.append(f"Read it: {shlex.join(['wparchive', 'serve', '--archive', archive])}")
    return steps


def crawl_settings(args: argparse.Namespace) -> Settings:
    """The project's Scrapy settings (by module, wherever the command runs), then ``--set``."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule(SETTINGS_MODULE, priority="project")
    # The live display and the summary replace Scrapy's log: only problems are logged, and
    # with --quiet nothing but the summary (each failed URL is a fetch_errors row, counted
    # there). The telnet console, whose password Scrapy logs, is off.
    settings.set("PROGRESS_ENABLED", True, priority="cmdline")
    settings.set("PROGRESS_LIVE", not args.quiet, priority="cmdline")
    settings.set("LOG_LEVEL", "CRITICAL" if args.quiet else "WARNING", priority="cmdline")
    settings.set("TELNETCONSOLE_ENABLED", False, priority="cmdline")
    for assignment in args.set:
        name, _, value = assignment.partition("=")
        settings.set(name, value, priority="cmdline")
    return settings


# Scrapy loggers that report a network failure (with its traceback) before the spider does:
# the spider logs one line per URL it could not archive and records it in fetch_errors.
_NETWORK_FAILURE_LOGGERS = ("scrapy.downloadermiddlewares.retry",
                            "scrapy.downloadermiddlewares.robotstxt")


def _quiet_network_failures() -> None:
    """An unreachable host is an ordinary event: no traceback, one line from the spider."""
    import logging

    for name in _NETWORK_FAILURE_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def spider_options(args: argparse.Namespace) -> dict[str, str]:
    """The crawl options given, as the spider's ``-a name=value`` arguments."""
    options = {name: getattr(args, name) for name in ("route", *YES_NO_OPTIONS)}
    if args.max_pages is not None:
        options["max_pages"] = str(args.max_pages)
    return {name: value for name, value in options.items() if value is not None}


def _paths_this_crawl_may_create(archive: str) -> list[Path]:
    """The archive's files and folders that do not exist yet (so this crawl would create)."""
    file = Path(archive)
    paths = [file, *(Path(archive + suffix) for suffix in ("-wal", "-shm", "-journal")),
             # beside the archive, named by its stem (scraper/crawl/warc.py, media.py)
             file.with_name(f"{file.stem}.warcs"), file.with_name(f"{file.stem}.media")]
    return [path for path in paths if not path.exists()]


def _remove_created(paths: list[Path]) -> None:
    """Take back what a crawl that reached nothing created: no empty archive stays behind."""
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            path.unlink(missing_ok=True)


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


def _export_output(args: argparse.Namespace) -> tuple[Path, Path] | str:
    """(archive, output), or the one line to print when they cannot be used."""
    archive = Path(args.archive)
    if archive.suffix.lower() in (".xml", ".wacz") and not archive.exists():
        return (f"{archive} is not an archive: -o names the archive in every wparchive "
                f"command; write the export with --output {archive}")
    output = Path(args.output) if args.output else archive.with_suffix(f".{args.suffix}")
    if output.resolve() == archive.resolve():
        return f"--output {output} would overwrite the archive"
    return archive, output


def _export(args: argparse.Namespace) -> int:
    """Either format: the paths checked, the export written, a failure as one line."""
    import sqlite3

    from scraper.archive.connection import describe_archive_error
    from scraper.archive.reading import ArchiveNotReadable, NotInArchive

    paths = _export_output(args)
    if isinstance(paths, str):
        print(f"wparchive export: {paths}", file=sys.stderr)
        return EXIT_USAGE
    archive, output = paths
    try:
        return int(args.exporter(archive, output, args))
    except NotInArchive as error:
        print(f"wparchive export: {error}", file=sys.stderr)
        return EXIT_USAGE
    except ArchiveNotReadable as error:
        print(f"wparchive export: {error}", file=sys.stderr)
        return EXIT_ARCHIVE_UNUSABLE
    except sqlite3.Error as error:  # the archive failed while it was being read
        print(f"wparchive export: {describe_archive_error(error, archive)}", file=sys.stderr)
        return EXIT_ARCHIVE_UNUSABLE


def _write_wxr(archive: Path, output: Path, args: argparse.Namespace) -> int:
    from scraper.archive.reading import NotInArchive, blog_content, blog_ids, read_only
    from scraper.export.file_output import replace_atomically
    from scraper.export.wxr import write_wxr

    with read_only(archive) as conn:
        blogs = blog_ids(conn)
        if args.blog is None and len(blogs) != 1:
            raise NotInArchive(f"the archive {archive} holds no blog" if not blogs else
                               f"the archive holds {len(blogs)} blogs; choose one with "
                               "--blog: " + ", ".join(blogs))
        content = blog_content(conn, args.blog or blogs[0], args.include_deleted)
        with replace_atomically(output) as file:
            counts = write_wxr(content, file.write)
    print(f"wrote {output}: {counts.posts} posts, {counts.comments} comments, "
          f"{counts.attachments} images, {len(content.authors)} authors, "
          f"{len(content.terms)} terms of {content.blog.id}")
    return EXIT_OK


def _write_wacz(archive: Path, output: Path, args: argparse.Namespace) -> int:
    from scraper.export.wacz import write_wacz

    result = write_wacz(archive, output)
    print(f"wrote {output}: {len(result.pages)} pages from {result.warcs} WARC files")
    if result.missing:
        print(f"wparchive export: incomplete: {len(result.missing)} archived pages have no "
              f"response in the WARCs (first: {result.missing[0]}); they are not in the WACZ",
              file=sys.stderr)
        return EXIT_CRAWL_INCOMPLETE
    return EXIT_OK


def _extract(args: argparse.Namespace) -> int:
    from scraper.extract import extract_page

    extraction = extract_page(args.file.read_bytes(), args.url)
    print(json.dumps(asdict(extraction), indent=2, ensure_ascii=False))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
