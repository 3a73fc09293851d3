"""What reading a data set gives: its tables (Dataset, RawTable) and the problems found
(Problem, DataError)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .contract import (
    TABLES,
    TableSpec,
)
from .values import Values

logger = logging.getLogger(__name__)


ColumnMap = Mapping[str, Mapping[str, str]]


#: Longest value quoted in a problem message; the rest is elided so each problem stays one line.
_MAX_SHOWN = 60
#: Most headings a missing-column problem lists (a junk file can have thousands).
MAX_HEADINGS_SHOWN = 30


@dataclass(frozen=True)
class Problem:
    """One fault in a data set, located as a spreadsheet user would find it.

    Parameters
    ----------
    file
        The file name as the user sees it, e.g. ``complaints.csv``.
    row
        The spreadsheet row: the header is row 1, the first data row is row 2. ``None`` for
        problems with a whole file or column.
    column
        The contract column, or ``None`` for whole-file problems.
    value
        The raw value as found, or ``None`` when there is no single value to show.
    expected
        What was expected instead, in words, without a leading "expected".
    issue
        What is wrong, in words, when the value alone does not say it.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    issue: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        what = []
        if self.value is not None:
            what.append("blank" if not self.value.strip() else f"value {show(self.value)}")
        if self.issue:
            what.append(self.issue)
        body = f": {'; '.join(what)}" if what else ""
        return f"{where}{body} — expected {self.expected}"


def show(value: str) -> str:
    if len(value) > _MAX_SHOWN:
        value = value[: _MAX_SHOWN - 1] + "…"
    return repr(value)


class DataError(Exception):
    """A data set that breaks the contract; ``problems`` lists every fault found."""

    def __init__(self, problems: list[Problem], data_dir: Path | None = None) -> None:
        self.problems = list(problems)
        self.data_dir = data_dir
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.problems)
        where = f" {self.data_dir}" if self.data_dir is not None else ""
        head = f"{n} problem{'' if n == 1 else 's'} in the data set{where}:"
        return "\n".join([head, *(str(p) for p in self.problems)])


@dataclass
class Dataset:
    """The normalised tables of one data set (absent optional tables are empty frames)."""

    complaints: pd.DataFrame
    compliments: pd.DataFrame
    ombudsman: pd.DataFrame
    advocacy: pd.DataFrame
    equalities: pd.DataFrame
    member_conduct: pd.DataFrame
    data_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    #: The contract columns each table's file has (an absent file has none). A column the
    #: file lacks is still in the frame, blank, so this is how a figure from an optional
    #: column tells "not recorded" (``null``) from "none".
    columns: dict[str, frozenset[str]] = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame:
        """The frame of table ``name`` (a key of :data:`complaints_report.data.contract.TABLES`)."""
        if name not in TABLES:
            raise KeyError(f"no table {name!r}; tables are {', '.join(TABLES)}")
        return getattr(self, name)

    def has_column(self, table: str, column: str) -> bool:
        """Whether the data set records ``column`` of ``table`` (its file has that column)."""
        return column in self.columns.get(table, frozenset())


@dataclass
class RawTable:
    """One table as read, before parsing: text cells under contract column names.

    ``frame`` holds only the contract columns found in the file, as text (blank cells are
    ``""``, values unstripped so problems can show them as found), indexed by spreadsheet row.
    ``readable`` is False when a whole-file problem means its values cannot be checked.
    """

    spec: TableSpec
    path: Path | None
    frame: pd.DataFrame
    readable: bool = True
    problems: list[Problem] = field(default_factory=list)
    _values: dict[str, Values] = field(default_factory=dict, init=False, repr=False)

    @property
    def file(self) -> str:
        return self.path.name if self.path is not None else f"{self.spec.name}.csv"

    def values(self, column: str) -> Values:
        """Column ``column`` of ``frame`` as its distinct values (worked out once, then kept)."""
        if column not in self._values:
            self._values[column] = Values(self.frame[column])
        return self._values[column]
