"""Check a data set against the data contract (pandera for values), one Problem per fault."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from complaints_report.contract import CHOICES, ColumnSpec, TableSpec
from complaints_report.reading import (
    ColumnMap,
    Problem,
    RawTable,
    blank_mask,
    parse_choice,
    parse_dates,
    parse_money,
    parse_whole,
    parse_yesno,
    read_raw_tables,
)

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


def _checks(spec: ColumnSpec) -> list[pa.Check]:
    """The pandera checks on one raw text column; each passes blanks except ``required``."""
    checks = []
    if spec.required:
        checks.append(pa.Check(lambda s: ~blank_mask(s), name="required"))
    if spec.kind == "date":
        checks.append(pa.Check(lambda s: blank_mask(s) | parse_dates(s).notna(), name="date"))
    elif spec.kind == "yesno":
        checks.append(pa.Check(lambda s: blank_mask(s) | parse_yesno(s).notna(), name="yesno"))
    elif spec.kind == "money":
        checks.append(pa.Check(lambda s: blank_mask(s) | parse_money(s).notna(), name="money"))
        checks.append(pa.Check(lambda s: ~(parse_money(s) < 0), name="money_negative"))
    elif spec.kind == "int":
        checks.append(pa.Check(lambda s: blank_mask(s) | parse_whole(s).notna(), name="whole"))
    elif spec.kind == "choice":
        choices = CHOICES[spec.choices or spec.name]
        checks.append(
            pa.Check(lambda s: blank_mask(s) | parse_choice(s, choices).notna(), name="choice")
        )
    return checks


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


# Each problem is paired with a key naming its check, so capping can count like with like.
Keyed = tuple[tuple[str, str | None, str], Problem]


def _value_problems(raw: RawTable) -> list[Keyed]:
    frame = raw.frame
    schema = schema_for(raw.spec, frame.columns)
    try:
        schema.validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        all_cases = exc.failure_cases
    cases = all_cases[all_cases["index"].notna() & all_cases["column"].isin(frame.columns)]
    if len(cases) < len(all_cases):
        # Anything else pandera reports (a check that raised, say) must not vanish silently.
        logger.warning("Unexpected pandera failures for %s:\n%s", raw.file, all_cases)
    cases = cases.sort_values(["column", "check", "index"], kind="stable")
    problems: list[Keyed] = []
    for (column, check), group in cases.groupby(["column", "check"], sort=False):
        spec = raw.spec.column(column)
        expected = _expected(spec, check)
        for row, value in zip(group["index"], group["failure_case"], strict=True):
            value = "" if pd.isna(value) else str(value)
            problems.append(
                (
                    (raw.file, column, check),
                    Problem(raw.file, int(row), column, value, expected(value)),
                )
            )
    return problems


def _cross_problems(raw: RawTable) -> list[Keyed]:
    """Checks across columns and rows of complaints: response dates and duplicate stages."""
    frame = raw.frame
    problems: list[Keyed] = []
    if raw.spec.name != "complaints":
        return problems
    # A response, and a Stage 3 review panel, cannot come before the record was received.
    later = [c for c in ("responded_date", "panel_date") if c in frame.columns]
    if "received_date" in frame.columns and later:
        received = parse_dates(frame["received_date"])
        for column in later:
            early = frame.loc[parse_dates(frame[column]) < received]
            for row, got, value in zip(
                early.index, early["received_date"], early[column], strict=True
            ):
                problems.append(
                    (
                        (raw.file, column, "before_received"),
                        Problem(
                            raw.file,
                            int(row),
                            column,
                            value,
                            f"a date on or after received_date ({got.strip()})",
                        ),
                    )
                )
    if {"stage", "panel_date"} <= set(frame.columns):
        stage = parse_choice(frame["stage"], CHOICES["stage"])
        wrong = frame.loc[~blank_mask(frame["panel_date"]) & stage.notna() & stage.ne("Stage 3")]
        for row, met, at in zip(wrong.index, wrong["panel_date"], stage[wrong.index], strict=True):
            problems.append(
                (
                    (raw.file, "panel_date", "panel_stage"),
                    Problem(
                        raw.file,
                        int(row),
                        "panel_date",
                        met,
                        "a blank: only a Stage 3 record has a review panel",
                        issue=f"this row is {at}",
                    ),
                )
            )
    if {"case_ref", "stage"} <= set(frame.columns):
        keys = pd.DataFrame(
            {
                "case_ref": frame["case_ref"].str.strip(),
                "stage": parse_choice(frame["stage"], CHOICES["stage"]),
                "row": frame.index,
            },
            index=frame.index,
        )
        keys = keys[keys["case_ref"].ne("") & keys["stage"].notna()]
        first = keys.groupby(["case_ref", "stage"])["row"].transform("min")
        repeats = keys[keys["row"].ne(first)]
        for row, stage, first_row in zip(
            repeats.index, repeats["stage"], first[repeats.index], strict=True
        ):
            problems.append(
                (
                    (raw.file, "case_ref", "duplicate"),
                    Problem(
                        raw.file,
                        int(row),
                        "case_ref",
                        frame.at[row, "case_ref"],
                        "one row per case_ref and stage (an escalation is a new row "
                        "at the next stage)",
                        issue=f"row {first_row} has the same case_ref at {stage}",
                    ),
                )
            )
    return problems


# Expected texts that name the value (a date hint, the received date) say it in general
# when they sum up many problems.
_GENERAL_EXPECTED = {
    "date": _DATE_EXPECTED,
    "before_received": "a date on or after received_date",
}


def _cap(keyed: list[Keyed], spec: TableSpec) -> list[Problem]:
    """Keep the first :data:`MAX_PER_CHECK` problems of each kind, and say how many more."""
    groups: dict[tuple[str, str | None, str], list[Problem]] = {}
    for key, problem in keyed:
        groups.setdefault(key, []).append(problem)
    kept: list[Problem] = []
    summaries: list[Problem] = []
    for (_file, _column, check), group in groups.items():
        group.sort(key=lambda p: p.row or 0)
        kept += group[:MAX_PER_CHECK]
        if len(group) > MAX_PER_CHECK:
            more, first = len(group) - MAX_PER_CHECK, group[MAX_PER_CHECK]
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
        The raw tables from :func:`complaints_report.reading.read_raw_tables`.
    problems
        Problems found while reading that belong to no table (a bad params column map).
    """
    result = list(problems)
    for raw in tables.values():
        keyed: list[Keyed] = [((raw.file, p.column, "file"), p) for p in raw.problems]
        if raw.readable and len(raw.frame):
            keyed += _value_problems(raw)
            keyed += _cross_problems(raw)
        result += _cap(keyed, raw.spec)
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
