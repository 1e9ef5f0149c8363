"""The fast HTML engine: parse a page into a BeautifulSoup tree, search it, copy it, write it.

It knows nothing of WordPress.  Everything outside this package imports it from here,
``from scraper.html import select``, never from its modules (``tests/test_layers.py``
checks): the modules behind this fence (the lxml tree builder, the page index, the CSS
predicates, the one-pass clone and serializer) lean on bs4's and soupsieve's internals,
and only they may.

The vocabulary for code working on a parsed page:

* **Searching** goes through the functions below: ``select``/``select_one``/
  ``first_of_each`` for CSS selectors; ``tags_named``/``first_named``/
  ``named_with_attribute``/``tags_with_attribute``/``descendant_tags`` for names and
  attributes; ``ancestor_named``, ``previous_element_sibling``/``next_element_sibling`` and
  ``previous_named`` upwards, sideways and backwards.  On a parsed page the searches
  answer from one index of the tree and keep their answers; they give exactly bs4's
  results, in bs4's order.  bs4's own search methods (``find``, ``find_all``,
  ``select``, ``find_parent``, ``find_previous_sibling``, ``find_all_previous`` …) are
  not used outside this package.
* **Reading and editing** a node uses bs4's public tree model: ``name``, ``attrs``/
  ``get``, ``parent``/``parents``, ``contents``/``children``/``descendants``, the
  sibling links, ``get_text``, ``decompose``/``extract``, and the types ``BeautifulSoup``,
  ``Tag`` and ``NavigableString``.  Nothing outside this package touches a name bs4 keeps
  private (``_decomposed``, ``_all_strings``, ``__dict__`` …): ``is_decomposed`` and the
  functions here say what is needed.
* **Copies** are made with ``clone``/``copy_without`` (not ``copy.copy``), **HTML** is
  written with ``inner_html``, **text** read with ``element_text`` and normalised with
  ``collapse_whitespace``/``normalise_key``.
* A page is made with ``parse_html`` (an HTML fragment's text: ``fragment_text``) and,
  when nothing reads it any more, taken apart with ``release``.
"""

from scraper.html.charset import effective_content_type
from scraper.html.clone import clone, clone_with_preorder, copy_tag
from scraper.html.document import (
    MAX_DEPTH,
    Hollow,
    decode_html,
    fragment_text,
    parse_html,
    release,
)
from scraper.html.match import (
    copy_without,
    descendant_tags,
    first_named,
    first_of_each,
    freeze,
    holds_any,
    is_decomposed,
    named_with_attribute,
    page_cache,
    positions_in_page,
    previous_named,
    select,
    select_one,
    tags_named,
    tags_with_attribute,
)
from scraper.html.navigation import ancestor_named, next_element_sibling, previous_element_sibling
from scraper.html.serialize import inner_html
from scraper.html.text import collapse_whitespace, element_text, normalise_key, word_count

__all__ = [
    "MAX_DEPTH",
    "Hollow",
    "ancestor_named",
    "clone",
    "clone_with_preorder",
    "collapse_whitespace",
    "copy_tag",
    "copy_without",
    "decode_html",
    "descendant_tags",
    "effective_content_type",
    "element_text",
    "first_named",
    "first_of_each",
    "fragment_text",
    "freeze",
    "holds_any",
    "inner_html",
    "is_decomposed",
    "named_with_attribute",
    "next_element_sibling",
    "normalise_key",
    "page_cache",
    "parse_html",
    "positions_in_page",
    "previous_element_sibling",
    "previous_named",
    "release",
    "select",
    "select_one",
    "tags_named",
    "tags_with_attribute",
    "word_count",
]
