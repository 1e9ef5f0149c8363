"""A real Redis per test module (Debian's redis-server on a free 127.0.0.1 port)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from tests.fleet.redis_server import redis_server


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def client(redis_url: str) -> Iterator[redis.Redis]:
    """A client on an empty database."""
    connection = redis.Redis.from_url(redis_url)
    connection.flushdb()
    yield connection
    connection.close()
