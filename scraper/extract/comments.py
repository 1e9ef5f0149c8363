"""The comment thread on a post page, with threading and comment pages.

Comments are found by the markup WordPress core prints (``li#comment-N``,
``article#div-comment-N``, pingback classes, ``depth-N`` classes), then by the
theme families listed in ``selectors``.  Each comment is read from a copy of
its own subtree with its replies removed, so the shared soup is never changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urldefrag

from bs4 import BeautifulSoup, Tag

from scraper.extract import selectors as sel
from scraper.extract.blog import language_code, page_language
from scraper.extract.comment_info import comments_info
from scraper.extract.dates import date_start, iso_from_machine, iso_from_text, iso_from_text_within
from scraper.html import (
    ancestor_named,
    clone,
    clone_with_preorder,
    collapse_whitespace,
    copy_tag,
    copy_without,
    descendant_tags,
    element_text,
    first_of_each,
    freeze,
    holds_any,
    inner_html,
    named_with_attribute,
    positions_in_page,
    select,
    tags_named,
    tags_with_attribute,
)
from scraper.model.records import Comment, CommentsInfo, CommentType, Post

__all__ = ["comment_page_urls", "extract_comments"]

_ID_PATTERNS = tuple(re.compile(pattern) for pattern in sel.COMMENT_ID_PATTERNS)
_DEPTH_CLASS = re.compile(r"^(?:depth|wc_comment_level|wpd_comment_level)-(\d+)$")
_SAYS = re.compile(r"\s+\S+:$")
_TIME_ONLY = re.compile(r"^\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?|uhr|h)?$", re.I)
_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d{2}(?!\d)")
_NEVER_TEXT = frozenset({"script", "style", "noscript", "template", "svg"})
_AUTHOR_FURNITURE = (".says", ".avatar", "img", "script", "style")
_PINGBACK_PREFIX = re.compile(r"^\s*(pingback|trackback)\s*:", re.I)
# "Comment by X — DATE @ TIME" (WordPress 1.5's Classic theme and its descendants): the
# cue before the name and the date after it are not the name.
_BYLINE_CUE = re.compile(
    r"^(?:comment|pingback|trackback|kommentar|commentaire|comentario)\s+"
    r"(?:by|von|de|par|por)\s+",
    re.I,
)
_BYLINE_TAIL = re.compile(r"\s+(?:—|–|-|\||@)\s.*$")
# A permalink that shows the comment's number ("1", "#12"), not its date (Thesis).
_COMMENT_NUMBER = re.compile(r"^#?\d+\.?$")
# A datetime attribute that states its offset ("…T21:12:00+01:00"), not UTC's "Z".
_STATED_OFFSET = re.compile(r"[+-]\d{2}:?\d{2}$")
# Where an author or date is looked for by structure: never in the comment's own text.
_TEXT_BLOCKS = frozenset({"p", "blockquote", "pre", "ul", "ol", "table"})
_NAME_TAGS = frozenset({"strong", "b", "cite", "a"})
# The verb a theme prints after the author when it has no .says span (Kubrick: "X Says:").
_SAYS_LINES = frozenset({"says:", "says", "sagt:", "schreibt:", "meint:", "dit :", "dit:", "dice:"})
# Lines that are interface words, not comment text, when a theme prints them
# outside the furniture classes.
_UI_LINES = frozenset(
    {
        "reply", "like", "loading...", "loading…", "laden…", "antworten", "gefällt mir",
        "répondre", "balas", "responder", "rispondi", "beantworten",
    }
)


@dataclass(eq=False)
class _Entry:
    """One comment in the original tree: its outermost element and its id."""

    container: Tag
    wp_id: int | None
    order: int
    parent: _Entry | None = None
    depth: int = 1
    class_depth: int | None = None
    in_ping_list: bool = False


# What malformed or adversarial markup can raise here, which must not cost the rest of the
# page: ValueError from urllib on a broken link ("http://[x" is no valid IPv6 host) and
# from date parsing; RecursionError from a library recursing down a tree nested deeper
# than parse_html's cap lets pages be (trees built by other means).  Anything else is a
# defect to see, not to hide.
_MARKUP_ERRORS = (RecursionError, ValueError)


def extract_comments(
    soup: BeautifulSoup, url: str, post: Post | None
) -> tuple[tuple[Comment, ...], CommentsInfo]:
    """Every comment in the HTML, in document order, and what the page says about them."""
    try:
        entries = find_comment_entries(soup)
        assign_threading(entries)
        comments = build_comments(entries, soup, url, post, language_code(page_language(soup)))
    except _MARKUP_ERRORS:
        comments = ()
    try:
        info = comments_info(soup, url, has_comments=bool(comments))
    except _MARKUP_ERRORS:
        info = CommentsInfo(None)
    return comments, info


def comment_page_urls(soup: BeautifulSoup, url: str) -> tuple[str, ...]:
    """Absolute URLs of the post's other comment pages (for the spider)."""
    try:
        return comments_info(soup, url, has_comments=True).page_urls
    except _MARKUP_ERRORS:
        return ()


# --- finding the comments -------------------------------------------------------


def comment_id(tag: Tag) -> int | None:
    value = tag.get("id")
    if not isinstance(value, str):
        return None
    for pattern in _ID_PATTERNS:
        match = pattern.match(value)
        if match:
            return int(match.group(1))
    return None


def find_comment_entries(soup: BeautifulSoup | Tag) -> list[_Entry]:
    """The comments of the page in document order, one entry per comment."""
    without_id = {id(tag) for tag in _select_all(soup, sel.COMMENT_ENTRY_WITHOUT_ID)}
    excluded = {id(tag) for tag in _select_all(soup, sel.COMMENT_FORM)}
    ping_lists = {id(tag) for tag in _select_all(soup, sel.PING_LISTS)}
    entries: list[_Entry] = []
    by_element: dict[int, _Entry] = {}
    seen_ids: set[int] = set()
    # Only elements with an id or in without_id can be entries; the rest are skipped unread.
    possible = without_id | {id(tag) for tag in tags_with_attribute(soup, "id")}
    for tag in descendant_tags(soup):
        if id(tag) not in possible:
            continue
        wp_id = comment_id(tag)
        if wp_id is None and id(tag) not in without_id:
            continue
        if _has_ancestor_in(tag, excluded) or ancestor_named(tag, "head") is not None:
            continue
        enclosing = _enclosing_entry(tag, by_element)
        if wp_id is not None and wp_id in seen_ids:
            # The same comment's inner element (article#div-comment-N inside li#comment-N).
            if enclosing is not None and enclosing.wp_id == wp_id:
                by_element[id(tag)] = enclosing
            continue
        if enclosing is not None and _belongs_to(tag, enclosing, wp_id):
            enclosing.wp_id = enclosing.wp_id if enclosing.wp_id is not None else wp_id
            if wp_id is not None:
                seen_ids.add(wp_id)
            by_element[id(tag)] = enclosing
            continue
        entry = _Entry(container=tag, wp_id=wp_id, order=len(entries), parent=enclosing)
        entry.in_ping_list = _has_ancestor_in(tag, ping_lists)
        entries.append(entry)
        by_element[id(tag)] = entry
        if wp_id is not None:
            seen_ids.add(wp_id)
    return entries


def _belongs_to(tag: Tag, enclosing: _Entry, wp_id: int | None) -> bool:
    """Whether ``tag`` is part of the enclosing comment rather than a reply to it.

    A theme may mark a comment twice: a wrapper without id (li.comment,
    div.wpd-comment) and an inner element carrying the id.  A reply sits
    inside a reply list (``.children``) or carries its own, different id.
    """
    if wp_id is not None and enclosing.wp_id is not None:
        return wp_id == enclosing.wp_id
    if _inside_reply_list(tag, enclosing.container):
        return False
    if wp_id is None:
        # Two id-less entries nested without a reply list: the inner one is a part.
        return enclosing.wp_id is None or not _looks_like_entry(tag)
    return True


def _looks_like_entry(tag: Tag) -> bool:
    classes: list[str] | str = tag.get("class") or []
    return any(cls in ("comment", "pingback", "trackback") for cls in classes)


def _inside_reply_list(tag: Tag, stop: Tag) -> bool:
    reply_lists = {"children", "comment-replies", "wpd-comment-replies", "replies"}
    for ancestor in tag.parents:
        if ancestor is stop:
            return False
        classes: list[str] | str = ancestor.get("class") or []
        if reply_lists.intersection(classes):
            return True
    return False


def _enclosing_entry(tag: Tag, by_element: dict[int, _Entry]) -> _Entry | None:
    for ancestor in tag.parents:
        entry = by_element.get(id(ancestor))
        if entry is not None:
            return entry
    return None


def _has_ancestor_in(tag: Tag, ids: set[int]) -> bool:
    if not ids:
        return False
    return id(tag) in ids or any(id(ancestor) in ids for ancestor in tag.parents)


def _select_all(root: BeautifulSoup | Tag, selectors: tuple[str, ...]) -> list[Tag]:
    """Every element matching any of the selectors, in document order, in one pass."""
    return select(root, selectors)


def _by_priority(root: Tag, selectors: tuple[str, ...]) -> Iterator[Tag]:
    """Matches of the first selector in document order, then of the second, and so on.

    One index of the (small, copied) tree serves every selector, which keeps
    long threads fast.
    """
    yield from first_of_each(root, selectors)


def _select_first(root: Tag, selectors: tuple[str, ...]) -> Tag | None:
    return next(_by_priority(root, selectors), None)


# --- threading ------------------------------------------------------------------


def assign_threading(entries: list[_Entry]) -> None:
    """Depth and parent of each entry.

    ``depth-N`` classes are what WordPress's walker prints and they survive
    themes that close the ``li`` before the ``.children`` list; when a theme
    prints none, the nesting of the elements decides.
    """
    last_at_depth: dict[int, _Entry] = {}
    for entry in entries:
        entry.class_depth = _class_depth(entry.container)
        if entry.class_depth is not None:
            entry.depth = entry.class_depth
            entry.parent = last_at_depth.get(entry.depth - 1) if entry.depth > 1 else None
        else:
            entry.depth = entry.parent.depth + 1 if entry.parent is not None else 1
        last_at_depth[entry.depth] = entry
        for deeper in [depth for depth in last_at_depth if depth > entry.depth]:
            del last_at_depth[deeper]


def _class_depth(tag: Tag) -> int | None:
    for cls in tag.get("class") or []:
        match = _DEPTH_CLASS.match(cls)
        if match:
            depth = int(match.group(1))
            return depth if 1 <= depth <= 1000 else None
    return None


# --- reading one comment --------------------------------------------------------


def build_comments(
    entries: list[_Entry],
    soup: BeautifulSoup | Tag,
    url: str,
    post: Post | None,
    language: str | None,
) -> tuple[Comment, ...]:
    page_url = urldefrag(url)[0] if url else url
    # Everything a comment's own copy leaves out: other comments, reply lists, the form.
    left_out = [entry.container for entry in entries]
    left_out += _select_all(soup, sel.COMMENT_NESTED_CONTAINERS)
    leave_out = {id(tag) for tag in left_out}
    # Where those and the never-text elements are on the page: a comment holding none
    # of them is read in place, without a copy (most comments: those without replies).
    blocked = positions_in_page(soup, [*left_out, *tags_named(soup, *_NEVER_TEXT)])
    base = _post_datetime(post)
    position_of: dict[int, int] = {}
    comments: list[Comment] = []
    for entry in entries:
        comment = read_comment(entry, page_url, base, language, leave_out, blocked)
        if comment is None:
            continue
        parent = entry.parent
        while parent is not None and id(parent) not in position_of:
            parent = parent.parent  # the parent was empty and skipped
        position = len(comments)
        position_of[id(entry)] = position
        comments.append(
            replace(
                comment,
                parent_wp_id=parent.wp_id if parent is not None else None,
                depth=entry.depth,
                position=position,
                parent_position=position_of[id(parent)] if parent is not None else None,
            )
        )
    return tuple(comments)


def read_comment(
    entry: _Entry,
    page_url: str,
    base: datetime | None,
    language: str | None,
    leave_out: set[int],
    blocked: list[int] | None = None,
) -> Comment | None:
    """One comment, read from its own elements (``own_subtree``).

    ``blocked``: page positions of everything a comment's own subtree leaves out
    (``positions_in_page``); a comment containing none of it is read in place.
    """
    if blocked is not None and not holds_any(entry.container, blocked):
        own = entry.container
    else:
        own = own_subtree(entry, leave_out - {id(entry.container)})
    comment_type = _comment_type(entry.container, own)
    if comment_type == "comment" and entry.in_ping_list:
        comment_type = "trackback"
    author = _named_author(own)
    if author is None:
        author = _author_named_by_reply_link(own)
    if author is None and comment_type != "comment":
        author = next((a for a in tags_named(own, "a") if a.get("href") is not None), None)
    if author is None:
        author = _author_by_structure(own)
    author_name = _author_name(author)
    author_url = _author_url(author)
    date_text, published, published_local = _comment_date(own, entry.wp_id, author, base,
                                                          language)
    answer = _definition_after(entry.container)
    if answer is not None:
        content = copy_without(answer, sel.COMMENT_FURNITURE)
    else:
        # A ping's line is "Pingback: <its source's link>": the link names the ping and is
        # all the text it shows, so it stays in the text.
        content = _content_element(own, author if comment_type == "comment" else None)
    text = _comment_text(content)
    if answer is not None and date_text is None and _is_date_only(text, base, language):
        # Thesis's trackback list: the dd after the source holds only the date.
        date_text, published = text, _parse_shown_date(text, base, language)
        published_local = _on_blog_clock(None, published)
        text = ""
    if comment_type == "comment" and _PINGBACK_PREFIX.match(text):
        comment_type = "pingback" if text.lstrip().lower().startswith("p") else "trackback"
    if not text and not author_name:
        return None
    html = inner_html(content).strip()
    return Comment(
        wp_id=entry.wp_id,
        parent_wp_id=None,
        depth=entry.depth,
        position=0,
        parent_position=None,
        author_name=author_name,
        author_url=author_url,
        published=published,
        published_local=published_local,
        date_text=date_text,
        text=text,
        html=html,
        type=comment_type,
        url=f"{page_url}#comment-{entry.wp_id}" if entry.wp_id is not None and page_url else None,
    )


def own_subtree(entry: _Entry, leave_out: set[int]) -> Tag:
    """A copy of the comment without its replies, reply form or scripts.

    Copying only what is kept (rather than copying the whole subtree and
    removing the replies) keeps deep threads linear instead of quadratic.
    Nothing changes the copy afterwards (readers copy the parts they trim),
    so it is indexed once for all the selections made in it.
    """

    def kept(tag: Tag) -> bool:
        return id(tag) not in leave_out and tag.name not in _NEVER_TEXT

    own, tags, ends = clone_with_preorder(entry.container, kept)
    freeze(own, (tags, ends))
    return own


def _comment_type(container: Tag, own: Tag) -> CommentType:
    classes = set(container.get("class") or [])
    for part in [t for t in descendant_tags(own) if t.get("class") is not None][:3]:
        classes.update(part.get("class") or [])
    pings: tuple[CommentType, ...] = ("pingback", "trackback")
    for kind in pings:
        if kind in classes or f"comment-type-{kind}" in classes or f"type-{kind}" in classes:
            return kind
    return "comment"


def _definition_after(container: Tag) -> Tag | None:
    """The ``dd`` a ``dt`` comment header is followed by (Thesis's dl#comment_list)."""
    if container.name != "dt":
        return None
    for sibling in container.next_siblings:
        if isinstance(sibling, Tag):
            return sibling if sibling.name == "dd" else None
    return None


def _is_date_only(text: str, base: datetime | None, language: str | None) -> bool:
    return bool(text) and len(text) <= 80 and _parse_shown_date(text, base, language) is not None


def _named_author(own: Tag) -> Tag | None:
    """The first author node by selector priority that shows a name (has letters once
    avatars and "says:" are left out): an avatar-only .comment-author is no author."""
    for candidate in _by_priority(own, sel.COMMENT_AUTHOR):
        shown = candidate.get_text()
        if any(ch.isalpha() for ch in shown) and (
            candidate.name in _NAME_TAGS or _author_name(candidate)
        ):
            return candidate
    return None


def _author_named_by_reply_link(own: Tag) -> Tag | None:
    """The element outside the comment's text whose whole text ends the reply link's
    aria-label ("Reply to NAME"): the name node of a header no selector knows."""
    link = _select_first(own, sel.COMMENT_REPLY_LABELLED)
    label = collapse_whitespace(str(link.get("aria-label") or "")) if link else ""
    if not label:
        return None
    for tag in descendant_tags(own):
        if tag is link or _inside_text_block(tag, own):
            continue
        shown = collapse_whitespace(tag.get_text(" ")).rstrip(",:").strip()
        if shown and len(shown) < len(label) and label.endswith(" " + shown):
            return tag
    return None


def _author_by_structure(own: Tag) -> Tag | None:
    """The name node of a header no selector knows: the first link, strong, b or cite
    outside the comment's text that names someone rather than the comment's permalink,
    a reply link or a date."""
    for tag in descendant_tags(own):
        if tag.name not in _NAME_TAGS or _inside_text_block(tag, own):
            continue
        href = tag.get("href")
        if tag.name == "a" and (
            not isinstance(href, str) or "#comment-" in href or "replytocom" in href
            or href.startswith("#")
        ):
            continue
        shown = collapse_whitespace(tag.get_text(" "))
        named = shown and len(shown) <= 100 and any(ch.isalpha() for ch in shown)
        if named and not _YEAR.search(shown):
            return tag
    return None


def _inside_text_block(tag: Tag, stop: Tag) -> bool:
    for ancestor in tag.parents:
        if ancestor is stop:
            return False
        if ancestor.name in _TEXT_BLOCKS:
            return True
    return False


def _author_name(author: Tag | None) -> str | None:
    if author is None:
        return None
    shown = copy_without(author, _AUTHOR_FURNITURE)
    name = collapse_whitespace(shown.get_text(" "))
    cue = _BYLINE_CUE.match(name)
    if cue:
        name = _BYLINE_TAIL.sub("", name[cue.end():])
    if " " in name:
        name = _SAYS.sub("", name)  # "Jane says:", "Jane sagt:" when no .says span
    name = name.rstrip(":").strip()
    return name[:300] or None


def _author_url(author: Tag | None) -> str | None:
    if author is None:
        return None
    if author.name == "a" and author.get("href"):
        link: Tag | None = author
    else:
        link = next(iter(named_with_attribute(author, "a", "href")), None)
    href = link.get("href") if isinstance(link, Tag) else None
    if not isinstance(href, str) or not href.strip() or href.startswith("#"):
        return None
    return href.strip()


# --- dates ----------------------------------------------------------------------


def _comment_date(
    own: Tag, wp_id: int | None, author: Tag | None, base: datetime | None, language: str | None
) -> tuple[str | None, str | None, str | None]:
    """(date as displayed, ISO date, ISO date on the blog's clock) of one comment."""
    content = _select_first(own, sel.COMMENT_CONTENT[:-1])
    for time in tags_named(own, "time"):
        if content is not None and _is_inside(time, content):
            continue
        shown = _clean_date_text(time.get_text(" "))
        machine = time.get("datetime")
        published = iso_from_machine(machine) if isinstance(machine, str) else None
        if shown or published:
            published = published or _parse_shown_date(shown, base, language)
            return shown, published, _on_blog_clock(machine, published)
    shown = _permalink_date(own, wp_id, content, language)
    if shown is None:
        shown = _date_from_selectors(own, author, content)
    if shown is None:
        shown = _date_beside_author(own, author, content)
    published = _parse_shown_date(shown, base, language)
    return shown, published, _on_blog_clock(None, published)


def _on_blog_clock(machine: object, published: str | None) -> str | None:
    """The comment's time on the blog's clock: the ``datetime`` attribute as written when
    it states an offset (themes print ``get_comment_time('c')``, the blog's local time);
    else the time shown, which, parsed without an offset, is the blog's own."""
    if isinstance(machine, str) and _STATED_OFFSET.search(machine.strip()) \
            and iso_from_machine(machine) is not None:
        return machine.strip()
    if published and not published.endswith("Z"):
        return published
    return None


def _permalink_date(
    own: Tag, wp_id: int | None, content: Tag | None, language: str | None
) -> str | None:
    """Text of the link to the comment itself, which most themes print as its date.

    The link may sit inside the author element ("<cite>Comment by X — DATE @ <a>TIME</a>")."""
    if wp_id is None:
        return None
    marker = f"comment-{wp_id}"
    for link in tags_named(own, "a"):
        if link.get("href") is None:
            continue
        href = str(link.get("href"))
        if not href.endswith(marker) and f"#{marker}" not in href:
            continue
        if content is not None and _is_inside(link, content):
            continue
        shown = _clean_date_text(link.get_text(" "))
        if not shown or not any(ch.isdigit() for ch in shown) or _COMMENT_NUMBER.match(shown):
            continue
        if _TIME_ONLY.match(shown):
            shown = _with_date_before(link, shown, language)
        return shown
    return None


def _with_date_before(link: Tag, time_text: str, language: str | None) -> str:
    """'August 3, 2019 at 3:12 pm' when the link shows only '3:12 pm' after a written date."""
    previous = link.previous_sibling
    if previous is None or isinstance(previous, Tag):
        return time_text
    before = collapse_whitespace(str(previous))
    if not _YEAR.search(before):
        return time_text
    # The page's language (and English, whose words WordPress themes keep): guessing
    # among every language dateparser knows costs ~60 ms a call.
    start = date_start(before, [language, "en"] if language and language != "en" else (
        ["en"] if language else None))
    if start is None:
        return time_text
    return collapse_whitespace(f"{before[start:]} {time_text}")


def _date_from_selectors(own: Tag, author: Tag | None, content: Tag | None) -> str | None:
    for element in _by_priority(own, sel.COMMENT_DATE):
        if _overlaps(element, author) or _overlaps(element, content):
            continue
        shown_part = copy_without(element, sel.COMMENT_FURNITURE)
        shown = _clean_date_text(shown_part.get_text(" "))
        if shown and any(ch.isdigit() for ch in shown) and len(shown) <= 80:
            return shown if _YEAR.search(shown) else _full_date_in_title(element) or shown
    return None


def _full_date_in_title(element: Tag) -> str | None:
    """The whole date a relative one ("3 years ago") keeps in its title (wpDiscuz)."""
    title = element.get("title")
    if not isinstance(title, str):
        return None
    full = _clean_date_text(title)
    return full if full and len(full) <= 80 and _YEAR.search(full) else None


def _date_beside_author(own: Tag, author: Tag | None, content: Tag | None) -> str | None:
    """A date the theme writes as bare text in the author's header, with no element of
    its own (Avada: ``<strong>X</strong> March 10, 2017 at 12:20 am <a>Reply</a>``)."""
    if author is None:
        return None
    header = author
    for ancestor in author.parents:
        if ancestor is own or (content is not None and _is_inside(content, ancestor)):
            break
        if _holds_other_paragraphs(ancestor, author):
            break
        header = ancestor
    if header is author:
        return _date_text_after(author)
    rest = copy_without(header, sel.COMMENT_FURNITURE).get_text(" ")
    name = author.get_text(" ")
    rest = collapse_whitespace(rest.replace(name, " ", 1) if name.strip() else rest)
    shown = _clean_date_text(rest.lstrip("—–-|·,: "))
    if shown and len(shown) <= 80 and _YEAR.search(shown):
        return shown
    return None


def _date_text_after(author: Tag) -> str | None:
    """A date written as bare text right after the name node, up to the next element
    (BUZZBLOG: ``<span class=author>X</span><br> March 7, 2018 <p>…``)."""
    parts: list[str] = []
    for sibling in author.next_siblings:
        if isinstance(sibling, Tag):
            if sibling.name != "br":
                break
            continue
        parts.append(str(sibling))
    shown = _clean_date_text(" ".join(parts).lstrip("—–-|·,: "))
    if shown and len(shown) <= 80 and _YEAR.search(shown):
        return shown
    return None


def _clean_date_text(text: str) -> str | None:
    shown = collapse_whitespace(text).rstrip(":").strip()
    return shown or None


def _parse_shown_date(
    shown: str | None, base: datetime | None, language: str | None
) -> str | None:
    if not shown:
        return None
    if base is None and not _YEAR.search(shown):
        # "Jun 20th" or "1 Monat her" need the post's date; "now" would make
        # the answer depend on the day the page is re-read.
        return None
    languages = [language, "en"] if language and language != "en" else None
    for attempt in (languages, None) if languages else (None,):
        try:
            parsed = iso_from_text(
                shown, languages=attempt, relative_base=base, prefer_dates_from="future"
            )
        except ValueError:  # a language code dateparser does not know
            parsed = None
        if parsed:
            return parsed
    try:
        return iso_from_text_within(shown, languages=languages, relative_base=base)
    except ValueError:
        return iso_from_text_within(shown, relative_base=base)


def _post_datetime(post: Post | None) -> datetime | None:
    if post is None or not post.published:
        return None
    try:
        return datetime.fromisoformat(post.published.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None


# --- text -----------------------------------------------------------------------


def _content_element(own: Tag, author: Tag | None) -> Tag:
    """The element holding the comment text; the comment minus its header otherwise."""
    for candidate in _by_priority(own, sel.COMMENT_CONTENT):
        if author is not None and _is_inside(author, candidate):
            continue  # core's .comment-body wraps the header too
        return copy_without(candidate, sel.COMMENT_FURNITURE)
    return _without_header(own, author)


def _without_header(own: Tag, author: Tag | None) -> Tag:
    """The comment minus its byline block, for themes without a content class.

    The byline block is the largest element around the author name that holds
    no paragraph of its own: in "X on DATE said:" markup it is the author
    line, in old WordPress.com themes (text first, then "comment by X") it is
    the paragraph with the name.
    """
    body = _select_first(own, sel.COMMENT_BODY)
    usable = body is not None and (author is None or _is_inside(author, body))
    base = body if usable and body is not None else own
    # What goes is found where ``base`` is indexed (the page or the comment's frozen
    # copy) and left out of the copy, rather than removed from a copy indexed afresh.
    unwanted: set[int] = set()
    byline = author if author is not None and _is_inside(author, base) else None
    if byline is not None:
        header = byline
        for ancestor in byline.parents:
            if ancestor is base or _holds_other_paragraphs(ancestor, byline):
                break
            header = ancestor
        unwanted.add(id(header))
    unwanted.update(id(tag) for tag in _select_all(base, _COMMENT_META))
    unwanted.update(id(tag) for tag in _select_all(base, sel.COMMENT_FURNITURE))
    kept = clone(base, lambda tag: id(tag) not in unwanted)
    if byline is None or _inside_text_block(byline, base):
        return kept
    return _text_blocks_after_header(base, byline, unwanted) or kept


def _text_blocks_after_header(base: Tag, byline: Tag, unwanted: set[int]) -> Tag | None:
    """What follows the header when the name stands outside the comment's paragraphs: the
    first paragraph after the name and everything after it.  Bare header text (a date
    with no element, "Kommentar von", a comment number) stays behind."""
    tags = descendant_tags(base)
    after_name = False
    first: Tag | None = None
    for tag in tags:
        if tag is byline:
            after_name = True
        elif (after_name and tag.name in _TEXT_BLOCKS and not _inside_text_block(tag, base)
              and not _is_inside(tag, byline) and id(tag) not in unwanted):
            first = tag
            break
    if first is None:
        return None
    content = copy_tag(base)  # the element, empty
    node: Tag = first
    pieces: list[Tag] = [first]
    while node.parent is not None and node.parent is not base:
        node = node.parent
    following = [s for s in first.next_siblings if isinstance(s, Tag)]
    pieces.extend(following)
    if node is not first:  # the paragraph sits in a wrapper: what follows the wrapper too
        pieces.extend(s for s in node.next_siblings if isinstance(s, Tag))
    for piece in pieces:
        if id(piece) not in unwanted:
            content.append(clone(piece, lambda tag: id(tag) not in unwanted))
    return content


_COMMENT_META = (".comment-meta", ".commentmetadata", ".comment-metadata")


def _holds_other_paragraphs(element: Tag, author: Tag) -> bool:
    for paragraph in tags_named(element, "p", "blockquote", "ul", "ol", "pre"):
        if not _is_inside(author, paragraph) and paragraph.get_text(strip=True):
            return True
    return False


def _comment_text(content: Tag) -> str:
    lines = [line for line in element_text(content).split("\n\n") if line.strip()]
    while lines and lines[-1].strip().casefold() in _UI_LINES:
        lines.pop()
    while lines and lines[0].strip().casefold() in _UI_LINES | _SAYS_LINES:
        lines.pop(0)
    return "\n\n".join(lines)


def _overlaps(element: Tag, other: Tag | None) -> bool:
    return other is not None and (_is_inside(element, other) or _is_inside(other, element))


def _is_inside(tag: Tag, container: Tag) -> bool:
    return tag is container or any(ancestor is container for ancestor in tag.parents)
