"""The yearly run: every section executed into outputs/<FY>/, figures.json and tables beside them."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from tiny_data import cover_notebook

from complaints_report import paths
from complaints_report.cli import main
from complaints_report.data.loading import load_dataset
from complaints_report.figures.engine import compute_figures, prepare
from complaints_report.params import TO_FILL_IN, load_params, new_year
from complaints_report.run.year import RunFailed, run_year
from complaints_report.sections import SECTIONS, select_sections


@pytest.mark.slow
@pytest.mark.parametrize("fy", ["2023-24", "2020-21"])
def test_the_run_executes_every_section_and_writes_figures_and_tables(demo_runs, fy):
    year_dir = demo_runs[fy]
    executed = sorted(p.name for p in (year_dir / "notebooks").glob("*.ipynb"))
    assert executed == [s.notebook for s in SECTIONS]
    for s in SECTIONS:
        nb = nbformat.read(year_dir / "notebooks" / s.notebook, as_version=4)
        errors = [
            o
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.get("outputs", [])
            if o.get("output_type") == "error"
        ]
        assert not errors
        assert nb.metadata["papermill"]["parameters"]["financial_year"] == fy
        # every table and chart is shown once (a cell ending in ctx.table(...) must not echo it)
        html = [
            o["data"]["text/html"]
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.get("outputs", [])
            if "text/html" in o.get("data", {})
        ]
        ids = re.findall(r'<(?:table|figure) [^>]*id="([^"]+)"', "".join(html))
        assert len(ids) == len(set(ids)), f"{s.notebook} shows something twice: {ids}"
        streams = [
            o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "stream"
        ]
        assert not streams, (
            f"{s.notebook} printed to {streams[0]['name']}: {streams[0]['text'][:200]}"
        )
    params = load_params(fy)
    expected = compute_figures(prepare(load_dataset(params.data_dir), params), fy)
    assert json.loads((year_dir / "figures.json").read_text(encoding="utf-8")) == json.loads(
        json.dumps(expected)
    )
    # Every section that shows tables wrote them (the published-page check compares each with
    # the page that shows it: tests/publish/test_published_tables.py).
    tables = {p.stem for p in (year_dir / "tables").glob("*.csv")}
    sections_with_tables = {s.notebook[:2] for s in SECTIONS} - {"02"}
    assert {t[:2] for t in tables} == sections_with_tables


@pytest.mark.slow
def test_the_2023_24_scorecard_table_has_the_published_figures(demo_runs):
    """Children's Social Care's scorecard CSV, column by column, as the 2023/24 report published
    it (Q1 to Q4, then the year)."""
    import csv

    path = demo_runs["2023-24"] / "tables" / "04-scorecard-childrens-social-care.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["Period"] for r in rows] == ["Q1", "Q2", "Q3", "Q4", "Year"]
    published = {
        "Formal complaints": ["15", "21", "9", "20", "65"],
        "Informal complaints": ["14", "21", "16", "23", "74"],
        "Compliments": ["11", "13", "14", "15", "53"],
        "Learnings": ["8", "14", "1", "8", "31"],
    }
    assert {column: [r[column] for r in rows] for column in published} == published


def _failing_notebooks(tmp_path):
    return cover_notebook(tmp_path, "x = 1", "raise ValueError('the section broke')")


def test_a_failing_notebook_stops_the_run_naming_section_cell_error_and_file(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", _failing_notebooks(tmp_path))
    with pytest.raises(RunFailed) as err:
        run_year("2023-24", out=str(tmp_path / "out"), only=["cover"], progress=False)
    (failure,) = err.value.failures
    message = str(err.value)
    assert failure.section.slug == "cover"
    assert "Cover and recommendation" in message and "ValueError: the section broke" in message
    # papermill counts executions: parameters, injected parameters, x = 1, then the raise
    assert failure.cell == 4 and "cell 4" in message
    assert failure.notebook.is_file() and str(failure.notebook) in message
    assert not (tmp_path / "out" / "2023-24" / "site").exists()


def test_the_cli_reports_a_failed_run_without_a_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", _failing_notebooks(tmp_path))
    code = main(["run", "2023-24", "--out", str(tmp_path / "out"), "--only", "01", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1
    assert "nothing was published" in err and "ValueError: the section broke" in err
    assert "Traceback" not in err


def test_only_selects_sections_by_slug_number_or_file_in_report_order():
    chosen = select_sections(["12", "cover", "04-quarterly-scorecards.ipynb"])
    assert [s.number for s in chosen] == [1, 4, 12]
    with pytest.raises(ValueError, match="no report section 'nope'"):
        select_sections(["nope"])


def test_new_year_starts_from_the_previous_year_with_commentary_to_fill_in(repo_root, tmp_path):
    pdir = tmp_path / "params"
    pdir.mkdir()
    for name in ("defaults.yml", "2023-24.yml"):
        (pdir / name).write_text(
            (repo_root / "params" / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    path = new_year("2024-25", params_dir=pdir)
    assert path == pdir / "2024-25.yml"
    params = load_params("2024-25", pdir)
    previous = load_params("2023-24", pdir)
    assert params.report.committee == previous.report.committee
    assert params.report.meeting_date is None
    assert "2024/25" in params.report.recommendation
    assert set(params.commentary) == {s.slug for s in SECTIONS}
    assert all(TO_FILL_IN in text for text in params.commentary.values())
    with pytest.raises(Exception, match="already exists"):
        new_year("2024-25", params_dir=pdir)


def test_new_year_on_the_command_line_says_what_to_do_next(
    tmp_path, monkeypatch, capsys, repo_root
):
    pdir = tmp_path / "params"
    pdir.mkdir()
    for name in ("defaults.yml", "2023-24.yml"):
        (pdir / name).write_text(
            (repo_root / "params" / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    monkeypatch.setattr(paths, "PARAMS_DIR", pdir)
    assert main(["new-year", "2024-25"]) == 0
    out = capsys.readouterr().out
    assert "2024-25.yml" in out and "TO FILL IN" in out and "complaints-report run 2024-25" in out
    assert main(["new-year", "2024-25"]) == 2


@pytest.mark.slow
def test_a_rerun_redoes_only_what_changed(demo_runs, tmp_path, monkeypatch, repo_root):
    import shutil
    import time

    out = tmp_path / "out"
    shutil.copytree(demo_runs["2023-24"], out / "2023-24")
    # The shared demo run stops before publishing: this run executes nothing and publishes.
    published = run_year("2023-24", out=str(out), progress=False)
    assert published.executed == [] and (out / "2023-24" / "site" / "index.html").is_file()
    started = time.perf_counter()
    again = run_year("2023-24", out=str(out), progress=False)
    assert again.nothing_changed and again.executed == []
    assert time.perf_counter() - started < 3

    pdir = tmp_path / "params"
    shutil.copytree(repo_root / "params", pdir)
    text = (pdir / "2023-24.yml").read_text(encoding="utf-8")
    (pdir / "2023-24.yml").write_text(
        text.replace(
            "Most complaints come from parents", "Most complaints still come from parents"
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(paths, "PARAMS_DIR", pdir)
    monkeypatch.setenv("COMPLAINTS_REPORT_PARAMS", str(pdir))  # the kernels read params too
    edited = run_year("2023-24", out=str(out), progress=False)
    assert [p.name for p in edited.executed] == ["07-who-complained.ipynb"]
    page = (out / "2023-24" / "site" / "07-who-complained.html").read_text(encoding="utf-8")
    assert "Most complaints still come from parents" in page
