"""XML text as WordPress's exporter writes it: CDATA sections, split where the text itself
holds ``]]>`` (core's ``wxr_cdata``), escaped attributes, and nothing XML 1.0 forbids."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

# Characters XML 1.0 does not allow anywhere, not even escaped or in CDATA (control
# characters, lone surrogates, U+FFFE/U+FFFF): a page may carry them, a parser refuses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


def cdata(text: str | None) -> str:
    """``text`` as one CDATA section, split as ``wxr_cdata`` does where it holds ``]]>``:
    ``]]]]><![CDATA[>`` ends the section after ``]]`` and starts a new one with ``>``."""
    return "<![CDATA[" + xml_safe(text or "").replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text(value: str | int | None) -> str:
    """Element text escaped (for URLs, numbers, dates: what core writes without CDATA)."""
    return escape(xml_safe("" if value is None else str(value)))


def attribute(value: str) -> str:
    """An attribute value, quoted and escaped."""
    return quoteattr(xml_safe(value))
