"""Extraction speed: full ``extract_page`` vs ``trafilatura.bare_extraction`` on the same pages.

Both run in this process, one core, on the same bytes and URLs; speed is pages per
CPU second of this process (``time.process_time``), so other load on the machine
does not count against either.  After one warm-up pass each (dateparser and
trafilatura compile and cache on first use; that cost is reported apart), the
two alternate pass by pass, each round lasting about ROUND_SECONDS, and the median
round of each is compared (``compare``).

    python -m bench --only extraction
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scraper.extract import extract_page

from .common import CORPUS, REPO, Result, cpu_seconds, fmt, log, median, ratio_result
from .sites import BlogSpec, render

TARGET = 1.5  # ≥ 1.5× trafilatura's pages/s
# Real pages the extraction rules were not tuned on (issue 15), scored by score_corpus too.
SECOND_CORPUS = REPO / "tests" / "fixtures" / "corpus_more"


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    body: bytes


def corpus_pages(corpus: Path = CORPUS) -> list[Page]:
    """The corpus pages with the canonical URL SOURCES.md gives for each."""
    urls = _source_urls(corpus / "SOURCES.md")
    return [
        Page(path.stem, urls.get(path.stem, f"https://{path.stem}.example/"), path.read_bytes())
        for path in sorted((corpus / "pages").glob("*.html"))
    ]


def _source_urls(sources: Path) -> dict[str, str]:
    urls: dict[str, str] = {}
    if not sources.is_file():
        return urls
    for line in sources.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 5 and re.match(r"https?://", cells[4]):
            urls[cells[0]] = cells[4]
    return urls


def wordpress_pages() -> list[Page]:
    """Pages saved from WordPress sites: the test fixtures (a real-WordPress set when present)."""
    pages = []
    site = REPO / "tests" / "fixtures" / "site"
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).parent.as_posix()
        url = "http://127.0.0.1:8080/" + ("" if relative == "." else relative + "/")
        pages.append(Page(f"site/{relative}", url, path.read_bytes()))
    for path in sorted((REPO / "tests" / "fixtures" / "pages").glob("*.html")):
        pages.append(Page(f"pages/{path.stem}", "https://blog.example/2020/01/05/a-post/",
                          path.read_bytes()))
    saved = REPO / "tests" / "wordpress" / "saved"
    for path in sorted(saved.glob("*.html")) if saved.is_dir() else []:
        pages.append(Page(f"wordpress/{path.stem}", "http://127.0.0.1:8080/", path.read_bytes()))
    return pages


def theme_template_pages() -> list[Page]:
    """The pages written from theme and plugin templates (tests/fixtures/pages/themes): small
    pages whose markup the extraction rules were not tuned on before issue 15."""
    themes = REPO / "tests" / "fixtures" / "pages" / "themes"
    return [Page(f"themes/{path.stem}", "https://blog.example/2020/01/05/a-post/",
                 path.read_bytes())
            for path in sorted(themes.glob("*.html"))]


def real_wordpress_pages() -> list[Page]:
    """Post and comment pages rendered by the real WordPress fixture (Debian's WordPress,
    twentytwentyone theme), as one crawl recorded them in the mirror's WARC."""
    from .mirror import load_mirror, mirror_available

    warcs = mirror_available()
    if warcs is None:
        return []
    mirror = load_mirror(warcs)
    pages = []
    for path, stored in sorted(mirror.responses.items()):
        content_type = dict((k.lower(), v) for k, v in stored.headers).get("content-type", "")
        if stored.status == 200 and content_type.startswith("text/html") and path != "/":
            pages.append(Page(f"fixture{path}", f"http://{mirror.origin}{path}", stored.body))
    return pages


def generated_pages(count: int = 20) -> list[Page]:
    """Post pages of the generated blog the crawl benchmark serves (with and without comments)."""
    spec = BlogSpec(posts=max(count, 40))
    pages = []
    for n in range(1, count + 1):
        path = spec.post_path(n)
        body = render(spec, path)
        assert body is not None
        pages.append(Page(f"generated/post-{n}", f"http://127.0.0.1:8080{path}", body))
    return pages


ROUND_SECONDS = 2.5
ROUNDS = 7


def _repeat_for(pages: list[Page], seconds: float) -> int:
    """How many passes over ``pages`` take ``seconds`` of CPU (the slower of the two)."""
    trafilatura = _trafilatura()
    one_pass = max(cpu_seconds(lambda: [_ours(p) for p in pages]),
                   cpu_seconds(lambda: [trafilatura(p) for p in pages]))
    return max(1, round(seconds / max(one_pass, 1e-3)))


def _ours(page: Page) -> object:
    return extract_page(page.body, page.url)


def _trafilatura() -> Callable[[Page], object]:
    import trafilatura

    def run(page: Page) -> object:
        return trafilatura.bare_extraction(page.body, url=page.url, include_comments=True,
                                           with_metadata=True)

    return run


@dataclass(frozen=True)
class SpeedRun:
    warmup_seconds: float
    rounds: list[float]  # pages per CPU second, one per round

    @property
    def rate(self) -> float:
        return median(self.rounds)


def compare(pages: list[Page], rounds: int) -> tuple[SpeedRun, SpeedRun]:
    """Pages/s of extract_page and trafilatura after a warm-up pass each.

    Each round times one pass of each over ``pages``, back to back (the order flips
    every round), so that both see the machine in the same moment; each side's pass
    holds only its own work (interleaving page by page would charge one side's
    deferred garbage collections to the other).  Each side's figure is the median of
    its rounds (``SpeedRun.rate``); the ratio is the median of the rounds' own ratios
    (``paired_ratio``), so that a slow moment of the machine, which falls on both
    passes of a round, cancels out.
    """
    contenders = (_ours, _trafilatura())
    warm = [cpu_seconds(lambda run=run: [run(p) for p in pages]) for run in contenders]
    rates: tuple[list[float], list[float]] = ([], [])
    for n in range(rounds):
        for side in ((0, 1) if n % 2 == 0 else (1, 0)):
            run = contenders[side]
            seconds = cpu_seconds(lambda run=run: [run(p) for p in pages])
            rates[side].append(len(pages) / seconds)
    return SpeedRun(warm[0], rates[0]), SpeedRun(warm[1], rates[1])


def paired_ratio(ours: SpeedRun, theirs: SpeedRun) -> float:
    """The median over rounds of ours / theirs (pages per second)."""
    return median([a / b for a, b in zip(ours.rounds, theirs.rounds, strict=True)])


def run(quick: bool = False) -> list[Result]:
    results = []
    # The targets are on real pages: the corpus and what the real WordPress
    # renders.  The saved fixtures and the generated blog are shown for information
    # (the generated pages are small and synthetic: fixed costs per page dominate).
    sets = [("corpus", corpus_pages(), TARGET),
            ("second corpus", corpus_pages(SECOND_CORPUS), TARGET),
            ("real WordPress fixture", real_wordpress_pages(), TARGET),
            ("theme-template fixtures", theme_template_pages(), TARGET),
            ("saved fixtures", wordpress_pages(), None),
            ("generated blog", generated_pages(), None)]
    for label, pages, target in sets:
        if not pages:
            results.append(Result("extraction", label, "no pages", note="corpus not found"))
            continue
        # Sets are repeated so that one round lasts about ROUND_SECONDS of CPU (this
        # machine's timings wobble by ±15 % over half a second), and the median of
        # several alternating rounds is compared.
        repeat = 1 if quick else _repeat_for(pages, ROUND_SECONDS)
        rounds = 1 if quick else ROUNDS
        started = time.perf_counter()
        ours, theirs = compare(pages * repeat, rounds)
        log(f"extraction {label}: {len(pages)} pages ×{repeat}, {rounds} round(s), "
            f"{time.perf_counter() - started:.0f} s wall")
        pairs = zip(ours.rounds, theirs.rounds, strict=True)
        spread = (f"ratio = median of the rounds' ratios "
                  f"{', '.join(f'{a / b:.2f}' for a, b in pairs)}; "
                  f"rounds ours {', '.join(fmt(r) for r in ours.rounds)}; trafilatura "
                  f"{', '.join(fmt(r) for r in theirs.rounds)} pages/s; first pass (cold) "
                  f"ours {ours.warmup_seconds:.1f} s, trafilatura {theirs.warmup_seconds:.1f} s "
                  f"CPU for {len(pages) * repeat} pages")
        results.append(ratio_result(
            "extraction", f"{label} ({len(pages)} pages)", ours.rate, theirs.rate,
            "pages/s", "trafilatura", minimum=target, note=spread,
            ratio=paired_ratio(ours, theirs)))
    return results
