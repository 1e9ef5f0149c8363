"""What the benchmarks' local servers share: a log of what was served and when, and a
threaded HTTP/1.1 server on a free 127.0.0.1 port that keeps it.

Crawl speed is timed by the server (first request's arrival to last response's end),
the same way for the crawler under test and for the bare spider.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(kw_only=True)
class ServedLog:
    """A running server: its URL and what it served (thread-safe)."""

    url: str = ""
    paths: list[str] = field(default_factory=list)
    first_request: float | None = None
    last_response: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.paths.clear()
            self.first_request = self.last_response = None

    def record(self, path: str, started: float, ended: float) -> None:
        with self.lock:
            self.paths.append(path)
            if self.first_request is None:
                self.first_request = started
            self.last_response = ended

    @property
    def served_seconds(self) -> float:
        """From the first request's arrival to the last response's end."""
        if self.first_request is None or self.last_response is None:
            return 0.0
        return self.last_response - self.first_request


class LoggingHandler(http.server.BaseHTTPRequestHandler):
    """Keep-alive HTTP/1.1 (as Scrapy's client uses); every response goes in the log."""

    protocol_version = "HTTP/1.1"
    served: ServedLog

    def respond(self, started: float, status: int, headers: Iterable[tuple[str, str]],
                body: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.served.record(self.path, started, time.perf_counter())

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64


@contextmanager
def serving(handler: type[LoggingHandler], served: ServedLog) -> Iterator[str]:
    """Serve with ``handler`` on a free 127.0.0.1 port, logging into ``served``;
    yields "127.0.0.1:<port>" (``served.url`` is set before)."""
    server = _Server(("127.0.0.1", 0), type("Handler", (handler,), {"served": served}))
    here = f"127.0.0.1:{server.server_address[1]}"
    served.url = f"http://{here}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield here
    finally:
        server.shutdown()
        server.server_close()
