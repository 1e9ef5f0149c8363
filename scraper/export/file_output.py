"""An export's file appears whole or not at all: written beside its place, then renamed."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


@contextmanager
def temporary_beside(output: Path, suffix: str = "") -> Iterator[Path]:
    """A fresh path in ``output``'s folder; renamed to ``output`` when the block ends
    without error, removed otherwise (an earlier file at ``output`` stays as it was)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(f".{output.name}.{secrets.token_hex(4)}{suffix or '.part'}")
    temporary.open("x").close()  # the umask's permissions, like any file the user writes
    try:
        yield temporary
        temporary.replace(output)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def replace_atomically(output: Path) -> Iterator[TextIO]:
    """A UTF-8 text file that becomes ``output`` once fully written."""
    with temporary_beside(output) as temporary, temporary.open("w", encoding="utf-8") as file:
        yield file
