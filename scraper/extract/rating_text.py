"""A critic's rating written as text: "Rating: 4/5", "★★★½", "8/10", "4 out of 5", "Grade: B+".

Text is the least trusted source of a rating, so it is read only where critics put theirs:
on a labelled line ("Rating:", "Wertung:", "Verdict:") or alone at the start of one of the
post's last lines.  A line with two ratings or a rating explained by "=" is a legend; a
line that says someone else rated ("Variety gave it 3/5") is a quote; a number followed by
another slash ("8/10/2014") is a date.  Two different ratings on a page mean neither is
read: a wrong rating is worse than none.  The patterns are data, compiled once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from scraper.model.records import Rating

# Words that introduce the critic's rating, in the languages the blogs are written in.
RATING_LABELS = (
    r"(?:my|our|final|overall|the)?\s*(?:rating|score|verdict|grade)",
    r"(?:meine|unsere)?\s*(?:gesamt)?(?:wertung|bewertung)",
    r"punkte|sterne|stars",
    r"ma\s+note|note\s+finale|(?:mon\s+)?verdict",  # not a bare "Note: 3/4 cup"
    r"voto|valutazione|puntuaci[oó]n|calificaci[oó]n|nota",
    r"penilaian|nilai",
)
# Scales a critic rates on: "8/10", never "24/7" or "3/2".
SCALES = frozenset({4, 5, 10, 20, 100})
_NUMBER = r"\d{1,3}(?:[.,]\d{1,2})?"
_OUT_OF = r"\s*(?:/|\bout\s+of\b|\bof\b|\bvon\b|\bsur\b|\bsu\b|\bde\b|\bdari\b)\s*"
_STAR_WORDS = r"(?:\s*(?:stars?|sternen?|points?|punkten?|[ée]toiles?|estrellas?|bintang))?"
_SCALE_RATING = (
    rf"(?<![\d/.,])(?P<value>{_NUMBER}){_OUT_OF}(?P<best>\d{{1,3}})(?![\d/]|[.,]\d){_STAR_WORDS}"
)
_FULL_STARS = "★⭐✭✮✯"
_EMPTY_STARS = "☆✩"
_STAR_RATING = (
    rf"(?P<full>[{_FULL_STARS}](?:\s?[{_FULL_STARS}]){{0,9}})(?P<half>\s?(?:½|1/2))?"
    rf"(?P<empty>(?:\s?[{_EMPTY_STARS}])*)"
)
# School grades: F (worst) … A+ (best), as 13 steps.
GRADES = ("F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+")
_GRADE_RATING = r"(?P<grade>[A-D][+-]?|F)(?![\w+-])"

_ANY_RATING = re.compile(rf"{_SCALE_RATING}|{_STAR_RATING}")
_LABEL = r"(?:" + "|".join(RATING_LABELS) + r")"
_AFTER_LABEL = r"\s*[:：]?\s*(?:[-–—]\s*)?(?:\*\*)?\s*"
_LABELLED = re.compile(rf"(?<!\w){_LABEL}{_AFTER_LABEL}(?:{_SCALE_RATING}|{_STAR_RATING})", re.I)
_LABELLED_GRADE = re.compile(rf"(?<!\w)grade\s*[:：]\s*{_GRADE_RATING}", re.I)
# Unlabelled: the rating opens the line, then at most a short verdict ("4/5 – a must-see").
_OPENING = re.compile(
    rf"^(?:(?![{_FULL_STARS}])[\W_]){{0,3}}(?:{_SCALE_RATING}|{_STAR_RATING})[\s!.)]*"
    rf"(?:[-–—:|,]\s*[^\d/{_FULL_STARS}]{{0,60}})?$",
    re.I,
)
# "I give it 4 out of 5", "Ich gebe 8/10": the critic speaking.
_FIRST_PERSON = re.compile(
    rf"\b(?:I|we|ich|wir|je|nous)\s+(?:(?:would|'d|will)\s+)?(?:give|rate|gave|rated|gebe|gab|vergebe"
    rf"|donne)\s+(?:(?:it|this|the\s+\w+|ihm|ihr|dem\s+\w+|der\s+\w+)\s+)?(?:a\s+|an\s+)?"
    rf"(?:solid\s+|strong\s+|generous\s+)?(?:{_SCALE_RATING}|{_STAR_RATING})",
    re.I,
)
# Someone else's rating ("Variety gave it 3/5", "laut Kicker 4/5"): a quote, not the critic's.
_OTHERS_RATING = re.compile(
    r"\b(?:gave|gives|rated|rates|awarded|according\s+to|laut|vergab|vergibt|gab)\b", re.I
)
_LEGEND = re.compile(rf"(?:{_SCALE_RATING}|{_STAR_RATING})\s*(?:=|means|bedeutet|heißt)", re.I)
# The last lines of a post where an unlabelled rating may stand.
LAST_LINES = 4
_MAX_LINE_WORDS = 40


@dataclass(frozen=True)
class _Found:
    rating: Rating
    line: int


def text_rating(lines: Iterable[str]) -> Rating | None:
    """The critic's rating in the post's text lines (quotes already left out), or None."""
    lines = [line for line in lines if line.strip()]
    found: list[_Found] = []
    for number, line in enumerate(lines):
        rating = _line_rating(line, last=number >= len(lines) - LAST_LINES)
        if rating is not None:
            found.append(_Found(rating, number))
    distinct = {(f.rating.value, f.rating.best) for f in found}
    if len(distinct) != 1:
        return None  # none, or ratings that disagree: read nothing rather than guess
    return found[-1].rating


def _line_rating(line: str, *, last: bool) -> Rating | None:
    if len(line.split()) > _MAX_LINE_WORDS or _is_legend(line):
        return None
    first_person = _FIRST_PERSON.search(line)
    if _OTHERS_RATING.search(line) and not first_person:
        return None
    for pattern in (_LABELLED, _LABELLED_GRADE):
        match = pattern.search(line)
        if match:
            return _rating(match)
    if first_person:
        return _rating(first_person)
    if last:
        match = _OPENING.search(line)
        if match:
            return _rating(match)
    return None


def _is_legend(line: str) -> bool:
    return bool(_LEGEND.search(line)) or len(_ANY_RATING.findall(line)) > 1


def _rating(match: re.Match[str]) -> Rating | None:
    groups = match.groupdict()
    text = match.group(0).strip()
    if groups.get("grade"):
        return Rating(value=float(GRADES.index(groups["grade"].upper())), best=len(GRADES) - 1,
                      worst=0, text=text, source="text")
    if groups.get("value"):
        value = float(groups["value"].replace(",", "."))
        best = int(groups["best"])
        if best not in SCALES or value > best:
            return None
        return Rating(value=value, best=best, worst=0, text=text, source="text")
    if groups.get("full"):
        full = sum(1 for ch in groups["full"] if ch in _FULL_STARS)
        half = 0.5 if groups.get("half") else 0.0
        empty = sum(1 for ch in groups.get("empty") or "" if ch in _EMPTY_STARS)
        best = full + (1 if half else 0) + empty if empty else 5
        if full + half > best:
            return None
        return Rating(value=full + half, best=best, worst=0, text=text, source="text")
    return None
