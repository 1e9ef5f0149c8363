"""Paths of the discovery fixture files (tests/fixtures/discovery)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "discovery"


def read_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def read_json(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))
