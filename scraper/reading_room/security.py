"""The reading room serves scraped pages: it is read-only, and every response carries a
Content-Security-Policy without inline script and headers that keep it out of frames and
search engines (robots.txt comes from datasette-block-robots)."""

from __future__ import annotations

import base64
import hashlib

from datasette.utils.asgi import Response

from scraper.reading_room.asgi_types import ASGIApp, Message, Receive, Scope, Send
from scraper.reading_room.urls import PLUGIN_PATHS

WRITE_ACTIONS = frozenset({"insert-row", "delete-row", "update-row", "create-table",
                           "alter-table", "drop-table"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def write_permission(action: str) -> bool | None:
    """False for the write actions, whoever asks; None lets Datasette decide the rest."""
    return False if action in WRITE_ACTIONS else None


def sha256_source(script: str) -> str:
    """The CSP source allowing exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


# Datasette's table page keeps one inline script (table.html); allowing exactly its two
# possible texts by hash keeps every other inline script forbidden.  The other core inline
# scripts are replaced by files (templates/_close_open_menus.html, _codemirror_foot.html).
CORE_INLINE_SCRIPTS = tuple(
    sha256_source(f"DATASETTE_ALLOW_FACET = {value};") for value in ("true", "false")
)


def content_security_policy(path: str) -> str:
    """The CSP for a page: no inline script anywhere; no framing, plug-ins or foreign forms."""
    script_src = "'self'"
    if not path.startswith(PLUGIN_PATHS):
        script_src += " " + " ".join(CORE_INLINE_SCRIPTS)
    return "; ".join([
        "default-src 'self'",
        f"script-src {script_src}",
        "script-src-attr 'none'",
        "style-src 'self' 'unsafe-inline'",  # Datasette's pages use style attributes
        # Images come from the archive (<archive>.media via the reading room): a page
        # never asks the blog, or any other host, for anything.
        "img-src 'self' data:",
        "media-src 'self' https: http:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-src 'none'",
        "worker-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ])


def security_headers(path: str) -> list[tuple[bytes, bytes]]:
    return [
        (b"content-security-policy", content_security_policy(path).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-robots-tag", b"noindex, nofollow, noarchive"),
    ]


# Ours replace whatever Datasette or another plugin set.
_REPLACED_HEADERS = frozenset(name for name, _ in security_headers("/"))


def read_only(app: ASGIApp) -> ASGIApp:
    """``app`` refusing every request that is not a read, with the security headers on
    every HTTP response."""

    async def read_only_app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        send = with_security_headers(send, scope.get("path", ""))
        if scope.get("method", "GET") not in READ_METHODS:
            await Response.text(
                "This archive is read-only.", status=405,
                headers={"Allow": "GET, HEAD, OPTIONS"},
            ).asgi_send(send)
            return
        await app(scope, receive, send)

    return read_only_app


def with_security_headers(send: Send, path: str) -> Send:
    async def send_with_headers(event: Message) -> None:
        if event["type"] == "http.response.start":
            headers = [(name, value) for name, value in event.get("headers", [])
                       if name.lower() not in _REPLACED_HEADERS]
            event = {**event, "headers": headers + security_headers(path)}
        await send(event)

    return send_with_headers
