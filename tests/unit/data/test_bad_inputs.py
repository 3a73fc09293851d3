"""Each folder in tests/bad_inputs is a data set with one fault; NOTE.md says what to report."""

from __future__ import annotations

import csv
import hashlib
import random
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml

from complaints_report.data.loading import load_dataset
from complaints_report.data.model import DataError
from complaints_report.data.validation import Problem, validate_dataset

BAD_INPUTS = Path(__file__).resolve().parents[2] / "bad_inputs"
CASES = sorted(p for p in BAD_INPUTS.iterdir() if (p / "NOTE.md").is_file())
_EXPECTATION = re.compile(
    r"^- file: (?P<file>.+?) \| row: (?P<row>\S+) \| column: (?P<column>\S+)"
    r" \| message: (?P<message>.+)$",
    re.MULTILINE,
)


def _expectations(case: Path) -> list[tuple[str, int | None, str | None, str]]:
    """The expected problems listed in a case's NOTE.md (``-`` stands for none)."""
    return [
        (
            m["file"],
            None if m["row"] == "-" else int(m["row"]),
            None if m["column"] == "-" else m["column"],
            m["message"],
        )
        for m in _EXPECTATION.finditer((case / "NOTE.md").read_text(encoding="utf-8"))
    ]


def _columns(case: Path) -> dict[str, dict[str, str]] | None:
    """The params column map a case stands for (its columns.yml), if it has one."""
    path = case / "columns.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_there_are_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported(case: Path) -> None:
    expected = _expectations(case)
    before = _fingerprint(case)
    problems = validate_dataset(case, _columns(case))
    shown = "\n".join(str(p) for p in problems)
    assert all(isinstance(p, Problem) for p in problems)
    assert len(problems) == len(expected), f"expected {len(expected)} problem(s), got:\n{shown}"
    for file, row, column, message in expected:
        assert any(
            p.file == file and p.row == row and p.column == column and message in str(p)
            for p in problems
        ), f"no problem at {file}, row {row}, column {column} saying {message!r}; got:\n{shown}"
    assert _fingerprint(case) == before, "the raw files must never be modified"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_load_dataset_agrees(case: Path) -> None:
    expected = _expectations(case)
    if not expected:
        assert load_dataset(case, _columns(case)).data_dir == case
        return
    with pytest.raises(DataError) as caught:
        load_dataset(case, _columns(case))
    assert [str(p) for p in caught.value.problems] == [
        str(p) for p in validate_dataset(case, _columns(case))
    ]


# --- the command line, over every case ----------------------------------------------------------


def _location(file: str, row: int | None, column: str | None) -> str:
    """How a problem line starts: ``complaints.csv, row 3, column stage``."""
    where = file
    if row is not None:
        where += f", row {row}"
    if column is not None:
        where += f", column {column}"
    return where


def _params_for(case: Path, tmp_path: Path, monkeypatch) -> None:
    """Point the suite at params whose column map is the case's columns.yml (if any)."""
    from complaints_report import paths

    pdir = tmp_path / "params"
    pdir.mkdir()
    (pdir / "defaults.yml").write_text(
        yaml.safe_dump({"council": "Test Council", "columns": _columns(case) or {}}),
        encoding="utf-8",
    )
    monkeypatch.setattr(paths, "PARAMS_DIR", pdir)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_validate_command_reports_every_expected_problem(case, tmp_path, monkeypatch, capsys):
    """``complaints-report validate <case>``: exit 1 and one line per expected problem, or exit
    0 for a valid case; never a traceback. A case's columns.yml goes in through params."""
    from complaints_report.cli import EXIT_DATA, EXIT_OK, main

    _params_for(case, tmp_path, monkeypatch)
    before = _fingerprint(case)
    expected = _expectations(case)
    code = main(["validate", str(case)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    if not expected:
        assert code == EXIT_OK, captured.err
        assert "follows the data contract" in captured.out
    else:
        assert code == EXIT_DATA
        lines = captured.err.splitlines()
        assert f"{len(expected)} problem(s) found" in lines[0]
        for file, row, column, message in expected:
            start = _location(file, row, column)
            assert any(line.startswith(start) and message in line for line in lines[1:]), (
                f"no line starting {start!r} saying {message!r}; got:\n{captured.err}"
            )
    assert _fingerprint(case) == before


BAD_CASES = [c for c in CASES if _expectations(c)]


@pytest.mark.parametrize("case", BAD_CASES, ids=[c.name for c in BAD_CASES])
def test_run_refuses_every_bad_export_and_leaves_the_last_outputs_alone(
    case, tmp_path, monkeypatch, capsys
):
    """``complaints-report run`` on a bad export: exit 1, every expected problem, no traceback,
    and the year's last good outputs untouched, with no staging folder left behind."""
    from complaints_report.cli import EXIT_DATA, main

    _params_for(case, tmp_path, monkeypatch)
    out = tmp_path / "outputs"
    last_good = out / "2023-24" / "site" / "index.html"
    last_good.parent.mkdir(parents=True)
    last_good.write_text("last good report", encoding="utf-8")
    code = main(["run", "2023-24", "--data", str(case), "--out", str(out), "--no-progress"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert code == EXIT_DATA
    for file, row, column, message in _expectations(case):
        assert _location(file, row, column) in captured.err and message in captured.err
    year = out / "2023-24"
    assert sorted(str(p.relative_to(year)) for p in year.rglob("*")) == ["site", "site/index.html"]
    assert last_good.read_text(encoding="utf-8") == "last good report"
    assert not (out / ".runs" / "2023-24").exists()


# --- formula-like text is valid data, and harmless in the CSV tables the suite writes -----------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def test_formula_text_is_neutralised_in_the_learning_table_csv(tmp_path) -> None:
    """The learning table of section 12, written as a notebook writes it (``ctx.table``)."""
    from complaints_report.content import learning
    from complaints_report.report import load_context

    case = BAD_INPUTS / "formula-injection-text"
    before = _fingerprint(case)
    ctx = load_context("2023-24", data_dir=str(case), output_dir=str(tmp_path / "out"))
    table = learning.learning_table(ctx)
    ctx.table(table)
    written = tmp_path / "out" / "tables" / f"{table.name}.csv"
    with written.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    cells = [cell for row in rows for cell in row]
    assert rows[0] == ["Case reference", "What we learned", "What we did"]
    assert len(rows) == 3, rows
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)], cells
    learned = {row[0]: row[1] for row in rows[1:]}
    assert learned["COM/1"].startswith("'=HYPERLINK(")
    assert learned["COM/2"].startswith("'@")
    assert {row[2][:2] for row in rows[1:]} == {"'+", "'-"}
    assert _fingerprint(case) == before, "the raw files must never be modified"


# --- a 50 MB junk file is refused quickly, with one clear problem ------------------------------

JUNK_BYTES = 50 * 1024 * 1024
JUNK_SECONDS = 20
# Junk text: letters, digits, spaces, commas, quotes and (if wanted) line breaks; no heading.
_CHARS = b'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,,"'


def _as_text(junk: bytes, chars: bytes) -> bytes:
    return junk.translate(bytes(chars[i % len(chars)] for i in range(256)))


@pytest.mark.parametrize(
    ("name", "chars", "says", "count"),
    [
        (
            "complaints.csv",
            None,
            "complaints.csv: the file is not CSV text; it holds binary data",
            1,
        ),
        ("complaints.xlsx", None, "complaints.xlsx: the file is not an .xlsx workbook", 1),
        (
            "complaints.csv",
            _CHARS + b"\n",
            "complaints.csv, column case_ref: no case_ref column",
            5,
        ),
        ("complaints.csv", _CHARS, "complaints.csv, row 1: the row has ", 1),
    ],
    ids=["binary-csv", "binary-xlsx", "text-csv", "one-line-text-csv"],
)
def test_a_50_mb_junk_file_is_refused_quickly(tmp_path, name, chars, says, count) -> None:
    folder = Path(shutil.copytree(BAD_INPUTS / "header-only-ombudsman", tmp_path / "junk"))
    (folder / "complaints.csv").unlink()
    junk = random.Random(50).randbytes(JUNK_BYTES)
    if chars is not None:
        junk = _as_text(junk, chars)
    (folder / name).write_bytes(junk)
    started = time.perf_counter()
    problems = validate_dataset(folder)
    seconds = time.perf_counter() - started
    shown = "\n".join(str(p) for p in problems)
    assert seconds < JUNK_SECONDS, f"took {seconds:.1f} s"
    assert str(problems[0]).startswith(says), shown
    # One problem for the file, or one per required column not found; each one short line.
    assert len(problems) == count, shown
    assert all(p.file == name and p.row in (None, 1) for p in problems), shown
    assert all(len(str(p)) < 2500 and "\n" not in str(p) for p in problems), shown
