"""Check a data set against the data contract, one Problem per fault, vectorised."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from .contract import CHOICES, ColumnSpec, TableSpec
from .model import ColumnMap, Problem, RawTable
from .reading import read_raw_tables
from .values import (
    Values,
    blank_text,
    choice_from_text,
    dates_from_text,
    money_from_text,
    whole_from_text,
    yesno_from_text,
)

if TYPE_CHECKING:
    import pandera.pandas as pa

logger = logging.getLogger(__name__)

__all__ = ["MAX_PER_CHECK", "Problem", "check_tables", "validate_dataset"]

#: At most this many problems are listed for one check on one column of one file; the rest
#: are summed up in one more problem, so a wholly wrong column does not bury the others.
MAX_PER_CHECK = 20

_DATE_EXPECTED = "a date such as 2023-04-03 or 03/04/2023 (day, month, year)"
_UK_PARTS = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b")


def _date_expected(value: str) -> str:
    """What a date should look like, with a hint for the usual ways a date goes wrong."""
    m = _UK_PARTS.match(value)
    if m:
        day, month, year = int(m[1]), int(m[2]), m[3]
        if len(year) == 2:
            return f"{_DATE_EXPECTED}: the year needs four digits"
        if month > 12:
            us = ", and this looks month-first (US)" if day <= 12 else ""
            return f"{_DATE_EXPECTED}: there is no month {month}{us}"
    if re.fullmatch(r"\s*\d{5}(\.\d+)?\s*", value):
        return f"{_DATE_EXPECTED}: this looks like an Excel date number; format the column as dates"
    return _DATE_EXPECTED


Rule = tuple[str, Callable[[pd.Series], pd.Series]]


def _rules(
    spec: ColumnSpec, dates: Callable[[pd.Series], pd.Series] = dates_from_text
) -> list[Rule]:
    """The checks on one raw text column, by name: each takes stripped raw values and says which
    pass; each passes blanks except ``required``.

    A rule looks at each value alone (never at its neighbours), so it is run once per distinct
    value of a column and its verdict spread over the rows (:class:`Values`). ``dates`` parses
    the values a date rule is given (the dates a :class:`Values` keeps, to parse them once).
    """
    rules: list[Rule] = []
    if spec.required:
        rules.append(("required", lambda t: ~blank_text(t)))
    if spec.kind == "date":
        rules.append(("date", lambda t: blank_text(t) | dates(t).notna()))
    elif spec.kind == "yesno":
        rules.append(("yesno", lambda t: blank_text(t) | yesno_from_text(t).notna()))
    elif spec.kind == "money":
        rules.append(("money", lambda t: blank_text(t) | money_from_text(t).notna()))
        rules.append(("money_negative", lambda t: ~(money_from_text(t) < 0)))
    elif spec.kind == "int":
        rules.append(("whole", lambda t: blank_text(t) | whole_from_text(t).notna()))
    elif spec.kind == "choice":
        choices = CHOICES[spec.choices or spec.name]
        rules.append(("choice", lambda t: blank_text(t) | choice_from_text(t, choices).notna()))
    return rules


def _checks(spec: ColumnSpec) -> list[pa.Check]:
    """The rules of one raw text column as pandera checks (on whole columns of raw text)."""
    # Imported here, not at the top: checking a data set runs the rules itself (see
    # _value_problems), and importing pandera takes a third of a second of every command.
    import pandera.pandas as pa

    def check(rule: Callable[[pd.Series], pd.Series]) -> Callable[[pd.Series], pd.Series]:
        def run(s: pd.Series) -> pd.Series:
            values = Values(s)
            return values.spread(rule(values.stripped).astype(bool))

        return run

    return [pa.Check(check(rule), name=name) for name, rule in _rules(spec)]


def _expected(spec: ColumnSpec, check: str) -> Callable[[str], str]:
    """What a value failing ``check`` on column ``spec`` should have been, given the value."""
    blank = "blank means No" if spec.blank_is_no else "blank where none are due"
    fixed = {
        "required": f"a value: {spec.name} is required",
        "yesno": f"Yes or No (or Y/N, TRUE/FALSE, 1/0, any case; {blank})",
        "money": "an amount in pounds such as 1754.96 or £1,754.96 (blank means none)",
        "money_negative": "an amount of £0 or more",
        "whole": "a whole number of 0 or more, such as 12",
    }
    if check == "date":
        return _date_expected
    if check == "choice":
        text = CHOICES[spec.choices or spec.name].describe()
        return lambda _value: text
    text = fixed.get(check, f"a value passing the {check} check")
    return lambda _value: text


def schema_for(spec: TableSpec, present: Iterable[str]) -> pa.DataFrameSchema:
    """The pandera schema for the raw text of a table, over the contract columns present."""
    import pandera.pandas as pa  # as in _checks

    present = set(present)
    return pa.DataFrameSchema(
        {
            c.name: pa.Column(None, checks=_checks(c), nullable=True, required=True)
            for c in spec.columns
            if c.name in present
        },
        strict=False,
        name=spec.name,
    )


Key = tuple[str, "str | None", str]


@dataclass
class _Found:
    """The problems of one kind (file, column, check): the first few by row, and how many."""

    key: Key
    problems: list[Problem]
    total: int


def _found(key: Key, rows: np.ndarray, problem: Callable[[np.ndarray], list[Problem]]) -> _Found:
    """The problems at ``rows`` (positions in the frame, ascending): only those listed are made."""
    return _Found(key, problem(rows[: MAX_PER_CHECK + 1]), len(rows))


def _value_problems(raw: RawTable) -> list[_Found]:
    """The values that break their column's rules, in pandera's order (column, check, row)."""
    frame = raw.frame
    index = frame.index.to_numpy()
    found: list[_Found] = []
    for column in sorted(frame.columns):
        spec = raw.spec.column(column)
        values = raw.values(column)

        def kept_dates(_stripped: pd.Series, values: Values = values) -> pd.Series:
            return values.dates  # the column's dates, parsed once (see Values.dates)

        for check, rule in sorted(_rules(spec, kept_dates), key=lambda r: r[0]):
            failing = values.rows(~rule(values.stripped).astype(bool))
            if not len(failing):
                continue
            expected = _expected(spec, check)

            def problems(rows, column=column, values=values, expected=expected):
                return [
                    Problem(raw.file, int(row), column, value, expected(value))
                    for row, value in zip(index[rows], values.raw_at(rows), strict=True)
                ]

            found.append(_found((raw.file, column, check), failing, problems))
    return found


def _before_received(raw: RawTable, column: str) -> list[_Found]:
    """Rows whose date in ``column`` (a response, a panel) is before their received_date."""
    index = raw.frame.index.to_numpy()
    got, later = raw.values("received_date"), raw.values(column)
    received = got.spread(got.dates).to_numpy()
    dated = later.spread(later.dates).to_numpy()
    early = np.flatnonzero(dated < received)  # NaT compares False

    def problems(rows):
        return [
            Problem(
                raw.file,
                int(row),
                column,
                value,
                f"a date on or after received_date ({received_as.strip()})",
            )
            for row, value, received_as in zip(
                index[rows], later.raw_at(rows), got.raw_at(rows), strict=True
            )
        ]

    return [_found((raw.file, column, "before_received"), early, problems)] if len(early) else []


def _stripped_codes(values: Values) -> np.ndarray:
    """A code per distinct raw value, equal where the stripped values are equal.

    Case references are nearly all distinct, so factorizing the stripped ones again costs as
    much as reading them; when stripping changed none, the distinct raw values are the codes.
    """
    raw, stripped = values.raw_arrow, values.stripped_arrow
    unchanged = pc.all(pc.equal(pc.binary_length(raw), pc.binary_length(stripped))).as_py()
    if unchanged is not False and not values.blank_added:
        return np.arange(len(raw))
    codes, _ = pd.factorize(values.stripped)
    return codes


def _cross_problems(raw: RawTable) -> list[_Found]:
    """Checks across columns and rows of complaints: response and panel dates, panels only
    at Stage 3, and duplicate stages."""
    frame = raw.frame
    found: list[_Found] = []
    if raw.spec.name != "complaints":
        return found
    index = frame.index.to_numpy()
    for later in ("responded_date", "panel_date"):
        if {"received_date", later} <= set(frame.columns):
            found += _before_received(raw, later)
    if {"stage", "panel_date"} <= set(frame.columns):
        stages, panels = raw.values("stage"), raw.values("panel_date")
        stage_names = choice_from_text(stages.stripped, CHOICES["stage"])
        not_stage_3 = (stage_names.notna() & stage_names.ne("Stage 3")).to_numpy(dtype=bool)
        met = ~blank_text(panels.stripped).to_numpy()
        wrong = np.flatnonzero(met[panels.codes] & not_stage_3[stages.codes])

        def panel_stage(rows):
            return [
                Problem(
                    raw.file,
                    int(row),
                    "panel_date",
                    value,
                    "a blank: only a Stage 3 record has a review panel",
                    issue=f"this row is {at}",
                )
                for row, value, at in zip(
                    index[rows],
                    panels.raw_at(rows),
                    stage_names.to_numpy()[stages.codes[rows]],
                    strict=True,
                )
            ]

        if len(wrong):
            found.append(_found((raw.file, "panel_date", "panel_stage"), wrong, panel_stage))
    if {"case_ref", "stage"} <= set(frame.columns):
        refs, stages = raw.values("case_ref"), raw.values("stage")
        # Codes of the stripped case_ref and of the canonical stage, per row.
        ref_codes = _stripped_codes(refs)
        ref_blank = blank_text(refs.stripped).to_numpy()
        stage_names = choice_from_text(stages.stripped, CHOICES["stage"])
        stage_codes, stage_uniques = pd.factorize(stage_names)  # NA: -1
        ref_code = ref_codes[refs.codes]
        stage_code = stage_codes[stages.codes]
        keyed = np.flatnonzero(~ref_blank[refs.codes] & (stage_code >= 0))
        key = ref_code[keyed].astype(np.int64) * (len(stage_uniques) + 1) + stage_code[keyed]
        _, first_of_key, which = np.unique(key, return_index=True, return_inverse=True)
        first = keyed[first_of_key[which.ravel()]]
        repeat = first != keyed
        repeats, firsts = keyed[repeat], first[repeat]

        def duplicates(rows):
            positions = np.searchsorted(repeats, rows)
            return [
                Problem(
                    raw.file,
                    int(row),
                    "case_ref",
                    value,
                    "one row per case_ref and stage (an escalation is a new row at the next stage)",
                    issue=f"row {int(index[first_row])} has the same case_ref at {stage}",
                )
                for row, value, stage, first_row in zip(
                    index[rows],
                    refs.raw_at(rows),
                    stage_names.to_numpy()[stages.codes[rows]],
                    firsts[positions],
                    strict=True,
                )
            ]

        if len(repeats):
            found.append(_found((raw.file, "case_ref", "duplicate"), repeats, duplicates))
    return found


# Expected texts that name the value (a date hint, the received date) say it in general
# when they sum up many problems.
_GENERAL_EXPECTED = {
    "date": _DATE_EXPECTED,
    "before_received": "a date on or after received_date",
}


def _cap(groups: list[_Found], spec: TableSpec) -> list[Problem]:
    """Keep the first :data:`MAX_PER_CHECK` problems of each kind, and say how many more."""
    merged: dict[Key, _Found] = {}
    for group in groups:
        if group.key in merged:
            merged[group.key].problems += group.problems
            merged[group.key].total += group.total
        else:
            merged[group.key] = _Found(group.key, list(group.problems), group.total)
    kept: list[Problem] = []
    summaries: list[Problem] = []
    for (_file, _column, check), group in ((k, g) for k, g in merged.items()):
        listed = sorted(group.problems, key=lambda p: p.row or 0)
        kept += listed[:MAX_PER_CHECK]
        if group.total > MAX_PER_CHECK:
            more, first = group.total - MAX_PER_CHECK, listed[MAX_PER_CHECK]
            summaries.append(
                Problem(
                    first.file,
                    None,
                    first.column,
                    None,
                    _GENERAL_EXPECTED.get(check, first.expected),
                    issue=f"{more:,} more problem{'s' if more != 1 else ''} like those listed "
                    f"(from row {first.row} on) are not listed",
                )
            )
    order = {name: i for i, name in enumerate(spec.column_names)}
    # Whole-file problems first, then by row as the user will work down the sheet.
    kept.sort(key=lambda p: (p.row is not None, p.row or 0, order.get(p.column or "", -1)))
    return kept + summaries


def check_tables(tables: dict[str, RawTable], problems: Iterable[Problem] = ()) -> list[Problem]:
    """Every problem in tables already read, after ``problems`` found outside any table.

    Parameters
    ----------
    tables
        The raw tables from :func:`complaints_report.data.reading.read_raw_tables`.
    problems
        Problems found while reading that belong to no table (a bad params column map).
    """
    result = list(problems)
    for raw in tables.values():
        found = [_Found((raw.file, p.column, "file"), [p], 1) for p in raw.problems]
        if raw.readable and len(raw.frame):
            found += _value_problems(raw)
            found += _cross_problems(raw)
        result += _cap(found, raw.spec)
    if result:
        logger.warning("%d problem(s) found in the data set", len(result))
    return result


def validate_dataset(data_dir: Path, columns: ColumnMap | None = None) -> list[Problem]:
    """Check a data set folder against the data contract.

    Parameters
    ----------
    data_dir
        The data set folder.
    columns
        The params column map, ``{table: {"Their Heading": "contract_column"}}``.

    Returns
    -------
    list of Problem
        Every problem found across all tables (capped per check), or an empty list.
    """
    tables, problems = read_raw_tables(Path(data_dir), columns)
    return check_tables(tables, problems)
