"""The post on a single-post page: title, dates, author, terms, body."""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from typing import Literal
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from scraper.extract import selectors as sel
from scraper.extract.base_url import document_base
from scraper.extract.blog import language_code, page_language, wordpress_evidence
from scraper.extract.credits import is_credit_line
from scraper.extract.dates import iso_from_machine, iso_from_text
from scraper.extract.images import image_record
from scraper.extract.locate import (
    PostLocation,
    body_post_id,
    excluded_regions,
    first_match,
    is_inside,
    locate_post,
)
from scraper.extract.structured import (
    json_ld_article,
    json_ld_author_name,
    json_ld_string,
    link_href,
    meta_content,
)
from scraper.html import (
    ancestor_named,
    clone,
    collapse_whitespace,
    copy_without,
    descendant_tags,
    element_text,
    first_named,
    first_of_each,
    inner_html,
    is_decomposed,
    named_with_attribute,
    next_element_sibling,
    normalise_key,
    previous_element_sibling,
    select,
    select_one,
    tags_named,
    tags_with_attribute,
    word_count,
)
from scraper.model.records import Author, Image, Post, Term
from scraper.model.urls import home_of, in_scope

_SINGLE_BODY_CLASSES = frozenset({"single", "single-post", "singular"})
_POST_ID_IN_ID = re.compile(r"^post-(\d+)$")
_OFFSET = re.compile(r"[+-]\d{2}:?\d{2}$")
_COMMENT_ID = re.compile(r"^(?:li-|div-)?comment-\d+$")
_AUTHOR_SLUG = re.compile(r"/author/([^/?#]+)")
# An ISO 8601 duration (a recipe card's <time itemprop="prepTime" datetime="PT15M">): a
# length of time, never a moment.
_DURATION = re.compile(r"^P(?=[0-9T])")
# A meta line about the last change ("Last updated on June 21, 2018", "Aktualisiert am …").
_MODIFIED_LABEL = re.compile(
    r"^\W*(?:last\s+)?(?:updated|modified|aktualisiert|zuletzt\s+(?:aktualisiert|geändert)"
    r"|mis\s+à\s+jour|actualizado)\b",
    re.I,
)
# A count an author box links ("257 Artikel", "12 posts"), never a name.
_COUNT = re.compile(r"^\d[\d.,]*(?:\s|$)")
_BYLINE_PREFIX = re.compile(
    r"^(?:view\s+all\s+posts\s+by|(?:alle\s+)?beiträge\s+von|posted\s+by|written\s+by|by"
    r"|von|par|oleh|autor(?:in)?|author|geschrieben\s+von)\s*:?\s+",
    re.I,
)
# "by NAME" inside a meta line; the name ends at the next meta word or separator.
_BYLINE_STOP = r"(?:on|am|at|in|um|le|pada|el|il|op|under|unter|dans|en|sur|posted|filed)"
_BYLINE_IN_TEXT = re.compile(
    r"(?:^|\s)(?:by|von|oleh|par|por|door|di)\s+"
    rf"(?P<name>[^\s,|·•–—]+(?:\s+(?!{_BYLINE_STOP}\b)[^\s,|·•–—]+){{0,2}}?)"
    rf"(?=\s*(?:$|[,|·•–—]|\s{_BYLINE_STOP}\b))",
    re.I,
)
# Date-shaped substrings of a meta line ("Posted on 3. August 2019 by …").
# Only shapes, no month names: dateparser knows the names in every language.
_DATE_SHAPES = (
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b"),
    re.compile(r"\b\d{1,2}\.?\s+[^\W\d_]{3,}\.?,?\s+\d{4}\b"),
    re.compile(r"\b[^\W\d_]{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b"),
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b|\.\d{2}\b")
_EXCERPT_CHARS = 300


def extract_post(soup: BeautifulSoup, url: str) -> Post | None:
    is_wordpress, _reason = wordpress_evidence(soup, url)
    if not is_wordpress or not is_single_post_page(soup):
        return None
    location = locate_post(soup)
    if location.content is None:
        return None
    language = page_language(soup)
    article = json_ld_article(soup)
    protected = is_password_required(soup, location)
    title = _title(soup, location)
    if protected and title:
        title = _without_protected_prefix(soup, title, article)
    body = _clean_body(location, title)
    if protected:
        body.clear()  # the password form, not the post's text
    body_text = element_text(body)
    published, published_text, published_local = _published(soup, location, article, language)
    base = document_base(soup, url)  # what relative links and image sources resolve against
    featured = _featured_image(soup, location, base)
    return Post(
        url=url,
        canonical_url=_canonical(soup, url),
        wp_id=_wp_id(soup, location),
        title=title,
        published=published,
        modified=_modified(soup, location, article),
        published_text=published_text,
        published_local=published_local,
        author=_author(soup, location, article),
        terms=_terms(soup, location, base),
        body_html=inner_html(body).strip(),
        body_text=body_text,
        excerpt=_excerpt(body, soup),
        word_count=word_count(body_text),
        featured_image=featured,
        images=_body_images(body, base),
        language=language,
    )


def is_single_post_page(soup: BeautifulSoup) -> bool:
    """A single post, not an archive, search result or home listing."""
    body = first_named(soup, "body")
    classes = body.get("class") if isinstance(body, Tag) else None
    body_classes = set(classes) if isinstance(classes, list) else set()
    listing = {"home", "blog", "archive", "search", "category", "tag", "paged", "error404"}
    if body_classes & listing and not body_classes & _SINGLE_BODY_CLASSES:
        return False
    if body_classes & _SINGLE_BODY_CLASSES or body_post_id(soup) is not None:
        return True
    if (meta_content(soup, "og:type") or "").lower() == "article":
        return True
    if len(select(soup, "article.hentry, .hentry.type-post")) == 1:
        return True
    return bool(select(soup, sel.SINGLE_POST_SIGNALS)) or _shows_a_comment_thread(soup)


def _shows_a_comment_thread(soup: BeautifulSoup) -> bool:
    """Whether the page holds a comment (li#comment-N, dt#comment-N …): listings never do."""
    return any(
        _COMMENT_ID.match(str(tag.get("id")))
        for tag in tags_with_attribute(soup, "id")
        if ancestor_named(tag, "head") is None
    )


def is_password_required(soup: BeautifulSoup, location: PostLocation) -> bool:
    """A password-protected post shown without its password (only the form)."""
    body = first_named(soup, "body")
    body_classes = body.get("class") if isinstance(body, Tag) else None
    if isinstance(body_classes, list) and "post-password-required" in body_classes:
        return True
    scopes = [t for t in (location.container, location.content) if t is not None]
    return any(select_one(scope, sel.PASSWORD_REQUIRED) for scope in scopes) or any(
        "post-password-required" in (scope.get("class") or []) for scope in scopes
    )


# --- title ------------------------------------------------------------------

# "Protected: Title" / "Geschützt: Title": one or two words and a colon.
_PROTECTED_PREFIX = re.compile(
    r"^\s*(?P<prefix>[^\W\d_]+(?:[\s-][^\W\d_]+)?)\s*[:：]\s+(?P<rest>\S.*)$"
)

_BARE_HEADINGS = frozenset({"h1", "h2", "h3"})


def _title(soup: BeautifulSoup, location: PostLocation) -> str | None:
    regions = excluded_regions(soup)
    if location.container is not None:
        heading = _heading_in(location.container, location.content, regions)
        if heading:
            return heading
    headings = _headings_in(soup, location.content, regions, classes_only=True)
    return _confirmed_by_metadata(soup, headings) or _title_from_metadata(soup)


def _confirmed_by_metadata(soup: BeautifulSoup, headings: list[str]) -> str | None:
    """Of the page's title-classed headings, the one the document title or og:title names:
    the first may head a recommended-article box above the post."""
    if len(headings) <= 1:
        return headings[0] if headings else None
    tag = first_named(soup, "title")
    names = [
        normalise_key(name)
        for name in (
            meta_content(soup, "og:title"),
            collapse_whitespace(tag.get_text()) if isinstance(tag, Tag) else None,
        )
        if name
    ]
    for heading in headings:
        key = normalise_key(heading)
        if key and any(name.startswith(key) for name in names):
            return heading
    return headings[0]


def _heading_in(
    scope: BeautifulSoup | Tag,
    content: Tag | None,
    regions: AbstractSet[int],
    *,
    classes_only: bool = False,
) -> str | None:
    headings = _headings_in(scope, content, regions, classes_only=classes_only, limit=1)
    return headings[0] if headings else None


_TITLE_CANDIDATES = 6  # headings compared with the document title


def _headings_in(
    scope: BeautifulSoup | Tag,
    content: Tag | None,
    regions: AbstractSet[int],
    *,
    classes_only: bool = False,
    limit: int = _TITLE_CANDIDATES,
) -> list[str]:
    """Title-like headings in selector priority, then document order (at most ``limit``)."""
    headings: list[str] = []
    for selector in sel.POST_TITLE:
        bare = selector in _BARE_HEADINGS
        if bare and classes_only:
            continue
        for found in select(scope, selector):
            if is_inside(found, regions):
                continue
            # A bare <h2> inside the text is a subheading, not the title.
            if bare and content is not None and is_inside(found, {id(content)}):
                continue
            text = collapse_whitespace(found.get_text(" "))
            if text and text not in headings:
                headings.append(text)
                if len(headings) >= limit:
                    return headings
    return headings


def _without_protected_prefix(soup: BeautifulSoup, title: str, article: dict) -> str:
    """The title without WordPress's "Protected: " (in any language).

    WordPress adds the prefix to the displayed heading only; the document
    title, og:title and JSON-LD headline carry the bare title.  The prefix
    goes only when one of them confirms the rest.
    """
    match = _PROTECTED_PREFIX.match(title)
    if match is None:
        return title
    rest = match.group("rest").strip()
    rest_key = normalise_key(rest)
    tag = first_named(soup, "title")
    sources = [
        meta_content(soup, "og:title"),
        meta_content(soup, "twitter:title"),
        json_ld_string(article, "headline"),
        collapse_whitespace(tag.get_text()) if isinstance(tag, Tag) else None,
    ]
    for source in sources:
        if not source:
            continue
        key = normalise_key(source)
        if normalise_key(title) and key.startswith(normalise_key(title)):
            return title  # the prefix is part of the real title
        if rest_key and key.startswith(rest_key):
            return rest
    return title


def _title_from_metadata(soup: BeautifulSoup) -> str | None:
    title = meta_content(soup, "og:title")
    if title is None:
        tag = first_named(soup, "title")
        title = collapse_whitespace(tag.get_text()) if isinstance(tag, Tag) else None
    if not title:
        return None
    site = meta_content(soup, "og:site_name")
    if site:
        for separator in _TITLE_SEPARATORS:
            suffix = f"{separator}{site}"
            if title.endswith(suffix):
                return title[: -len(suffix)].strip() or title
    return _without_site_name(soup, title)


_TITLE_SEPARATORS = (" | ", " – ", " — ", " - ", " · ", " » ")


def _without_site_name(soup: BeautifulSoup, title: str) -> str:
    """"Post | Blog" without the blog's name when the page names no og:site_name: the part
    before the separator is the post's when a heading of the page shows it alone."""
    headings = {
        collapse_whitespace(tag.get_text(" ")) for tag in tags_named(soup, *_BARE_HEADINGS)
    }
    for separator in _TITLE_SEPARATORS:
        head, found, _site = title.rpartition(separator)
        if found and head.strip() in headings:
            return head.strip()
    return title


# --- body -------------------------------------------------------------------


def _clean_body(location: PostLocation, title: str | None) -> Tag:
    """A copy of the content element with furniture, comments and title removed."""
    assert location.content is not None
    selectors: tuple[str, ...] = sel.NOT_POST_REGIONS + sel.POST_FURNITURE + sel.POST_META_BLOCKS
    if location.content_is_guess:
        selectors += sel.POST_HEADING_PARTS
    body = copy_without(location.content, selectors)
    if title:
        _remove_title_heading(body, title)
    _remove_share_labels(body)
    _trim_edges(body)
    return body


def _remove_title_heading(body: Tag, title: str) -> None:
    key = normalise_key(title)
    for heading in tags_named(body, "h1", "h2", "h3")[:3]:
        if normalise_key(heading.get_text()) == key:
            heading.decompose()
            return


_SHARE_LABEL_KEYS = frozenset(normalise_key(label) for label in sel.SHARE_LABELS)


def _remove_share_labels(body: Tag) -> None:
    """Share/like labels left behind when the buttons were a separate widget."""
    tags = descendant_tags(body)
    # Texts taken before anything goes: a tag is read before its descendants are
    # removed (document order), and removing others does not change its text.
    texts = _short_texts(tags, _SHARE_LABEL_MAX)
    for tag in tags:
        if is_decomposed(tag):
            continue
        text = texts.get(id(tag))
        if text and text.strip() and normalise_key(text) in _SHARE_LABEL_KEYS:
            tag.decompose()


_SHARE_LABEL_MAX = 40  # characters: a label, not a sentence
_MAIN_STRINGS = Tag.MAIN_CONTENT_STRING_TYPES


def _short_texts(tags: list[Tag], limit: int) -> dict[int, str]:
    """``tag.get_text()`` of each of ``tags`` (a subtree's elements in document order)
    whose text is shorter than ``limit``, in one pass from the leaves up."""
    texts: dict[int, str] = {}
    # What a <script>, <template> or <rt> adds to its parent's text: the ordinary strings
    # in it, not its own kind (which its own get_text() reads).
    inside_special: dict[int, str] = {}
    for tag in reversed(tags):  # every element after all of its descendants
        if tag.interesting_string_types != _MAIN_STRINGS:
            text = tag.get_text()
            if len(text) < limit:
                texts[id(tag)] = text
            inside_special[id(tag)] = tag.get_text(types=_MAIN_STRINGS)
            continue
        parts: list[str] = []
        size = 0
        for child in tag.contents:
            if isinstance(child, Tag):
                part = inside_special.get(id(child)) if id(child) in inside_special else \
                    texts.get(id(child))
                if part is None:
                    break  # a descendant too long already
            elif type(child) in _MAIN_STRINGS:
                part = str(child)
            else:
                continue
            size += len(part)
            if size >= limit:
                break
            parts.append(part)
        else:
            texts[id(tag)] = "".join(parts)
    return texts


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


_EMBEDDED = ("img", "iframe", "video", "audio", "embed")  # content without text


def _trim_edges(body: Tag) -> None:
    """Drop empty blocks, credit lines and post-meta lines at the start and end of the body,
    and a related-posts list at its end.

    Credit lines belong in credits, not in the author's text ("poster designed by X");
    "Posted on … 59 Comments", "Tags: …", "Tweet" are the theme's, not the author's.
    """
    _drop_related_posts_at_end(body)
    for from_end in (False, True):
        trimmed_credit = False
        while True:
            blocks = [c for c in body.children if isinstance(c, Tag)]
            if not blocks:
                return
            edge = blocks[-1] if from_end else blocks[0]
            text = collapse_whitespace(edge.get_text(" "))
            if not text and not tags_named(edge, *_EMBEDDED):
                edge.decompose()
                continue
            if text and is_credit_line(text):
                edge.decompose()
                trimmed_credit = True
                continue
            if text and _is_meta_line(text):
                edge.decompose()
                continue
            # The "Credits" heading over credit lines that went: nothing left under it.
            if from_end and trimmed_credit and edge.name in _HEADINGS:
                edge.decompose()
                continue
            break


_META_LINE = re.compile("|".join(f"(?:{line})" for line in sel.BODY_META_LINE_PATTERNS), re.I)
_RELATED_KEYS = frozenset(normalise_key(label) for label in sel.RELATED_HEADING_LABELS)
_RELATED_SEARCH_BLOCKS = 4  # the heading is among the body's last blocks


def _is_meta_line(text: str) -> bool:
    return len(text) <= sel.BODY_META_LINE_MAX and _META_LINE.fullmatch(text) is not None


def _drop_related_posts_at_end(body: Tag) -> None:
    blocks = [c for c in body.children if isinstance(c, Tag)]
    for at in range(len(blocks) - 1, max(len(blocks) - 1 - _RELATED_SEARCH_BLOCKS, 0), -1):
        block = blocks[at]
        if block.name in _HEADINGS or block.name in ("p", "div", "strong"):
            text = collapse_whitespace(block.get_text(" "))
            if len(text) <= 60 and normalise_key(text.rstrip(":")) in _RELATED_KEYS:
                for gone in blocks[at:]:
                    gone.decompose()
                return


def _excerpt(body: Tag, soup: BeautifulSoup) -> str | None:
    parts: list[str] = []
    for paragraph in tags_named(body, "p"):
        text = collapse_whitespace(paragraph.get_text(" "))
        if text:
            parts.append(text)
        if sum(len(p) for p in parts) >= _EXCERPT_CHARS:
            break
    if parts:
        return " ".join(parts)
    return meta_content(soup, "og:description") or meta_content(soup, "description")


# --- dates ------------------------------------------------------------------


def _published(
    soup: BeautifulSoup, location: PostLocation, article: dict, language: str | None
) -> tuple[str | None, str | None, str | None]:
    """(ISO value, displayed text, local value).  The date shown on the page wins on the day."""
    machine_tag = _in_post_meta(soup, location, sel.PUBLISHED_TIME, _names_a_moment)
    machine = _machine_value(machine_tag)
    if machine is None:
        machine = meta_content(soup, "article:published_time") or json_ld_string(
            article, "datePublished"
        )
    shown_text, shown = _shown_date(soup, location, machine_tag, language, machine is not None)
    published, text, local = _reconcile(machine, shown_text, shown)
    if local is not None and local == (machine or "").strip() and _is_utc(local):
        # Stored in UTC only ("…T23:30:00+00:00"), which can be the next day on the blog's
        # clock: the same moment with the blog's own offset, where the page gives one.
        local = _same_moment_with_offset(
            local, (meta_content(soup, "article:published_time"),
                    json_ld_string(article, "datePublished"))
        ) or local
    return published, text, local


def _is_utc(value: str) -> bool:
    return value.endswith(("Z", "+00:00"))


def _same_moment_with_offset(utc_value: str, others: tuple[str | None, ...]) -> str | None:
    moment = iso_from_machine(utc_value)
    for other in (o.strip() for o in others if o):
        offset = _OFFSET.search(other) is not None and not _is_utc(other)
        if offset and iso_from_machine(other) == moment:
            return other
    return None


def _modified(soup: BeautifulSoup, location: PostLocation, article: dict) -> str | None:
    value = _machine_value(_in_post_meta(soup, location, sel.MODIFIED_TIME))
    value = value or meta_content(soup, "article:modified_time")
    value = value or json_ld_string(article, "dateModified")
    return iso_from_machine(value)


def _in_post_meta(
    soup: BeautifulSoup,
    location: PostLocation,
    selectors: tuple[str, ...],
    accept: Callable[[Tag], bool] | None = None,
) -> Tag | None:
    regions = excluded_regions(soup)
    scope = location.container if location.container is not None else soup
    if accept is None:
        return first_match(scope, selectors, regions)
    for found in first_of_each(scope, selectors):
        if not is_inside(found, regions) and accept(found):
            return found
    return None


def _names_a_moment(tag: Tag) -> bool:
    value = _machine_value(tag)
    return value is None or not _DURATION.match(value)


def _machine_value(tag: Tag | None) -> str | None:
    if tag is None:
        return None
    for attr in ("datetime", "content", "title"):
        value = tag.get(attr)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _shown_date(
    soup: BeautifulSoup,
    location: PostLocation,
    machine_tag: Tag | None,
    language: str | None,
    machine_known: bool,
) -> tuple[str | None, str | None]:
    """The publication date as the page displays it, if it has a year."""
    candidates: list[Tag] = []
    if machine_tag is not None:
        candidates.append(machine_tag)
    regions = excluded_regions(soup)
    scopes: list[BeautifulSoup | Tag] = [location.container] if location.container else []
    for scope in scopes:
        for selector in sel.PUBLISHED_TEXT:
            candidates.extend(
                t for t in select(scope, selector)
                if not is_inside(t, regions) and not _in_content(t, location)
            )
    for selector in sel.DATE_HEADING:
        candidates.extend(t for t in select(soup, selector) if not is_inside(t, regions))
    candidates.extend(_date_heading_before(location.container))
    # A meta line without a known class ("Paddy · April 19, 2019 · Mac") sits right after
    # the title: asked last, and only when the page gives no machine-readable date.
    if location.container is None or not machine_known:
        candidates.extend(_blocks_after_title(soup, regions))
    # The page's own language first: it fixes the day/month order of "05.01.2020".
    code = language_code(language)
    attempts = [[code] if code else None, None]
    modified = {id(t) for t in select(soup, sel.MODIFIED_TEXT) if not _also_published(t)}
    for tag in candidates:
        if id(tag) in modified or not _names_a_moment(tag):
            continue
        shown = collapse_whitespace(_text_without(tag, modified))
        if _MODIFIED_LABEL.match(shown):
            continue
        texts = _date_substrings(shown)
        # The whole text and its date-shaped parts in the page's language before any
        # language is guessed: guessing tries every locale dateparser knows (~10 ms),
        # and "Post date March 5, 2014" needs only its part "March 5, 2014".
        for languages in attempts:
            for text in texts:
                parsed = iso_from_text(text, languages=languages)
                if parsed:
                    return text, parsed
    return None, None


def _also_published(tag: Tag) -> bool:
    """twentyfifteen's family marks a never-edited post's one date "published updated"."""
    classes = tag.get("class")
    return isinstance(classes, list) and "published" in classes


def _text_without(tag: Tag, skipped: AbstractSet[int]) -> str:
    """The tag's text less that of its last-change dates (a meta line's hidden "updated")."""
    if not skipped or not any(id(d) in skipped for d in descendant_tags(tag)):
        return tag.get_text(" ")
    return clone(tag, lambda d: id(d) not in skipped).get_text(" ")


def _date_heading_before(container: Tag | None) -> list[Tag]:
    """A heading right before the post that is only a date (themes that group posts by day)."""
    if container is None:
        return []
    previous = previous_element_sibling(container)
    if isinstance(previous, Tag) and previous.name in ("h1", "h2", "h3", "h4", "div", "p"):
        text = collapse_whitespace(previous.get_text(" "))
        if text and len(text) <= 40 and any(s.fullmatch(text) for s in _DATE_SHAPES):
            return [previous]
    return []


def _in_content(tag: Tag, location: PostLocation) -> bool:
    """Inside the post text.  A guessed content element may still hold the meta lines."""
    if location.content is None or location.content_is_guess:
        return False
    return is_inside(tag, {id(location.content)})


def _date_substrings(text: str) -> list[str]:
    if not text or not _YEAR.search(text):
        return []
    if len(text) <= 40:
        return [text, *(m.group(0) for shape in _DATE_SHAPES for m in shape.finditer(text))]
    return [m.group(0) for shape in _DATE_SHAPES for m in shape.finditer(text)]


def _reconcile(
    machine: str | None, shown_text: str | None, shown: str | None
) -> tuple[str | None, str | None, str | None]:
    """(UTC-or-local ISO value, displayed text, the blog's local ISO value)."""
    machine_iso = iso_from_machine(machine)
    local = machine.strip() if machine else None
    if shown is None:
        return machine_iso, None, local
    if machine is None or machine_iso is None or machine.strip()[:10] != shown[:10]:
        # No machine value, or one that disagrees with what readers saw: the page wins.
        return shown, shown_text, shown
    return machine_iso, shown_text, local


# --- author -----------------------------------------------------------------


def _author(soup: BeautifulSoup, location: PostLocation, article: dict) -> Author | None:
    regions = excluded_regions(soup)
    scopes = [location.container] if location.container is not None else []
    scopes.append(soup)
    boxes = {id(t) for t in select(soup, sel.AUTHOR_BOX)}
    for scope in scopes:
        for selector in sel.AUTHOR:
            for found in select(scope, selector):
                if is_inside(found, regions | boxes) or _in_content(found, location):
                    continue
                author = _author_from_tag(found)
                if author:
                    return author
    author = _author_from_box(soup, regions, location)
    if author:
        return author
    for scope in scopes[:-1]:
        author = _author_from_byline_text(scope, regions, location)
        if author:
            return author
    author = _author_after_title(soup, regions)
    if author:
        return author
    name = json_ld_author_name(soup, article) or meta_content(soup, "author")
    # A theme's own <meta name="author" content="Designer - http://…"> names no writer.
    if name and not any(mark in name for mark in ("http://", "https://", "www.")):
        return Author(name=name)
    return None


_BYLINE_BLOCK_MAX = 150  # characters: a byline, not a paragraph


def _author_after_title(soup: BeautifulSoup, regions: AbstractSet[int]) -> Author | None:
    """A plain-text byline in the block right after the post's <h1> ("By Jane Doe, June 3"),
    for themes that give it no class."""
    for block in _blocks_after_title(soup, regions):
        match = _BYLINE_IN_TEXT.search(collapse_whitespace(block.get_text(" ")))
        if match:
            return Author(name=match.group("name").strip())
    return None


def _blocks_after_title(soup: BeautifulSoup, regions: AbstractSet[int]) -> list[Tag]:
    """The short blocks (at most two) right after the first <h1>: where a theme without
    classes prints its byline and date."""
    heading = next((h for h in tags_named(soup, "h1") if not is_inside(h, regions)), None)
    blocks: list[Tag] = []
    node: Tag | None = heading
    while node is not None and len(blocks) < 2:
        node = next_element_sibling(node)
        if node is None:
            break
        text = collapse_whitespace(node.get_text(" "))
        if len(text) > _BYLINE_BLOCK_MAX:
            break
        if text:
            blocks.append(node)
    return blocks


def _author_from_box(
    soup: BeautifulSoup, regions: AbstractSet[int], location: PostLocation
) -> Author | None:
    """The name heading of an author box ("By X"), with the box's author link.

    The box's links read "View all of X's posts.": never a name.
    """
    for box in select(soup, sel.AUTHOR_BOX):
        if is_inside(box, regions) or _in_content(box, location):
            continue
        for selector in sel.AUTHOR_BOX_NAME:
            heading = select_one(box, selector)
            if heading is None:
                continue
            shown = collapse_whitespace(heading.get_text(" "))
            name = _BYLINE_PREFIX.sub("", shown).strip()
            if not name or len(name.split()) > 6:
                continue
            link = first_named(heading, "a") or select_one(
                box, "a[rel~='author'], a[href*='/author/']")
            href = link.get("href") if isinstance(link, Tag) else None
            url = href.strip() if isinstance(href, str) and href.strip() else None
            slug_match = _AUTHOR_SLUG.search(url or "")
            slug = unquote(slug_match.group(1)) if slug_match else None
            # "About the author" is a heading too: the name must be vouched for by
            # a byline word ("By X"), the box's link text or the author slug.
            key = normalise_key(name)
            link_key = normalise_key(link.get_text()) if isinstance(link, Tag) else ""
            if name != shown or (key and key in link_key) or key == normalise_key(slug or ""):
                return Author(name=name, url=url, slug=slug)
    return None


def _author_from_byline_text(
    scope: Tag, regions: AbstractSet[int], location: PostLocation
) -> Author | None:
    """A byline without a link: "Posted in News by admin on August 3, 2019"."""
    for selector in sel.BYLINE_TEXT:
        for found in select(scope, selector):
            if is_inside(found, regions) or _in_content(found, location):
                continue
            match = _BYLINE_IN_TEXT.search(collapse_whitespace(found.get_text(" ")))
            if match:
                return Author(name=match.group("name").strip())
    return None


def _author_from_tag(tag: Tag) -> Author | None:
    name = _BYLINE_PREFIX.sub("", collapse_whitespace(tag.get_text(" "))).strip()
    if not name or len(name.split()) > 6 or _COUNT.match(name):
        return None
    link = tag if tag.name == "a" else first_named(tag, "a") or ancestor_named(tag, "a")
    href = link.get("href") if isinstance(link, Tag) else None
    url = href.strip() if isinstance(href, str) and href.strip() else None
    slug_match = _AUTHOR_SLUG.search(url or "")
    return Author(name=name, url=url, slug=unquote(slug_match.group(1)) if slug_match else None)


# --- terms ------------------------------------------------------------------


def _terms(soup: BeautifulSoup, location: PostLocation, base_url: str) -> tuple[Term, ...]:
    regions = excluded_regions(soup)
    furniture = {id(t) for t in select(soup, sel.POST_FURNITURE)}
    skip = regions | furniture
    links: list[Tag] = []
    if location.container is not None:
        links = [
            a
            for a in tags_named(location.container, "a")
            if a.get("href") is not None and not is_inside(a, skip)
        ]
    terms = _terms_from_links(links, location, base_url)
    if terms:
        return terms
    meta_links = [
        a
        for block in select(soup, sel.POST_META_BLOCKS)
        if not is_inside(block, skip)
        for a in named_with_attribute(block, "a", "href")
    ]
    return _terms_from_links(meta_links, location, base_url)


def _terms_from_links(links: list[Tag], location: PostLocation, base_url: str) -> tuple[Term, ...]:
    terms: list[Term] = []
    seen: set[tuple[str, str]] = set()
    blog_host = _host(base_url)
    for link in links:
        taxonomy = _taxonomy(link, blog_host, base_url)
        if taxonomy is None:
            continue
        # Links to a tag page inside the text are the author's, not the post's terms.
        rel: list[str] | str = link.get("rel") or []
        if _in_content(link, location) and "tag" not in rel:
            continue
        name = collapse_whitespace(link.get_text(" "))
        key = (taxonomy, normalise_key(name))
        if not name or key in seen:
            continue
        seen.add(key)
        href = urljoin(base_url, str(link.get("href")))
        terms.append(Term(taxonomy=taxonomy, name=name, url=href, slug=_term_slug(href)))
    return tuple(terms)


def _taxonomy(link: Tag, blog_host: str, base_url: str) -> Literal["category", "tag"] | None:
    href = str(link.get("href") or "")
    parts = urlsplit(href)
    path = parts.path.lower()
    # ?cat=N and ?tag=slug are WordPress's plain term links only on the blog itself: on a
    # shop's link ("amazon.de/dp/…?tag=partner-21") they are an affiliate id.
    own = _host(urljoin(base_url, href)) == blog_host
    query = parse_qs(parts.query) if own else {}
    if "/category/" in path or "cat" in query or "category_name" in query:
        return "category"
    if "/tag/" in path or "tag" in query:
        return "tag"
    rel: list[str] | str = link.get("rel") or []
    if "category" in rel:
        return "category"
    if "tag" in rel and not path.endswith((".html", ".htm")):
        return "tag"
    return None


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _term_slug(href: str) -> str | None:
    segments = [s for s in urlsplit(href).path.split("/") if s]
    return unquote(segments[-1]) if segments else None


# --- ids, URLs, images -------------------------------------------------------


def _wp_id(soup: BeautifulSoup, location: PostLocation) -> int | None:
    post_id = body_post_id(soup)
    if post_id is not None:
        return post_id
    if location.container is not None:
        match = _POST_ID_IN_ID.match(str(location.container.get("id") or ""))
        if match:
            return int(match.group(1))
        for cls in location.container.get("class") or []:
            match = _POST_ID_IN_ID.match(cls)
            if match:
                return int(match.group(1))
    shortlink = link_href(soup, "shortlink") or ""
    values = parse_qs(urlsplit(shortlink).query).get("p", [])
    return int(values[0]) if values and values[0].isdigit() else None


def _canonical(soup: BeautifulSoup, url: str) -> str | None:
    """The page's canonical URL, when it is on the page's own host: a canonical link to
    another host is not this blog's URL for the post (a mirror, a hostile page)."""
    href = link_href(soup, "canonical") or meta_content(soup, "og:url")
    canonical = urljoin(url, href) if href else None
    return canonical if canonical and in_scope(canonical, home_of(url)) else None


def _featured_image(soup: BeautifulSoup, location: PostLocation, url: str) -> Image | None:
    regions = excluded_regions(soup)
    scope = location.container or soup
    img = first_match(scope, sel.FEATURED_IMAGE, regions)
    if isinstance(img, Tag):
        record = image_record(img, url, role="featured")
        if record:
            return record
    og_image = meta_content(soup, "og:image")
    # WordPress.com puts a blank placeholder or the blog icon in og:image.
    if og_image and not re.search(r"/i/blank\.jpg|/blavatar/|gravatar\.com", og_image):
        return Image(
            url=urljoin(url, og_image),
            alt=meta_content(soup, "og:image:alt"),
            width=_int(meta_content(soup, "og:image:width")),
            height=_int(meta_content(soup, "og:image:height")),
            role="featured",
        )
    return None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _body_images(body: Tag, url: str) -> tuple[Image, ...]:
    images: list[Image] = []
    seen: set[str] = set()
    for img in tags_named(body, "img"):
        record = image_record(img, url)
        if record and record.url not in seen:
            seen.add(record.url)
            images.append(record)
    return tuple(images)
