"""Read a data set folder into normalised pandas frames, one per table of the data contract."""

from __future__ import annotations

import codecs
import csv
import difflib
import functools
import io
import logging
import math
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from complaints_report.contract import (
    CHOICES,
    FILE_SUFFIXES,
    NO_VALUES,
    REQUIRED_TABLES,
    TABLES,
    YES_VALUES,
    Choices,
    ColumnSpec,
    TableSpec,
    heading_key,
)

logger = logging.getLogger(__name__)

__all__ = [
    "DataError",
    "Dataset",
    "Problem",
    "TEXT",
    "WHITESPACE",
    "RawTable",
    "Values",
    "blank_mask",
    "clean_text",
    "load_dataset",
    "normalise_table",
    "parse_choice",
    "parse_dates",
    "parse_money",
    "parse_whole",
    "parse_yesno",
    "read_raw_tables",
]

ColumnMap = Mapping[str, Mapping[str, str]]

#: The dtype of every text column the reader gives: pandas strings backed by Python objects,
#: whatever else is installed. (pandas 3 backs plain ``"string"`` with pyarrow when pyarrow is
#: installed, and those compare to a boolean dtype the figures engine does not expect.)
TEXT = pd.StringDtype("python")

#: Longest value quoted in a problem message; the rest is elided so each problem stays one line.
_MAX_SHOWN = 60
#: Most headings a missing-column problem lists (a junk file can have thousands).
_MAX_HEADINGS_SHOWN = 30


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
            what.append("blank" if not self.value.strip() else f"value {_show(self.value)}")
        if self.issue:
            what.append(self.issue)
        body = f": {'; '.join(what)}" if what else ""
        return f"{where}{body} — expected {self.expected}"


def _show(value: str) -> str:
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
        """The frame of table ``name`` (a key of :data:`complaints_report.contract.TABLES`)."""
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


# --------------------------------------------------------------------------- parsing values

#: What Python's ``str.strip()`` strips: every character for which ``str.isspace()`` is true.
#: Arrow's own idea of whitespace differs (it keeps ``\x1c``–``\x1f`` and ``\x85``), so text held
#: by Arrow is trimmed of exactly these.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _text_array(values: object) -> pa.Array:
    """Values as one Arrow string array: missing values are ``""``, anything else its ``str``."""
    arr = values.array if isinstance(values, (pd.Index, pd.Series)) else values
    if hasattr(arr, "__arrow_array__"):
        out = pa.array(arr)
    else:
        objects = np.asarray(arr, dtype=object)
        try:
            out = pa.array(objects, type=pa.string(), from_pandas=True)
        except (pa.ArrowTypeError, pa.ArrowInvalid):  # not all text: as astype(str) would
            out = pa.array([None if _missing(v) else str(v) for v in objects], type=pa.string())
    if isinstance(out, pa.ChunkedArray):
        out = out.combine_chunks()
    if out.type != pa.string():
        out = out.cast(pa.string())
    return out.fill_null("")


def _missing(value: object) -> bool:
    missing = pd.isna(value)
    return bool(missing) if isinstance(missing, (bool, np.bool_)) else False


class Values:
    """A raw text column as its distinct values, and which of them each row holds.

    Every rule and conversion of a raw value depends on that value alone, so each is worked out
    once per distinct value and spread back over the rows (:meth:`spread`): a column of a million
    dates holds a few thousand distinct ones. Missing values count as ``""``.
    """

    def __init__(self, s: pd.Series) -> None:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        raw = _text_array(uniques)
        #: Whether ``""`` was added for missing values (so the raw values may not be distinct).
        self.blank_added = bool(len(codes) and codes.min() < 0)
        if self.blank_added:
            codes = np.where(codes < 0, len(raw), codes)
            raw = pa.concat_arrays([raw, pa.array([""], type=pa.string())])
        self.index = s.index
        self.codes = codes.astype(np.int32 if len(raw) < 2**31 - 1 else np.int64, copy=False)
        self.raw_arrow = raw
        self.stripped_arrow = pc.utf8_trim(raw, characters=WHITESPACE)
        self.stripped = pd.Series(self.stripped_arrow.to_numpy(zero_copy_only=False), dtype=object)

    @functools.cached_property
    def raw(self) -> pd.Series:
        """The distinct raw values as Python strings: made only to name the values of problems
        (a column of case references holds about as many as it has rows)."""
        return pd.Series(self.raw_arrow.to_numpy(zero_copy_only=False), dtype=object)

    @functools.cached_property
    def dates(self) -> pd.Series:
        """The stripped distinct values as dates (:func:`parse_dates`), worked out once: a date
        column is checked, compared with received_date and normalised."""
        return _dates(self.stripped)

    @classmethod
    def blank(cls, index: pd.Index) -> Values:
        """A column of ``index`` blank cells (a contract column the file does not have)."""
        return cls._of(pd.Series([""], dtype=object), index)

    @classmethod
    def _of(cls, uniques: pd.Series, index: pd.Index) -> Values:
        values = cls(uniques)
        values.index = index
        values.codes = np.zeros(len(index), dtype=np.int32)
        return values

    def __len__(self) -> int:
        return len(self.codes)

    def spread(self, per_value: pd.Series | np.ndarray) -> pd.Series:
        """A result worked out per distinct value, as a Series over the rows (dtype kept)."""
        array = per_value.array if isinstance(per_value, pd.Series) else per_value
        return pd.Series(array.take(self.codes), index=self.index)

    def rows(self, per_value: pd.Series | np.ndarray) -> np.ndarray:
        """Positions of the rows whose value is True in a boolean result per distinct value."""
        flags = np.asarray(per_value, dtype=bool)
        return np.flatnonzero(flags[self.codes])

    def raw_at(self, positions: np.ndarray) -> list[str]:
        """The raw values (as found, unstripped) of the rows at ``positions``."""
        return self.raw.to_numpy()[self.codes[positions]].tolist()


def _per_value(s: pd.Series, parse: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``parse`` applied to the stripped distinct values of ``s``, spread over its rows."""
    values = Values(s)
    return values.spread(parse(values.stripped))


def blank_mask(s: pd.Series) -> pd.Series:
    """True where a raw text value is blank or only whitespace."""
    return _per_value(s, _blank)


def _blank(t: pd.Series) -> pd.Series:
    return t.eq("").astype(bool)


# Digits are ASCII digits: Python's \d would take any script's, which pandas cannot turn into
# numbers (a date in Arabic-Indic digits stopped validation with a traceback).
_ISO_DATE = (
    r"^(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
    r"(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$"
)
_UK_DATE = (
    r"^(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})/(?P<y>[0-9]{4})(?: [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?$"
)
#: From this many distinct values on, dates are matched by Arrow (RE2) rather than Python's re:
#: the same patterns, which mean the same in both (ASCII classes, no trailing line break).
_ARROW_DATES_FROM = 5_000


def parse_dates(s: pd.Series) -> pd.Series:
    """Parse raw text dates: ISO ``2023-04-03`` or UK day-first ``03/04/2023`` (or ``3/4/2023``).

    A time of day after the date (as a datetime export writes it) is dropped. Blank and
    unparseable values, including impossible dates such as ``31/02/2023``, are ``NaT``.
    """
    return _per_value(s, _dates)


def _date_parts_python(t: pd.Series) -> pd.DataFrame:
    return t.str.extract(_ISO_DATE).fillna(t.str.extract(_UK_DATE))


def _date_parts_arrow(t: pd.Series) -> pd.DataFrame:
    """As :func:`_date_parts_python`, by Arrow's RE2, vectorised in C++."""
    text = pa.array(t.to_numpy(dtype=object), type=pa.string())

    def parts(pattern: str) -> pd.DataFrame:
        found = pc.extract_regex(text, pattern)  # null where it does not match
        matched = found.is_valid().to_numpy(zero_copy_only=False)
        return pd.DataFrame(
            {k: found.field(k).to_numpy(zero_copy_only=False) for k in ("y", "m", "d")},
            index=t.index,
        ).where(pd.Series(matched, index=t.index), axis=0)

    iso = parts(_ISO_DATE)
    return iso.where(iso["y"].notna(), parts(_UK_DATE))


def _dates(t: pd.Series) -> pd.Series:
    parts = (_date_parts_arrow if len(t) >= _ARROW_DATES_FROM else _date_parts_python)(t)
    nums = parts.apply(pd.to_numeric)
    assembled = pd.DataFrame(
        {"year": nums["y"], "month": nums["m"], "day": nums["d"]}, index=t.index
    )
    return pd.to_datetime(assembled, errors="coerce").astype("datetime64[ns]")


def parse_yesno(s: pd.Series, blank_is_no: bool = True) -> pd.Series:
    """Parse Yes/No (Y/N, Yes/No, TRUE/FALSE, 1/0, any case); unknown is ``NA``.

    Blank is No, or ``NA`` with ``blank_is_no=False`` (a column where blank means not recorded).
    """
    return _per_value(s, lambda t: _yesno(t, blank_is_no))


def _yesno(t: pd.Series, blank_is_no: bool = True) -> pd.Series:
    mapping = {v: True for v in YES_VALUES} | {v: False for v in NO_VALUES}
    if not blank_is_no:
        mapping[""] = None
    return t.str.lower().map(mapping).astype("boolean")


_MONEY = (
    r"^(?P<sign>-)?\s*£?\s*(?P<sign2>-)?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)$"
)


def parse_money(s: pd.Series) -> pd.Series:
    """Parse pounds with optional ``£`` and thousands commas (``£1,754.96``); blank or bad is NaN.

    Negative amounts parse as negative so that validation can name them.
    """
    return _per_value(s, _money)


def _money(t: pd.Series) -> pd.Series:
    parts = t.str.extract(_MONEY)
    amount = pd.to_numeric(parts["num"].str.replace(",", "", regex=False), errors="coerce")
    negative = parts["sign"].notna() | parts["sign2"].notna()
    return amount.where(~negative, -amount).astype("float64")


def parse_whole(s: pd.Series) -> pd.Series:
    """Parse a whole number of 0 or more (thousands commas allowed); blank or bad is ``NA``."""
    return _per_value(s, _whole)


def _whole(t: pd.Series) -> pd.Series:
    ok = t.str.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+")
    return pd.to_numeric(t.where(ok).str.replace(",", "", regex=False), errors="coerce").astype(
        "Int64"
    )


def parse_choice(s: pd.Series, choices: Choices) -> pd.Series:
    """Map raw text to the canonical listed value (case and spacing ignored, aliases applied).

    Blank and unknown values are ``NA``.
    """
    return _per_value(s, lambda t: _choice(t, choices))


def _choice(t: pd.Series, choices: Choices) -> pd.Series:
    key = t.str.lower().str.replace(r"\s+", " ", regex=True)
    return key.map(choices.lookup()).astype(TEXT)


def clean_text(s: pd.Series) -> pd.Series:
    """Strip text; blank or whitespace-only is ``NA``; pandas ``string`` dtype."""
    return _per_value(s, _text)


def _text(t: pd.Series) -> pd.Series:
    return t.where(t.ne(""), None).astype(TEXT)


def _convert(t: pd.Series, spec: ColumnSpec) -> pd.Series:
    """The typed values of column ``spec`` for stripped raw values ``t`` (one per value)."""
    if spec.kind == "date":
        return _dates(t)
    if spec.kind == "yesno":
        if not spec.blank_is_no:
            return _yesno(t, blank_is_no=False)
        return _yesno(t).fillna(False).astype(bool)
    if spec.kind == "money":
        return _money(t)
    if spec.kind == "int":
        return _whole(t).fillna(0).astype("int64")
    if spec.kind == "choice":
        return _choice(t, CHOICES[spec.choices or spec.name])
    return _text(t)


def normalise_table(raw: RawTable) -> pd.DataFrame:
    """The normalised frame of a raw table: every contract column, typed, plus ``source_row``.

    Values are assumed valid (validation runs first); any that are not become blank.
    """
    frame = raw.frame
    out = {}
    for spec in raw.spec.columns:
        values = raw.values(spec.name) if spec.name in frame else Values.blank(frame.index)
        per_value = values.dates if spec.kind == "date" else _convert(values.stripped, spec)
        out[spec.name] = values.spread(per_value).reset_index(drop=True)
    result = pd.DataFrame(out, index=pd.RangeIndex(len(frame)))
    result["source_row"] = pd.Series(frame.index, dtype="int64")
    return result


# --------------------------------------------------------------------------- reading files

_OLE = b"\xd0\xcf\x11\xe0"
_ZIP = b"PK\x03\x04"
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (_ZIP, "a zip file such as an Excel .xlsx workbook"),
    (_OLE, "an old-style Office file such as an Excel .xls workbook"),
)
_NOT_CSV_EXPECTED = "a CSV file (comma-separated text) or an .xlsx workbook"
_UTF8_ADVICE = 'a CSV file in UTF-8: re-export it from Excel as "CSV UTF-8 (Comma delimited)"'
_XLSX_EXPECTED = (
    'an Excel .xlsx workbook: open it in Excel and save it as "Excel Workbook (*.xlsx)"'
)
_CUT_OFF = "it looks cut off, as when a download or copy stops part way"

#: How many rows from the top are searched for the headings, for exports that put a title
#: (the council's name, the report's dates) in the rows above them.
HEADER_SEARCH_ROWS = 10


def _column_letter(position: int) -> str:
    """Spreadsheet column letter for a 0-based position (0 → A, 26 → AA)."""
    letters = ""
    position += 1
    while position:
        position, rem = divmod(position - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 by its byte-order mark, or by every other byte of ASCII text being zero."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = data[:200]
    return any(
        len(half) > 0 and half.count(0) > 0.8 * len(half) for half in (head[0::2], head[1::2])
    )


def _office_kind(data: bytes) -> str:
    """What an OLE compound file (bytes D0 CF 11 E0…) holds, read with olefile.

    ``"encrypted"``: a password-protected .xlsx (Office keeps the encrypted workbook in an
    ``EncryptedPackage`` stream); ``"xls"``: an old-style workbook; ``"other"``: anything else,
    including a compound file too damaged to read.
    """
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if ole.exists("EncryptedPackage"):
                return "encrypted"
            if ole.exists("Workbook") or ole.exists("Book"):
                return "xls"
    except Exception as exc:  # a damaged compound file is just one we can say no more about
        logger.debug("not a readable OLE compound file: %s", exc)
    return "other"


def _password_problem(name: str) -> Problem:
    return Problem(
        name,
        None,
        None,
        None,
        "a workbook that opens without a password",
        issue="the workbook is password-protected: remove the password "
        "(File > Info > Protect Workbook) and save it again",
    )


def _decode_csv(data: bytes, name: str) -> tuple[str | None, Problem | None]:
    """Decode CSV bytes (UTF-8 with or without BOM, else Windows-1252), or say why not."""
    if _looks_utf16(data):
        return None, Problem(
            name, None, None, None, _UTF8_ADVICE, issue="the file is UTF-16 text, not UTF-8"
        )
    if data.startswith(_OLE) and _office_kind(data) == "encrypted":
        return None, _password_problem(name)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            hint = ""
            if magic == _ZIP:
                hint = f" (if it is a workbook, name it {Path(name).stem}.xlsx)"
            return None, Problem(
                name,
                None,
                None,
                None,
                _NOT_CSV_EXPECTED,
                issue=f"the file is not CSV text; it looks like {what}{hint}",
            )
    if b"\x00" in data:
        return None, Problem(
            name,
            None,
            None,
            None,
            _NOT_CSV_EXPECTED,
            issue="the file is not CSV text; it holds binary data",
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        return None, Problem(
            name,
            None,
            None,
            None,
            _UTF8_ADVICE,
            issue=f"the file is neither UTF-8 nor Windows-1252 text (byte {exc.start + 1})",
        )
    logger.info("%s is not UTF-8; read it as Windows-1252", name)
    return text, None


#: The most columns a worksheet has (Excel's XFD): a CSV row with more cells is not a table.
MAX_COLUMNS = 16_384


def _too_wide_problem(name: str, row: int, cells: int) -> Problem:
    return Problem(
        name,
        row,
        None,
        None,
        _NOT_CSV_EXPECTED,
        issue=f"the row has {cells:,} cells, more than the {MAX_COLUMNS:,} columns a spreadsheet "
        "can hold: the file is not a table of records",
    )


#: Given the first rows of a file (at most :data:`HEADER_SEARCH_ROWS`), the position of its
#: heading row, or None when none of them holds a heading of the table.
HeaderFinder = Callable[[Sequence[Sequence[object]]], int | None]


@dataclass
class _Cells:
    """A file's cells as text, or the problem that stopped it being read.

    ``frame`` holds the rows read, row 1 first, so that position + 1 is the row a spreadsheet
    shows. ``header`` is the position of the heading row (None: no row near the top holds a
    heading of the table, and a CSV's rows after the first few are left unread). ``lengths``
    (CSV only) is how many cells each row had, and ``ends_with_break`` whether the text ends
    with a line break: together they spot unquoted commas and a file cut off mid-row.
    """

    frame: pd.DataFrame | None = None
    header: int | None = 0
    lengths: pd.Series | None = None
    ends_with_break: bool = True
    problem: Problem | None = None
    #: The fast CSV path's reading instead of ``frame``: every row, one string column per
    #: cell position, and the first rows as the csv module read them (for the headings).
    table: pa.Table | None = None
    first_rows: list[list[str]] | None = None


def _header_position(
    rows: Sequence[Sequence[object]], spec: TableSpec, column_map: Mapping[str, str]
) -> int | None:
    """Where a table's headings are: the first row with all its required columns; else the row
    with most of its columns (the first such); None if no row holds any of them."""
    mapped = {heading_key(theirs): ours for theirs, ours in column_map.items()}
    known, required = set(spec.column_names), set(spec.required_columns)
    counts = []
    for position, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {mapped.get(heading_key(c), heading_key(c)) for c in row} & known
        if required <= columns:
            return position
        counts.append(len(columns))
    best = max(counts, default=0)
    return counts.index(best) if best else None


def _csv_rows(
    text: str, name: str, find_header: HeaderFinder
) -> tuple[list[list[str]], int | None, Problem | None]:
    """Parse CSV text into rows, finding the heading row; stop early if there is none.

    Read strictly first, which catches a file ending inside a quoted value (a download cut
    off mid-value); a stray quote inside a value is read leniently, as Excel reads it.
    """
    for strict in (True, False):
        rows: list[list[str]] = []
        header: int | None = 0
        reader = csv.reader(io.StringIO(text, newline=""), strict=strict)
        try:
            # The first rows one by one, to find the headings (or give up on a file without
            # any), then the rest at the csv module's own speed.
            for row in reader:
                rows.append(row)
                if len(row) > MAX_COLUMNS:
                    return rows, None, _too_wide_problem(name, len(rows), len(row))
                if len(rows) == HEADER_SEARCH_ROWS:
                    header = find_header(rows)
                    if header is None:
                        return rows, None, None
                    rows.extend(reader)
        except csv.Error as exc:
            row = len(rows) + 1
            if "unexpected end of data" in str(exc):
                return (
                    rows,
                    None,
                    Problem(
                        name,
                        row,
                        None,
                        None,
                        "a complete CSV file: download or export it again (or, if a value in "
                        'this row holds a double quote, close it or double it as "")',
                        issue=f"the file ends inside a quoted value that opens in this row: "
                        f"{_CUT_OFF}",
                    ),
                )
            if "field larger than field limit" in str(exc):
                return (
                    rows,
                    None,
                    Problem(
                        name,
                        row,
                        None,
                        None,
                        "every value that opens with a double quote to close with one (a "
                        'double quote inside a value is doubled: "")',
                        issue=f"a value in this row runs on for more than "
                        f"{csv.field_size_limit():,} characters: a double quote that opens it "
                        "is never closed",
                    ),
                )
            if strict:
                continue
            return (
                rows,
                None,
                Problem(
                    name,
                    row,
                    None,
                    None,
                    _NOT_CSV_EXPECTED,
                    issue=f"the file could not be read as CSV from this row on ({exc})",
                ),
            )
        if len(rows) <= HEADER_SEARCH_ROWS:
            header = find_header(rows)
        widest = max(map(len, rows), default=0)
        if widest > MAX_COLUMNS:
            wide = next(n for n, row in enumerate(rows) if len(row) > MAX_COLUMNS)
            return rows, None, _too_wide_problem(name, wide + 1, len(rows[wide]))
        return rows, header, None
    raise AssertionError("unreachable: the lenient reading returns")


def _read_csv_cells(path: Path, find_header: HeaderFinder) -> _Cells:
    name = path.name
    data = path.read_bytes()
    if not data:
        return _Cells(problem=_empty_problem(name))
    fast = _read_csv_fast(data, name, find_header)
    if fast is not None:
        return fast
    logger.debug("%s: read with the csv module", name)
    text, problem = _decode_csv(data, name)
    if problem is not None or text is None:
        return _Cells(problem=problem)
    if not text.strip():
        return _Cells(problem=_empty_problem(name))
    if text.lstrip()[:1] == "<":
        return _Cells(
            problem=Problem(
                name,
                None,
                None,
                None,
                _NOT_CSV_EXPECTED,
                issue="the file is not CSV text; it looks like HTML or XML",
            )
        )
    rows, header, problem = _csv_rows(text, name, find_header)
    if problem is not None:
        return _Cells(problem=problem)
    lengths = pd.Series([len(r) for r in rows], dtype="int64")
    width = int(lengths.max())
    # Rows keep their position even when blank, so that index + 1 is the row a spreadsheet
    # shows; short rows are padded because pandas will not pad ragged rows for us.
    cells = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    return _Cells(cells, header, lengths, text.endswith(("\n", "\r")))


# --------------------------------------------------------------------------- the fast CSV path
#
# A plain, well-formed CSV file (the usual export) is read by Arrow's CSV reader, columnar and
# in parallel. It is taken only when that reading is the one the csv module would make:
# the file decodes as UTF-8 or Windows-1252 and is plain text, the first rows read by the csv
# module (which find the headings) come out the same, every row has as many cells as the first,
# every double quote opens or closes a quoted value where the csv module would take it so, and
# no value is longer than the csv module allows. Anything else, and every file with a problem
# to name, goes the careful way (:func:`_csv_rows`), which says what is wrong.

#: Bytes decoded at the top of a file to look at its first rows.
_HEAD_BYTES = 1 << 20
#: Bytes of a file checked at a time (for its encoding and its double quotes).
_CHUNK = 1 << 24
_BREAKS = np.zeros(256, dtype=bool)
_BREAKS[[ord(","), ord("\n"), ord("\r")]] = True


def _plain_encoding(data: bytes) -> str | None:
    """``utf-8`` or ``cp1252`` for CSV text the careful path would decode so and find nothing
    odd in; None for anything else (UTF-16, binary, another kind of file, undecodable)."""
    if _looks_utf16(data) or b"\x00" in data or any(data.startswith(m) for m, _ in _MAGIC):
        return None
    if data.isascii() or _is_utf8(data):
        return "utf-8"
    decoder = codecs.getincrementaldecoder("cp1252")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(view[start : start + _CHUNK], final=start + _CHUNK >= len(data))
    except UnicodeDecodeError:
        return None
    return "cp1252"


def _is_utf8(data: bytes) -> bool:
    """Whether ``data`` decodes as UTF-8, checked by Arrow in place (its check is Python's: no
    surrogates, overlong forms or code points past U+10FFFF), ten times faster than decoding."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    whole = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        whole.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def _quotes_well_formed(data: bytes, start: int) -> bool:
    """Every double quote in ``data[start:]`` opens a quoted value (at the start of a cell),
    closes one (before a comma, a line break or the end), or is one of a doubled pair inside
    one: so the csv module, strict, reads the file without error and as Arrow does."""
    buf = np.frombuffer(data, dtype=np.uint8)
    end = len(buf)
    seen = 0  # quotes before the chunk: their parity says whether the next opens or closes
    last_close = -2  # position of the last closing quote of the chunk before
    for lo in range(start, end, _CHUNK):
        quotes = np.flatnonzero(buf[lo : lo + _CHUNK] == ord('"')) + lo
        if not len(quotes):
            continue
        first_opens = seen % 2 == 0
        opens = quotes[0 if first_opens else 1 :: 2]
        closes = quotes[1 if first_opens else 0 :: 2]
        if len(opens):
            before = opens - 1
            ok = (opens == start) | ((before >= start) & _BREAKS[buf[np.maximum(before, 0)]])
            # A quote right after a closing one is the second of a doubled pair ("").
            previous_close = np.concatenate(([last_close], closes))
            previous_close = previous_close[: len(opens)] if first_opens else closes[: len(opens)]
            ok |= opens == previous_close + 1
            if not ok.all():
                return False
        if len(closes):
            after = closes + 1
            ok = (after == end) | ((after < end) & _BREAKS[buf[np.minimum(after, end - 1)]])
            ok |= (after < end) & (buf[np.minimum(after, end - 1)] == ord('"'))
            if not ok.all():
                return False
            last_close = int(closes[-1])
        seen += len(quotes)
    return seen % 2 == 0


def _first_rows(head: str, whole: bool) -> list[list[str]] | None:
    """The first rows as the careful path reads them (at most HEADER_SEARCH_ROWS), from the top
    of the text; None if they cannot be told apart from the rest without reading further."""
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(head, newline=""), strict=True):
            rows.append(row)
            if len(rows) > HEADER_SEARCH_ROWS:
                return rows[:HEADER_SEARCH_ROWS]
    except csv.Error:
        return None
    return rows if whole else None


def _read_csv_fast(data: bytes, name: str, find_header: HeaderFinder) -> _Cells | None:
    """A plain CSV file's cells read by Arrow, or None to read it the careful way."""
    encoding = _plain_encoding(data)
    if encoding is None:
        return None
    decoder = codecs.getincrementaldecoder("utf-8-sig" if encoding == "utf-8" else encoding)()
    whole = len(data) <= _HEAD_BYTES
    head = decoder.decode(data[:_HEAD_BYTES], final=whole)
    body = head.lstrip()
    if not body or body[:1] == "<":
        return None  # blank at the top, or HTML/XML: the careful path says so
    rows = _first_rows(head, whole)
    if not rows:
        return None
    header = find_header(rows)
    width = len(rows[0])
    if (
        header is None
        or not 2 <= width <= MAX_COLUMNS
        or any(len(r) not in (0, width) for r in rows)
    ):
        return None
    bom = 3 if encoding == "utf-8" and data.startswith(codecs.BOM_UTF8) else 0
    if b'"' in data and not _quotes_well_formed(data, bom):
        return None
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data)),
            read_options=pacsv.ReadOptions(
                column_names=names, encoding="utf8" if encoding == "utf-8" else encoding
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, UnicodeDecodeError) as exc:
        logger.debug("%s: Arrow could not read it (%s)", name, exc)
        return None
    limit = csv.field_size_limit()
    if table.num_rows < len(rows) or any(
        (pc.max(pc.binary_length(column)).as_py() or 0) > limit for column in table.columns
    ):
        return None
    top = table.slice(0, len(rows)).to_pylist()
    if [list(r.values()) for r in top] != [r or [""] * width for r in rows]:
        return None
    if encoding == "cp1252":
        logger.info("%s is not UTF-8; read it as Windows-1252", name)
    return _Cells(header=header, table=table, first_rows=rows)


def _cell_text(value: object) -> str:
    """An Excel cell value as the text a CSV export would hold; dates become ISO dates."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _not_a_workbook(data: bytes, name: str) -> Problem:
    """Why a file named .xlsx that is not a zip is not a workbook, and what to do about it."""
    expected = _XLSX_EXPECTED
    if data.startswith(_OLE):
        kind = _office_kind(data)
        if kind == "encrypted":
            return _password_problem(name)
        what = (
            "an old-style .xls workbook"
            if kind == "xls"
            else "an old-style Office file such as an Excel .xls workbook"
        )
    else:
        what = next((w for magic, w in _MAGIC if data.startswith(magic)), None)
        if what is None:
            text, _ = _decode_csv(data, name)
            if text is None:
                what = "binary data"
            elif text.lstrip()[:1] == "<":
                what = "a web page (HTML) or XML"
            else:
                what = "CSV or other text"
                expected = f"an Excel .xlsx workbook; if it is CSV, name it {Path(name).stem}.csv"
    return Problem(
        name,
        None,
        None,
        None,
        expected,
        issue=f"the file is not an .xlsx workbook: it looks like {what}",
    )


def _unreadable_workbook(name: str, exc: Exception) -> Problem:
    """A zip named .xlsx that openpyxl cannot read, said in words."""
    if isinstance(exc, (zipfile.BadZipFile, EOFError, zlib.error)):
        return Problem(
            name,
            None,
            None,
            None,
            "a complete .xlsx workbook: download or export it again",
            issue=f"the workbook could not be read: the file is damaged or incomplete; {_CUT_OFF}",
        )
    if isinstance(exc, KeyError):
        return Problem(
            name,
            None,
            None,
            None,
            _XLSX_EXPECTED,
            issue="the workbook could not be read: it is a zip archive, not an Excel workbook",
        )
    detail = f"{type(exc).__name__}: {exc}"
    if len(detail) > 100:
        detail = detail[:99] + "…"
    return Problem(
        name,
        None,
        None,
        None,
        "an Excel .xlsx workbook: open it in Excel and save it again",
        issue=f"the workbook could not be read ({detail})",
    )


def _read_xlsx_cells(path: Path, find_header: HeaderFinder) -> _Cells:
    name = path.name
    data = path.read_bytes()
    if not data:
        return _Cells(problem=_empty_problem(name))
    if not data.startswith(_ZIP):
        return _Cells(problem=_not_a_workbook(data, name))
    try:
        sheet = _first_sheet(data, name)
    except Exception as exc:  # whatever a damaged workbook raises is a problem with the file
        logger.debug("%s could not be read", name, exc_info=True)
        return _Cells(problem=_unreadable_workbook(name, exc))
    if sheet.empty:
        return _Cells(
            problem=Problem(
                name,
                None,
                None,
                None,
                "the records on the first sheet, under a row of column headings: "
                "move their sheet to the front",
                issue="the first sheet is empty (only the first sheet is read)",
            )
        )
    cells = pd.DataFrame(
        {i: _column_text(sheet.iloc[:, i]) for i in range(sheet.shape[1])}, index=sheet.index
    )
    return _Cells(cells, find_header(cells.iloc[:HEADER_SEARCH_ROWS].values.tolist()))


def _first_sheet(data: bytes, name: str) -> pd.DataFrame:
    """The cells of a workbook's first sheet, as pandas reads them (``dtype=object``).

    Read with calamine (python-calamine, compiled: ten times openpyxl's speed) when it can; a
    workbook it cannot read is read with openpyxl, whose error says what is wrong with it.
    """
    try:
        return pd.read_excel(
            io.BytesIO(data), sheet_name=0, header=None, dtype=object, engine="calamine"
        )
    except Exception as exc:  # pandas before 2.2, no python-calamine, or a damaged workbook
        logger.debug("%s: calamine could not read it (%s); trying openpyxl", name, exc)
    return pd.read_excel(
        io.BytesIO(data), sheet_name=0, header=None, dtype=object, engine="openpyxl"
    )


def _column_text(column: pd.Series) -> pd.Series:
    """A sheet column's cells as :func:`_cell_text` gives them, without a call per cell for a
    column of text or of dates."""
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind in ("string", "empty"):
        return column.where(column.notna(), "").astype(object)
    if kind in ("datetime", "date"):
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        texts = np.array([_cell_text(v) for v in uniques] + [""], dtype=object)
        return pd.Series(texts[codes], index=column.index, dtype=object)  # -1 (blank): ""
    return column.map(_cell_text).astype(object)


def _empty_problem(name: str) -> Problem:
    return Problem(
        name, None, None, None, "a header row naming the columns", issue="the file is empty"
    )


def _delimiter_problem(
    name: str, headings: list[str], spec: TableSpec, column_map: Mapping[str, str]
) -> Problem | None:
    """Spot a CSV written with semicolons, tabs or bars, whose columns all seem to be missing."""
    first = ",".join(headings)
    known = set(spec.column_names) | {heading_key(theirs) for theirs in column_map}
    for delimiter, word in ((";", "semicolon"), ("\t", "tab"), ("|", "bar")):
        parts = [heading_key(p) for p in first.split(delimiter)]
        if len(parts) > 1 and known.intersection(parts):
            return Problem(
                name,
                None,
                None,
                None,
                'commas between columns: re-export it as "CSV UTF-8 (Comma delimited)"',
                issue=f"the file looks {word}-delimited (row 1 is {_show(first)}), "
                "so its required columns cannot be found",
            )
    return None


def _match_headings(
    headings: list[str],
    spec: TableSpec,
    column_map: Mapping[str, str],
    name: str,
    row: int = 1,
) -> tuple[dict[str, int], list[Problem]]:
    """Which position holds each contract column, after the params column map.

    ``row`` is the spreadsheet row of the headings, for problems with them.
    """
    mapped = {heading_key(theirs): ours for theirs, ours in column_map.items()}
    known = set(spec.column_names)
    found: dict[str, int] = {}
    problems = []
    for position, heading in enumerate(headings):
        key = heading_key(heading)
        if not key:
            continue
        target = mapped.get(key, key)
        if target not in known:
            logger.debug("%s: ignoring column %r", name, heading)
            continue
        if target in found:
            first = found[target]
            problems.append(
                Problem(
                    name,
                    row,
                    target,
                    heading,
                    "one column per field: delete or rename one of them "
                    "(or map it in params columns)",
                    issue=f"columns {_column_letter(first)} ({headings[first]!r}) and "
                    f"{_column_letter(position)} both mean {target}",
                )
            )
            continue
        found[target] = position
    return found, problems


def _missing_problems(
    headings: list[str], spec: TableSpec, found: Mapping[str, int], name: str, row: int = 1
) -> list[Problem]:
    shown = [h for h in headings if h.strip()]
    listing = ", ".join(_show(h) for h in shown[:_MAX_HEADINGS_SHOWN]) if shown else "none"
    if len(shown) > _MAX_HEADINGS_SHOWN:
        listing += f" and {len(shown) - _MAX_HEADINGS_SHOWN:,} more"
    problems = []
    for column in spec.required_columns:
        if column in found:
            continue
        expected = f"a column headed {column} (headings found in row {row}: {listing}"
        unused = {heading_key(h): h for h in shown if heading_key(h) not in found}
        close = difflib.get_close_matches(column, list(unused), n=1, cutoff=0.6)
        if close:
            expected += f"; did you mean {unused[close[0]]!r}? If so, map it in params columns"
        problems.append(
            Problem(name, None, column, None, expected + ")", issue=f"no {column} column")
        )
    return problems


def _read_table(path: Path, spec: TableSpec, column_map: Mapping[str, str]) -> RawTable:
    name = path.name
    empty = pd.DataFrame(index=pd.Index([], dtype="int64", name="source_row"))
    is_csv = path.suffix.lower() == ".csv"
    reader = _read_csv_cells if is_csv else _read_xlsx_cells

    def find_header(rows: Sequence[Sequence[object]]) -> int | None:
        return _header_position(rows, spec, column_map)

    try:
        got = reader(path, find_header)
    except OSError as exc:
        got = _Cells(
            problem=Problem(
                name,
                None,
                None,
                None,
                "a readable file",
                issue=f"the file could not be opened ({exc})",
            )
        )
    if got.problem is not None or (got.frame is None and got.table is None):
        return RawTable(
            spec, path, empty, readable=False, problems=[got.problem] if got.problem else []
        )

    header = got.header or 0
    if got.table is not None and got.first_rows is not None:
        headings = list(got.first_rows[header])
    else:
        headings = [str(h) for h in got.frame.iloc[header].tolist()]
    found, problems = _match_headings(headings, spec, column_map, name, header + 1)
    missing = [c for c in spec.required_columns if c not in found]
    if missing and is_csv and header == 0:
        delimiter_problem = _delimiter_problem(name, headings, spec, column_map)
        if delimiter_problem is not None:
            return RawTable(spec, path, empty, readable=False, problems=[delimiter_problem])
    problems += _missing_problems(headings, spec, found, name, header + 1)
    if got.header is None:
        # No heading of the table near the top: not this table (or not a table at all), and
        # not worth reading further.
        return RawTable(spec, path, empty, readable=False, problems=problems)
    if header:
        logger.info(
            "%s: the headings are in row %d; the row(s) above them are taken as titles",
            name,
            header + 1,
        )
    if got.lengths is not None:
        cut_off = _cut_off_problem(got.lengths, header, got.ends_with_break, name)
        if cut_off is not None:
            return RawTable(spec, path, empty, readable=False, problems=[cut_off])

    if got.table is not None:
        frame = _table_records(got.table, header, found)
    else:
        cells = got.frame
        body = cells.iloc[header + 1 :]
        # A row with no value in any cell is padding (trailing blank rows in a sheet), not a
        # record.
        keep = _filled(body).any(axis=1)
        frame = body.loc[keep, list(found.values())].copy()
        frame.columns = list(found)
        frame.index = pd.Index(body.index[keep] + 1, dtype="int64", name="source_row")
        frame = frame.astype(str)
        if got.lengths is not None:
            problems += _ragged_problems(cells, got.lengths, header, name)
    logger.info("Read %s: %d rows, columns %s", path, len(frame), ", ".join(found) or "none")
    return RawTable(spec, path, frame, readable=True, problems=problems)


def _filled(cells: pd.DataFrame) -> pd.DataFrame:
    """True for each cell holding more than whitespace (as Python's ``str.strip`` sees it)."""
    return pd.DataFrame(
        {
            column: pc.not_equal(
                pc.utf8_trim(_text_array(cells[column]), characters=WHITESPACE), ""
            ).to_numpy(zero_copy_only=False)
            for column in cells.columns
        },
        index=cells.index,
        dtype=bool,
    )


def _table_records(table: pa.Table, header: int, found: Mapping[str, int]) -> pd.DataFrame:
    """The records under the headings of a table read by Arrow, as :func:`_read_table` makes
    them from cells: contract columns only, blank rows left out, indexed by spreadsheet row."""
    body = table.slice(header + 1)
    # A row is kept once any of its cells holds a value. Each column is looked at only in the
    # rows not kept yet: the first column usually settles nearly every row, so the others are
    # not trimmed in full (that was a quarter of a 1M-record file's reading).
    kept = np.zeros(body.num_rows, dtype=bool)
    undecided = np.arange(body.num_rows)
    for column in body.columns:
        if not len(undecided):
            break
        cells = column if len(undecided) == body.num_rows else column.take(pa.array(undecided))
        filled = pc.not_equal(pc.utf8_trim(cells, characters=WHITESPACE), "")
        filled = np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)
        kept[undecided[filled]] = True
        undecided = undecided[~filled]
    positions = np.flatnonzero(kept)
    picked = body.select([body.column_names[i] for i in found.values()])
    if len(positions) < body.num_rows:
        picked = picked.take(pa.array(positions))
    index = pd.Index(positions + header + 2, dtype="int64", name="source_row")
    return pd.DataFrame(
        {
            column: pd.Series(
                pd.arrays.ArrowExtensionArray(picked.column(i)), index=index, copy=False
            )
            for i, column in enumerate(found)
        },
        index=index,
    )


def _cut_off_problem(
    lengths: pd.Series, header: int, ends_with_break: bool, name: str
) -> Problem | None:
    """A CSV whose last row is short and not ended by a line break, though every other row is
    whole: a download or copy that stopped mid-row."""
    if ends_with_break or len(lengths) < header + 3:
        return None
    width, last = int(lengths.iloc[header]), int(lengths.iloc[-1])
    others = lengths.iloc[header + 1 : -1]
    others = others[others > 0]  # blank lines
    if not 0 < last < width or others.empty or bool((others < width).any()):
        return None
    return Problem(
        name,
        len(lengths),
        None,
        None,
        "a complete CSV file: download or export it again",
        issue=f"the last row stops after {last} of its {width} cells, with no line break at "
        f"the end of the file: {_CUT_OFF}",
    )


def _ragged_problems(
    cells: pd.DataFrame, lengths: pd.Series, header: int, name: str
) -> list[Problem]:
    """CSV rows with values beyond the heading row's last column: usually an unquoted comma."""
    width = int(lengths.iloc[header])
    beyond = cells.iloc[header + 1 :, width:]
    if beyond.empty:
        return []
    bad = _filled(beyond).any(axis=1)
    return [
        Problem(
            name,
            position + 1,
            None,
            None,
            "one cell per heading: a value holding a comma must be inside double quotes",
            issue=f"the row has {int(lengths.iloc[position])} cells but row {header + 1} has "
            f"{width} headings",
        )
        for position in bad.index[bad]
    ]


def _find_files(data_dir: Path) -> dict[str, list[Path]]:
    """Table name → the files that could hold it (several means ambiguous)."""
    files: dict[str, list[Path]] = {name: [] for name in TABLES}
    for path in sorted(data_dir.iterdir()):
        if path.is_file() and path.suffix.lower() in FILE_SUFFIXES and path.stem.lower() in files:
            files[path.stem.lower()].append(path)
    return files


def _column_map_problems(columns: ColumnMap) -> list[Problem]:
    problems = []
    for table, mapping in columns.items():
        if table not in TABLES:
            problems.append(
                Problem(
                    "params columns",
                    None,
                    None,
                    table,
                    f"one of {', '.join(TABLES)}",
                    issue="no such table",
                )
            )
            continue
        spec = TABLES[table]
        for theirs, ours in (mapping or {}).items():
            if ours not in spec.column_names:
                problems.append(
                    Problem(
                        "params columns",
                        None,
                        None,
                        str(ours),
                        f"a {table} column: one of {', '.join(spec.column_names)}",
                        issue=f"{theirs!r} is mapped to a column {table} does not have",
                    )
                )
    return problems


def read_raw_tables(
    data_dir: Path, columns: ColumnMap | None = None
) -> tuple[dict[str, RawTable], list[Problem]]:
    """Read every table of a data set as text, with the problems found in files and headings.

    Parameters
    ----------
    data_dir
        The data set folder.
    columns
        The params column map, ``{table: {"Their Heading": "contract_column"}}``.

    Returns
    -------
    tables, problems
        One :class:`RawTable` per contract table (an absent table has an empty frame), and the
        problems not tied to a table (an absent folder, a bad column map). A table's own
        problems are in its ``problems``.
    """
    data_dir = Path(data_dir)
    columns = columns or {}
    problems = _column_map_problems(columns)
    tables: dict[str, RawTable] = {}
    empty = pd.DataFrame(index=pd.Index([], dtype="int64", name="source_row"))
    if not data_dir.is_dir():
        problems.append(
            Problem(
                str(data_dir),
                None,
                None,
                None,
                "a folder holding complaints, compliments and ombudsman files (.csv or .xlsx)",
                issue="no such folder",
            )
        )
        return {
            name: RawTable(spec, None, empty, readable=False) for name, spec in TABLES.items()
        }, problems

    found = _find_files(data_dir)
    for name, spec in TABLES.items():
        paths = found[name]
        if len(paths) > 1:
            names = " and ".join(p.name for p in paths)
            tables[name] = RawTable(
                spec,
                paths[0],
                empty,
                readable=False,
                problems=[
                    Problem(
                        names,
                        None,
                        None,
                        None,
                        "one file per table: delete or rename all but one of them",
                        issue=f"{len(paths)} files for the {name} table",
                    )
                ],
            )
        elif paths:
            tables[name] = _read_table(paths[0], spec, columns.get(name) or {})
        else:
            table_problems = []
            if name in REQUIRED_TABLES:
                table_problems.append(
                    Problem(
                        f"{name}.csv",
                        None,
                        None,
                        None,
                        f"{name}.csv or {name}.xlsx: the {name} table is required "
                        "(a header row alone will do if it has no rows)",
                        issue=f"no {name} file in {data_dir}",
                    )
                )
            else:
                logger.info("No %s file in %s: that table is empty", name, data_dir)
            tables[name] = RawTable(
                spec, None, empty, readable=name not in REQUIRED_TABLES, problems=table_problems
            )
    return tables, problems


def load_dataset(data_dir: Path, columns: ColumnMap | None = None) -> Dataset:
    """Read, validate and normalise a data set.

    Parameters
    ----------
    data_dir
        The data set folder, holding one file per table (``complaints.csv`` or ``.xlsx``, …).
    columns
        The params column map, ``{table: {"Their Heading": "contract_column"}}``.

    Raises
    ------
    DataError
        If the data set breaks the contract in any way; it lists every problem.
    """
    # Imported here because validation builds on this module's reading and parsing.
    from complaints_report.validation import check_tables

    data_dir = Path(data_dir)
    logger.info("Loading data set %s", data_dir)
    tables, problems = read_raw_tables(data_dir, columns)
    problems = check_tables(tables, problems)
    if problems:
        raise DataError(problems, data_dir)
    frames = {name: normalise_table(raw) for name, raw in tables.items()}
    files = {name: raw.path for name, raw in tables.items() if raw.path is not None}
    columns = {name: frozenset(raw.frame.columns) for name, raw in tables.items()}
    return Dataset(**frames, data_dir=data_dir, files=files, columns=columns)
