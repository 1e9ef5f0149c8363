"""What the archive already holds of a blog, asked of the writer by the worker that starts it.

A single crawl reads the blog's ``url_state`` from ``archive.db`` (``load_state``) to resume a
killed crawl or re-crawl incrementally; a fleet worker has no archive, so it asks the writer,
which owns it.  The writer answers only once it has applied every stream entry sent before
the question (``writer.py``), so a blog whose worker died resumes from everything that
worker's stream entries stored.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from typing import cast

import redis

from scraper.archive.state import ArchiveState
from scraper.crawl.fleet.connection import LONGEST_BLOCK, reply
from scraper.crawl.fleet.messages import dumps, loads

REQUESTS = "state-requests"
ANSWER_TTL = 600  # seconds an unread answer stays in Redis


@dataclass(frozen=True, slots=True)
class BlogState:
    """The archive's state of a blog, and its images (stored or still without a file)."""

    archive: ArchiveState | None = None
    stored_media: frozenset[str] = frozenset()
    media_without_file: tuple[tuple[str, str], ...] = ()  # (image URL, blog URL)
    last_crawl_id: str | None = None  # the blog's latest crawl still marked running


def ask(client: redis.Redis, prefix: str, blog_url: str, wait: float) -> BlogState | None:
    """The writer's answer for ``blog_url``; None when no writer answered within ``wait``
    seconds."""
    answer_key = f"{prefix}state-answer:{secrets.token_hex(8)}"
    client.rpush(prefix + REQUESTS, json.dumps({"blog": blog_url, "reply": answer_key}))
    deadline = time.monotonic() + wait
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        answer = reply(client.blpop([answer_key], timeout=max(1, int(min(left, LONGEST_BLOCK)))))
        if answer is not None:
            state = loads(cast(bytes, answer[1]))  # the client returns bytes
            assert isinstance(state, BlogState)
            return state


def pending_questions(client: redis.Redis, prefix: str) -> list[tuple[str, str]]:
    """(blog URL, reply key) of every question waiting for the writer."""
    questions = []
    while (raw := reply(client.lpop(prefix + REQUESTS))) is not None:
        request = json.loads(cast(bytes, raw))
        questions.append((request["blog"], request["reply"]))
    return questions


def answer(client: redis.Redis, answer_key: str, state: BlogState) -> None:
    pipe = client.pipeline()
    pipe.rpush(answer_key, dumps(state))
    pipe.expire(answer_key, ANSWER_TTL)
    pipe.execute()
