"""environment.yml (conda) declares the same dependencies as pyproject.toml (pip)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

# Extras of pyproject.toml that environment.yml must carry. The `quarto` extra is not one:
# its PyPI package (quarto-cli) has the conda-forge counterpart `quarto`, checked on its own.
EXTRAS = ("test", "dev")
# PyPI names whose conda-forge package is named otherwise.
PYPI_TO_CONDA = {"quarto-cli": "quarto"}
# environment.yml entries that are not Python dependencies of the package.
NOT_IN_PYPROJECT = {"python", "pip", "quarto"}

Spec = dict[str, "Version | None"]  # normalised name -> minimum version (None: no minimum)


def normalise(name: str) -> str:
    """PEP 503 style: case-insensitive, runs of `-`, `_` and `.` alike."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _min_of(versions: list[Version]) -> Version | None:
    return max(versions) if versions else None


def pypi_minimum(requirement: str) -> tuple[str, Version | None]:
    """Name and lower bound of a PEP 508 requirement such as ``pandas>=2.1``."""
    req = Requirement(requirement)
    lows = [
        Version(s.version.rstrip(".*"))
        for s in req.specifier
        if s.operator in (">=", ">", "==", "~=", "===")
    ]
    return normalise(PYPI_TO_CONDA.get(normalise(req.name), req.name)), _min_of(lows)


def conda_minimum(spec: str) -> tuple[str, Version | None]:
    """Name and lower bound of a conda match spec such as ``pandas>=2.1``, ``python=3.11``,
    ``conda-forge::pandas >=2.1,<3`` or ``pandas 2.1.0 py311_0``."""
    spec = spec.split("::", 1)[-1].strip()
    m = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    if not m:
        raise ValueError(f"not a conda package spec: {spec!r}")
    name, rest = m.group(1), re.sub(r"([<>=!~]=?)\s+", r"\1", m.group(2).strip())
    version_part = rest.split()[0] if rest else ""
    lows = []
    for constraint in filter(None, version_part.split(",")):
        cm = re.match(r"^(>=|>|==|=|~=)?\s*([0-9][^,]*)$", constraint)
        if cm and (cm.group(1) or "=") in (">=", ">", "==", "=", "~="):
            try:
                lows.append(Version(cm.group(2).rstrip("*").rstrip(".")))
            except InvalidVersion as exc:
                raise ValueError(f"{spec!r}: unreadable version {cm.group(2)!r}") from exc
    return normalise(name), _min_of(lows)


def pyproject_dependencies(pyproject: dict) -> Spec:
    """Runtime and test/dev extra dependencies of a parsed pyproject.toml."""
    project = pyproject["project"]
    reqs = list(project.get("dependencies", []))
    for extra in EXTRAS:
        reqs += project.get("optional-dependencies", {}).get(extra, [])
    return dict(pypi_minimum(r) for r in reqs)


def environment_dependencies(env: dict) -> Spec:
    """Conda and pip packages of a parsed environment.yml; pip options such as ``-e .`` left out."""
    out: Spec = {}
    for dep in env.get("dependencies") or []:
        if isinstance(dep, dict):
            for line in dep.get("pip", []):
                if not str(line).lstrip().startswith("-"):
                    name, low = pypi_minimum(str(line))
                    out[name] = low
        else:
            name, low = conda_minimum(str(dep))
            out[name] = low
    return out


def compare(pyproject: Spec, environment: Spec, quarto_minimum: Version | None = None) -> list[str]:
    """Every disagreement between the two, one message each; empty when they agree."""
    problems = []
    for name, low in sorted(pyproject.items()):
        if name not in environment:
            problems.append(f"{name}: in pyproject.toml but not in environment.yml")
        elif low is not None:
            env_low = environment[name]
            if env_low is None:
                problems.append(
                    f"{name}: pyproject.toml requires >={low}, environment.yml gives no minimum"
                )
            elif env_low < low:
                problems.append(
                    f"{name}: environment.yml allows {env_low}, below pyproject.toml's "
                    f"minimum {low}"
                )
    for name in sorted(set(environment) - set(pyproject) - NOT_IN_PYPROJECT):
        problems.append(f"{name}: in environment.yml but not declared in pyproject.toml")
    if "quarto" not in environment:
        problems.append("quarto: missing from environment.yml")
    elif quarto_minimum is not None and (environment["quarto"] or Version("0")) < quarto_minimum:
        problems.append(f"quarto: environment.yml must require >={quarto_minimum}")
    return problems


# --- the real files -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def pyproject(repo_root: Path) -> dict:
    with open(repo_root / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="module")
def environment(repo_root: Path) -> dict:
    return yaml.safe_load((repo_root / "environment.yml").read_text(encoding="utf-8"))


def test_environment_yml_matches_pyproject(pyproject, environment):
    quarto_extra = pyproject["project"].get("optional-dependencies", {}).get("quarto", [])
    quarto_min = _min_of([low for _, low in map(pypi_minimum, quarto_extra) if low is not None])
    problems = compare(
        pyproject_dependencies(pyproject), environment_dependencies(environment), quarto_min
    )
    assert problems == [], "environment.yml and pyproject.toml disagree:\n" + "\n".join(problems)


def test_environment_yml_is_the_named_conda_forge_env(environment):
    assert environment["name"] == "complaints-report"
    assert "conda-forge" in environment["channels"]
    pip = [d for d in environment["dependencies"] if isinstance(d, dict)]
    assert any("-e ." in [str(x).strip() for x in d.get("pip", [])] for d in pip)


def test_environment_python_satisfies_requires_python(pyproject, environment):
    python = environment_dependencies(environment).get("python")
    assert python is not None, "environment.yml must pin python"
    assert python in SpecifierSet(pyproject["project"]["requires-python"])


# --- the comparison itself ----------------------------------------------------------------


def test_compare_reports_each_kind_of_mismatch():
    py = {"pandas": Version("2.1"), "pyyaml": Version("6.0"), "pytest": None, "tqdm": Version("4")}
    env = {
        "python": Version("3.11"),
        "pip": None,
        "pandas": Version("2.0"),
        "pyyaml": None,
        "pytest": Version("8"),
        "numba": None,
    }
    problems = compare(py, env, quarto_minimum=Version("1.7"))
    assert problems == [
        "pandas: environment.yml allows 2.0, below pyproject.toml's minimum 2.1",
        "pyyaml: pyproject.toml requires >=6.0, environment.yml gives no minimum",
        "tqdm: in pyproject.toml but not in environment.yml",
        "numba: in environment.yml but not declared in pyproject.toml",
        "quarto: missing from environment.yml",
    ]


def test_compare_accepts_an_equal_or_stricter_environment():
    py = {"pandas": Version("2.1"), "pytest": None}
    env = {
        "python": None,
        "pip": None,
        "quarto": Version("1.7"),
        "pandas": Version("2.2"),
        "pytest": None,
    }
    assert compare(py, env, quarto_minimum=Version("1.7")) == []
    assert compare(py, {**env, "quarto": Version("1.6")}, Version("1.7")) == [
        "quarto: environment.yml must require >=1.7"
    ]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("pandas>=2.1", ("pandas", Version("2.1"))),
        ("pandas >=2.1,<3", ("pandas", Version("2.1"))),
        ("python=3.11", ("python", Version("3.11"))),
        ("numpy==1.26.*", ("numpy", Version("1.26"))),
        ("conda-forge::PyYAML>=6.0", ("pyyaml", Version("6.0"))),
        ("pandas 2.1.0 py311_0", ("pandas", Version("2.1.0"))),
        ("pre_commit", ("pre-commit", None)),
        ("tqdm<5", ("tqdm", None)),
    ],
)
def test_conda_minimum(spec, expected):
    assert conda_minimum(spec) == expected


@pytest.mark.parametrize(
    ("req", "expected"),
    [
        ("pandas>=2.1", ("pandas", Version("2.1"))),
        ("Pre_Commit>=3.5", ("pre-commit", Version("3.5"))),
        ("quarto-cli>=1.7", ("quarto", Version("1.7"))),
        ("ruff", ("ruff", None)),
        ("pydantic>=2.5,<3", ("pydantic", Version("2.5"))),
    ],
)
def test_pypi_minimum(req, expected):
    assert pypi_minimum(req) == expected


def test_pip_options_in_environment_are_skipped():
    env = {"dependencies": ["pip", {"pip": ["-e .", "--no-deps", "nbval>=0.11"]}]}
    assert environment_dependencies(env) == {"pip": None, "nbval": Version("0.11")}
