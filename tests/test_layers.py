"""The package's layers point one way, and no module imports itself back through others.

model ← html ← extract ← crawl → archive ← export: a layer imports only the layers to its
left (``archive`` imports ``model`` only, ``export`` ``archive`` and ``model``), the reading
room imports nothing of the crawler, and
only the entry points (cli, serve, reextract, settings) may import any layer. Every import
counts, including those inside functions and under ``TYPE_CHECKING``.

The HTML engine is fenced: other layers import ``scraper.html`` itself, never its modules,
nothing outside it reaches into bs4's internals, and the extractors search a page only
through the engine's functions (the vocabulary in ``scraper/html/__init__.py``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scraper"

# layer → the layers it may import (besides itself and the ``scraper`` root's version).
ALLOWED: dict[str, set[str]] = {
    "model": set(),
    "html": {"model"},
    "extract": {"model", "html"},
    "archive": {"model"},
    "crawl": {"model", "html", "extract", "archive"},
    "export": {"model", "archive"},
    "reading_room": set(),
    "entry": {"model", "html", "extract", "crawl", "archive", "export", "reading_room", "entry"},
}
ENTRY_POINTS = {"cli", "serve", "reextract", "settings"}

# Third-party packages a layer must never import: what keeps extraction pure and the
# archive free of the crawler.
FORBIDDEN: dict[str, set[str]] = {
    "model": {"scrapy", "twisted", "bs4", "lxml", "soupsieve", "sqlite_utils", "datasette"},
    "html": {"scrapy", "twisted", "sqlite_utils", "datasette"},
    "extract": {"scrapy", "twisted", "sqlite_utils", "datasette", "lxml", "soupsieve"},
    "archive": {"scrapy", "twisted", "bs4", "lxml", "soupsieve", "datasette"},
    "export": {"scrapy", "twisted", "bs4", "soupsieve", "datasette"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> Iterator[str]:
    """Every module an import statement in ``path`` names, relative imports resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            yield module
            # ``from scraper.crawl import retry`` imports the module scraper.crawl.retry
            yield from (f"{module}.{alias.name}" for alias in node.names)


def project_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {m for m in imported_modules(path) if m in modules and m != name}
    return graph


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "root"
    if len(parts) == 2 and parts[1] in ENTRY_POINTS:
        return "entry"
    return parts[1]


def third_party(path: Path) -> set[str]:
    return {m.split(".")[0] for m in imported_modules(path) if not m.startswith("scraper")}


def test_every_module_belongs_to_a_known_layer() -> None:
    unknown = sorted(m for m in project_graph() if layer(m) not in {*ALLOWED, "root"})
    assert unknown == []


def test_layers_import_only_the_layers_to_their_left() -> None:
    wrong = sorted(
        f"{module} imports {imported}"
        for module, imports in project_graph().items()
        for imported in imports
        if layer(module) in ALLOWED and layer(imported) not in {layer(module), "root"}
        and layer(imported) not in ALLOWED[layer(module)]
    )
    assert wrong == []


@pytest.mark.parametrize("name", sorted(FORBIDDEN))
def test_a_layer_never_imports_the_libraries_of_another(name: str) -> None:
    wrong = sorted(
        f"{module_name(path)} imports {package}"
        for path in (PACKAGE / name).rglob("*.py")
        for package in third_party(path) & FORBIDDEN[name]
    )
    assert wrong == []


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle (as a path that returns to its start), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_module_imports_itself_through_others() -> None:
    graph = project_graph()
    # A package's __init__ re-exporting its own modules is not a circle between modules.
    for module, imports in graph.items():
        graph[module] = {m for m in imports if not module.startswith(m + ".")
                         and not (m.startswith(module + ".") and module in _packages())}
    assert find_cycle(graph) is None


def _packages() -> set[str]:
    return {module_name(p) for p in PACKAGE.rglob("__init__.py")}


def test_the_cycle_finder_finds_a_planted_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


# --- the HTML engine's fence ------------------------------------------------------------

# bs4's search methods: outside scraper/html, a page is searched with the engine's functions.
BS4_SEARCH_METHODS = frozenset({
    "find_all", "select", "select_one", "css", "find_parent", "find_parents",
    "find_next", "find_all_next", "find_next_sibling", "find_next_siblings",
    "find_previous", "find_all_previous", "find_previous_sibling", "find_previous_siblings",
})


def engine_fence_breaches(source: str, domain: bool) -> list[str]:
    """What in ``source`` (a module outside scraper/html) goes behind the engine's fence.

    Every module: an import of one of scraper.html's modules, or of bs4's modules or
    private names.  ``domain`` (the extractors) also: a private attribute of anything
    but itself (``tag.__dict__``, ``tag._all_strings``), a bs4 search method, a tree
    parsed with ``BeautifulSoup(...)`` rather than the engine's ``parse_html``.
    """
    breaches: list[str] = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(("scraper.html.", "bs4.")):
                    breaches.append(f"{line}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            if node.module.startswith(("scraper.html.", "bs4.")):
                breaches.append(f"{line}: from {node.module} import …")
            elif node.module == "bs4":
                breaches += [f"{line}: from bs4 import {alias.name}"
                             for alias in node.names if alias.name.startswith("_")]
        elif not domain:
            continue
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls", "sel")):
                breaches.append(f"{line}: .{node.attr}")
        elif isinstance(node, ast.Call):
            called = node.func
            if isinstance(called, ast.Name) and called.id == "BeautifulSoup":
                breaches.append(f"{line}: BeautifulSoup(…)")
            elif isinstance(called, ast.Attribute) and (
                    called.attr in BS4_SEARCH_METHODS
                    or (called.attr == "find" and _looks_like_bs4_find(node))):
                breaches.append(f"{line}: .{called.attr}(…)")
    return breaches


def _looks_like_bs4_find(call: ast.Call) -> bool:
    """``tag.find("a")``, ``tag.find(["a", "b"], href=True)``; not ``text.find(needle)``."""
    first = call.args[0] if call.args else None
    return bool(call.keywords) or isinstance(first, ast.List | ast.Tuple) or (
        isinstance(first, ast.Constant) and (first.value is True or (
            isinstance(first.value, str) and first.value.isalnum())))


def test_nothing_outside_the_html_engine_goes_behind_its_fence() -> None:
    wrong = sorted(
        f"{module_name(path)}:{breach}"
        for path in PACKAGE.rglob("*.py")
        if layer(module_name(path)) != "html"
        for breach in engine_fence_breaches(
            path.read_text(), domain=layer(module_name(path)) == "extract")
    )
    assert wrong == []


def test_the_fence_check_finds_planted_breaches() -> None:
    planted = """
from scraper.html.match import select
import bs4.element
from bs4 import _private, Tag
def f(tag, text):
    tag.__dict__.get("_decomposed"); tag._all_strings(); self._ok; sel._ok
    tag.find("a"); tag.find_all("p"); tag.find(["a", "b"]); tag.find_parent("a")
    text.find(needle); BeautifulSoup(text, "lxml")
"""
    found = sorted(b.split(": ", 1)[1] for b in engine_fence_breaches(planted, domain=True))
    assert found == sorted([
        "from scraper.html.match import …", "import bs4.element", "from bs4 import _private",
        ".__dict__", "._all_strings", ".find(…)", ".find_all(…)", ".find(…)",
        ".find_parent(…)", "BeautifulSoup(…)",
    ])
    assert len(engine_fence_breaches(planted, domain=False)) == 3
