"""Where extraction spends its time: stage split, call counts, and a pyinstrument profile.

Over the corpus pages, after a warm-up pass (so one-time dateparser/soupsieve
compilation is reported apart):

* CPU seconds per stage of ``extract_page`` (parse, blog, post, credits, comments);
* how often the hot helpers run per page: the indexed selection
  (``match._indexed_select``, what the page index's memo does not answer),
  ``Tag.select``, ``find_all``, ``get_text``, ``dateparser.parse`` (what the
  known date forms leave to it) and ``search_dates``;
* a pyinstrument profile of one pass: time by library (self time) and the
  extraction functions that spend most inside soupsieve's CSS matching.
  The full tree is saved as ``bench/out/profile-extraction.{txt,html}``.

    python -m bench --only profile
"""

from __future__ import annotations

import functools
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .common import OUT, Result, log
from .extraction import Page, corpus_pages


def _stages() -> dict[str, Callable[[Any, Page], Any]]:
    from scraper.extract.blog import extract_blog_info
    from scraper.extract.comments import extract_comments
    from scraper.extract.credits import extract_credits
    from scraper.extract.parse import parse_page
    from scraper.extract.post import extract_post

    state: dict[str, Any] = {}

    def parse(_: Any, page: Page) -> Any:
        state["soup"] = parse_page(page.body)
        return state["soup"]

    def post(_: Any, page: Page) -> Any:
        state["post"] = extract_post(state["soup"], page.url)
        return state["post"]

    return {
        "parse_page": parse,
        "extract_blog_info": lambda _, p: extract_blog_info(state["soup"], p.url),
        "extract_post": post,
        "extract_credits": lambda _, p: extract_credits(state["soup"], p.url, state["post"]),
        "extract_comments": lambda _, p: extract_comments(state["soup"], p.url, state["post"]),
    }


def stage_seconds(pages: list[Page]) -> dict[str, float]:
    stages = _stages()
    totals: Counter[str] = Counter()
    for page in pages:
        for name, stage in stages.items():
            started = time.process_time()
            stage(None, page)
            totals[name] += time.process_time() - started
    return dict(totals)


@contextmanager
def counting() -> Iterator[tuple[Counter[str], Counter[str], Counter[str]]]:
    """Count calls (and CPU seconds) of the hot helpers while extraction runs."""
    import bs4.element
    import dateparser

    import scraper.extract.dates as dates
    import scraper.html.match as match

    calls: Counter[str] = Counter()
    seconds: Counter[str] = Counter()
    by_selector: Counter[str] = Counter()
    patched: list[tuple[Any, str, Any]] = []

    def wrap(owner: Any, attribute: str, label: str) -> None:
        original = getattr(owner, attribute)

        @functools.wraps(original)
        def counted(*args: Any, **kwargs: Any) -> Any:
            calls[label] += 1
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                seconds[label] += time.process_time() - started

        patched.append((owner, attribute, original))
        setattr(owner, attribute, counted)

    # The extractors select through the page index (match.select), which answers
    # repeated questions from its memo; what is left to compute goes through here.
    wrap(match, "_indexed_select", "indexed select")
    original_select = match._indexed_select

    def select_by_selector(index: Any, bounds: Any, selectors: tuple[str, ...]) -> Any:
        started = time.process_time()
        try:
            return original_select(index, bounds, selectors)
        finally:
            by_selector[", ".join(selectors)[:60]] += time.process_time() - started

    match._indexed_select = select_by_selector
    wrap(bs4.element.Tag, "select", "Tag.select")
    wrap(bs4.element.Tag, "find_all", "Tag.find_all")
    wrap(bs4.element.Tag, "get_text", "Tag.get_text")
    wrap(dateparser, "parse", "dateparser.parse")
    if hasattr(dates, "search_dates"):
        wrap(dates, "search_dates", "dateparser search_dates")
    try:
        yield calls, seconds, by_selector
    finally:
        for owner, attribute, original in reversed(patched):
            setattr(owner, attribute, original)


def _library(path: str) -> str:
    for marker in ("soupsieve", "bs4", "dateparser", "lxml", "regex", "w3lib", "tzlocal"):
        if f"/{marker}/" in path or f"{marker}/" in path.split("site-packages/")[-1][:20]:
            return marker
    if "scraper/extract/" in path:
        return "scraper.extract"
    return "other"


def pyinstrument_profile(pages: list[Page]) -> tuple[float, Counter[str], Counter[str], str]:
    """(total seconds, self time by library, soupsieve time by calling extract function, text)."""
    from pyinstrument import Profiler
    from pyinstrument.renderers import ConsoleRenderer

    from scraper.extract import extract_page

    profiler = Profiler(interval=0.002)
    profiler.start()
    for page in pages:
        extract_page(page.body, page.url)
    profiler.stop()
    session = profiler.last_session
    assert session is not None
    root = session.root_frame()
    by_library: Counter[str] = Counter()
    css_callers: Counter[str] = Counter()

    def walk(frame: Any, caller: str | None, parent_library: str) -> None:
        if frame.is_synthetic:
            return
        path = frame.file_path or ""
        # Built-ins (<built-in>, <frozen …>) count for the library that called them.
        library = parent_library if path.startswith("<") or not path else _library(path)
        by_library[library] += frame.total_self_time
        here = caller
        if library == "scraper.extract":
            here = f"{frame.function} ({path.split('scraper/')[-1]}:{frame.line_no})"
        for child in frame.children:
            child_library = _library(child.file_path or "")
            if child_library == "soupsieve" and library != "soupsieve" and here:
                css_callers[here] += child.time
            walk(child, here, library)

    walk(root, None, "other")
    OUT.mkdir(parents=True, exist_ok=True)
    text = profiler.output(ConsoleRenderer(unicode=True, color=False, show_all=False))
    (OUT / "profile-extraction.txt").write_text(text)
    profiler.write_html(str(OUT / "profile-extraction.html"))
    return root.time, by_library, css_callers, text


def run(quick: bool = False) -> list[Result]:
    from scraper.extract import extract_page

    pages = corpus_pages()
    if quick:
        pages = pages[:12]
    if not pages:
        return [Result("profile", "extraction", "no corpus pages")]
    started = time.process_time()
    for page in pages:
        extract_page(page.body, page.url)
    cold = time.process_time() - started
    stages = stage_seconds(pages)
    with counting() as (calls, seconds, by_selector):
        for page in pages:
            extract_page(page.body, page.url)
    total, by_library, css_callers, _ = pyinstrument_profile(pages)
    log("profile: written bench/out/profile-extraction.{txt,html}")
    n = len(pages)
    steady = sum(stages.values())
    results = [Result("profile", "first pass (cold) vs steady pass", f"{cold:.1f} s CPU",
                      f"steady {steady:.1f} s", cold / steady if steady else None,
                      note=f"{n} corpus pages; the difference is one-time set-up "
                           "(dateparser locales, soupsieve selector compilation)")]
    for name, value in sorted(stages.items(), key=lambda kv: -kv[1]):
        results.append(Result("profile", f"stage {name}", f"{value / n * 1000:.0f} ms/page",
                              f"all stages {steady / n * 1000:.0f} ms/page",
                              value / steady if steady else None))
    for label in sorted(calls, key=lambda k: -seconds[k]):
        results.append(Result(
            "profile", f"calls {label}", f"{calls[label] / n:,.0f}/page",
            f"{seconds[label] / n * 1000:.0f} ms/page inclusive",
            seconds[label] / steady if steady else None,
            note="" if label != "indexed select" else "ratio = share of the steady pass; costliest "
            "selectors (ms/page): " + "; ".join(f"{sel!r} {sec / n * 1000:.0f}"
                                                 for sel, sec in by_selector.most_common(6))))
    library_total = sum(by_library.values()) or 1.0
    shares = ", ".join(f"{lib} {sec / library_total:.0%}"
                       for lib, sec in by_library.most_common())
    callers = "; ".join(f"{name} {sec / total:.0%}" for name, sec in css_callers.most_common(8))
    top = by_library.most_common(1)[0] if by_library else ("n/a", 0.0)
    results.append(Result("profile", "self time by library (pyinstrument)",
                          f"{top[0]} {top[1] / library_total:.0%}", f"{total:.1f} s profiled",
                          note=f"self time: {shares}; top callers of soupsieve (share of "
                               f"total): {callers}"))
    return results
