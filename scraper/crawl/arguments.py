"""Spider arguments given as ``-a name=yes|no``."""

from __future__ import annotations

_YES = frozenset({"yes", "y", "true", "1", "on", ""})
_NO = frozenset({"no", "n", "false", "0", "off"})


def yes_no(name: str, value: object, default: bool) -> bool:
    """``-a name=yes`` → True, ``-a name=no`` → False, absent → ``default``."""
    if value is None:
        return default
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(f"{name}={value!r}: use {name}=yes or {name}=no")
