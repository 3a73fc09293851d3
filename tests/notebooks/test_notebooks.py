"""The section notebooks: one per section in report order, thin, parameterised, stripped, tagged."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import nbformat
import papermill as pm
import pytest

from complaints_report.sections import SECTIONS

NOTEBOOK_PARAMETERS = {"financial_year", "data_dir", "output_dir", "to_quarter"}


def test_one_notebook_per_section_in_report_order(repo_root):
    found = sorted(p.name for p in (repo_root / "notebooks").glob("*.ipynb"))
    assert found == [s.notebook for s in SECTIONS]


@pytest.mark.parametrize("section", SECTIONS, ids=[s.slug for s in SECTIONS])
def test_notebook_is_thin_stripped_and_tagged(section):
    nb = nbformat.read(section.path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.splitlines()[0] == f"# {section.title}"
    h1s = [
        c
        for c in nb.cells
        if c.cell_type == "markdown"
        and any(line.startswith("# ") for line in c.source.splitlines())
    ]
    assert len(h1s) == 1, "one h1 per page: the section title"
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, "exactly one parameters cell"
    tree = ast.parse(params[0].source)
    assigned = set()
    for node in tree.body:
        assert isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant), (
            "the parameters cell holds literal defaults only"
        )
        assigned |= {t.id for t in node.targets}
    assert assigned == NOTEBOOK_PARAMETERS
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", []))
        assert tags & {"remove-input", "remove-cell"}, (
            f"code cell without a hiding tag: {cell.source[:60]!r}"
        )
        assert not cell.get("outputs") and cell.get("execution_count") is None, (
            "committed with outputs"
        )
        tree = ast.parse(cell.source)
        defs = [
            n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda))
        ]
        assert not defs, "notebooks are thin: functions and classes live in lib/"


@pytest.mark.parametrize("section", SECTIONS, ids=[s.slug for s in SECTIONS])
def test_papermill_lists_the_declared_parameters(section):
    params = pm.inspect_notebook(str(section.path))
    assert set(params) == NOTEBOOK_PARAMETERS
    assert params["financial_year"]["default"] == '"2023-24"'
    assert params["to_quarter"]["default"] == "None"  # the year; "Q2": the in-year pack


def test_papermill_help_notebook_on_the_command_line(repo_root):
    section = SECTIONS[3]
    out = subprocess.run(
        [sys.executable, "-m", "papermill", "--help-notebook", str(section.path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name in NOTEBOOK_PARAMETERS:
        assert name in out


def _nbval(repo_root, tmp_path, env_extra):
    env = {**os.environ, **env_extra, "MPLBACKEND": "Agg"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            str(repo_root / "notebooks"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout and " failed" not in proc.stdout


@pytest.mark.slow
def test_every_notebook_runs_under_nbval_on_the_small_fixture(repo_root, small_data_dir, tmp_path):
    _nbval(
        repo_root,
        tmp_path,
        {
            "COMPLAINTS_REPORT_DATA": str(small_data_dir),
            "COMPLAINTS_REPORT_OUTPUT": str(tmp_path / "out"),
        },
    )
    assert any((tmp_path / "out" / "tables").glob("*.csv"))


@pytest.mark.slow
def test_every_notebook_runs_under_nbval_on_the_demo_for_2023_24(repo_root, tmp_path):
    _nbval(repo_root, tmp_path, {"COMPLAINTS_REPORT_OUTPUT": str(tmp_path / "out")})
    tables = json.dumps(sorted(p.name for p in (tmp_path / "out" / "tables").glob("*.csv")))
    assert "04-" in tables
