"""The house rules: imports point one way (no cycles), modules stay small, views stay apart.

The import graph is read from the source with ``ast``, not by importing anything.
Every ``import`` and ``from ... import`` counts wherever it stands, at module level or
inside a function (a function-level import only postpones a cycle, it does not break
it), with one exception: imports under ``if TYPE_CHECKING:`` never run, so they are
left out. ``from . import x`` points at module ``x`` when there is one, otherwise at
the package. The implicit import of a module's parent packages does not count: every
module would otherwise "import" ``gdanim/__init__.py``.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "gdanim"

MAX_LINES = 300

# Modules of gdanim/views/ that are not views: what the views share.
VIEW_SHARED = {"__init__", "base", "overlays", "panels", "status", "race_base", "race_panels", "curves", "field", "glyphs", "box3d",
               "text", "space"}


# ---------------------------------------------------------------------------- the import graph


def module_names(root: Path) -> dict[str, Path]:
    """Dotted name -> file for every .py under the package directory ``root``."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = [root.name, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``)."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                skipped |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return skipped


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules that module ``name`` (file ``path``) imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skipped = _type_checking_only(tree)
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                if not is_package:
                    base.pop()
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in known else target)
    return {m for m in found if m in known and m != name}


def import_graph(root: Path) -> dict[str, set[str]]:
    files = module_names(root)
    return {name: imports_of(name, path, set(files)) for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def describe(component: frozenset[str], graph: dict[str, set[str]]) -> str:
    edges = sorted(f"{a} -> {b}" for a in component for b in graph[a] & component)
    return "{" + ", ".join(sorted(component)) + "}: " + "; ".join(edges)


# ---------------------------------------------------------------------------- the rules


def test_no_import_cycles():
    graph = import_graph(PACKAGE)
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(describe(c, graph) for c in found)


def test_no_module_is_over_300_lines():
    too_long = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            too_long[relative] = lines
    assert not too_long, f"modules over {MAX_LINES} lines (split them by concern): {too_long}"


def test_views_do_not_import_each_other():
    graph = import_graph(PACKAGE)
    views = {name for name in graph if name.startswith("gdanim.views.") and name.rsplit(".", 1)[1] not in VIEW_SHARED}
    assert len(views) >= 5
    crossing = {view: sorted(graph[view] & views) for view in sorted(views) if graph[view] & views}
    assert not crossing, f"views importing other views (move what they share to views/panels.py or gdanim/): {crossing}"


def test_engines_know_nothing_of_files_or_hashes():
    """Engines yield RGBA frames; the caller passes in what is done with each one."""
    graph = import_graph(PACKAGE)
    engines = {name for name in graph if name.startswith("gdanim.engines")}
    assert len(engines) >= 3
    beyond = {"gdanim.output", "gdanim.hashing", "gdanim.manifest", "gdanim.framestore"}
    reaching = {e: sorted(m for m in graph[e] if any(m == b or m.startswith(b + ".") for b in beyond)) for e in engines}
    assert not any(reaching.values()), f"engines importing output or hashing: {reaching}"


def test_views_never_test_a_style_by_name():
    """A view asks its Style for a choice (colour map, path colour, ...), never which style it is."""
    offenders = []
    for path in sorted((PACKAGE / "views").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "name":
                owner = node.value
                owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
                if owner_name in ("st", "style"):
                    offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, f"views reading the style's name: {offenders}"


# ---------------------------------------------------------------------------- the checker itself


def write_package(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "pkg"


def test_the_graph_resolves_relative_and_function_level_imports(tmp_path):
    pkg = write_package(tmp_path, {
        "pkg/__init__.py": "from . import a\n",
        "pkg/a.py": "from .sub import b\nimport os\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/b.py": "def f():\n    from .. import a\n    from ..c import thing\n",
        "pkg/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import d\nthing = 1\n",
        "pkg/d.py": "from .c import thing\nimport pkg.sub\n",
    })
    graph = import_graph(pkg)
    assert graph == {
        "pkg": {"pkg.a"},
        "pkg.a": {"pkg.sub.b"},
        "pkg.sub": set(),
        "pkg.sub.b": {"pkg.a", "pkg.c"},
        "pkg.c": set(),  # under TYPE_CHECKING only
        "pkg.d": {"pkg.c", "pkg.sub"},
    }
    assert cycles(graph) == [frozenset({"pkg.a", "pkg.sub.b"})]
    assert describe(cycles(graph)[0], graph) == "{pkg.a, pkg.sub.b}: pkg.a -> pkg.sub.b; pkg.sub.b -> pkg.a"


@pytest.mark.parametrize("edges, expected", [
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [{"a", "b", "c"}]),
    ({"a": {"b"}, "b": set(), "c": {"d"}, "d": {"c"}}, [{"c", "d"}]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
])
def test_cycles(edges, expected):
    assert sorted(map(sorted, cycles(edges))) == sorted(map(sorted, expected))

