"""Each folder in tests/bad_inputs is a data set with one fault; NOTE.md says what to report."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from complaints_report.reading import DataError, load_dataset
from complaints_report.validation import Problem, validate_dataset

BAD_INPUTS = Path(__file__).resolve().parents[1] / "bad_inputs"
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


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_there_are_cases() -> None:
    assert len(CASES) >= 18


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported(case: Path) -> None:
    expected = _expectations(case)
    before = _fingerprint(case)
    problems = validate_dataset(case)
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
        assert load_dataset(case).data_dir == case
        return
    with pytest.raises(DataError) as caught:
        load_dataset(case)
    assert [str(p) for p in caught.value.problems] == [str(p) for p in validate_dataset(case)]
