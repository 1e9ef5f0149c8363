"""Run ``wparchive`` under a hostile resolver (for tests/faults/test_pinned_dns.py).

    python -m tests.faults.hostile_dns LOG -- crawl http://blog.rebind.test:PORT/ …

Every name under ``.rebind.test`` answers 127.0.0.1 on its first lookup and fails on any
later one, as a DNS-rebinding server would answer something else the second time; every
lookup (of any name) is appended to the file LOG, one name a line. The process's own
resolver functions are replaced: no DNS server is involved and no packet leaves the host.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path
from typing import Any

HOSTILE_SUFFIX = ".rebind.test"
_answered: set[str] = set()
_real_getaddrinfo = socket.getaddrinfo
_real_gethostbyname = socket.gethostbyname


def _lookup(log: Path, name: str) -> str | None:
    """The hostile answer for ``name`` (None: not a hostile name, ask the real resolver)."""
    with log.open("a") as stream:
        stream.write(name + "\n")
    if not name.lower().endswith(HOSTILE_SUFFIX):
        return None
    if name.lower() in _answered:
        raise socket.gaierror(socket.EAI_NONAME, f"rebinding: second lookup of {name}")
    _answered.add(name.lower())
    return "127.0.0.1"


def install(log: Path) -> None:
    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        answer = _lookup(log, name) if isinstance(name, str) else None
        return _real_getaddrinfo(answer or host, port, *args, **kwargs)

    def gethostbyname(name: str) -> str:
        return _lookup(log, name) or _real_gethostbyname(name)

    socket.getaddrinfo = getaddrinfo
    socket.gethostbyname = gethostbyname


if __name__ == "__main__":
    log_file, separator, *arguments = sys.argv[1:]
    assert separator == "--", "usage: hostile_dns LOG -- wparchive arguments"
    install(Path(log_file))
    from scraper.cli import main

    sys.exit(main(arguments))
