"""Text compared as a reader sees it, for tests that hold the archive against WordPress."""

from __future__ import annotations

import html
import re
import unicodedata

# WordPress "texturizes" what it displays (curly quotes, dashes); the database keeps the
# typed characters. Compare both as a reader would.
_TEXTURIZED = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                             "\u2032": "'", "\u2033": '"', "\u2013": "-", "\u2014": "-"})


def reader_text(text: str | None) -> str:
    """Compare text as a reader sees it: entities decoded, NFKC, quotes untexturized,
    whitespace collapsed."""
    text = unicodedata.normalize("NFKC", html.unescape(text or "")).translate(_TEXTURIZED)
    return re.sub(r"\s+", " ", text).strip()
