"""Connect to the address the scope check approved, not to a second lookup's answer.

``ScopeMiddleware`` resolves a host once and checks every address (no private, loopback,
metadata address unless the start URL is on it); Twisted would then resolve the name
again to connect, and a hostile DNS server could answer differently the second time
(DNS rebinding). The middleware pins the checked address here, and ``PinnedResolver`` —
Scrapy's ``DNS_RESOLVER`` — answers the connection's lookup with it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.defer import Deferred

# host (lower case) → the IPv4 address the scope rules approved; one crawl per process.
PINNED: dict[str, str] = {}


def pin(host: str, addresses: Iterable[str]) -> None:
    """Pin ``host`` to the first IPv4 address among the checked ``addresses`` (Scrapy's
    resolver connects over IPv4 only)."""
    for address in addresses:
        try:
            if ipaddress.ip_address(address).version == 4:
                PINNED[host.lower()] = address
                return
        except ValueError:
            continue


class PinnedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, answering a pinned host with its checked address."""

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        pinned = PINNED.get(name.lower())
        if pinned is not None:
            return defer.succeed(pinned)
        return super().getHostByName(name, timeout)
