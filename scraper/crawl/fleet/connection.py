"""The fleet's Redis connection."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from typing import TypeVar

import redis

T = TypeVar("T")

# The longest a fleet command blocks in Redis (XREADGROUP BLOCK, BLPOP), in seconds; the
# socket timeout stays above it (redis-py 8 defaults to 5 s, which cuts long blocking reads).
LONGEST_BLOCK = 5.0
SOCKET_TIMEOUT = 30.0

# Key prefix of everything the fleet keeps in Redis (one fleet per prefix).
DEFAULT_PREFIX = "wpa:"


def connect(url: str) -> redis.Redis:
    """A client for ``redis://HOST:PORT[/DB]`` that returns bytes."""
    return redis.Redis.from_url(url, socket_timeout=SOCKET_TIMEOUT,
                                socket_connect_timeout=10, health_check_interval=30)


def text(value: bytes | str) -> str:
    """A key or member as text (the client returns bytes)."""
    return value.decode() if isinstance(value, bytes) else value


def reply(value: Awaitable[T] | T) -> T:
    """A command's reply: redis-py types every command for its sync and async clients alike,
    and the fleet uses only the sync one."""
    assert not inspect.isawaitable(value)
    return value
