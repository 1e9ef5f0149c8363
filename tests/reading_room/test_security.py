"""The ASGI wrapper that keeps the reading room read-only and sets its security headers,
on a stand-in application (tests/reading_room/test_datasette.py checks them on Datasette)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from scraper.reading_room.asgi_types import Message, Receive, Scope, Send
from scraper.reading_room.security import (
    CORE_INLINE_SCRIPTS,
    content_security_policy,
    read_only,
    write_permission,
)


class StandIn:
    """An ASGI app answering 200 with its own (weaker) CSP, noting what reached it."""

    def __init__(self) -> None:
        self.scopes: list[Scope] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.scopes.append(scope)
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"Content-Security-Policy", b"script-src *"),
                                (b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok"})


def _call(app: Any, scope: Scope) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent


def _headers(sent: list[Message]) -> dict[bytes, list[bytes]]:
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers: dict[bytes, list[bytes]] = {}
    for name, value in start["headers"]:
        headers.setdefault(name.lower(), []).append(value)
    return headers


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_requests_that_would_write_are_refused_before_reaching_datasette(method: str) -> None:
    app = StandIn()
    sent = _call(read_only(app), {"type": "http", "method": method, "path": "/archive"})
    assert app.scopes == []
    assert sent[0]["status"] == 405
    assert _headers(sent)[b"allow"] == [b"GET, HEAD, OPTIONS"]
    assert b"x-robots-tag" in _headers(sent)


def test_reads_reach_datasette_and_get_our_headers_instead_of_its_own() -> None:
    app = StandIn()
    sent = _call(read_only(app), {"type": "http", "method": "GET", "path": "/archive"})
    assert len(app.scopes) == 1
    headers = _headers(sent)
    assert headers[b"content-security-policy"] == [content_security_policy("/archive").encode()]
    assert headers[b"x-frame-options"] == [b"DENY"]
    assert headers[b"x-content-type-options"] == [b"nosniff"]
    assert headers[b"referrer-policy"] == [b"no-referrer"]
    assert headers[b"content-type"] == [b"text/plain"]


def test_other_asgi_events_pass_through_untouched() -> None:
    app = StandIn()
    assert _call(read_only(app), {"type": "lifespan"}) == []
    assert app.scopes == [{"type": "lifespan"}]


def test_only_datasettes_own_pages_may_run_its_one_inline_script() -> None:
    for path in ("/-/search", "/-/post", "/-/reading-room/media"):
        assert "script-src 'self';" in content_security_policy(path)
    table_page = content_security_policy("/archive/posts")
    assert all(source in table_page for source in CORE_INLINE_SCRIPTS)
    assert "unsafe-inline" not in table_page.split("script-src", 1)[1].split(";", 1)[0]


def test_write_permissions_are_denied_and_others_left_to_datasette() -> None:
    assert write_permission("insert-row") is False
    assert write_permission("drop-table") is False
    assert write_permission("view-table") is None
