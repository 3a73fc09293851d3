"""Reading a data set folder's files (CSV or XLSX) into raw tables: each file's header matched
to the contract's columns, with every problem found said plainly."""

from __future__ import annotations

import difflib
import io
import logging
import math
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .contract import (
    FILE_SUFFIXES,
    REQUIRED_TABLES,
    TABLES,
    TableSpec,
    heading_key,
)
from .csvfile import (
    CUT_OFF,
    HEADER_SEARCH_ROWS,
    MAGIC,
    OLE,
    XLSX_EXPECTED,
    ZIP,
    Cells,
    HeaderFinder,
    column_letter,
    decode_csv,
    empty_problem,
    header_position,
    office_kind,
    password_problem,
    read_csv_cells,
)
from .model import MAX_HEADINGS_SHOWN, ColumnMap, Problem, RawTable, show
from .values import WHITESPACE, text_array

logger = logging.getLogger(__name__)


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
    expected = XLSX_EXPECTED
    if data.startswith(OLE):
        kind = office_kind(data)
        if kind == "encrypted":
            return password_problem(name)
        what = (
            "an old-style .xls workbook"
            if kind == "xls"
            else "an old-style Office file such as an Excel .xls workbook"
        )
    else:
        what = next((w for magic, w in MAGIC if data.startswith(magic)), None)
        if what is None:
            text, _ = decode_csv(data, name)
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
            issue=f"the workbook could not be read: the file is damaged or incomplete; {CUT_OFF}",
        )
    if isinstance(exc, KeyError):
        return Problem(
            name,
            None,
            None,
            None,
            XLSX_EXPECTED,
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


def _read_xlsx_cells(path: Path, find_header: HeaderFinder) -> Cells:
    name = path.name
    data = path.read_bytes()
    if not data:
        return Cells(problem=empty_problem(name))
    if not data.startswith(ZIP):
        return Cells(problem=_not_a_workbook(data, name))
    try:
        sheet = first_sheet(data, name)
    except Exception as exc:  # whatever a damaged workbook raises is a problem with the file
        logger.debug("%s could not be read", name, exc_info=True)
        return Cells(problem=_unreadable_workbook(name, exc))
    if sheet.empty:
        return Cells(
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
    return Cells(cells, find_header(cells.iloc[:HEADER_SEARCH_ROWS].values.tolist()))


def first_sheet(data: bytes, name: str) -> pd.DataFrame:
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
                issue=f"the file looks {word}-delimited (row 1 is {show(first)}), "
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
                    issue=f"columns {column_letter(first)} ({headings[first]!r}) and "
                    f"{column_letter(position)} both mean {target}",
                )
            )
            continue
        found[target] = position
    return found, problems


def _missing_problems(
    headings: list[str], spec: TableSpec, found: Mapping[str, int], name: str, row: int = 1
) -> list[Problem]:
    shown = [h for h in headings if h.strip()]
    listing = ", ".join(show(h) for h in shown[:MAX_HEADINGS_SHOWN]) if shown else "none"
    if len(shown) > MAX_HEADINGS_SHOWN:
        listing += f" and {len(shown) - MAX_HEADINGS_SHOWN:,} more"
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
    reader = read_csv_cells if is_csv else _read_xlsx_cells

    def find_header(rows: Sequence[Sequence[object]]) -> int | None:
        return header_position(rows, spec, column_map)

    try:
        got = reader(path, find_header)
    except OSError as exc:
        got = Cells(
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
                pc.utf8_trim(text_array(cells[column]), characters=WHITESPACE), ""
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
        f"the end of the file: {CUT_OFF}",
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
