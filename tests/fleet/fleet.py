"""A fleet on this machine for the tests: a Redis, one writer and N workers, as processes
started the way an operator starts them (``wparchive writer|worker|queue``)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import redis

from tests.fleet.redis_server import redis_server


def wparchive(*args: str) -> list[str]:
    return [sys.executable, "-m", "scraper.cli", *args]


class Fleet:
    def __init__(self, redis_url: str, folder: Path, settings: Sequence[str]) -> None:
        self.redis_url = redis_url
        self.folder = folder
        self.archive = folder / "fleet.db"
        self.settings = [part for s in settings for part in ("--set", s)]
        self.env = {**os.environ, "WPARCHIVE_REDIS": redis_url}
        self.client = redis.Redis.from_url(redis_url)
        self.writer: subprocess.Popen[bytes] | None = None
        self.workers: dict[str, subprocess.Popen[bytes]] = {}

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(wparchive(*args), env=self.env, capture_output=True, text=True,
                              timeout=60)

    def queue(self, urls: Sequence[str]) -> None:
        result = self.run("queue", "add", *urls)
        assert result.returncode == 0, result.stderr

    def start_writer(self) -> None:
        log = open(self.folder / "writer.log", "ab")  # noqa: SIM115 - the process keeps it
        self.writer = subprocess.Popen(wparchive("writer", "-o", str(self.archive)),
                                       env=self.env, stdout=log, stderr=log)

    def start_worker(self, name: str) -> None:
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 - the process keeps it
        self.workers[name] = subprocess.Popen(
            wparchive("worker", "--name", name, "--exit-when-done", *self.settings),
            env=self.env, stdout=log, stderr=log)

    def kill_worker(self, name: str) -> None:
        self.workers[name].send_signal(signal.SIGKILL)
        self.workers[name].wait()

    def kill_writer(self) -> None:
        assert self.writer is not None
        self.writer.send_signal(signal.SIGKILL)
        self.writer.wait()

    def progress(self) -> dict[str, dict[str, Any]]:
        return {k.decode(): json.loads(v) for k, v in
                self.client.hgetall("wpa:workers").items()}

    def writer_status(self) -> dict[str, Any]:
        raw = self.client.get("wpa:writer")
        return json.loads(raw) if raw else {}

    def wait_for(self, condition: Any, timeout: float, what: str) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; logs in {self.folder}")

    def finish(self, timeout: float) -> None:
        """Wait for the workers to end (the queue is done) and the writer to drain."""
        deadline = time.monotonic() + timeout
        for name, worker in self.workers.items():
            if worker.poll() is None:
                left = max(1.0, deadline - time.monotonic())
                assert worker.wait(timeout=left) == 0, f"worker {name} failed: {self.folder}"
        self.wait_for(lambda: self.client.xlen("wpa:pages") == 0 and self.questions_done(),
                      max(5.0, deadline - time.monotonic()), "the writer to drain the stream")
        time.sleep(0.5)  # the chunk being applied when the stream emptied
        self.stop_writer()

    def questions_done(self) -> bool:
        return self.client.llen("wpa:state-requests") == 0

    def stop_writer(self) -> None:
        if self.writer is not None and self.writer.poll() is None:
            self.writer.send_signal(signal.SIGTERM)
            assert self.writer.wait(timeout=60) == 0, f"writer failed: {self.folder}"

    def stop_all(self) -> None:
        for process in [*self.workers.values(), self.writer]:
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()


@contextmanager
def fleet(folder: Path, settings: Sequence[str]) -> Iterator[Fleet]:
    folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        url = stack.enter_context(redis_server(folder / "redis"))
        running = Fleet(url, folder, settings)
        stack.callback(running.stop_all)
        yield running
