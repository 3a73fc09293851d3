"""The library laid out as its architecture (issue 23): no import cycle, no private name used
across modules, no module far over 600 lines without a reason, each subpackage in its place."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parents[2] / "lib" / "complaints_report"
ROOT = LIB.parents[1]
#: Modules allowed past about 600 lines, each with its reason.
LONG_MODULES = {
    "content/care.py": "one section's sentences, tables and charts (children in care, advocacy, "
    "Stage 1 targets), read together",
}
LAYERS = {
    "data": {"data"},
    "figures": {"data", "figures"},
    "present": {"data", "figures", "present"},
}
"""What each lower layer may import from the package (besides the top-level helpers)."""


def _module(path: Path) -> str:
    parts = list(path.relative_to(LIB.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in LIB.rglob("*.py")}


def _package(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rsplit(".", 1)[0]


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported from, names, line) for every import in ``path`` of the package, at any
    depth (function-local ones too), leaving out ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {
        id(n)
        for t in ast.walk(tree)
        if isinstance(t, ast.If) and _is_type_checking(t)
        for n in ast.walk(t)
    }
    module = _module(path)
    out = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = _package(module, path).split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] == "complaints_report":
                out.append((target, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "complaints_report":
                    out.append((a.name, [], node.lineno))
    return out


def _edges() -> dict[str, set[str]]:
    """Module -> the package modules it imports (a name that is a submodule counts as it)."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module, path in MODULES.items():
        for target, names, _ in _imports(path):
            for name in names or [""]:
                sub = f"{target}.{name}" if name else target
                dep = sub if sub in MODULES else target
                if dep in MODULES and dep != module:
                    graph[module].add(dep)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                return stack[stack.index(d) :] + [d]
            if d not in state and (found := visit(d)):
                return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_no_import_cycle_in_the_library():
    cycle = _cycle(_edges())
    assert cycle is None, " -> ".join(cycle or [])


def test_the_check_finds_a_cycle():
    """Not vacuous: a cycle of two modules is found."""
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]


def test_subpackages_import_only_layers_below_them():
    """data knows nothing of figures, figures nothing of presenting them, and none of the three
    knows the run, publishing, the CLI or the notebooks' API."""
    wrong = []
    for module, deps in _edges().items():
        layer = module.split(".")[1] if module.count(".") else ""
        if layer not in LAYERS:
            continue
        for dep in deps:
            sub = dep.split(".")[1] if dep.count(".") else ""
            if sub in {"run", "publish", "content", "cli", "report"} or (
                sub in {"data", "figures", "present"} and sub not in LAYERS[layer]
            ):
                wrong.append(f"{module} imports {dep}")
    assert not wrong, wrong


def _private_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (
            node.level or (node.module or "").startswith("complaints_report")
        ):
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__"):
                    found.append(f"{path.name}:{node.lineno} imports {a.name}")
                modules.add(a.asname or a.name)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{path.name}:{node.lineno} uses {node.value.id}.{node.attr}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "setattr"
            and len(node.args) >= 2
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in modules
            and isinstance(node.args[1], ast.Constant)
            and str(node.args[1].value).startswith("_")
        ):
            found.append(
                f"{path.name}:{node.lineno} patches {node.args[0].id}.{node.args[1].value}"
            )
    return found


def test_no_private_name_is_used_across_modules():
    """In the library and its tests, no import of a private name of the package, no use or
    patch of one through an imported module."""
    files = [
        *LIB.rglob("*.py"),
        *(ROOT / "tests").rglob("*.py"),
        *(ROOT / "benchmarks").rglob("*.py"),
    ]
    found = [u for p in files for u in _private_uses(p)]
    assert not found, found


def test_the_private_name_check_is_not_vacuous(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from complaints_report.data import csvfile\nfrom .x import _y\n"
        "csvfile._z\nmonkeypatch.setattr(csvfile, '_w', 1)\n"
    )
    assert len(_private_uses(bad)) == 3


@pytest.mark.parametrize("path", sorted(LIB.rglob("*.py")), ids=lambda p: str(p.relative_to(LIB)))
def test_no_module_is_far_over_600_lines_without_a_reason(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    reason = LONG_MODULES.get(str(path.relative_to(LIB)))
    assert lines <= 620 or reason, f"{path.relative_to(LIB)}: {lines} lines"


def test_the_subpackages_are_there():
    for package in ("data", "figures", "present", "run", "publish", "content"):
        assert (LIB / package / "__init__.py").is_file(), package
    top = sorted(p.name for p in LIB.glob("*.py"))
    assert top == [
        "__init__.py",
        "cli.py",
        "files.py",
        "params.py",
        "paths.py",
        "report.py",
        "sections.py",
    ], top


def test_the_data_set_and_the_prepared_year_hold_the_contracts_tables():
    """Dataset and Prepared have one frame per table of the contract, no more, no fewer."""
    from dataclasses import fields

    import pandas as pd

    from complaints_report.data.contract import TABLES
    from complaints_report.data.model import Dataset
    from complaints_report.figures.engine import PERIOD_COLUMNS, Prepared

    for cls in (Dataset, Prepared):
        frames = [f.name for f in fields(cls) if f.type in (pd.DataFrame, "pd.DataFrame")]
        assert frames == list(TABLES), (cls.__name__, frames)
    assert list(PERIOD_COLUMNS) == list(TABLES)  # prepare() dates every table's records
