"""Reading a CSV export into cells: what kind of file it is, its encoding, its header row,
and the fast path for large, well-formed files."""

from __future__ import annotations

import codecs
import csv
import io
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .contract import (
    TableSpec,
    heading_key,
)
from .model import Problem

logger = logging.getLogger(__name__)


OLE = b"\xd0\xcf\x11\xe0"
ZIP = b"PK\x03\x04"
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (ZIP, "a zip file such as an Excel .xlsx workbook"),
    (OLE, "an old-style Office file such as an Excel .xls workbook"),
)
_NOT_CSV_EXPECTED = "a CSV file (comma-separated text) or an .xlsx workbook"
_UTF8_ADVICE = 'a CSV file in UTF-8: re-export it from Excel as "CSV UTF-8 (Comma delimited)"'
XLSX_EXPECTED = 'an Excel .xlsx workbook: open it in Excel and save it as "Excel Workbook (*.xlsx)"'
CUT_OFF = "it looks cut off, as when a download or copy stops part way"

#: How many rows from the top are searched for the headings, for exports that put a title
#: (the council's name, the report's dates) in the rows above them.
HEADER_SEARCH_ROWS = 10


def column_letter(position: int) -> str:
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


def office_kind(data: bytes) -> str:
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


def password_problem(name: str) -> Problem:
    return Problem(
        name,
        None,
        None,
        None,
        "a workbook that opens without a password",
        issue="the workbook is password-protected: remove the password "
        "(File > Info > Protect Workbook) and save it again",
    )


def decode_csv(data: bytes, name: str) -> tuple[str | None, Problem | None]:
    """Decode CSV bytes (UTF-8 with or without BOM, else Windows-1252), or say why not."""
    if _looks_utf16(data):
        return None, Problem(
            name, None, None, None, _UTF8_ADVICE, issue="the file is UTF-16 text, not UTF-8"
        )
    if data.startswith(OLE) and office_kind(data) == "encrypted":
        return None, password_problem(name)
    for magic, what in MAGIC:
        if data.startswith(magic):
            hint = ""
            if magic == ZIP:
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
class Cells:
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


def header_position(
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
                        f"{CUT_OFF}",
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


def read_csv_cells(path: Path, find_header: HeaderFinder) -> Cells:
    name = path.name
    data = path.read_bytes()
    if not data:
        return Cells(problem=empty_problem(name))
    fast = read_csv_fast(data, name, find_header)
    if fast is not None:
        return fast
    logger.debug("%s: read with the csv module", name)
    text, problem = decode_csv(data, name)
    if problem is not None or text is None:
        return Cells(problem=problem)
    if not text.strip():
        return Cells(problem=empty_problem(name))
    if text.lstrip()[:1] == "<":
        return Cells(
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
        return Cells(problem=problem)
    lengths = pd.Series([len(r) for r in rows], dtype="int64")
    width = int(lengths.max())
    # Rows keep their position even when blank, so that index + 1 is the row a spreadsheet
    # shows; short rows are padded because pandas will not pad ragged rows for us.
    cells = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    return Cells(cells, header, lengths, text.endswith(("\n", "\r")))


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
HEAD_BYTES = 1 << 20
#: Bytes of a file checked at a time (for its encoding and its double quotes).
CHUNK_BYTES = 1 << 24
_BREAKS = np.zeros(256, dtype=bool)
_BREAKS[[ord(","), ord("\n"), ord("\r")]] = True


def _plain_encoding(data: bytes) -> str | None:
    """``utf-8`` or ``cp1252`` for CSV text the careful path would decode so and find nothing
    odd in; None for anything else (UTF-16, binary, another kind of file, undecodable)."""
    if _looks_utf16(data) or b"\x00" in data or any(data.startswith(m) for m, _ in MAGIC):
        return None
    if data.isascii() or is_utf8(data):
        return "utf-8"
    decoder = codecs.getincrementaldecoder("cp1252")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), CHUNK_BYTES):
            decoder.decode(
                view[start : start + CHUNK_BYTES], final=start + CHUNK_BYTES >= len(data)
            )
    except UnicodeDecodeError:
        return None
    return "cp1252"


def is_utf8(data: bytes) -> bool:
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
    for lo in range(start, end, CHUNK_BYTES):
        quotes = np.flatnonzero(buf[lo : lo + CHUNK_BYTES] == ord('"')) + lo
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


def read_csv_fast(data: bytes, name: str, find_header: HeaderFinder) -> Cells | None:
    """A plain CSV file's cells read by Arrow, or None to read it the careful way."""
    encoding = _plain_encoding(data)
    if encoding is None:
        return None
    decoder = codecs.getincrementaldecoder("utf-8-sig" if encoding == "utf-8" else encoding)()
    whole = len(data) <= HEAD_BYTES
    head = decoder.decode(data[:HEAD_BYTES], final=whole)
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
    return Cells(header=header, table=table, first_rows=rows)


def empty_problem(name: str) -> Problem:
    return Problem(
        name, None, None, None, "a header row naming the columns", issue="the file is empty"
    )
