"""The layout's rules, read from the code's own imports: dependencies point one way (see the README, "Where things go").

core/ (paths, date rules, vocabulary, words, export helpers) imports neither app/ nor etl/; etl/ builds
the database from core/ alone, except the publisher (etl/opendata.py), which consumes the app's
snapshot, queries and builders; app/ reaches etl/ only where a rebuild starts; builders take
snapshots or frames and never import Streamlit or the database; only app/data.py caches; nothing
imports a page.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("core", "app", "etl", "views")
# app/ modules that are not builders: the database and its readers, the cache layer, the page's furniture
# (Streamlit widgets, keys, the page's language and focus styles, the signed-in part of a page, the server
# guard), the warm start, the Secretariat's sign-in and uploads. Every other app/ module is a builder (a new
# module is one by default).
READERS = {"app.db", "app.queries", "app.snapshot"}
NOT_BUILDERS = READERS | {
    "app.data",
    "app.ui",
    "app.keys",
    "app.a11y",
    "app.secretariat",
    "app.guard",
    "app.serve",
    "app.auth",
    "app.activity_files",
}
# Where app/ may import etl/: the server builds a missing or stale database on start and rebuilds a damaged
# one (app/data.py); an upload is validated by the ETL's schemas and rebuilds (app/activity_files.py).
# A command-line tool's `main()` builds a missing or stale database before it reads (app.brief, app.deck).
REBUILDS = {"app.data", "app.activity_files"}
# The ETL's publisher: the open data and the feeds, made with the app's snapshot, queries and builders.
PUBLISHER = "etl.opendata"
FORBIDDEN_IN_BUILDERS = ("streamlit", "duckdb", "app.db", "app.queries", "app.snapshot", "app.data", "app.ui", "etl")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. "app.slides"
    target: str  # what it imports, e.g. "app.queries" (a name imported from a package counts as its module)
    line: int
    function: str | None  # the function it sits in, None at module level
    type_checking: bool  # under `if TYPE_CHECKING:` (never run)

    def __str__(self) -> str:
        where = f" in {self.function}()" if self.function else ""
        return f"{self.module}:{self.line}{where} imports {self.target}"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _targets(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    # `from app import queries` imports the module app.queries; `from app.queries import x` imports from app.queries.
    if base in PACKAGES:
        return [f"{base}.{alias.name}" for alias in node.names]
    return [base]


def _imports(path: Path, module: str | None = None) -> list[Import]:
    module = module or _module_name(path)
    found: list[Import] = []

    def visit(node: ast.AST, function: str | None, type_checking: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.extend(Import(module, target, child.lineno, function, type_checking) for target in _targets(child))
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, function or child.name, type_checking)
            elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                visit(child, function, True)
            else:
                visit(child, function, type_checking)

    visit(ast.parse(path.read_text(encoding="utf-8")), None, False)
    return found


def _sources() -> list[Path]:
    files = [path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]
    return [*files, ROOT / "streamlit_app.py"]


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    return [item for path in _sources() for item in _imports(path)]


def _runs(item: Import) -> bool:
    return not item.type_checking


def _under(target: str, *packages: str) -> bool:
    return any(target == package or target.startswith(f"{package}.") for package in packages)


def test_the_reader_sees_every_module(imports):
    modules = {item.module for item in imports}
    assert {"core.i18n", "app.data", "app.snapshot", "app.slides", "etl.build", "etl.opendata", "views.forum"} <= modules


def test_the_core_imports_neither_the_app_nor_the_etl(imports):
    wrong = [str(i) for i in imports if _under(i.module, "core") and _under(i.target, "app", "etl", "views", "streamlit")]
    assert wrong == []


def test_the_etl_builds_from_the_core_alone_and_only_the_publisher_reads_the_app(imports):
    wrong = [
        str(i)
        for i in imports
        if _under(i.module, "etl") and _under(i.target, "app", "views") and i.module not in (PUBLISHER, "etl.__main__")
    ]
    assert wrong == []
    # The publisher and the command consume the app's readers and builders, never its pages, cache or Streamlit.
    pages = [
        str(i)
        for i in imports
        if _under(i.module, "etl") and _under(i.target, "views", "app.data", "app.ui", "streamlit") and _runs(i)
    ]
    assert pages == []


def test_the_app_reaches_the_etl_only_where_a_rebuild_starts(imports):
    wrong = [
        str(i)
        for i in imports
        if _under(i.module, "app", "views") and _under(i.target, "etl") and i.module not in REBUILDS and i.function != "main"
    ]
    assert wrong == []


def test_builders_take_snapshots_or_frames_never_streamlit_or_the_database(imports):
    builders = {i.module for i in imports if _under(i.module, "app")} - NOT_BUILDERS - {"app"}
    assert {"app.charts", "app.maps", "app.slides", "app.profile", "app.figures", "app.opportunities"} <= builders
    wrong = [
        str(i)
        for i in imports
        if i.module in builders and _runs(i) and i.function != "main" and _under(i.target, *FORBIDDEN_IN_BUILDERS)
    ]
    assert wrong == []


def test_the_readers_are_plain_python(imports):
    wrong = [str(i) for i in imports if i.module in READERS and _under(i.target, "streamlit", "app.data", "etl", "views")]
    assert wrong == []


def test_nothing_imports_a_page(imports):
    assert [str(i) for i in imports if _under(i.target, "views")] == []


def test_pages_read_through_the_cache_layer(imports):
    wrong = [str(i) for i in imports if _under(i.module, "views") and _under(i.target, *READERS, "duckdb", "etl")]
    assert wrong == []


def test_caching_decorators_live_in_one_module():
    found = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("cache_data", "cache_resource"):
                found.append(_module_name(path))
    assert set(found) == {"app.data"}


def test_no_page_relies_on_streamlit_magic():
    # .streamlit/config.toml turns magic off (each session that arrives alone compiles the pages again, and magic's
    # rewrite of the syntax tree was most of that): a bare value in a page would silently stop showing.
    import tomllib

    assert tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["runner"]["magicEnabled"] is False
    bare = []
    for path in [ROOT / "streamlit_app.py", *sorted((ROOT / "views").glob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            # A call is never shown by magic (unless it ends the file), nor is a string (a docstring).
            if isinstance(node, ast.Expr) and not isinstance(node.value, ast.Call | ast.Constant):
                bare.append(f"{path.name}:{node.lineno}")
    assert bare == []


def test_every_module_opens_with_a_docstring():
    missing = [_module_name(path) for path in _sources() if not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))]
    assert missing == []


def test_a_wrong_import_is_caught(tmp_path):
    """The reader finds an import wherever it sits: at module level, in a function, or only for type checkers."""
    source = tmp_path / "probe.py"
    source.write_text(
        '"""Probe."""\nimport streamlit\nfrom typing import TYPE_CHECKING\n'
        "if TYPE_CHECKING:\n    from app.db import Database\n"
        "def main():\n    from etl.build import build\n",
        encoding="utf-8",
    )
    found = {(i.target, i.function, i.type_checking) for i in _imports(source, "app.probe")}
    assert found == {("streamlit", None, False), ("typing", None, False), ("app.db", None, True), ("etl.build", "main", False)}


# The project's notes beside the clone (the design brief, the style and testing notes, the kept context) are not
# in a checkout: a docstring or a comment that sends a reader there sends them nowhere. Provenance notes under
# data/ may name the stored sources they were read from; code may not.
OUTSIDE = ("DESIGN.md", "STYLE.md", "TESTING.md", "../", "context/", "/work/")


def test_no_docstring_or_comment_points_outside_the_repository():
    import io
    import tokenize

    found = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        notes = [token.string for token in tokenize.generate_tokens(io.StringIO(text).readline) if token.type == tokenize.COMMENT]
        tree = ast.parse(text)
        notes += [
            ast.get_docstring(node) or ""
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        found += [f"{_module_name(path)}: {marker}" for note in notes for marker in OUTSIDE if marker in note]
    assert found == []
