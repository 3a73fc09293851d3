"""Read a data set folder into normalised pandas frames, one per table of the data contract."""

from __future__ import annotations

import csv
import difflib
import io
import logging
import math
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

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
    "RawTable",
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

    @property
    def file(self) -> str:
        return self.path.name if self.path is not None else f"{self.spec.name}.csv"


# --------------------------------------------------------------------------- parsing values


def _stripped(s: pd.Series) -> pd.Series:
    return s.fillna("").astype(str).str.strip()


def blank_mask(s: pd.Series) -> pd.Series:
    """True where a raw text value is blank or only whitespace."""
    return _stripped(s).eq("")


_ISO_DATE = (
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_UK_DATE = r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$"


def parse_dates(s: pd.Series) -> pd.Series:
    """Parse raw text dates: ISO ``2023-04-03`` or UK day-first ``03/04/2023`` (or ``3/4/2023``).

    A time of day after the date (as a datetime export writes it) is dropped. Blank and
    unparseable values, including impossible dates such as ``31/02/2023``, are ``NaT``.
    """
    t = _stripped(s)
    parts = t.str.extract(_ISO_DATE).fillna(t.str.extract(_UK_DATE))
    nums = parts.apply(pd.to_numeric)
    assembled = pd.DataFrame(
        {"year": nums["y"], "month": nums["m"], "day": nums["d"]}, index=s.index
    )
    return pd.to_datetime(assembled, errors="coerce").astype("datetime64[ns]")


def parse_yesno(s: pd.Series, blank_is_no: bool = True) -> pd.Series:
    """Parse Yes/No (Y/N, Yes/No, TRUE/FALSE, 1/0, any case); unknown is ``NA``.

    Blank is No, or ``NA`` with ``blank_is_no=False`` (a column where blank means not recorded).
    """
    mapping = {v: True for v in YES_VALUES} | {v: False for v in NO_VALUES}
    if not blank_is_no:
        mapping[""] = None
    return _stripped(s).str.lower().map(mapping).astype("boolean")


_MONEY = (
    r"^(?P<sign>-)?\s*£?\s*(?P<sign2>-)?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)$"
)


def parse_money(s: pd.Series) -> pd.Series:
    """Parse pounds with optional ``£`` and thousands commas (``£1,754.96``); blank or bad is NaN.

    Negative amounts parse as negative so that validation can name them.
    """
    parts = _stripped(s).str.extract(_MONEY)
    amount = pd.to_numeric(parts["num"].str.replace(",", "", regex=False), errors="coerce")
    negative = parts["sign"].notna() | parts["sign2"].notna()
    return amount.where(~negative, -amount).astype("float64")


def parse_whole(s: pd.Series) -> pd.Series:
    """Parse a whole number of 0 or more (thousands commas allowed); blank or bad is ``NA``."""
    t = _stripped(s)
    ok = t.str.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+")
    return pd.to_numeric(t.where(ok).str.replace(",", "", regex=False), errors="coerce").astype(
        "Int64"
    )


def parse_choice(s: pd.Series, choices: Choices) -> pd.Series:
    """Map raw text to the canonical listed value (case and spacing ignored, aliases applied).

    Blank and unknown values are ``NA``.
    """
    key = _stripped(s).str.lower().str.replace(r"\s+", " ", regex=True)
    return key.map(choices.lookup()).astype(TEXT)


def clean_text(s: pd.Series) -> pd.Series:
    """Strip text; blank or whitespace-only is ``NA``; pandas ``string`` dtype."""
    t = _stripped(s)
    return t.where(t.ne(""), None).astype(TEXT)


def _convert(s: pd.Series, spec: ColumnSpec) -> pd.Series:
    if spec.kind == "date":
        return parse_dates(s)
    if spec.kind == "yesno":
        if not spec.blank_is_no:
            return parse_yesno(s, blank_is_no=False)
        return parse_yesno(s).fillna(False).astype(bool)
    if spec.kind == "money":
        return parse_money(s)
    if spec.kind == "int":
        return parse_whole(s).fillna(0).astype("int64")
    if spec.kind == "choice":
        return parse_choice(s, CHOICES[spec.choices or spec.name])
    return clean_text(s)


def normalise_table(raw: RawTable) -> pd.DataFrame:
    """The normalised frame of a raw table: every contract column, typed, plus ``source_row``.

    Values are assumed valid (validation runs first); any that are not become blank.
    """
    frame = raw.frame
    out = {}
    for spec in raw.spec.columns:
        s = (
            frame[spec.name]
            if spec.name in frame
            else pd.Series("", index=frame.index, dtype=object)
        )
        out[spec.name] = _convert(s, spec).reset_index(drop=True)
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
        sheet = pd.read_excel(
            io.BytesIO(data), sheet_name=0, header=None, dtype=object, engine="openpyxl"
        )
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
    # Cell-by-cell conversion is unavoidable here: an object column mixes dates, numbers and text.
    cells = sheet.map(_cell_text)
    cells.columns = range(cells.shape[1])
    return _Cells(cells, find_header(cells.iloc[:HEADER_SEARCH_ROWS].values.tolist()))


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
    if got.problem is not None or got.frame is None:
        return RawTable(
            spec, path, empty, readable=False, problems=[got.problem] if got.problem else []
        )

    cells = got.frame
    header = got.header or 0
    headings = [str(h) for h in cells.iloc[header].tolist()]
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

    body = cells.iloc[header + 1 :]
    # A row with no value in any cell is padding (trailing blank rows in a sheet), not a record.
    keep = body.astype(str).apply(lambda col: col.str.strip().ne("")).any(axis=1)
    frame = body.loc[keep, list(found.values())].copy()
    frame.columns = list(found)
    frame.index = pd.Index(body.index[keep] + 1, dtype="int64", name="source_row")
    frame = frame.astype(str)

    if got.lengths is not None:
        problems += _ragged_problems(cells, got.lengths, header, name)
    logger.info("Read %s: %d rows, columns %s", path, len(frame), ", ".join(found) or "none")
    return RawTable(spec, path, frame, readable=True, problems=problems)


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
    bad = beyond.astype(str).apply(lambda col: col.str.strip().ne("")).any(axis=1)
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
