"""Score extraction against the hand-checked corpus (../shared/corpus).

Scoring follows the corpus README, "How to score": every string is compared
after N(s) (NFKC, casefold, letters and digits only); each field is scored on
its own; comments are matched one-to-one in document order.

    python -m bench.score_corpus [--corpus DIR] [--json] [--no-misses] [--classes]
    python bench/score_corpus.py    (the same; `make score`)

``--classes`` prints one line per error class (post recognised, title, author,
date, comments P/R, comment dates, parents, credits P/R, body edges) over the
WordPress pages, and whether the non-WordPress controls were refused.

``score_corpus(corpus_dir)`` returns the report as a dict; the CLI prints it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python bench/score_corpus.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scraper.extract.blog import extract_blog_info
from scraper.extract.comments import extract_comments
from scraper.extract.credits import extract_credits
from scraper.extract.dates import iso_from_text, iso_from_text_within
from scraper.extract.page import extract_page
from scraper.extract.parse import parse_page
from scraper.extract.post import extract_post
from scraper.html.text import normalise_key
from scraper.model.records import BlogInfo, CommentsInfo, PageExtraction

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"

KINDS = ("wpcom", "self-hosted", "no-comments", "negative")
WORDPRESS_KINDS = ("wpcom", "self-hosted", "no-comments")

# The error classes of issue 15, each a field of FIELDS read over the WordPress pages
# (the controls are scored apart: they must be refused, not extracted).
ERROR_CLASSES: tuple[tuple[str, str], ...] = (
    ("post recognised", "is_post_page"),
    ("title", "title"),
    ("author", "author"),
    ("published date", "published"),
    ("comments (author + text)", "comments"),
    ("comment dates as shown", "comment_dates_shown"),
    ("comment dates parsed", "comment_dates_iso"),
    ("comment parents", "comment_parents"),
    ("comment count stated", "comment_count_shown"),
    ("pingbacks exact", "pingbacks_exact"),
    ("credits", "credits"),
    ("credit names", "credit_names"),
    ("body start (60 tokens)", "body_start_60"),
    ("body end (60 tokens)", "body_end_60"),
    ("categories", "categories"),
    ("tags", "tags"),
)

# Reply-form, login and share text that must never end up in a body or comment.
FORM_TEXT = (
    "Leave a Reply",
    "Leave a Comment",
    "Fill in your details below",
    "You are commenting using your",
    "Connecting to %s",
    "Notify me of new comments",
    "Notify me of new posts",
    "Save my name, email",
    "Your email address will not be published",
    "Required fields are marked",
    "Post Comment",
    "Log in to Reply",
    "Schreibe einen Kommentar",
    "Kommentar verfassen",
    "Gib hier deinen Kommentar ein",
    "Benachrichtige mich über",
    "Deine E-Mail-Adresse wird nicht veröffentlicht",
    "Erforderliche Felder sind mit",
    "Laissez un commentaire",
    "Tinggalkan Balasan",
    "Share this:",
    "Teilen mit:",
    "Like this:",
    "Gefällt mir:",
)

FIELDS: tuple[tuple[str, str], ...] = (
    # (field, metric kind) — "acc": hits/n, "prf": tp/fp/fn, "count": found/pages
    ("is_wordpress", "acc"),
    ("is_post_page", "acc"),
    ("url", "acc"),
    ("title", "acc"),
    ("author", "acc"),
    ("published", "acc"),
    ("categories", "prf"),
    ("tags", "prf"),
    ("body_start_60", "acc"),
    ("body_end_60", "acc"),
    ("body_start_120", "acc"),
    ("body_end_120", "acc"),
    ("credits", "prf"),
    ("credit_names", "acc"),
    ("comment_count_shown", "acc"),
    ("comments", "prf"),
    ("comments_matched_by_contains", "count"),
    ("comment_dates_shown", "acc"),
    ("comment_dates_iso", "acc"),
    ("comment_parents", "acc"),
    ("comment_count_exact", "acc"),
    ("pingbacks_exact", "acc"),
    ("form_text_found", "count"),
)


# --- running the extractor ------------------------------------------------------


def extract_for_scoring(body: bytes, url: str) -> tuple[PageExtraction, list[str]]:
    """extract_page, or, when it raises, each extractor on its own.

    A crash in one extractor must not hide the scores of the others; the
    crash is reported as an error of the page.
    """
    try:
        return extract_page(body, url), []
    except Exception as exc:  # the scorer measures; it must survive any extractor bug
        errors = [f"extract_page: {type(exc).__name__}: {exc}"]
    soup = parse_page(body)

    def attempt(name: str, call: Callable[[], Any], default: Any) -> Any:
        try:
            return call()
        except Exception as exc:
            errors.append(f"{name}: {type(exc).__name__}: {_last_frame(exc)}")
            return default

    blog = attempt("blog", lambda: extract_blog_info(soup, url), BlogInfo(False, "error"))
    post = attempt("post", lambda: extract_post(soup, url), None)
    credits = attempt("credits", lambda: extract_credits(soup, url, post), ())
    comments, info = attempt(
        "comments", lambda: extract_comments(soup, url, post), ((), CommentsInfo(None))
    )
    page = PageExtraction(url=url, blog=blog, is_post_page=post is not None, post=post)
    return replace(page, credits=credits, comments=comments, comments_info=info), errors


def _last_frame(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{exc}{where}"


# --- scoring one page -----------------------------------------------------------


def N(text: object) -> str:  # the README's name for the normalisation
    return normalise_key(str(text)) if text is not None else ""


class PageScore:
    """Per-field counts and misses of one page."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        self.counts: dict[str, dict[str, int]] = {}
        self.misses: list[dict[str, Any]] = []

    def acc(self, field: str, hit: bool, expected: object = None, got: object = None) -> None:
        cell = self.counts.setdefault(field, {"hits": 0, "n": 0})
        cell["n"] += 1
        cell["hits"] += int(hit)
        if not hit:
            self.miss(field, expected, got)

    def prf(self, field: str, tp: int, fp: int, fn: int) -> None:
        cell = self.counts.setdefault(field, {"tp": 0, "fp": 0, "fn": 0})
        cell["tp"] += tp
        cell["fp"] += fp
        cell["fn"] += fn

    def count(self, field: str, found: int) -> None:
        cell = self.counts.setdefault(field, {"found": 0, "pages": 0})
        cell["found"] += found
        cell["pages"] += int(found > 0)

    def miss(self, field: str, expected: object, got: object) -> None:
        self.misses.append(
            {"page": self.slug, "field": field, "expected": expected, "got": got}
        )


def score_page(slug: str, gold: dict[str, Any], page: PageExtraction) -> PageScore:
    score = PageScore(slug)
    post = page.post
    score_scalars(score, gold, page)
    score_terms(score, gold, post)
    score_body(score, gold, post.body_text if post else "")
    score_credits(score, gold, page)
    score_comments(score, gold, page)
    score_form_text(score, page)
    return score


def score_scalars(score: PageScore, gold: dict[str, Any], page: PageExtraction) -> None:
    post = page.post
    score.acc(
        "is_wordpress",
        bool(gold.get("is_wordpress")) == page.blog.is_wordpress,
        gold.get("is_wordpress"),
        page.blog.is_wordpress,
    )
    score.acc(
        "is_post_page",
        bool(gold.get("is_post_page")) == page.is_post_page,
        gold.get("is_post_page"),
        page.is_post_page,
    )
    got_url = (post.canonical_url or post.url) if post else None
    score.acc("url", _url_key(gold.get("url")) == _url_key(got_url), gold.get("url"), got_url)
    got_title = post.title if post else None
    _scalar(score, "title", gold.get("title"), got_title)
    got_author = post.author.name if post and post.author else None
    _scalar(score, "author", gold.get("author"), got_author)
    # Gold is the day the page shows: the blog's local day, not the UTC one.
    shown = (post.published_local or post.published) if post else None
    got_date = shown[:10] if shown else None
    expected_date = gold.get("published")
    score.acc("published", (expected_date or None) == got_date, expected_date, got_date)
    _scalar(
        score,
        "comment_count_shown",
        gold.get("comment_count_shown"),
        page.comments_info.count_shown,
    )


def _scalar(score: PageScore, field: str, expected: object, got: object) -> None:
    if expected is None:
        score.acc(field, got is None or N(got) == "", expected, got)
    else:
        score.acc(field, got is not None and N(expected) == N(got), expected, got)


def _url_key(url: object) -> str | None:
    if not url:
        return None
    return re.sub(r"^[a-z][a-z0-9+.-]*://", "", str(url).strip(), flags=re.I).rstrip("/")


def score_terms(score: PageScore, gold: dict[str, Any], post: Any) -> None:
    for field, taxonomy in (("categories", "category"), ("tags", "tag")):
        expected = {N(label) for label in gold.get(field) or [] if N(label)}
        got = {N(t.name) for t in (post.terms if post else ()) if t.taxonomy == taxonomy}
        got.discard("")
        tp = len(expected & got)
        score.prf(field, tp, len(got - expected), len(expected - got))
        if expected != got:
            score.miss(field, sorted(expected), sorted(got))


def score_body(score: PageScore, gold: dict[str, Any], body_text: str) -> None:
    tokens = body_text.split()
    for window in (60, 120):
        for field, key, part in (
            (f"body_start_{window}", "body_first_words", tokens[:window]),
            (f"body_end_{window}", "body_last_words", tokens[-window:] if tokens else []),
        ):
            expected = gold.get(key)
            if not expected:
                continue
            got = " ".join(part)
            hit = N(expected) in N(got)
            score.acc(field, hit, expected, _shorten(got, from_end=field.startswith("body_end")))


def score_credits(score: PageScore, gold: dict[str, Any], page: PageExtraction) -> None:
    expected = gold.get("credits") or []
    got = list(page.credits)

    def same(g: dict[str, Any], p: Any) -> bool:
        a, b = N(g.get("text")), N(p.text)
        return bool(a and b) and (a in b or b in a)

    pairs = align(expected, got, same)
    score.prf("credits", len(pairs), len(got) - len(pairs), len(expected) - len(pairs))
    matched_gold = {gi for gi, _ in pairs}
    matched_pred = {pi for _, pi in pairs}
    for gi, item in enumerate(expected):
        if gi not in matched_gold:
            score.miss("credits", item.get("text"), None)
    for pi, item in enumerate(got):
        if pi not in matched_pred:
            score.miss("credits", None, item.text)
    for gi, pi in pairs:
        name_expected, name_got = expected[gi].get("name"), got[pi].name
        hit = N(name_expected) == N(name_got)
        score.acc("credit_names", hit, name_expected, name_got)


def score_comments(score: PageScore, gold: dict[str, Any], page: PageExtraction) -> None:
    expected = gold.get("comments") or []
    all_predicted = list(page.comments)
    got = [c for c in all_predicted if c.type == "comment"]

    def starts(g: dict[str, Any], p: Any) -> bool:
        return N(g.get("author")) == N(p.author_name) and N(p.text).startswith(
            N(g.get("text_first_words"))
        )

    def contains(g: dict[str, Any], p: Any) -> bool:
        return N(g.get("author")) == N(p.author_name) and N(g.get("text_first_words")) in N(
            p.text
        )

    pairs = align(expected, got, starts)
    by_contains = 0
    if len(pairs) < min(len(expected), len(got)):
        loose = align(expected, got, contains)
        if len(loose) > len(pairs):
            by_contains = len(loose) - len(pairs)
            pairs = loose
    score.prf("comments", len(pairs), len(got) - len(pairs), len(expected) - len(pairs))
    score.count("comments_matched_by_contains", by_contains)
    _comment_misses(score, expected, got, pairs)

    gold_index_of_position = {got[pi].position: gi for gi, pi in pairs}
    base = _gold_date(gold.get("published"))
    for gi, pi in pairs:
        g, p = expected[gi], got[pi]
        where = f"#{gi} {g.get('author')}"
        if g.get("date") is not None:
            hit = N(g["date"]) == N(p.date_text)
            score.acc("comment_dates_shown", hit, f"{where}: {g['date']}", p.date_text)
            expected_local = _parse_gold_comment_date(g["date"], base)
            if expected_local is not None:
                score.acc(
                    "comment_dates_iso",
                    same_moment(expected_local, p.published),
                    f"{where}: {g['date']} = {expected_local}",
                    p.published,
                )
        got_parent = (
            gold_index_of_position.get(p.parent_position, -1)
            if p.parent_position is not None
            else None
        )
        expected_parent = g.get("parent")
        score.acc(
            "comment_parents", got_parent == expected_parent, f"{where}: parent {expected_parent}",
            got_parent,
        )

    score.acc("comment_count_exact", len(got) == len(expected), len(expected), len(got))
    pingbacks = sum(1 for c in all_predicted if c.type != "comment")
    expected_pingbacks = int(gold.get("pingbacks") or 0)
    score.acc("pingbacks_exact", pingbacks == expected_pingbacks, expected_pingbacks, pingbacks)


def _comment_misses(
    score: PageScore, expected: list[dict[str, Any]], got: list[Any], pairs: list[tuple[int, int]]
) -> None:
    matched_gold = {gi for gi, _ in pairs}
    matched_pred = {pi for _, pi in pairs}
    for gi, item in enumerate(expected):
        if gi not in matched_gold:
            score.miss(
                "comments", f"#{gi} {item.get('author')}: {item.get('text_first_words')}", None
            )
    for pi, item in enumerate(got):
        if pi not in matched_pred:
            score.miss("comments", None, f"{item.author_name}: {_shorten(item.text)}")


def _gold_date(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _parse_gold_comment_date(shown: str, base: datetime | None) -> str | None:
    """The displayed comment date as a local ISO value, parsed from the gold string."""
    parsed = iso_from_text(shown, relative_base=base, prefer_dates_from="future")
    return parsed or iso_from_text_within(shown, relative_base=base)


def same_moment(expected_local: str, got: str | None) -> bool:
    """Whether the scraper's ISO value agrees with the displayed (local) date.

    A value ending in Z was converted to UTC from the page's offset, which is
    at most 14 hours away from the local time shown; a value without offset
    must fall on the shown day.
    """
    if not got:
        return False
    try:
        local = datetime.fromisoformat(expected_local)
        value = datetime.fromisoformat(got.removesuffix("Z"))
    except ValueError:
        return False
    if got.endswith("Z") and local.time() != datetime.min.time():
        return abs((value - local).total_seconds()) <= 14 * 3600
    if got.endswith("Z"):
        return abs((value.date() - local.date()).days) <= 1
    return value.date() == local.date()


def score_form_text(score: PageScore, page: PageExtraction) -> None:
    texts = [("body", page.post.body_text if page.post else "")]
    texts += [(f"comment {c.position}", c.text) for c in page.comments]
    found = 0
    for where, text in texts:
        key = N(text)
        shown = " ".join(text.split()).casefold()
        for phrase in FORM_TEXT:
            if _contains_form_phrase(key, shown, phrase):
                found += 1
                score.miss("form_text_found", None, f"{where}: {phrase}")
    score.count("form_text_found", found)


def _contains_form_phrase(key: str, shown: str, phrase: str) -> bool:
    """Whether a form or widget phrase is in a text.  A label ending in a colon ("Like
    this:", "Gefällt mir:") is matched with its colon: without it, comment prose ("styles
    like this one", "das gefällt mir richtig gut") would read as Jetpack's likes heading."""
    if phrase.endswith(":"):
        return phrase.casefold() in shown
    return bool(N(phrase)) and N(phrase) in key


def align(
    expected: Sequence[Any], got: Sequence[Any], same: Callable[[Any, Any], bool]
) -> list[tuple[int, int]]:
    """The largest one-to-one matching that keeps document order on both sides."""
    rows, cols = len(expected), len(got)
    best = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            take = best[i + 1][j + 1] + 1 if same(expected[i], got[j]) else 0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < rows and j < cols:
        if same(expected[i], got[j]) and best[i][j] == best[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def _shorten(text: str | None, limit: int = 90, from_end: bool = False) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return "…" + text[-limit:] if from_end else text[:limit] + "…"


# --- the corpus -----------------------------------------------------------------


def page_kinds(corpus: Path) -> dict[str, str]:
    """Hosting of each page from SOURCES.md ("WordPress.com" / "self-hosted" / …)."""
    hosting: dict[str, str] = {}
    sources = corpus / "SOURCES.md"
    if not sources.exists():
        return hosting
    for line in sources.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 7 and cells[0] and not cells[0].startswith("-"):
            hosting[cells[0]] = cells[6]
    return hosting


def kind_of(slug: str, gold: dict[str, Any], hosting: dict[str, str]) -> str:
    if not gold.get("is_wordpress"):
        return "negative"
    if not gold.get("comments") and not gold.get("pingbacks"):
        return "no-comments"
    where = hosting.get(slug, "")
    if "wordpress.com" in where.lower() or "wordpress.com" in str(gold.get("url", "")):
        return "wpcom"
    return "self-hosted"


def score_corpus(corpus: Path | str = DEFAULT_CORPUS) -> dict[str, Any]:
    """Score every page that has gold; the report is plain JSON-able data."""
    corpus = Path(corpus)
    hosting = page_kinds(corpus)
    pages: dict[str, Any] = {}
    scores: list[tuple[str, PageScore]] = []
    errors: dict[str, list[str]] = {}
    for gold_path in sorted((corpus / "gold").glob("*.json")):
        slug = gold_path.stem
        html_path = corpus / "pages" / f"{slug}.html"
        if not html_path.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        page, page_errors = extract_for_scoring(html_path.read_bytes(), gold.get("url") or "")
        if page_errors:
            errors[slug] = page_errors
        kind = kind_of(slug, gold, hosting)
        score = score_page(slug, gold, page)
        scores.append((kind, score))
        pages[slug] = {"kind": kind, "counts": score.counts}
    groups = (
        {"all": [s for _, s in scores]}
        | {kind: [s for k, s in scores if k == kind] for kind in KINDS}
        | {"wordpress": [s for k, s in scores if k in WORDPRESS_KINDS]}
    )
    fields = {
        field: {group: summarise(metric, field, members) for group, members in groups.items()}
        for field, metric in FIELDS
    }
    return {
        "corpus": str(corpus),
        "pages": len(scores),
        "pages_by_kind": {group: len(members) for group, members in groups.items()},
        "fields": fields,
        "per_page": pages,
        "errors": errors,
        "misses": [miss for _, score in scores for miss in score.misses],
    }


def summarise(metric: str, field: str, scores: list[PageScore]) -> dict[str, Any]:
    cells = [s.counts[field] for s in scores if field in s.counts]
    if metric == "acc":
        hits, n = sum(c["hits"] for c in cells), sum(c["n"] for c in cells)
        return {"hits": hits, "n": n, "accuracy": round(hits / n, 4) if n else None}
    if metric == "prf":
        tp, fp, fn = (sum(c[key] for c in cells) for key in ("tp", "fp", "fn"))
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + fn) if tp + fn else None
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision and recall
            else (0.0 if precision is not None and recall is not None else None)
        )
        return {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": _round(precision),
            "recall": _round(recall),
            "f1": _round(f1),
        }
    return {
        "found": sum(c["found"] for c in cells),
        "pages": sum(c["pages"] for c in cells),
    }


def _round(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


# --- printing -------------------------------------------------------------------


def format_table(report: dict[str, Any]) -> str:
    groups = ("all", *KINDS)
    sizes = report["pages_by_kind"]
    header = ["field"] + [f"{g} ({sizes[g]})" for g in groups]
    rows = [header]
    for field, metric in FIELDS:
        rows.append([field] + [_cell(metric, report["fields"][field][g]) for g in groups])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_classes(report: dict[str, Any]) -> str:
    """One line per error class over the WordPress pages, then the controls."""
    metrics = dict(FIELDS)
    fields = report["fields"]
    rows = [("error class", f"WordPress pages ({report['pages_by_kind']['wordpress']})")]
    rows += [
        (name, _cell(metrics[field], fields[field]["wordpress"])) for name, field in ERROR_CLASSES
    ]
    refused = fields["is_wordpress"]["negative"]
    rows.append(
        (f"controls refused ({report['pages_by_kind']['negative']})", _cell("acc", refused))
    )
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name.ljust(width)}  {cell}" for name, cell in rows)


def _cell(metric: str, cell: dict[str, Any]) -> str:
    if metric == "acc":
        return "-" if not cell["n"] else f"{cell['hits']}/{cell['n']} {cell['accuracy']:.2f}"
    if metric == "prf":
        if cell["precision"] is None and cell["recall"] is None:
            return "-"
        return "P{} R{} F{}".format(*(_two(cell[k]) for k in ("precision", "recall", "f1")))
    return f"{cell['found']} on {cell['pages']} pages" if cell["found"] else "0"


def _two(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def format_misses(report: dict[str, Any]) -> str:
    return "\n".join(
        f"MISS {m['page']}  {m['field']}  expected={m['expected']!r}  got={m['got']!r}"
        for m in report["misses"]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--no-misses", action="store_true", help="omit the per-miss lines")
    parser.add_argument(
        "--classes", action="store_true", help="print one line per error class and stop"
    )
    args = parser.parse_args(argv)
    if not (args.corpus / "gold").is_dir():
        print(f"no corpus at {args.corpus} (expected gold/ and pages/)", file=sys.stderr)
        return 2
    report = score_corpus(args.corpus)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    print(f"corpus: {report['corpus']}  pages with gold: {report['pages']}")
    if args.classes:
        print(format_classes(report))
        return 0
    print(format_table(report))
    for slug, page_errors in report["errors"].items():
        for error in page_errors:
            print(f"ERROR {slug}: {error}")
    if not args.no_misses:
        print(format_misses(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
