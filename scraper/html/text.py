"""Text normalisation shared by the extractors."""

from __future__ import annotations

import unicodedata

from bs4 import Tag

_BLOCK_TAGS = frozenset(
    ["p", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
     "figure", "figcaption", "table", "tr", "section", "article", "header", "footer", "br",
     "hr", "dd", "dt", "dl"]
)


def collapse_whitespace(text: str) -> str:
    r"""Runs of whitespace (any Unicode space, no-break spaces too) as one space, trimmed.

    str.split() and the regex ``\s`` agree on every code point (tests/html/test_text.py);
    splitting is several times faster than substituting.
    """
    return " ".join(text.split())


def element_text(element: Tag) -> str:
    """Readable text of an element: blocks separated by blank lines, inline text joined.

    ``get_text()`` ignores block boundaries, which runs paragraphs together.
    """
    return _text_with_blocks(element)


def _text_with_blocks(element: Tag) -> str:
    chunks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = collapse_whitespace("".join(current))
        if line:
            chunks.append(line)
        current.clear()

    for node in element.descendants:
        if isinstance(node, Tag):
            if node.name in _BLOCK_TAGS:
                flush()
            continue
        parent = node.parent
        if parent is not None and parent.name in ("script", "style", "noscript", "template"):
            continue
        if type(node).__name__ in ("Comment", "Doctype", "ProcessingInstruction", "CData"):
            continue
        current.append(str(node))
    flush()
    return "\n\n".join(chunks)


def normalise_key(text: str) -> str:
    """The corpus scoring normalisation: NFKC, casefold, letters and digits only."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def word_count(text: str) -> int:
    return len(text.split())
