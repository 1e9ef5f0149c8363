"""Which blogs share a server, so that the fleet crawls at most one of them at a time."""

from __future__ import annotations

from urllib.parse import urlsplit

# Hosts whose subdomains are blogs served by one provider's servers: politeness counts them
# as one host.
SHARED_HOSTING = ("wordpress.com",)


def host_group(url: str) -> str:
    """The host (with its port: another port is another server) a blog's politeness is
    counted on; every ``*.wordpress.com`` blog counts as ``wordpress.com``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    for shared in SHARED_HOSTING:
        if host == shared or host.endswith("." + shared):
            return shared
    return f"{host}:{parts.port}" if parts.port else host
