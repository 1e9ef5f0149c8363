"""Is a process still alive, and has a crawl's heartbeat gone quiet?

A crawl killed or crashed leaves its ``crawls`` row ``running``; the next crawl marks it
``interrupted`` (``ArchiveStore.mark_dead_crawls``) when its process is gone or it has not
moved its heartbeat for ``STALE_AFTER`` seconds. The extraction pool's workers use
``process_gone`` too, to exit with a crawler that was SIGKILLed.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

STALE_AFTER = 600  # seconds without a heartbeat after which a "running" crawl is dead


def process_gone(pid: int) -> bool:
    """True once ``pid`` has exited; a zombie (killed, not yet reaped) counts as gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # exists, owned by someone else
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False  # no /proc (not Linux): the kernel said it exists
    return state in ("Z", "X")


def crawl_is_dead(pid: int | None, heartbeat: str | None) -> bool:
    """A ``running`` crawl whose process is gone, or whose heartbeat (ISO UTC) is stale.

    A crawl without a pid (an older archive) is judged by its heartbeat alone."""
    if pid and process_gone(pid):
        return True
    return _older_than(heartbeat, STALE_AFTER)


def _older_than(iso: str | None, seconds: float) -> bool:
    if not iso:
        return True
    try:
        when = datetime.fromisoformat(iso.removesuffix("Z")).replace(tzinfo=UTC)
    except ValueError:
        return True
    return (datetime.now(UTC) - when).total_seconds() > seconds
