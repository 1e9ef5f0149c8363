"""What workers send the writer through the Redis stream, and how it is encoded.

A message is one write of the archive's writer — a method of ``ArchiveStore`` with its
arguments (``save_page``, ``post_complete``, ``finish_crawl``…) — or one of the fleet's own
(``warc_write``: bytes at an offset of a WARC file; ``media_file``: an image's bytes).  It is
pickled: the items are the model's frozen dataclasses.  Unpickling admits only the
project's data classes and plain containers (``_AllowedUnpickler``), so an entry in Redis
cannot make the writer run code.
"""

from __future__ import annotations

import io
import pickle
from dataclasses import dataclass
from typing import Any

# The stream's one field, and the consumer group of the writer.
FIELD = b"m"
GROUP = "writer"

# Modules whose classes a message may hold: the model's records and items, and the archive
# state the writer answers a resuming worker with.
_ALLOWED_MODULES = ("scraper.model.", "scraper.archive.state", "scraper.crawl.fleet.blog_state")
_ALLOWED_BUILTINS = {"set", "frozenset", "bytearray", "complex", "slice", "range"}


@dataclass(frozen=True, slots=True)
class Message:
    method: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


class UnsafeMessage(pickle.UnpicklingError):
    """A stream entry that names a class outside the allowed ones."""


class _AllowedUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module.startswith(_ALLOWED_MODULES) or (
                module == "builtins" and name in _ALLOWED_BUILTINS) or (
                module == "copyreg" and name == "_reconstructor"):
            return super().find_class(module, name)
        raise UnsafeMessage(f"a fleet message may not hold {module}.{name}")


def dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def loads(data: bytes) -> Any:
    return _AllowedUnpickler(io.BytesIO(data)).load()


def encode(method: str, *args: Any, **kwargs: Any) -> dict[bytes, bytes]:
    """The stream entry of one write."""
    return {FIELD: dumps((method, args, kwargs))}


def decode(fields: dict[bytes, bytes]) -> Message:
    method, args, kwargs = loads(fields[FIELD])
    return Message(str(method), tuple(args), dict(kwargs))
