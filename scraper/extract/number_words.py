"""Read the comment count a page states: "5 Comments", "One response", "Eine Antwort".

WordPress prints counts above one as digits in every translation; only the
singular ("One thought on", "Eine Antwort", "Satu Tanggapan") and the empty
case ("No Comments") use words.  A small table of number words kept as data
covers the languages blogs are written in.
"""

from __future__ import annotations

import re
import unicodedata

# Lower-cased number words that open a count heading, by value.  Words that are
# also common English or French words ("a", "to", "en") are left out on purpose.
NUMBER_WORDS: dict[str, int] = {
    word: value
    for value, words in {
        0: "no zero keine kein aucun aucune nessun nessuno ningún ningun ninguna "
        "geen nenhum nenhuma tidak belum brak inga ingen",
        1: "one single ein eine einen einem einer eins un une uno una um uma "
        "een één satu sebuah jeden jedna jedno ett yksi",
        2: "two zwei deux due dos dois twee dua dwa dwie två kaksi",
        3: "three drei trois tre tres três drie tiga trzy tre kolme",
        4: "four vier quatre quattro cuatro quatro empat cztery fyra fire neljä",
        5: "five fünf cinq cinque cinco vijf lima pięć fem viisi",
        6: "six sechs sei seis zes enam sześć seks kuusi",
        7: "seven sieben sept sette siete sete zeven tujuh siedem sju syv seitsemän",
        8: "eight acht huit otto ocho oito delapan osiem åtta otte kahdeksan",
        9: "nine neun neuf nove nueve negen sembilan dziewięć nio yhdeksän",
        10: "ten zehn dix dieci diez dez tien sepuluh dziesięć tio ti kymmenen",
    }.items()
    for word in words.split()
}

_QUOTES = "\"'“”„‟«»‹›‚‘’「」『』"
_DIGITS = re.compile(r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?!\d)|\d+")
_FIRST_WORD = re.compile(r"[^\W\d_]+")


def count_from_text(text: str | None) -> int | None:
    """The count stated in a heading, or None when it states none.

    Only the part before a quoted post title is read, so digits in the title
    ("One response to “2020 letter”") never count.
    """
    if not text:
        return None
    head = unicodedata.normalize("NFKC", text)
    for quote in _QUOTES:
        head = head.split(quote, 1)[0]
    head = head.strip()
    if not head or len(head) > 200:
        return None
    digits = _DIGITS.search(head)
    if digits:
        return int(re.sub(r"\D", "", digits.group(0)))
    first_word = _FIRST_WORD.match(head)
    if first_word:
        return NUMBER_WORDS.get(first_word.group(0).casefold())
    return None
