"""The reviewed work read from a post's title: "Her (2013)", "Review: Her", "Her – review",
"Filmkritik: Her", "Rezension: …", "An Appreciation of Heart's “Alone”".  The patterns are
data, compiled once; a title that matches none names no work (an essay is not a review)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from scraper.model.records import WorkType

# Words that mark a title as a review, and the kind of work they imply (None: any kind).
REVIEW_WORDS: dict[str, WorkType | None] = {
    "film review": "film", "movie review": "film", "filmkritik": "film",
    "filmrezension": "film", "critique du film": "film", "critique": None,
    "book review": "book", "buchrezension": "book", "buchkritik": "book",
    "buchbesprechung": "book", "rezension": None, "besprechung": None, "kritik": None,
    "album review": "album", "albumkritik": "album", "plattenkritik": "album",
    "tv review": "tv", "serienkritik": "tv", "game review": "game", "spielkritik": "game",
    "review": None, "recensione": None, "reseña": None, "crítica": None, "resensi": None,
}
# Words of a post's categories and tags that tell the kind of work (first match wins).
TERM_TYPES: tuple[tuple[str, WorkType], ...] = (
    (r"films?|movies?|kino|cin[eé]ma|filmkritik|spielfilm|filme", "film"),
    (r"books?|b[uü]cher|buch|romane?|literatur|livres?|buku", "book"),
    (r"albums?|music|musik|platten?", "album"),
    (r"tv|series|serien?|tv-serien?|fernsehen", "tv"),
    (r"games?|videogames?|spiele|gaming", "game"),
)
_YEAR = r"(?P<year>(?:18|19|20)\d\d)"
_WORDS = "|".join(sorted((re.escape(w) for w in REVIEW_WORDS), key=len, reverse=True))
_QUOTES = "\"'“”„«»‘’‚‹›「」『』"
_TITLE_PATTERNS = (
    # "Review: Her (2013)", "Filmkritik – Her"
    re.compile(rf"^(?P<word>{_WORDS})\s*(?:[:：]|\s[-–—|])\s*(?P<title>.+)$", re.I),
    # "Her – review", "Her (2013) | Filmkritik"
    re.compile(rf"^(?P<title>.+?)\s*(?:[:：]|\s[-–—|])\s*(?P<word>{_WORDS})$", re.I),
    # "Her (2013)", "Roma (2018): memory in black and white"
    re.compile(rf"^(?P<title>[^()]+?)\s*\({_YEAR}\)(?:$|\s*[:–—-]\s|\s+\S)"),
    # "… An Appreciation of Heart's “Alone”", "Rezension zu „Die Wand“": a title in double
    # quotes (single ones are apostrophes too) after the words that say the post reviews it.
    re.compile(rf"\b(?:{_WORDS}|appreciation|besprechung)\s+(?:of|zu|von|de|du|di)\s+"
               r"(?:.{0,40}?\s)?[\"“„«「『](?P<title>[^\"“”„«»「」『』]+)[\"“”»」』]", re.I),
)
# "Barbenheimer: Barbie & Oppenheimer (2023)": a label over a double bill, two works.
_DOUBLE_BILL = re.compile(r":\s.+\s(?:&|and|und|vs\.?|et)\s", re.I)
# After a colon a work's subtitle starts like a title ("Dune: Part Two"); "Members only: our
# Oscars ballot (2024)" is a post's own label and subject.
_LOWER_SUBTITLE = re.compile(r":\s+[^\W\d_]", re.U)
_TITLE_YEAR = re.compile(rf"^(?P<title>.+?)\s*\({_YEAR}\)\s*$")
_TERM_TYPES = tuple((re.compile(rf"^(?:{words})$", re.I), kind) for words, kind in TERM_TYPES)
_MAX_TITLE_WORDS = 12


@dataclass(frozen=True)
class TitleWork:
    title: str
    year: int | None
    type: WorkType | None


def work_from_title(post_title: str | None, terms: Iterable[str] = ()) -> TitleWork | None:
    """The work a post title names, with its year and kind when the title or the post's
    terms tell them; None for a title that is not a review's."""
    if not post_title:
        return None
    for pattern in _TITLE_PATTERNS:
        match = pattern.search(post_title.strip())
        if match is None:
            continue
        groups = match.groupdict()
        title, year = _title_and_year(match.group("title"), groups.get("year"))
        if not _names_one_work(title):
            return None
        kind = REVIEW_WORDS.get(groups["word"].casefold()) if groups.get("word") else None
        return TitleWork(title=title, year=year, type=kind or _type_of_terms(terms))
    return None


def _names_one_work(title: str) -> bool:
    if not title or len(title.split()) > _MAX_TITLE_WORDS or _DOUBLE_BILL.search(title):
        return False
    subtitle = _LOWER_SUBTITLE.search(title)
    return subtitle is None or not subtitle.group(0)[-1].islower()


def _title_and_year(raw: str, year: str | None) -> tuple[str, int | None]:
    title = raw.strip()
    if year is None:
        inner = _TITLE_YEAR.match(title)
        if inner:
            title, year = inner.group("title"), inner.group("year")
    # "Spirited Away / 千と千尋の神隠し": the first of the titles a work goes by.
    title = title.split(" / ")[0].strip().strip(_QUOTES).strip()
    return title, int(year) if year else None


def _type_of_terms(terms: Iterable[str]) -> WorkType | None:
    names = [name.strip() for name in terms]
    for pattern, kind in _TERM_TYPES:
        if any(pattern.match(name) for name in names):
            return kind
    return None
