"""Helpers for tests that run real crawls: a recording static HTTP server and the crawler CLI.

Crawls run in a subprocess because Twisted's reactor cannot be restarted in one process.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Fast but otherwise default settings: the servers are local and ours.
FAST = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "LOG_LEVEL=INFO")


@dataclass
class StaticSite:
    url: str
    requested: list[str] = field(default_factory=list)


class _RecordingHandler(http.server.SimpleHTTPRequestHandler):
    site: StaticSite

    def do_GET(self) -> None:
        self.site.requested.append(self.path)
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass


@contextmanager
def serve_directory(root: Path) -> Iterator[StaticSite]:
    """Serve a folder on 127.0.0.1 (free port), recording every requested path."""
    site = StaticSite(url="")
    handler = type("Handler", (_RecordingHandler,), {"site": site})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(root))
    )
    site.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def run_scrapy_crawl(url: str, archive: Path, *settings: str, timeout: int = 600,
                     spider_args: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """``scrapy crawl wordpress -a url=… -a archive=…`` as a user would run it
    (``spider_args``: more ``-a NAME=VALUE``, e.g. ``("route=sitemap",)``)."""
    command = [sys.executable, "-m", "scrapy", "crawl", "wordpress", "-a", f"url={url}",
               "-a", f"archive={archive}"]
    for argument in spider_args:
        command += ["-a", argument]
    for setting in (*FAST, *settings):
        command += ["-s", setting]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout)


def run_cli(*args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "scraper.cli", *args]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout)
