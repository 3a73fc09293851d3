"""The fast reading paths give what the careful ones give: Arrow's CSV reader against the csv
module, calamine against openpyxl, and values worked out once per distinct value."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints_report.data import csvfile, reading
from complaints_report.data import values as value_parsing
from complaints_report.data.loading import load_dataset
from complaints_report.data.model import DataError
from complaints_report.data.reading import read_raw_tables
from complaints_report.data.validation import validate_dataset
from complaints_report.data.values import WHITESPACE, parse_dates

CS = "Children's Services,Children's Social Care"
COMPLIMENTS = f"date,directorate,service_area\n2023-04-05,{CS}\n"
OMBUDSMAN = "lgsco_ref,decision_date,directorate,service_area,decision\n"
TABLE_NAMES = ("complaints", "compliments", "ombudsman", "advocacy", "equalities", "member_conduct")


def write(folder: Path, complaints: bytes | str, name: str = "complaints.csv") -> Path:
    """A data set whose complaints file is ``complaints`` (bytes as they are; text as UTF-8)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = complaints.encode("utf-8") if isinstance(complaints, str) else complaints
    (folder / name).write_bytes(data)
    (folder / "compliments.csv").write_text(COMPLIMENTS, encoding="utf-8")
    (folder / "ombudsman.csv").write_text(OMBUDSMAN, encoding="utf-8")
    return folder


def careful(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read every CSV file with the csv module, as before the fast path."""
    monkeypatch.setattr(csvfile, "read_csv_fast", lambda data, name, find_header: None)


def outcome(folder: Path, columns=None) -> tuple[list[str], dict | None]:
    """Everything a reading gives: the problems, and the normalised tables if there are none."""
    problems = [str(p) for p in validate_dataset(folder, columns)]
    try:
        ds = load_dataset(folder, columns)
    except DataError as exc:
        assert [str(p) for p in exc.problems] == problems
        return problems, None
    return problems, {name: ds.table(name) for name in TABLE_NAMES}


def assert_same(fast: tuple[list[str], dict | None], slow: tuple[list[str], dict | None]) -> None:
    assert fast[0] == slow[0]
    assert (fast[1] is None) == (slow[1] is None)
    if fast[1] is not None:
        for name in TABLE_NAMES:
            pd.testing.assert_frame_equal(fast[1][name], slow[1][name], check_exact=True)


def fast_path_taken(folder: Path, name: str = "complaints.csv") -> bool:
    data = (folder / name).read_bytes()
    return csvfile.read_csv_fast(data, name, lambda rows: 0) is not None


def both_ways(folder: Path, monkeypatch: pytest.MonkeyPatch, columns=None):
    fast = outcome(folder, columns)
    with monkeypatch.context() as m:
        careful(m)
        slow = outcome(folder, columns)
    assert_same(fast, slow)
    return fast


# --- what a valid export may hold, read both ways -------------------------------------------

HEADINGS = {
    "snake": "case_ref,stage,received_date,responded_date,directorate,service_area",
    "title case": "Case Ref,Stage,Received Date,Responded Date,Directorate,Service Area",
    "hyphens": "case-ref,stage,received-date,responded-date,directorate,service-area",
    "upper": "CASE_REF,STAGE,RECEIVED_DATE,RESPONDED_DATE,DIRECTORATE,SERVICE_AREA",
    "spaced": " Case  Ref ,Stage, Received_Date ,Responded date,Directorate,Service area",
}
DATES = {
    "ISO": ("2023-04-03", "2023-04-20"),
    "ISO with time": ("2023-04-03 09:15", "2023-04-20T16:45:10"),
    "ISO with fraction": ("2023-04-03T09:15:00.123", "2023-04-20 16:45:10.5"),
    "UK": ("03/04/2023", "20/04/2023"),
    "UK single digits": ("3/4/2023", "20/4/2023"),
    "UK with time": ("03/04/2023 09:15", "20/04/2023 16:45:10"),
    "blank response": ("2023-04-03", ""),
}


def export(headings: str, received: str, responded: str, newline: str = "\n") -> str:
    rows = [
        headings + ",Team,Learning,Child In Care,Outcome,Investigator Cost,Unknown Column",
        f"COM/1,Stage 1,{received},{responded},{CS},North,,Yes,Upheld,,x",
        f'COM/2, stage one ,{received},{responded},{CS},"South, East","We said ""sorry""'
        f'{newline}and meant it",n,Not upheld,"£1,754.96",',
        f"COM/3,S2,{received},,{CS},  ,,,,,",
        ",,,,,,,,,,,",
        f"COM/4,Informal Representation,{received},{responded},{CS},Chesil,\x1c,TRUE,,12,",
    ]
    return newline.join(rows) + newline


@pytest.mark.parametrize("dates", list(DATES), ids=list(DATES))
@pytest.mark.parametrize("headings", list(HEADINGS), ids=list(HEADINGS))
def test_headings_and_dates_read_alike(tmp_path, monkeypatch, headings, dates) -> None:
    folder = write(tmp_path, export(HEADINGS[headings], *DATES[dates]))
    assert fast_path_taken(folder)
    problems, tables = both_ways(folder, monkeypatch)
    assert problems == []
    c = tables["complaints"]
    assert c["source_row"].tolist() == [2, 3, 4, 6]  # the blank row 5 is left out
    assert c["received_date"].tolist() == [pd.Timestamp("2023-04-03")] * 4
    assert c["stage"].tolist() == ["Stage 1", "Stage 1", "Stage 2", "Informal"]
    assert c.loc[1, "learning"] == 'We said "sorry"\nand meant it'
    assert c.loc[1, "investigator_cost"] == 1754.96
    assert c["team"].tolist()[:3] == ["North", "South, East", pd.NA]


ENCODINGS = {
    "UTF-8": lambda text: text.encode("utf-8"),
    "UTF-8 with BOM": lambda text: text.encode("utf-8-sig"),
    "Windows-1252": lambda text: text.encode("cp1252"),
}


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
@pytest.mark.parametrize("encoding", list(ENCODINGS), ids=list(ENCODINGS))
def test_encodings_and_line_breaks_read_alike(tmp_path, monkeypatch, encoding, newline) -> None:
    text = export(HEADINGS["title case"], "03/04/2023", "20/04/2023", newline)
    text = text.replace("North", "Café £5 – North")
    folder = write(tmp_path, ENCODINGS[encoding](text))
    assert fast_path_taken(folder)
    problems, tables = both_ways(folder, monkeypatch)
    assert problems == []
    assert tables["complaints"].loc[0, "team"] == "Café £5 – North"


def test_column_map_reads_alike(tmp_path, monkeypatch) -> None:
    text = "Ref,Level,Date In,Date Out,Dept,Area\n" + f"COM/1,Stage 1,03/04/2023,,{CS}\n"
    columns = {
        "complaints": {
            "Ref": "case_ref",
            "Level": "stage",
            "Date In": "received_date",
            "Date Out": "responded_date",
            "Dept": "directorate",
            "Area": "service_area",
        }
    }
    folder = write(tmp_path, text)
    problems, tables = both_ways(folder, monkeypatch, columns)
    assert problems == []
    assert tables["complaints"]["case_ref"].tolist() == ["COM/1"]


BAD_VALUES = (
    "case_ref,stage,received_date,responded_date,directorate,service_area,child_in_care,"
    "investigator_cost\n"
    f"COM/1,Stage 9,31/02/2023,,{CS},maybe,£-5\n"
    f",Stage 1,13/25/2023,2023-04-02,{CS},Y,abc\n"
    f"COM/1,Stage 9,2023-04-03,2023-04-01,,,,\n"
    f"COM/2,Stage 1,03/04/23,2023-04-01,{CS},,\n"
    f"COM/2,stage 1,03/04/2023, 2023-04-01 ,{CS},,\n"
)


def test_problems_read_alike(tmp_path, monkeypatch) -> None:
    folder = write(tmp_path, BAD_VALUES)
    assert fast_path_taken(folder)
    problems, _ = both_ways(folder, monkeypatch)
    assert len(problems) >= 10


def test_many_problems_are_capped_alike(tmp_path, monkeypatch) -> None:
    rows = "".join(f"COM/{i % 7},Stage 1,{i % 40}/13/2023,,{CS},perhaps\n" for i in range(500))
    folder = write(
        tmp_path,
        "case_ref,stage,received_date,responded_date,directorate,"
        "service_area,via_advocate\n" + rows,
    )
    problems, _ = both_ways(folder, monkeypatch)
    assert any("more problems like those listed" in p for p in problems)


# --- files the fast path leaves to the careful one --------------------------------------------

HEAD = "case_ref,stage,received_date,directorate,service_area\n"
ROW = f"COM/1,Stage 1,2023-04-03,{CS}\n"
UNUSUAL = {
    "title rows": "Wessex Council\nExport\n" + HEAD + ROW,
    "a ragged row": HEAD + ROW + f"COM/2,Stage 1,2023-04-03,{CS},extra\n",
    "a short last row": HEAD + ROW + "COM/2,Stage 1",
    "a stray quote in a value": HEAD + ROW + f'COM/2,Stage "1,2023-04-03,{CS}\n',
    "text after a closing quote": HEAD + ROW + f'COM/2,"Stage" 1,2023-04-03,{CS}\n',
    "an unclosed quote": HEAD + ROW + f'COM/2,"Stage 1,2023-04-03,{CS}\n',
    "HTML": "<html><body>" + HEAD + "</body></html>",
    "blank lines at the top": "\n\n\n" + HEAD + ROW,
    "one column": "case_ref\nCOM/1\n",
    "semicolons": HEAD.replace(",", ";") + ROW.replace(",", ";"),
}


@pytest.mark.parametrize("content", list(UNUSUAL.values()), ids=list(UNUSUAL))
def test_unusual_files_go_the_careful_way(tmp_path, monkeypatch, content) -> None:
    folder = write(tmp_path, content)
    assert not fast_path_taken(folder)
    both_ways(folder, monkeypatch)


@pytest.mark.parametrize(
    "data",
    [
        "Café".encode("utf-16"),
        b"\x89PNG\r\n\x1a\n",
        b"case_ref\x00,stage\n",
        b"case_ref,stage\n\x81\x8d\x8f\x90\x9d\n",
        b"   \n\t\n",
    ],
    ids=["UTF-16", "PNG", "NUL", "neither UTF-8 nor Windows-1252", "whitespace only"],
)
def test_files_with_a_problem_go_the_careful_way(tmp_path, data) -> None:
    folder = write(tmp_path, data)
    assert not fast_path_taken(folder)
    assert validate_dataset(folder)  # and the careful way names the problem


def test_a_value_longer_than_the_csv_module_allows_goes_the_careful_way(tmp_path) -> None:
    long = "x" * (csv.field_size_limit() + 1)
    folder = write(tmp_path, HEAD + f'COM/1,Stage 1,2023-04-03,{CS}\n"{long}",,,,\n')
    assert not fast_path_taken(folder)


def test_a_file_larger_than_the_top_read_first(tmp_path, monkeypatch) -> None:
    """Quoted values with line breaks across the 1 MiB decoded first and Arrow's blocks."""
    monkeypatch.setattr(csvfile, "CHUNK_BYTES", 4096)  # the quote check over many chunks
    rows = "".join(
        f'COM/{i},Stage 1,2023-04-03,{CS},"line one\nline ""two"", {i}"\n' for i in range(40_000)
    )
    folder = write(tmp_path, HEAD.rstrip("\n") + ",learning\n" + rows)
    assert len((folder / "complaints.csv").read_bytes()) > 2 * csvfile.HEAD_BYTES
    assert fast_path_taken(folder)
    problems, tables = both_ways(folder, monkeypatch)
    assert problems == []
    assert tables["complaints"].loc[39_999, "learning"] == 'line one\nline "two", 39999'


# --- random files: the two ways never disagree ----------------------------------------------

CELL = st.text(
    alphabet=["a", "1", " ", ",", '"', "\n", "\r", "é", "\x1c", "/", "-", "Y"], max_size=6
)


@st.composite
def tables(draw) -> list[list[str]]:
    """Rows mostly as wide as the six headings, sometimes not."""
    width = draw(st.sampled_from([6, 6, 6, 5, 7]))
    return draw(st.lists(st.lists(CELL, min_size=width, max_size=width), max_size=6))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=tables(),
    quote=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, None]),
    tail=st.sampled_from(["", "\n", '"', "\r\n\r\n"]),
)
def test_random_files_read_alike(tmp_path_factory, monkeypatch, rows, quote, tail) -> None:
    """Cells of commas, quotes, line breaks and odd whitespace, written by the csv module or
    just joined with commas (so quotes can land anywhere)."""
    buffer = io.StringIO()
    head = ["case_ref", "stage", "received_date", "directorate", "service_area", "learning"]
    if quote is None:
        buffer.write(",".join(head) + "\n" + "".join(",".join(r) + "\n" for r in rows))
    else:
        writer = csv.writer(buffer, quoting=quote, lineterminator="\n")
        writer.writerow(head)
        writer.writerows(rows)
    folder = write(tmp_path_factory.mktemp("random"), buffer.getvalue() + tail)
    both_ways(folder, monkeypatch)


# --- workbooks: calamine reads as openpyxl does ------------------------------------------------


def openpyxl_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def first_sheet(data: bytes, name: str) -> pd.DataFrame:
        return pd.read_excel(
            io.BytesIO(data), sheet_name=0, header=None, dtype=object, engine="openpyxl"
        )

    monkeypatch.setattr(reading, "first_sheet", first_sheet)


def workbook(rows: list[list[object]], *, top: int = 0, left: int = 0) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate(rows, start=1 + top):
        for c, value in enumerate(row, start=1 + left):
            sheet.cell(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


WORKBOOK_ROWS = [
    [
        "Case Ref",
        "Stage",
        "Received Date",
        "Responded Date",
        "Directorate",
        "Service Area",
        "Child in care",
        "Investigator cost",
        "Team",
        "Learning",
    ],
    [
        "COM/1",
        "Stage 1",
        dt.datetime(2023, 4, 3),
        dt.date(2023, 4, 20),
        *CS.split(","),
        True,
        1754.96,
        12,
        None,
    ],
    [
        "COM/2",
        "S1",
        dt.datetime(2023, 4, 3, 14, 30),
        "20/04/2023",
        *CS.split(","),
        "No",
        1200,
        "N/A",
        "  said sorry  ",
    ],
    ["COM/3", "Informal", "2023-04-03 09:15", None, *CS.split(","), False, None, None, "#N/A"],
    [None] * 10,
    ["COM/4", "stage one", 45019, "31/02/2023", *CS.split(","), 1, "£5", 3.5, "x"],
]


@pytest.mark.parametrize(("top", "left"), [(0, 0), (2, 0), (0, 2)], ids=["A1", "row 3", "column C"])
def test_workbooks_read_alike(tmp_path, monkeypatch, top, left) -> None:
    folder = write(tmp_path, workbook(WORKBOOK_ROWS, top=top, left=left), "complaints.xlsx")
    fast = outcome(folder)
    with monkeypatch.context() as m:
        openpyxl_only(m)
        slow = outcome(folder)
    assert_same(fast, slow)
    assert any("31/02/2023" in p for p in fast[0])  # the problems name the sheet's rows
    assert any(f"row {6 + top}" in p for p in fast[0])


def test_a_valid_workbook_reads_alike(tmp_path, monkeypatch) -> None:
    rows = [r[:8] for r in WORKBOOK_ROWS[:4]]
    rows[2][3] = dt.date(2023, 4, 20)
    folder = write(tmp_path, workbook(rows), "complaints.xlsx")
    fast = outcome(folder)
    with monkeypatch.context() as m:
        openpyxl_only(m)
        slow = outcome(folder)
    assert_same(fast, slow)
    c = fast[1]["complaints"]
    assert c["received_date"].dt.day.tolist() == [3, 3, 3]
    assert c["child_in_care"].tolist() == [True, False, False]


def test_a_workbook_calamine_cannot_read_is_read_by_openpyxl(tmp_path, monkeypatch) -> None:
    def no_calamine(*args, **kwargs):
        if kwargs.get("engine") == "calamine":
            raise ImportError("no python-calamine")
        return real(*args, **kwargs)

    real = pd.read_excel
    rows = [r[:6] for r in WORKBOOK_ROWS[:2]]
    folder = write(tmp_path, workbook(rows), "complaints.xlsx")
    monkeypatch.setattr(pd, "read_excel", no_calamine)
    assert load_dataset(folder).complaints["case_ref"].tolist() == ["COM/1"]


# --- values worked out per distinct value ----------------------------------------------------


def test_whitespace_is_what_python_strips() -> None:
    assert WHITESPACE == "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


DATE_TEXT = st.text(alphabet="0123456789-/:T .٣x", max_size=24)


@settings(max_examples=300, deadline=None)
@given(st.lists(DATE_TEXT, min_size=1, max_size=30))
def test_dates_by_arrow_match_dates_by_python(values) -> None:
    t = pd.Series(values, dtype=object)
    by_python = value_parsing.date_parts_python(t)[["y", "m", "d"]]
    by_arrow = value_parsing.date_parts_arrow(t)
    pd.testing.assert_frame_equal(
        by_arrow.astype(object).where(by_arrow.notna(), None),
        by_python.astype(object).where(by_python.notna(), None),
    )


def test_many_distinct_dates_parse_as_few_do() -> None:
    """Past a few thousand distinct values dates are matched by Arrow: the same dates."""
    start = pd.Timestamp("2016-04-01")
    stamps = [start + pd.Timedelta(minutes=17 * i) for i in range(12_000)]
    raw = [
        f"{ts:%d/%m/%Y %H:%M}"
        if i % 3 == 0
        else f"{ts:%Y-%m-%dT%H:%M:%S}"
        if i % 3 == 1
        else f" {ts.day}/{ts.month}/{ts.year} "
        for i, ts in enumerate(stamps)
    ] + ["31/02/2023", "2023-02-30", "", "yesterday", "1/1/٢٠٢٣", "1/1/2023"]
    parsed = parse_dates(pd.Series(raw, dtype=object))
    expected = [ts.normalize() for ts in stamps] + [pd.NaT] * 5 + [pd.Timestamp("2023-01-01")]
    assert parsed.tolist() == expected
    small = pd.concat(
        [parse_dates(pd.Series(raw[i : i + 100], dtype=object)) for i in range(0, len(raw), 100)],
        ignore_index=True,
    )
    pd.testing.assert_series_equal(parsed, small)


def test_dates_in_other_scripts_digits_are_not_dates(tmp_path) -> None:
    """Python's \\d takes Arabic-Indic digits, which pandas cannot make numbers of: such a date
    once stopped validation with a traceback; now it is a problem like any other bad date."""
    folder = write(tmp_path, HEAD + "COM/1,Stage 1,3/4/٢٠٢٣," + CS + "\n")
    (problem,) = validate_dataset(folder)
    assert problem.row == 2 and problem.column == "received_date"


def test_per_value_results_keep_the_rows_index() -> None:
    s = pd.Series(["2023-04-03", " 3/4/2023 ", None, "x", "2023-04-03"], index=[5, 7, 9, 11, 13])
    got = parse_dates(s)
    assert got.index.tolist() == [5, 7, 9, 11, 13]
    assert got.isna().tolist() == [False, False, True, True, False]
    assert got.dtype == "datetime64[ns]"


def test_raw_tables_read_by_arrow_hold_text_indexed_by_row(tmp_path) -> None:
    folder = write(tmp_path, export(HEADINGS["snake"], "2023-04-03", ""))
    tables, problems = read_raw_tables(folder)
    frame = tables["complaints"].frame
    assert problems == [] and tables["complaints"].problems == []
    assert frame.index.tolist() == [2, 3, 4, 6] and frame.index.name == "source_row"
    assert frame.loc[4, "team"] == "  "
    assert np.all([isinstance(v, str) for v in frame["case_ref"].tolist()])


UTF8_EDGES = [
    b"\xed\xa0\x80",  # a surrogate
    b"\xc0\x80",  # an overlong NUL
    b"\xe0\x80\xaf",  # an overlong slash
    b"\xf4\x90\x80\x80",  # past U+10FFFF
    b"\xf8\x88\x80\x80\x80",  # a five-byte form
    b"\xe2\x82",  # cut off
    b"\xa3",  # Windows-1252's pound sign
    b"\xc2\xa3\xef\xbb\xbf\xf0\x9f\x98\x80",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(UTF8_EDGES) | st.binary(max_size=8), max_size=6))
def test_utf8_is_checked_as_python_decodes(parts) -> None:
    data = b"".join(parts)
    try:
        data.decode("utf-8")
        decodes = True
    except UnicodeDecodeError:
        decodes = False
    assert csvfile.is_utf8(data) is decodes


def test_blank_rows_are_told_by_every_column_alike(tmp_path, monkeypatch) -> None:
    """A row is a record when any cell holds more than whitespace, in any column."""
    rows = [
        "case_ref,stage,received_date,directorate,service_area,team",
        f"COM/1,Stage 1,2023-04-03,{CS},",
        ",,,,,North",  # only its last cell: a record (with problems to name)
        " ,\t,,, ,",  # only whitespace: padding
        ",,,,,",
        f"COM/2,Stage 1,2023-04-04,{CS},",
        "\u3000,,,,,\xa0",
    ]
    folder = write(tmp_path, "\n".join(rows) + "\n")
    assert fast_path_taken(folder)
    fast = read_raw_tables(folder)[0]["complaints"].frame
    assert fast.index.tolist() == [2, 3, 6]
    both_ways(folder, monkeypatch)
