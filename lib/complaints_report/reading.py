"""Read a data set folder into normalised pandas frames, one per table of the data contract."""

from __future__ import annotations

import csv
import difflib
import io
import logging
import math
import zipfile
from collections.abc import Mapping
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

#: Longest value quoted in a problem message; the rest is elided so each problem stays one line.
_MAX_SHOWN = 60


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

    def table(self, name: str) -> pd.DataFrame:
        """The frame of table ``name`` (a key of :data:`complaints_report.contract.TABLES`)."""
        if name not in TABLES:
            raise KeyError(f"no table {name!r}; tables are {', '.join(TABLES)}")
        return getattr(self, name)


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


def parse_yesno(s: pd.Series) -> pd.Series:
    """Parse Yes/No (Y/N, Yes/No, TRUE/FALSE, 1/0, any case; blank is No); unknown is ``NA``."""
    mapping = {v: True for v in YES_VALUES} | {v: False for v in NO_VALUES}
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
    return key.map(choices.lookup()).astype("string")


def clean_text(s: pd.Series) -> pd.Series:
    """Strip text; blank or whitespace-only is ``NA``; pandas ``string`` dtype."""
    t = _stripped(s)
    return t.where(t.ne(""), None).astype("string")


def _convert(s: pd.Series, spec: ColumnSpec) -> pd.Series:
    if spec.kind == "date":
        return parse_dates(s)
    if spec.kind == "yesno":
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

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a zip file such as an Excel .xlsx workbook"),
    (b"\xd0\xcf\x11\xe0", "an old-style Office file such as an Excel .xls workbook"),
)
_NOT_CSV_EXPECTED = "a CSV file (comma-separated text) or an .xlsx workbook"
_UTF8_ADVICE = 'a CSV file in UTF-8: re-export it from Excel as "CSV UTF-8 (Comma delimited)"'


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


def _decode_csv(data: bytes, name: str) -> tuple[str | None, Problem | None]:
    """Decode CSV bytes (UTF-8 with or without BOM, else Windows-1252), or say why not."""
    if _looks_utf16(data):
        return None, Problem(
            name, None, None, None, _UTF8_ADVICE, issue="the file is UTF-16 text, not UTF-8"
        )
    for magic, what in _MAGIC:
        if data.startswith(magic):
            hint = ""
            if magic == b"PK\x03\x04":
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


# A reader gives the cells of a file as text (row 1 first), how many cells each row of a CSV
# had (to spot unquoted commas; None for a workbook), or the problem that stopped it.
Cells = tuple[pd.DataFrame | None, pd.Series | None, Problem | None]


def _read_csv_cells(path: Path) -> Cells:
    name = path.name
    data = path.read_bytes()
    if not data:
        return None, None, _empty_problem(name)
    text, problem = _decode_csv(data, name)
    if problem is not None or text is None:
        return None, None, problem
    if not text.strip():
        return None, None, _empty_problem(name)
    if text.lstrip()[:1] == "<":
        return (
            None,
            None,
            Problem(
                name,
                None,
                None,
                None,
                _NOT_CSV_EXPECTED,
                issue="the file is not CSV text; it looks like HTML or XML",
            ),
        )
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        return (
            None,
            None,
            Problem(
                name,
                None,
                None,
                None,
                _NOT_CSV_EXPECTED,
                issue=f"the file could not be read as CSV ({exc})",
            ),
        )
    lengths = pd.Series([len(r) for r in rows], dtype="int64")
    width = int(lengths.max())
    # Rows keep their position even when blank, so that index + 1 is the row a spreadsheet
    # shows; short rows are padded because pandas will not pad ragged rows for us.
    cells = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    return cells, lengths, None


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


def _read_xlsx_cells(path: Path) -> Cells:
    name = path.name
    data = path.read_bytes()
    if not data:
        return None, None, _empty_problem(name)
    if not data.startswith(b"PK\x03\x04"):
        what = (
            "an old-style .xls workbook"
            if data.startswith(b"\xd0\xcf\x11\xe0")
            else "something else"
        )
        return (
            None,
            None,
            Problem(
                name,
                None,
                None,
                None,
                "an Excel .xlsx workbook (or a CSV file named .csv)",
                issue=f"the file is not an .xlsx workbook: it looks like {what}",
            ),
        )
    try:
        sheet = pd.read_excel(path, sheet_name=0, header=None, dtype=object, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        return (
            None,
            None,
            Problem(
                name,
                None,
                None,
                None,
                "an Excel .xlsx workbook",
                issue=f"the workbook could not be read ({type(exc).__name__}: {exc})",
            ),
        )
    if sheet.empty:
        return (
            None,
            None,
            Problem(
                name,
                None,
                None,
                None,
                "the column headings in row 1 of the first sheet",
                issue="the first sheet is empty",
            ),
        )
    # Cell-by-cell conversion is unavoidable here: an object column mixes dates, numbers and text.
    cells = sheet.map(_cell_text)
    cells.columns = range(cells.shape[1])
    return cells, None, None


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
    headings: list[str], spec: TableSpec, column_map: Mapping[str, str], name: str
) -> tuple[dict[str, int], list[Problem]]:
    """Which position holds each contract column, after the params column map."""
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
                    1,
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
    headings: list[str], spec: TableSpec, found: Mapping[str, int], name: str
) -> list[Problem]:
    shown = [h for h in headings if h.strip()]
    listing = ", ".join(_show(h) for h in shown) if shown else "none"
    problems = []
    for column in spec.required_columns:
        if column in found:
            continue
        expected = f"a column headed {column} (headings found in row 1: {listing}"
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
    reader = _read_xlsx_cells if path.suffix.lower() == ".xlsx" else _read_csv_cells
    try:
        cells, lengths, problem = reader(path)
    except OSError as exc:
        cells, lengths, problem = (
            None,
            None,
            Problem(
                name,
                None,
                None,
                None,
                "a readable file",
                issue=f"the file could not be opened ({exc})",
            ),
        )
    if problem is not None or cells is None:
        return RawTable(spec, path, empty, readable=False, problems=[problem] if problem else [])

    headings = [str(h) for h in cells.iloc[0].tolist()]
    found, problems = _match_headings(headings, spec, column_map, name)
    missing = [c for c in spec.required_columns if c not in found]
    if missing and path.suffix.lower() == ".csv":
        delimiter_problem = _delimiter_problem(name, headings, spec, column_map)
        if delimiter_problem is not None:
            return RawTable(spec, path, empty, readable=False, problems=[delimiter_problem])
    problems += _missing_problems(headings, spec, found, name)

    body = cells.iloc[1:]
    # A row with no value in any cell is padding (trailing blank rows in a sheet), not a record.
    keep = body.astype(str).apply(lambda col: col.str.strip().ne("")).any(axis=1)
    frame = body.loc[keep, list(found.values())].copy()
    frame.columns = list(found)
    frame.index = pd.Index(body.index[keep] + 1, dtype="int64", name="source_row")
    frame = frame.astype(str)

    if lengths is not None:
        problems += _ragged_problems(cells, lengths, name)
    logger.info("Read %s: %d rows, columns %s", path, len(frame), ", ".join(found) or "none")
    return RawTable(spec, path, frame, readable=True, problems=problems)


def _ragged_problems(cells: pd.DataFrame, lengths: pd.Series, name: str) -> list[Problem]:
    """CSV rows with values beyond the header's last column: usually an unquoted comma."""
    width = int(lengths.iloc[0])
    beyond = cells.iloc[1:, width:]
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
            issue=f"the row has {int(lengths.iloc[position])} cells but row 1 has {width} headings",
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
    return Dataset(**frames, data_dir=data_dir, files=files)
