"""HTML of a subtree, exactly as BeautifulSoup writes it, in one pass.

The archive stores each post body and each comment as HTML.  bs4's ``decode``
builds that string through an event stream, a formatter object per string and a
method call per tag and attribute; on a long post it costs as much as parsing.
``inner_html`` writes the same characters (``tests/html/test_serialize.py``
compares them on every element of the fixture and corpus pages) with the rules
of bs4's "minimal" HTML formatter, inlined:

* text is escaped (``&``, ``<``, ``>``) except inside ``<script>`` and ``<style>``;
* comments, CDATA, doctypes and processing instructions are written raw with their
  own delimiters;
* attributes come sorted by name, list values (``class``) joined by spaces, escaped
  like text, in double quotes unless the value holds ``"`` and no ``'``;
* an empty element that HTML allows to be empty is written ``<br/>``.
"""

from __future__ import annotations

from bs4 import NavigableString, Tag
from bs4.element import AttributeValueWithCharsetSubstitution, PreformattedString

# bs4's Formatter.HTML_DEFAULTS: text in these is written as it is.
_RAW_TEXT_PARENTS = frozenset({"script", "style"})
# decode()'s eventual_encoding when none is given: a <meta charset> value says this.
_OUTPUT_ENCODING = "utf-8"


def inner_html(tag: Tag) -> str:
    """``tag.decode_contents()``: the HTML of what the element contains."""
    pieces: list[str] = []
    _write_children(tag, pieces)
    return "".join(pieces)


def _write_children(root: Tag, pieces: list[str]) -> None:
    """The contents of ``root`` in document order, without recursion (pages nest deep)."""
    append = pieces.append
    stack: list[tuple[Tag, list, int]] = [(root, root.contents, 0)]
    while stack:
        tag, children, at = stack.pop()
        raw_text = tag.name in _RAW_TEXT_PARENTS
        while at < len(children):
            node = children[at]
            at += 1
            if isinstance(node, Tag):
                if not node.contents and node.can_be_empty_element:
                    if not node.hidden:
                        append(_start_tag(node, "/>"))
                    continue
                if not node.hidden:
                    append(_start_tag(node, ">"))
                # Come back for the rest of this tag after the child's contents.
                stack.append((tag, children, at))
                stack.append((node, node.contents, 0))
                break
            append(_string(node, raw_text))
        else:
            if tag is not root and not tag.hidden:
                append(f"</{tag.prefix}:{tag.name}>" if tag.prefix else f"</{tag.name}>")


def _string(node: NavigableString, raw_text: bool) -> str:
    if isinstance(node, PreformattedString):  # comment, CDATA, doctype, PI: raw
        return f"{node.PREFIX}{node}{node.SUFFIX}"
    text = str(node) if raw_text else _escape(node)
    prefix, suffix = node.PREFIX, node.SUFFIX
    return f"{prefix}{text}{suffix}" if prefix or suffix else text


def _start_tag(tag: Tag, close: str) -> str:
    name = f"{tag.prefix}:{tag.name}" if tag.prefix else tag.name
    attrs = tag.attrs
    if not attrs:
        return f"<{name}{close}"
    parts = [name]
    for key, value in sorted(attrs.items()):
        if value is None:
            parts.append(str(key))
            continue
        if isinstance(value, list | tuple):
            value = " ".join(value)
        elif isinstance(value, AttributeValueWithCharsetSubstitution):
            value = value.substitute_encoding(_OUTPUT_ENCODING)
        elif not isinstance(value, str):
            value = str(value)
        parts.append(f"{key}={_quoted(_escape(value))}")
    return f"<{' '.join(parts)}{close}"


def _escape(text: str) -> str:
    """bs4's minimal substitution: only what would otherwise read as markup."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return str(text)


def _quoted(value: str) -> str:
    """EntitySubstitution.quoted_attribute_value."""
    if '"' in value:
        if "'" in value:
            return '"' + value.replace('"', "&quot;") + '"'
        return "'" + value + "'"
    return '"' + value + '"'
