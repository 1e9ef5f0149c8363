"""Poster and image credit lines ("poster designed by X", "Photo: X").

A credit is a short line in the post (paragraph, caption or post footer)
that starts with a credit label in one of several languages.  The labels
are data (``CREDIT_LABELS``); the code only knows the three shapes a credit
line takes: "<label>: name", "<label> by name" and "courtesy of name".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, Tag

from scraper.extract import selectors as sel
from scraper.extract.images import image_src
from scraper.extract.locate import excluded_regions, is_inside, locate_post
from scraper.html import (
    ancestor_named,
    collapse_whitespace,
    first_named,
    normalise_key,
    previous_named,
    select,
    tags_named,
)
from scraper.model.records import Credit, CreditPlace, Post

# role -> labels that introduce a credit of that role (regex fragments, case-insensitive).
CREDIT_LABELS: dict[str, tuple[str, ...]] = {
    "poster": (
        r"(?:film|movie|kino)?\s*poster(?:\s*(?:art(?:work)?|illustration|design|photo(?:graphy)?))?",
        r"(?:key|cover|title)\s*art(?:work)?",
        r"(?:film)?plakat(?:motiv|gestaltung|illustration)?",
        r"affiche",
        r"cartel",
    ),
    "cover": (
        r"(?:book\s*|buch)?cover(?:\s*art|bild|foto)?",
        r"umschlag(?:bild|foto)?",
        r"couverture",
        r"portada",
    ),
    "artwork": (
        r"art(?:work)?",
        r"illustrations?",
        r"ilustraci[oó]n(?:es)?",
        r"zeichnung(?:en)?",
        r"grafik(?:en)?",
    ),
    "photo": (
        r"(?:alle\s+|all\s+)?photo(?:s|graph|graphs|graphy)?(?:\s+credits?)?",
        r"(?:alle\s+)?(?:titel|header)?fotos?(?:grafie)?",
        r"crédits?\s+photos?",
        r"photographer",
        r"(?:titel)?fotograf(?:in|en)?",
        r"fotograf[ií]as?",
        r"foto\s*credits?",
    ),
    "image": (
        r"(?:all\s+|header\s+|featured\s+|title\s+)?(?:image|picture|pic)s?(?:\s+(?:credits?|source))?",
        r"(?:alle\s+)?(?:titel|beitrags|header|vorschau)?bild(?:er|nachweis|quelle|rechte|material)?",
        r"imagen(?:es)?",
        r"fuente\s+de\s+la\s+imagen",
        r"source\s+de\s+l[’']image",
        r"abb(?:ildung(?:en)?|\.)",
        r"credits?",
        r"crédits?(?:\s+images?)?",
        r"cr[ée]ditos?(?:\s+de\s+(?:la\s+)?(?:foto(?:graf[ií]a)?|imagen))?",
        r"screen\s*shots?",
        r"bildschirmfoto",
        r"capture\s+d[’']écran",
        r"captura(?:\s+de\s+pantalla)?",
        r"gambar",
    ),
}

# Separators between the label and the name.
# "Foto/Grafik: X", "Photos & video: X": a second kind of work may share the label.
_COLON = r"(?:\s*[/&+]\s*[^\W\d_]+)?\s*[:：]\s*"
_BY = (
    r"\s+(?:(?:designed|created|made|drawn|illustrated|painted|taken|shot)\s+)?"
    r"(?:by|von|par|por)\s+"
)
_VIA = r"\s+v[ií]a\s+"
# "Foto © Max Muster": the sign stands for the colon.
_SIGN = r"\s*(?:©|\(c\))\s*"
# "Poster illustration — Name": only with a short, name-shaped remainder.
_DASH = r"\s*[—–]\s*|\s+-\s+"
_COURTESY = r"(?:(?:photo|image|picture|poster)s?\s+)?courtesy(?:\s+of)?\s+"
_COPYRIGHT = r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?"

# Where a credit may start inside a caption that first describes the picture.
_CAPTION_LEAD = r"(?:^|(?<=[\s(\[|/–—\-.;]))"

# Words that stand for "a source" without naming anyone.
NOT_A_NAME = frozenset(
    {
        "quelle", "quellen", "source", "sources", "cc", "lizenz", "cc-lizenz", "license",
        "licence", "privat", "private", "unknown", "unbekannt", "internet", "web", "archiv",
        "archive",
    }
)
# Stock-photo platforms: with "X on Unsplash" or "Pixabay / X" the person is X.
STOCK_PLATFORMS = (
    "unsplash",
    "pixabay",
    "pexels",
    "flickr",
    "shutterstock",
    "istock",
    "istockphoto",
    "getty images",
    "gettyimages",
    "adobe stock",
    "fotolia",
    "depositphotos",
    "123rf",
    "wikimedia commons",
    "wikimedia",
    "canva",
    "pixelio",
    "photocase",
    "dreamstime",
    "alamy",
    "picture alliance",
    "dpa",
    "reuters",
    "ap photo",
    "afp",
    "stock.adobe",
    "freepik",
    "imago",
    "imago images",
    "keystone",
    "epa",
    "ullstein bild",
    "zuma press",
    "sipa",
)
_PLATFORM = r"(?:" + "|".join(re.escape(p) for p in STOCK_PLATFORMS) + r")(?:\.com|\.de|\.org)?"
_PLATFORM_SUFFIX = re.compile(r"\s+(?:on|via|auf|bei|from|von|@)\s+" + _PLATFORM + r"\s*$", re.I)
# "Flickr user Jane Doe": the person, not the platform.
_PLATFORM_USER = re.compile(r"^" + _PLATFORM + r"\s+(?:user|nutzer(?:in)?)\s+", re.I)
# Where a name beside a stock site or agency splits: "Max Muster – stock.adobe.com",
# "Jane Doe/Getty Images", "Wikimedia Commons, Max Muster".
_NAME_PARTS = re.compile(r"\s*/\s*|\s*\|\s*|\s+[-–—]\s+|,\s+")
# A licence tag written before the name ("Foto: CC-BY-NC 2.0 Max Muster").
_LICENSE_LEAD = re.compile(
    r"^(?:CC[\s-]?(?:BY|0|zero)(?:[\s-](?:SA|NC|ND))*(?:[\s-]?\d\.\d)?|public domain)"
    r"\s+(?=[^\W\d_])",
    re.I,
)
# What a name keeps in brackets after it is its work, affiliation or medium, not the
# name: "X (Publisher, 2018)", "Jure Makovec (OC Ljubno)", "Instagram (Screenshot)".
_BRACKETED_TAIL = re.compile(r"(?<=\S)\s+\([^()]*\)\s*$")
# "Copyright © X", "(c) 2019 X": the sign before the name.
_COPYRIGHT_LEAD = re.compile(r"^(?:(?:copyright|©|\(c\))\s*)+(?:(?:1[89]|20)\d{2}\s+)?", re.I)
# What follows a name in sentences that credit ("… von X zur Verfügung gestellt").
_NAME_TAIL = re.compile(
    r"\s+(?:zur\s+verfügung\s+gestellt|bereitgestellt|überlassen|provided|supplied)\b.*$", re.I
)
# A stock or news agency as the whole credit, or beside the person ("Anna / pixelio.de",
# "Getty Images/Jane Doe", "Jane Doe/Agency via Getty Images"): at the end of a caption
# or as a line of its own.
_AGENCY_CREDIT = re.compile(
    r"(?:^|[(\[|.;–—]\s*)(?P<label>(?:(?:©|\(c\))\s*)?)"
    r"(?P<name>(?:[^\W\d_][^.|;:()\[\]/]{0,60}?(?:\s*/\s*|\s+[-–—]\s+)"
    r"|[^\W\d_][^.|;:()\[\]]{0,60}?\s+via\s+)?"
    + r"(?:" + "|".join(re.escape(p) for p in STOCK_PLATFORMS) + r")(?:\.com|\.de|\.org)?"
    + r"(?:\s*/\s*[^\W\d_][^.|;:()\[\]/]{0,60}?)?)\s*\)?\.?$",
    re.I,
)
# "Instagram (Screenshot)", "YouTube / Screenshot": the source of a screen capture.
SCREENSHOT_WORDS = (r"screen\s*shot", r"bildschirmfoto", r"captura", r"capture\s+d[’']écran")
_SCREENSHOT_SOURCE = re.compile(
    r"(?:^|(?<=[.;|–—])\s*)(?P<name>[^\W\d_][^.|;:()\[\]/]{0,40}?)\s*(?:\(|/|,)\s*(?:"
    + "|".join(SCREENSHOT_WORDS)
    + r")\s*\)?\.?$",
    re.I,
)
_SCREENSHOT_NAME_WORDS = 3
_LICENSE = re.compile(
    r"[\s,;(/|]*(?:\bCC[\s-]?(?:BY|0|zero)\b.*|\bcc-lizenz\b.*|\bpublic domain\b.*|\bgemeinfrei\b.*"
    r"|\ball rights reserved\b.*|\balle rechte vorbehalten\b.*|\blicen[cs]ed? under\b.*)$",
    re.I,
)
# "Collage aus Internetbildern und Wake News": the credited party is the last one.
_COMPOSITE = re.compile(
    r"^(?:collage|montage|composite|composing|bearbeitung)\s+(?:aus|from|of|von)\s+.+?"
    r"\s+(?:und|and|&)\s+(?P<name>.+)$",
    re.I,
)

# After a dash the credit is only a name: a few words, no sentence punctuation,
# not starting in lower case ("Poster illustration — Ingrid Solberg").
_DASH_NAME = r"[^\W_][^.!?;:]*"
_DASH_NAME_WORDS = 5
# "… for A24", "… für Netflix": the client of the credited artist, not the artist.
_CLIENT_SUFFIX = re.compile(r"\s+(?:for|für|pour|para|per|voor)\s+\S.*$", re.I)

# Credits inside a sentence ("The poster, courtesy of Studio X, is …"): a lead
# that only credits, then a name up to the next punctuation.
INLINE_CREDIT_LEADS = (
    r"courtesy\s+of",
    r"mit\s+freundlicher\s+genehmigung\s+(?:von|der|des)",
    r"avec\s+l[’']aimable\s+autorisation\s+(?:de|du|des|d[’'])",
    r"(?:por\s+)?cortes[ií]a\s+de",
    r"per\s+gentile\s+concessione\s+(?:di|del|della|dello)",
    r"dzięki\s+uprzejmości",
    r"met\s+dank\s+aan",
    r"(?:(?:das|die|alle)\s+)?(?:bildmaterial|fotomaterial|(?:foto|bild)(?:s|er)?)\s+"
    r"(?:wurden?|stamm(?:t|en))\s+(?:uns\s+)?(?:freundlicherweise\s+)?(?:von|aus)"
    r"(?:\s+(?:der|dem|des))?",
    r"(?:photos?|images?|pictures?)\s+(?:provided|supplied|used\s+with\s+permission)\s+(?:by|of|from)",
)
_INLINE_CREDIT = re.compile(
    r"(?:^|(?<=[\s(\[,;–—]))(?P<label>(?:" + "|".join(INLINE_CREDIT_LEADS) + r"))\s+"
    r"(?P<name>[^\W_][^,;:!?()\[\]\n]*?)(?=\s*(?:[,;:!?()\[\]]|\.(?:\s|$)|$))",
    re.I,
)
_INLINE_NAME_WORDS = 6
# Every inline lead contains one of these (in lower case); most lines of a post contain none.
INLINE_CUE_STEMS = (
    "courtesy", "genehmigung", "autorisation", "cortes", "concessione", "uprzejmo",
    "met dank", "material", "foto", "bild", "photo", "image", "picture",
)
_INLINE_CUE = re.compile("|".join(re.escape(stem) for stem in INLINE_CUE_STEMS))
# How far before the lead a role word ("the poster, courtesy of …") is looked for.
_INLINE_ROLE_WINDOW = 40

_MAX_LINE_WORDS = 30
# A credited name in lower case ("by hai-fuh-ku") has at most this many words.
_LOWER_NAME_WORDS = 3
# The bare name in an element classed as a credit.
_HELD_NAME_WORDS = 8
_MAX_NAME_WORDS = 12


@dataclass(frozen=True)
class CreditMatch:
    text: str  # the credit part of the line
    name_text: str  # what follows the label, before name clean-up
    name: str | None
    role: str


def _label_alternation(role: str) -> str:
    return "(?:" + "|".join(CREDIT_LABELS[role]) + ")"


def _build_patterns(
    separators: tuple[str, ...] = (_COLON, _BY, _VIA, _SIGN), *, all_forms: bool = True
) -> tuple[tuple[str, re.Pattern[str]], ...]:
    patterns: list[tuple[str, re.Pattern[str]]] = []
    for role in CREDIT_LABELS:
        label = _label_alternation(role)
        for separator in separators:
            patterns.append(
                (role, re.compile(rf"(?P<label>{label}){separator}(?P<name>\S.*)$", re.I))
            )
        if all_forms:
            dash = rf"(?P<label>{label})(?:{_DASH})(?P<dash>)(?P<name>{_DASH_NAME})$"
            patterns.append((role, re.compile(dash, re.I)))
    if all_forms:
        courtesy = rf"(?P<label>{_COURTESY})(?P<name>\S.*)$"
        patterns.append(("courtesy", re.compile(courtesy, re.I)))
    return tuple(patterns)


CREDIT_PATTERNS = _build_patterns()
# "Label: name" is unmistakable enough to follow a link or title on the same line
# ("Gefüllte Paprika - Foto: X", "Der Hafen | Bild: X"); the looser forms are not.
_LABELLED_PATTERNS = _build_patterns((_COLON, _SIGN), all_forms=False)
_COPYRIGHT_PATTERN = re.compile(rf"(?P<label>{_COPYRIGHT})(?P<name>\w.*)$", re.I)
# Before the label: brackets, bars, dashes, a copyright sign ("© Photo : X"), and a
# co-credit for the text ("Text und Fotos: X", "Words & photos: X").
_LINE_LEAD = (
    r"^[\s(\[*|–—-]*(?:(?:©|\(c\))\s*)?"
    r"(?:(?:text|texte|texto|words|video|interview|bericht|story|redaktion)\s*"
    r"(?:[/&+,]|und|and|et|y)\s*)?"
)
_AFTER_SEPARATOR = r"(?<=\s[-–—|]\s)"


def _anchored(
    lead: str, patterns: tuple[tuple[str, re.Pattern[str]], ...]
) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The patterns with a lead in front, compiled once (every line of every post is tried)."""
    return tuple((role, re.compile(lead + pattern.pattern, re.I)) for role, pattern in patterns)


# Outside captions the line starts with the label; inside, a description may come first.
_PATTERNS_AFTER_SEPARATOR = _anchored(_AFTER_SEPARATOR, _LABELLED_PATTERNS)
_LINE_PATTERNS = _anchored(_LINE_LEAD, CREDIT_PATTERNS) + _PATTERNS_AFTER_SEPARATOR
# After a separator the name must look like one ("Der Hafen - Bild: war schön" is prose).
_NEEDS_NAME_SHAPE = frozenset(id(pattern) for _, pattern in _PATTERNS_AFTER_SEPARATOR)
_CAPTION_PATTERNS = _anchored(
    _CAPTION_LEAD, (*CREDIT_PATTERNS, ("copyright", _COPYRIGHT_PATTERN))
)


# Every credit form above contains one of these stems (in lower case): a line without
# one is no credit, which spares trying each form on most lines of a post.  One literal
# alternation is several times faster than the label patterns' own alternation.
CUE_STEMS = (
    "poster", "plakat", "affiche", "cartel", "art", "illustr", "ilustr", "zeichnung",
    "grafik", "cover", "umschlag", "couverture", "portada", "photo", "foto", "credit",
    "crédit", "image", "picture", "pic", "bild", "fuente", "source", "abb", "gambar",
    "screen", "captur", "courtesy", "©", "(c)", "copyright", *STOCK_PLATFORMS,
)
_CUE = re.compile("|".join(re.escape(stem) for stem in CUE_STEMS))


def match_credit_line(line: str, *, in_caption: bool = False) -> CreditMatch | None:
    """The credit in one line of text, or None.

    Outside captions the line must start with the label; inside a caption
    the label may follow a description ("Sunset over the bay. Photo: X").
    """
    line = collapse_whitespace(line)
    if not line or len(line.split()) > _MAX_LINE_WORDS or not _CUE.search(line.lower()):
        return None
    best: tuple[int, str, re.Match[str]] | None = None
    for role, pattern in _CAPTION_PATTERNS if in_caption else _LINE_PATTERNS:
        match = pattern.search(line)
        if match and "dash" in match.groupdict() and not _name_shaped(match.group("name")):
            match = None
        if match and _reads_as_sentence(match):
            match = None
        if match and id(pattern) in _NEEDS_NAME_SHAPE and match.group("name")[:1].islower():
            match = None
        if match and (best is None or match.start("label") < best[0]):
            best = (match.start("label"), role, match)
    if best is None:
        return _agency_credit(line, in_caption=in_caption) or _screenshot_source(
            line, in_caption=in_caption
        )
    start, role, match = best
    text = _strip_enclosing(line[start:], opened="(" in line[:start])
    name_text = _strip_enclosing(match.group("name"), opened="(" in line[:start])
    if "|" in line[:start]:
        # "Description | Photo by X | Place": the credit ends at the next bar.
        text, name_text = text.split("|")[0].strip(), name_text.split("|")[0].strip()
    if len(name_text.split()) > _MAX_NAME_WORDS:
        return None
    if _LICENSE.fullmatch(" " + _LICENSE_LEAD.sub("", name_text)):
        return None  # a licence alone names nobody: "Image: CC BY-SA 4.0"
    name = clean_credited_name(name_text)
    return CreditMatch(text=text, name_text=name_text, name=name, role=role)


def _agency_credit(line: str, *, in_caption: bool) -> CreditMatch | None:
    """"Anna / pixelio.de", "Getty Images": a line of its own, or the end of a caption."""
    match = _AGENCY_CREDIT.search(line)
    if match is None or (not in_caption and match.start("label") > 0):
        return None
    name_text = match.group("name").strip()
    text = line[match.start("label") :].strip().rstrip(")").strip()
    if _PLATFORM_SUFFIX.search(name_text):
        # "Jane Doe/Agency via Getty Images": the people before "via", as written.
        name = clean_credited_name(name_text) or name_text
        return CreditMatch(text=text, name_text=name_text, name=name, role="image")
    parts = [part.strip() for part in name_text.split("/")]
    people = [part for part in parts if not re.fullmatch(_PLATFORM, part, re.I)]
    name = clean_credited_name(" / ".join(people) or name_text) or name_text
    return CreditMatch(text=text, name_text=name_text, name=name, role="image")


def _screenshot_source(line: str, *, in_caption: bool) -> CreditMatch | None:
    """"Instagram (Screenshot)": the platform or person a screen capture was taken from."""
    match = _SCREENSHOT_SOURCE.search(line)
    if match is None or (not in_caption and match.start("name") > 0):
        return None
    name_text = match.group("name").strip()
    if not _name_shaped(name_text, _SCREENSHOT_NAME_WORDS):
        return None
    text = line[match.start("name") :].strip()
    if text.endswith(")") and "(" not in text:
        text = text[:-1].strip()
    name = clean_credited_name(name_text)
    if name is None:
        return None
    return CreditMatch(text=text, name_text=name_text, name=name, role="image")


def match_inline_credit(line: str) -> CreditMatch | None:
    """A credit inside a longer sentence: "The poster, courtesy of Studio X, is …".

    The name must look like one (not in lower case, a few words); the role
    is the credit label just before the lead, if any ("poster"), else courtesy.
    """
    line = collapse_whitespace(line)
    if not _INLINE_CUE.search(line.lower()):
        return None
    for match in _INLINE_CREDIT.finditer(line):
        name_text = match.group("name").strip()
        if not _name_shaped(name_text, _INLINE_NAME_WORDS):
            continue
        name = clean_credited_name(name_text)
        if name is None:
            continue
        before = line[max(0, match.start() - _INLINE_ROLE_WINDOW) : match.start()]
        role = next(
            (r for r in CREDIT_LABELS if re.search(rf"\b{_label_alternation(r)}\b", before, re.I)),
            "courtesy",
        )
        text = line[match.start("label") : match.end("name")]
        return CreditMatch(text=text, name_text=name_text, name=name, role=role)
    return None


def _reads_as_sentence(match: re.Match[str]) -> bool:
    """"Photos by the lake were lovely": after "by" comes the rest of a sentence, not a name.

    A name in lower case is kept when short ("poster designed by hai-fuh-ku",
    "photo by the author").
    """
    label_end = match.end("label")
    if ":" in match.string[label_end : match.start("name")]:
        return False
    name = match.group("name").strip()
    return name[:1].islower() and len(name.split()) > _LOWER_NAME_WORDS


def match_held_credit(line: str) -> CreditMatch | None:
    """The whole text of an element that only holds a credit ("Jane Doe/Reuters").

    Themes and the Media Credit plugin print the bare name in an element
    classed as a credit; it must still read as a name: a few words, not in
    lower case, no sentence.
    """
    text = collapse_whitespace(line).strip()
    name_text = text.rstrip(".")
    if not _name_shaped(name_text, _HELD_NAME_WORDS) or re.search(r"[!?:;]", name_text):
        return None
    name = clean_credited_name(name_text)
    if name is None:
        return None
    return CreditMatch(text=text, name_text=name_text, name=name, role="image")


def _name_shaped(text: str, max_words: int = _DASH_NAME_WORDS) -> bool:
    text = text.strip()
    return bool(text) and not text[0].islower() and len(text.split()) <= max_words


def is_credit_line(text: str) -> bool:
    return match_credit_line(text) is not None


def clean_credited_name(raw: str) -> str | None:
    """The credited person or source: licence, stock platform and lead-ins removed."""
    name = raw.strip(" \t.,;:\"'“”„«»")
    composite = _COMPOSITE.match(name)
    if composite:
        name = composite.group("name")
    name = _COPYRIGHT_LEAD.sub("", name)
    name = _LICENSE_LEAD.sub("", name)
    name = _LICENSE.sub("", name).strip(" ,;/|")
    name = _NAME_TAIL.sub("", name)
    name = _BRACKETED_TAIL.sub("", name).strip()
    name = _CLIENT_SUFFIX.sub("", name).strip()
    name = _PLATFORM_SUFFIX.sub("", name).strip()
    name = _PLATFORM_USER.sub("", name)
    parts = [p.strip() for p in _NAME_PARTS.split(name) if p.strip()] if "://" not in name else []
    people = [p for p in parts if not re.fullmatch(_PLATFORM, p, re.I)]
    if people and len(people) < len(parts):
        name = " / ".join(people)
    words = re.split(r"[\s,/]+", name.casefold())
    if not name or all(w in NOT_A_NAME or not w for w in words):
        return None
    return name


def _strip_enclosing(text: str, *, opened: bool) -> str:
    text = text.strip()
    if opened and text.endswith(")"):
        text = text[:-1]
    return text.strip()


# --- finding the lines ------------------------------------------------------

_BLOCK_TAGS = frozenset(
    {
        "p", "div", "li", "dd", "dt", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
        "figcaption", "figure", "blockquote", "section", "article", "header", "footer",
        "aside", "pre", "table", "tr", "ul", "ol", "dl", "main",
    }
)


@dataclass
class _Line:
    block: Tag
    strings: list[NavigableString]

    @property
    def text(self) -> str:
        return collapse_whitespace("".join(self.strings))


def extract_credits(soup: BeautifulSoup, url: str, post: Post | None) -> tuple[Credit, ...]:
    if post is None:
        return ()
    location = locate_post(soup)
    scope = location.container or location.content
    if scope is None:
        return ()
    skipped = excluded_regions(scope) | {id(tag) for tag in select(scope, sel.POST_FURNITURE)}
    holders = {
        id(tag) for tag in select(scope, sel.CREDIT_HOLDERS) if _holds_a_picture_credit(tag, scope)
    }
    captions = {id(tag) for tag in select(scope, sel.CAPTIONS)} | holders
    footers = {id(tag) for tag in select(scope, sel.POST_META_BLOCKS)}
    footers |= {id(tag) for tag in tags_named(scope, "footer")}
    featured = post.featured_image.url if post.featured_image else None
    credits: list[Credit] = []
    for line in _lines(scope, skipped, captions):
        in_caption = is_inside(line.block, captions)
        found = (
            match_credit_line(line.text, in_caption=in_caption)
            or match_inline_credit(line.text)
            or (match_held_credit(line.text) if is_inside(line.block, holders) else None)
        )
        if found is None:
            continue
        place: CreditPlace = (
            "caption" if in_caption else "footer" if is_inside(line.block, footers) else "paragraph"
        )
        credits.append(
            Credit(
                text=found.text,
                name=found.name,
                url=_link_on(line, found),
                role=found.role,
                place=place,
                image_url=_credited_image(line.block, scope, url, in_caption) or featured,
                position=len(credits),
            )
        )
    return tuple(credits)


def _holds_a_picture_credit(holder: Tag, scope: Tag) -> bool:
    """An element classed as a credit that sits beside a picture and holds one line.

    A film review's "Credits" block (cast, crew, a list) is classed the same way but
    holds lines of its own and no picture beside it.
    """
    if tags_named(holder, *_BLOCK_TAGS):
        return False
    own_text = collapse_whitespace(holder.get_text())
    around = holder.parent
    for _ in range(2):
        # Only the picture's wrapper: it says nothing but the credit.
        if around is None or around is scope or collapse_whitespace(around.get_text()) != own_text:
            return False
        if first_named(around, "img") is not None:
            return True
        around = around.parent
    return False


def _lines(scope: Tag, skipped: AbstractSet[int], captions: AbstractSet[int]) -> Iterator[_Line]:
    """Lines of text in document order: a new line at each block, caption and <br>.

    A caption is a line of its own even as an inline `<span>` beside the image.
    """
    current: _Line | None = None
    for node in scope.descendants:
        if isinstance(node, Tag):
            if node.name == "br" and current is not None:
                yield current
                current = None
            continue
        if type(node) is not NavigableString:
            continue
        parent = node.parent
        if parent is None or parent.name in ("script", "style", "noscript", "template"):
            continue
        if is_inside(parent, skipped):
            continue
        block = _block_of(parent, scope, captions)
        if current is not None and current.block is not block:
            yield current
            current = None
        if current is None:
            if not node.strip():
                continue  # whitespace between blocks starts no line
            current = _Line(block=block, strings=[])
        current.strings.append(node)
    if current is not None:
        yield current


def _block_of(tag: Tag, scope: Tag, captions: AbstractSet[int]) -> Tag:
    node: Tag | None = tag
    while node is not None and node is not scope:
        if node.name in _BLOCK_TAGS or id(node) in captions:
            return node
        node = node.parent
    return scope


def _link_on(line: _Line, found: CreditMatch) -> str | None:
    """The href of the link whose text is (part of) the credited name."""
    key = normalise_key(found.name or found.name_text)
    if not key:
        return None
    for string in line.strings:
        link = ancestor_named(string, "a")
        if link is None:
            continue
        text_key = normalise_key(link.get_text())
        href = link.get("href")
        if text_key and isinstance(href, str) and (text_key in key or key in text_key):
            return href.strip() or None
    return None


def _credited_image(block: Tag, scope: Tag, base_url: str, in_caption: bool) -> str | None:
    """The image in the caption's figure, else the nearest image before the line."""
    if in_caption:
        holder: Tag | None = block
        for _ in range(4):
            if holder is None or holder is scope:
                break
            img = first_named(holder, "img")
            if isinstance(img, Tag):
                return image_src(img, base_url)
            holder = holder.parent
    for img in previous_named(block, "img"):
        if scope in img.parents:
            src = image_src(img, base_url)
            if src:
                return src
        else:
            break
    return None
