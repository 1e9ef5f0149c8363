"""The fleet's commands: one clear line and an exit code for what is wrong."""

from __future__ import annotations

import pytest
import redis

from scraper.cli import EXIT_NOTHING_REACHABLE, EXIT_OK, EXIT_USAGE, main
from tests.fleet.redis_server import free_port


def test_an_unreachable_redis_is_one_line_and_exit_5(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    assert main(["queue", "status", "--redis", url]) == EXIT_NOTHING_REACHABLE
    error = capsys.readouterr().err
    assert error.startswith(f"wparchive queue status: cannot reach Redis at {url}")
    assert "Traceback" not in error and len(error.strip().splitlines()) == 1


def test_queue_add_refuses_a_url_that_is_not_http_and_queues_nothing(
        capsys: pytest.CaptureFixture[str], redis_url: str, client: redis.Redis) -> None:
    assert main(["queue", "add", "ftp://blog.example/", "--redis", redis_url]) == EXIT_USAGE
    assert "wparchive queue add: 'ftp://blog.example/'" in capsys.readouterr().err
    assert client.zcard("wpa:pending") == 0


def test_queue_add_then_status_counts_the_blogs(
        capsys: pytest.CaptureFixture[str], redis_url: str, client: redis.Redis) -> None:
    assert main(["queue", "add", "https://a.example/", "https://b.wordpress.com/",
                 "https://a.example/", "--redis", redis_url]) == EXIT_OK
    assert "queued 2 blogs (1 already queued or being crawled)" in capsys.readouterr().out
    assert main(["queue", "status", "--redis", redis_url]) == EXIT_OK
    out = capsys.readouterr().out
    assert "blogs: 2 queued, 0 being crawled, 0 done, 0 failed" in out
    assert "writer: none has run yet" in out
