"""A static mirror of the real WordPress fixture blog, served from memory.

The crawl benchmark's issue asks for "a static mirror of the fixture blog served
by a fast local server (so the crawler, not PHP, is the bottleneck)".  The mirror
is our own WARC of one crawl of the fixture (``tests/wordpress``, Debian's
WordPress on 127.0.0.1): every response it recorded (pages, REST API JSON,
sitemaps, feeds, robots.txt, images) is served again byte for byte, with its
original status and headers, by the same threaded HTTP/1.1 server as the
generated blog.  Links inside the bodies point at the fixture's host:port; they
are rewritten to the mirror's so that the crawl stays on the mirror.

    python -m bench.mirror            # record the mirror (needs `make system-packages`)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

from .common import FAST_CRAWL, OUT, PYTHON, REPO, crawl_env, log
from .serving import LoggingHandler, ServedLog, serving

MIRROR = OUT / "mirror"
THEME = "twentytwentyone"
# Hop-by-hop and length headers describe the original transfer, not the payload we serve.
_DROPPED = {"content-length", "transfer-encoding", "x-archive-orig-transfer-encoding",
            "connection", "keep-alive", "content-encoding", "date", "server"}


@dataclass(frozen=True)
class Stored:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass
class Mirror:
    """Recorded responses by path (with query), and the origin they were recorded from."""

    origin: str  # "127.0.0.1:18401"
    responses: dict[str, Stored]

    @property
    def pages(self) -> int:
        return sum(1 for path in self.responses if path != "/robots.txt")


def record_mirror(folder: Path = MIRROR, theme: str = THEME) -> Path:
    """Crawl the live fixture blog once with WARC capture; returns the WARC folder."""
    sys.path.insert(0, str(REPO))
    from tests.wordpress.wpsite import WordPressStack

    site = WordPressStack().start_site(theme)
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / "archive.db"
    for old in [*folder.glob("archive.db*"), *folder.glob("archive.warcs/*")]:
        old.unlink()
    command = [PYTHON, "-m", "scrapy", "crawl", "wordpress", "-a", f"url={site.home_url}",
               "-a", f"archive={archive}", "-a", "full=yes"]
    for setting in FAST_CRAWL:
        command += ["-s", setting]
    log(f"mirror: crawling {site.home_url} ({theme}) into {folder}")
    subprocess.run(command, cwd=REPO, env=crawl_env(), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return folder / "archive.warcs"


def load_mirror(warcs: Path) -> Mirror:
    """Every response and revisit of the WARCs, keyed by request path and query."""
    by_digest: dict[str, bytes] = {}
    records: list[tuple[str, int, tuple[tuple[str, str], ...], str, bytes | None]] = []
    origin = ""
    for path in sorted(warcs.glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type not in ("response", "revisit") or not record.http_headers:
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI")
                digest = record.rec_headers.get_header("WARC-Payload-Digest") or ""
                parts = urlsplit(uri)
                origin = origin or parts.netloc
                key = parts.path + (f"?{parts.query}" if parts.query else "")
                status = int(record.http_headers.get_statuscode())
                headers = tuple((name, value) for name, value in record.http_headers.headers
                                if name.lower() not in _DROPPED)
                body = record.content_stream().read() if record.rec_type == "response" else None
                if body:
                    by_digest[digest] = body
                records.append((key, status, headers, digest, body))
    responses = {key: Stored(status, headers, body if body is not None
                             else by_digest.get(digest, b""))
                 for key, status, headers, digest, body in records}
    return Mirror(origin, responses)


@dataclass(kw_only=True)
class ServedMirror(ServedLog):
    """A running mirror: what it serves (links rewritten to its port) and what it served."""

    mirror: Mirror
    rewritten: dict[str, Stored] = field(default_factory=dict)


class _MirrorHandler(LoggingHandler):
    served: ServedMirror

    def do_GET(self) -> None:
        started = time.perf_counter()
        stored = self.served.rewritten.get(self.path)
        if stored is None:
            stored = Stored(404, (("Content-Type", "text/html"),), b"<title>Not found</title>")
        self.respond(started, stored.status, stored.headers, stored.body)


@contextmanager
def serve_mirror(mirror: Mirror) -> Iterator[ServedMirror]:
    """Serve the mirror on a free 127.0.0.1 port, its links rewritten to that port."""
    served = ServedMirror(mirror=mirror)
    with serving(_MirrorHandler, served) as here:
        served.rewritten = {path: _rehost(stored, mirror.origin, here)
                            for path, stored in mirror.responses.items()}
        yield served


def _rehost(stored: Stored, origin: str, here: str) -> Stored:
    old, new = origin.encode(), here.encode()
    headers = tuple((name, value.replace(origin, here)) for name, value in stored.headers)
    return Stored(stored.status, headers, stored.body.replace(old, new))


def mirror_available(folder: Path = MIRROR) -> Path | None:
    """The recorded mirror's WARC folder, recording it first when the fixture can run."""
    warcs = folder / "archive.warcs"
    if any(warcs.glob("*.warc.gz")):
        return warcs
    try:
        return record_mirror(folder)
    except Exception as error:  # no MariaDB/PHP here: the generated blog still runs
        log(f"mirror: fixture blog unavailable ({type(error).__name__}: {error}); skipped")
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mirror", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--theme", default=THEME)
    args = parser.parse_args(argv)
    warcs = record_mirror(MIRROR, args.theme)
    mirror = load_mirror(warcs)
    print(f"{len(mirror.responses)} responses recorded from {mirror.origin} in {warcs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
