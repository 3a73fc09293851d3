"""Unit tests for validating a data set against the contract, on tiny files in tmp_path."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandera.pandas as pa
import pytest

from complaints_report.data.contract import TABLES
from complaints_report.data.reading import read_raw_tables
from complaints_report.data.validation import (
    MAX_PER_CHECK,
    Problem,
    schema_for,
    validate_dataset,
)

CS = "Children's Services,Children's Social Care"
HEAD = "case_ref,stage,received_date,responded_date,directorate,service_area\n"
COMPLAINTS = HEAD + f"COM/1,Stage 1,03/04/2023,2023-04-20,{CS}\n"
COMPLIMENTS = f"date,directorate,service_area\n2023-04-05,{CS}\n"
OMBUDSMAN = "lgsco_ref,decision_date,directorate,service_area,decision\n"


def write(folder: Path, **files: str | bytes | None) -> Path:
    """A valid data set with ``files`` replaced (``complaints_csv=...``; ``None`` removes one)."""
    contents: dict[str, str | bytes | None] = {
        "complaints.csv": COMPLAINTS,
        "compliments.csv": COMPLIMENTS,
        "ombudsman.csv": OMBUDSMAN,
    }
    contents.update(
        {k.replace("_csv", ".csv").replace("_xlsx", ".xlsx"): v for k, v in files.items()}
    )
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in contents.items():
        if content is None:
            continue
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_valid_data_set_has_no_problems(tmp_path: Path) -> None:
    assert validate_dataset(write(tmp_path)) == []


def test_header_only_tables_are_fine(tmp_path: Path) -> None:
    write(
        tmp_path,
        complaints_csv=HEAD,
        compliments_csv="date,directorate,service_area\n",
        advocacy_csv="quarter_start,referrals\n",
    )
    assert validate_dataset(tmp_path) == []


def test_schema_is_pandera() -> None:
    schema = schema_for(TABLES["complaints"], TABLES["complaints"].column_names)
    assert isinstance(schema, pa.DataFrameSchema)
    assert set(schema.columns) == set(TABLES["complaints"].column_names)


def test_every_problem_across_all_tables(tmp_path: Path) -> None:
    write(
        tmp_path,
        complaints_csv=HEAD
        + f"COM/1,Stage 1,03/04/2023,2023-04-20,{CS}\n"
        + f",stage 7,2023-13-01,,{CS}\n",
        compliments_csv=f"date,directorate,service_area\nyesterday,{CS}\n",
        ombudsman_csv=OMBUDSMAN + f"22006903,2023-06-01,{CS},Maladministration\n",
        member_conduct_csv="received_date,investigated\n2023-05-01,perhaps\n",
    )
    got = {(p.file, p.row, p.column) for p in validate_dataset(tmp_path)}
    assert got == {
        ("complaints.csv", 3, "case_ref"),
        ("complaints.csv", 3, "stage"),
        ("complaints.csv", 3, "received_date"),
        ("compliments.csv", 2, "date"),
        ("ombudsman.csv", 2, "decision"),
        ("member_conduct.csv", 2, "investigated"),
    }


def test_problems_come_in_row_then_column_order(tmp_path: Path) -> None:
    write(
        tmp_path,
        complaints_csv=HEAD + f"COM/1,Stage 9,bad,,{CS}\nCOM/2,Stage 1,bad,,,\n",
    )
    got = [(p.row, p.column) for p in validate_dataset(tmp_path)]
    assert got == [
        (2, "stage"),
        (2, "received_date"),
        (3, "received_date"),
        (3, "directorate"),
        (3, "service_area"),
    ]


def test_whitespace_only_required_value_is_blank(tmp_path: Path) -> None:
    write(tmp_path, complaints_csv=HEAD + f"   ,Stage 1,03/04/2023,,{CS}\n")
    p = only(validate_dataset(tmp_path))
    assert (p.row, p.column) == (2, "case_ref")
    assert "blank — expected a value: case_ref is required" in str(p)


def test_cap_per_check(tmp_path: Path) -> None:
    rows = "".join(f"COM/{i},Stage 1,not a date,,{CS}\n" for i in range(45))
    write(tmp_path, complaints_csv=HEAD + rows)
    problems = validate_dataset(tmp_path)
    assert len(problems) == MAX_PER_CHECK + 1
    assert [p.row for p in problems[:MAX_PER_CHECK]] == list(range(2, 2 + MAX_PER_CHECK))
    summary = problems[-1]
    assert (summary.row, summary.column) == (None, "received_date")
    assert "25 more problems like those listed (from row 22 on) are not listed" in str(summary)


def test_duplicate_names_both_rows(tmp_path: Path) -> None:
    write(
        tmp_path,
        complaints_csv=HEAD
        + f"COM/1,Stage 1,03/04/2023,,{CS}\n"
        + f"COM/1,Informal,01/04/2023,,{CS}\n"
        + f" COM/1 ,formal,05/04/2023,,{CS}\n",
    )
    p = only(validate_dataset(tmp_path))
    assert (p.row, p.column) == (4, "case_ref")
    assert "row 2 has the same case_ref at Stage 1" in str(p)


def test_duplicates_without_spaces_to_strip(tmp_path: Path) -> None:
    """Case references needing no stripping are told apart by their raw values alone."""
    write(
        tmp_path,
        complaints_csv=HEAD
        + f"COM/1,Stage 1,03/04/2023,,{CS}\n"
        + f"COM/2,Stage 1,03/04/2023,,{CS}\n"
        + f"COM/1,S1,04/04/2023,,{CS}\n"
        + f"COM/2,Stage 2,05/04/2023,,{CS}\n",
    )
    p = only(validate_dataset(tmp_path))
    assert (p.row, p.column, p.value) == (4, "case_ref", "COM/1")
    assert "row 2 has the same case_ref at Stage 1" in str(p)


def test_responded_same_day_is_fine(tmp_path: Path) -> None:
    write(tmp_path, complaints_csv=HEAD + f"COM/1,Stage 1,03/04/2023,2023-04-03,{CS}\n")
    assert validate_dataset(tmp_path) == []


def test_missing_column_names_headings_found_and_suggests(tmp_path: Path) -> None:
    write(
        tmp_path,
        complaints_csv="Case Ref,Stage,Recieved Date,Directorate,Service Area\n"
        f"COM/1,Stage 1,03/04/2023,{CS}\n",
    )
    p = only(validate_dataset(tmp_path))
    assert (p.file, p.row, p.column) == ("complaints.csv", None, "received_date")
    assert "'Case Ref', 'Stage', 'Recieved Date'" in str(p)
    assert "did you mean 'Recieved Date'?" in str(p)


def test_one_problem_per_missing_column(tmp_path: Path) -> None:
    write(tmp_path, compliments_csv="when,where\n2023-04-05,x\n")
    got = [(p.file, p.column) for p in validate_dataset(tmp_path)]
    assert got == [
        ("compliments.csv", "date"),
        ("compliments.csv", "directorate"),
        ("compliments.csv", "service_area"),
    ]


def test_two_headings_for_one_column(tmp_path: Path) -> None:
    write(
        tmp_path,
        complaints_csv="case_ref,stage,received_date,directorate,service_area,Case Ref\n"
        f"COM/1,Stage 1,03/04/2023,{CS},COM/1\n",
    )
    p = only(validate_dataset(tmp_path))
    assert (p.row, p.column, p.value) == (1, "case_ref", "Case Ref")
    assert "columns A ('case_ref') and F both mean case_ref" in str(p)


def test_bad_column_map(tmp_path: Path) -> None:
    problems = validate_dataset(
        write(tmp_path),
        columns={"complaint": {"x": "case_ref"}, "complaints": {"Ref": "reference"}},
    )
    assert [(p.file, p.value) for p in problems] == [
        ("params columns", "complaint"),
        ("params columns", "reference"),
    ]


def test_missing_folder(tmp_path: Path) -> None:
    p = only(validate_dataset(tmp_path / "nowhere"))
    assert "no such folder" in str(p)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "the file is empty"),
        (b"\xef\xbb\xbf", "the file is empty"),
        (b"\r\n\r\n", "the file is empty"),
        (b"PK\x03\x04rest", "name it complaints.xlsx"),
        (b"\xd0\xcf\x11\xe0rest", "old-style Office file"),
        (b"%PDF-1.7\n", "a PDF document"),
        (b"<html><table></table></html>", "HTML or XML"),
        (b"case_ref\x00stage\x00", "binary data"),
        (b"case_ref,stage\n\x81\x8d\x90\n", "neither UTF-8 nor Windows-1252"),
        (COMPLAINTS.encode("utf-16-le"), "UTF-16"),
        (COMPLAINTS.replace(",", "\t").encode(), "tab-delimited"),
    ],
)
def test_unreadable_complaints_file(tmp_path: Path, content: bytes, says: str) -> None:
    p = only(validate_dataset(write(tmp_path, complaints_csv=content)))
    assert (p.file, p.row, p.column) == ("complaints.csv", None, None)
    assert says in str(p)


def test_csv_saved_as_xlsx(tmp_path: Path) -> None:
    write(tmp_path, complaints_csv=None, complaints_xlsx=COMPLAINTS)
    p = only(validate_dataset(tmp_path))
    assert p.file == "complaints.xlsx"
    assert "not an .xlsx workbook" in str(p)


def test_corrupt_xlsx(tmp_path: Path) -> None:
    write(tmp_path, complaints_csv=None, complaints_xlsx=b"PK\x03\x04 not really a zip")
    assert "the workbook could not be read" in str(only(validate_dataset(tmp_path)))


def test_empty_first_sheet(tmp_path: Path) -> None:
    write(tmp_path, complaints_csv=None, complaints_xlsx=xlsx_bytes([]))
    assert "the first sheet is empty" in str(only(validate_dataset(tmp_path)))


def test_xlsx_problems_use_excel_rows(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["case_ref", "stage", "received_date", "directorate", "service_area"],
        ["COM/1", "Stage 1", "03/04/2023", "Children's Services", "Children's Social Care"],
        [None] * 5,
        ["COM/2", "Stage 1", 45019, "Children's Services", None],
    ]
    write(tmp_path, complaints_csv=None, complaints_xlsx=xlsx_bytes(rows))
    got = [(p.file, p.row, p.column, p.value) for p in validate_dataset(tmp_path)]
    assert got == [
        ("complaints.xlsx", 4, "received_date", "45019"),
        ("complaints.xlsx", 4, "service_area", ""),
    ]
    assert "Excel date number" in str(validate_dataset(tmp_path)[0])


def test_file_names_match_case_insensitively(tmp_path: Path) -> None:
    write(tmp_path, complaints_csv=None)
    (tmp_path / "Complaints.CSV").write_text(COMPLAINTS, encoding="utf-8")
    assert validate_dataset(tmp_path) == []
    tables, _ = read_raw_tables(tmp_path)
    assert tables["complaints"].file == "Complaints.CSV"


def test_optional_table_absent_is_fine_but_required_absent_is_not(tmp_path: Path) -> None:
    write(tmp_path, compliments_csv=None)
    p = only(validate_dataset(tmp_path))
    assert p.file == "compliments.csv"
    assert "the compliments table is required" in str(p)


def test_money_forms(tmp_path: Path) -> None:
    write(
        tmp_path,
        ombudsman_csv=OMBUDSMAN.rstrip("\n")
        + ",remedy_amount\n"
        + "".join(
            f"R{i},2023-06-01,{CS},Upheld,{v}\n"
            for i, v in enumerate(['"£1,754.96"', "250", "", "£-5", '"1,75"', "£"])
        ),
    )
    got = [(p.row, p.value) for p in validate_dataset(tmp_path)]
    assert got == [(5, "£-5"), (6, "1,75"), (7, "£")]


def test_cap_summary_does_not_repeat_a_value_hint(tmp_path: Path) -> None:
    rows = "".join(f"COM/{i},Stage 1,01/13/2023,,{CS}\n" for i in range(25))
    write(tmp_path, complaints_csv=HEAD + rows)
    problems = validate_dataset(tmp_path)
    assert "there is no month 13" in str(problems[0])
    assert "no month" not in str(problems[-1])


# --- files that are not what they seem ------------------------------------------------------

PASSWORD_SAYS = (
    "the workbook is password-protected: remove the password (File > Info > Protect Workbook) "
    "and save it again"
)


def encrypted_xlsx(rows: list[list[object]]) -> bytes:
    """A workbook as Excel saves it with a password (msoffcrypto-tool, the test extra)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx_bytes(rows))).encrypt("secret", out)
    return out.getvalue()


@pytest.mark.parametrize("name", ["complaints_xlsx", "complaints_csv"])
def test_password_protected_workbook_is_named_so(tmp_path: Path, name: str) -> None:
    data = encrypted_xlsx([HEAD.strip().split(",")])
    assert data.startswith(b"\xd0\xcf\x11\xe0")
    write(tmp_path, **{"complaints_csv": None, name: data})
    p = only(validate_dataset(tmp_path))
    assert (p.row, p.column) == (None, None)
    assert PASSWORD_SAYS in str(p)
    assert ".xls workbook" not in str(p)


def test_other_ole_file_named_xlsx_is_an_old_style_office_file(tmp_path: Path) -> None:
    write(tmp_path, complaints_csv=None, complaints_xlsx=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest")
    p = only(validate_dataset(tmp_path))
    assert "it looks like an old-style Office file such as an Excel .xls workbook" in str(p)
    assert 'save it as "Excel Workbook (*.xlsx)"' in str(p)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    write(tmp_path, complaints_csv=None, complaints_xlsx=buffer.getvalue())
    assert "it is a zip archive, not an Excel workbook" in str(only(validate_dataset(tmp_path)))


def test_truncated_workbook_is_damaged_or_incomplete(tmp_path: Path) -> None:
    whole = xlsx_bytes([HEAD.strip().split(",")])
    write(tmp_path, complaints_csv=None, complaints_xlsx=whole[: len(whole) // 2])
    p = only(validate_dataset(tmp_path))
    assert "the file is damaged or incomplete" in str(p) and "download or export it again" in str(p)


# --- headings below title rows ---------------------------------------------------------------

TITLES: list[list[object]] = [["Wessex Council complaints"], ["1 April 2023 to 31 March 2024"]]
ROW = [
    "COM/1",
    "Stage 1",
    "03/04/2023",
    "2023-04-20",
    "Children's Services",
    "Children's Social Care",
]


def test_headings_below_title_rows_are_found_and_rows_stay_the_sheets(tmp_path: Path) -> None:
    bad = ["COM/2", "Stage 1", "31/02/2023", None, "Children's Services", "Children's Social Care"]
    rows = [*TITLES, [None], HEAD.strip().split(","), ROW, [None] * 6, bad]
    write(tmp_path, complaints_csv=None, complaints_xlsx=xlsx_bytes(rows))
    p = only(validate_dataset(tmp_path))
    assert (p.file, p.row, p.column, p.value) == (
        "complaints.xlsx",
        7,
        "received_date",
        "31/02/2023",
    )
    tables, _ = read_raw_tables(tmp_path)
    assert tables["complaints"].frame.index.tolist() == [5, 7]


def test_headings_below_title_rows_in_a_csv(tmp_path: Path) -> None:
    text = (
        "Wessex Council complaints,,,,,\n,,,,,\n" + COMPLAINTS + f"COM/2,Stage 9,03/04/2023,,{CS}\n"
    )
    p = only(validate_dataset(write(tmp_path, complaints_csv=text)))
    assert (p.row, p.column, p.value) == (5, "stage", "Stage 9")


def test_title_rows_and_a_missing_column_name_the_heading_row(tmp_path: Path) -> None:
    headings = [h for h in HEAD.strip().split(",") if h != "received_date"]
    write(tmp_path, complaints_csv=None, complaints_xlsx=xlsx_bytes([*TITLES, headings]))
    p = only(validate_dataset(tmp_path))
    assert p.column == "received_date"
    assert "headings found in row 3: 'case_ref', 'stage'" in str(p)


def test_headings_are_looked_for_in_the_first_ten_rows_only(tmp_path: Path) -> None:
    rows = [["Wessex Council complaints"]] * 10 + [HEAD.strip().split(","), ROW]
    write(tmp_path, complaints_csv=None, complaints_xlsx=xlsx_bytes(rows))
    problems = validate_dataset(tmp_path)
    assert {p.column for p in problems} == {
        "case_ref",
        "stage",
        "received_date",
        "directorate",
        "service_area",
    }
    assert "headings found in row 1: 'Wessex Council complaints'" in str(problems[0])


def test_a_complete_first_row_is_the_heading_row_even_if_a_later_one_looks_like_it(
    tmp_path: Path,
) -> None:
    text = COMPLAINTS + "case_ref,stage,received_date,responded_date,directorate,service_area\n"
    problems = validate_dataset(write(tmp_path, complaints_csv=text))
    assert [(p.row, p.column) for p in problems] == [
        (3, "stage"),
        (3, "received_date"),
        (3, "responded_date"),
    ]


def test_many_headings_are_listed_briefly(tmp_path: Path) -> None:
    text = ",".join(f"column {n}" for n in range(200)) + "\n"
    problems = validate_dataset(write(tmp_path, complaints_csv=text))
    assert len(problems) == 5
    assert "'column 29' and 170 more)" in str(problems[0])


# --- files cut off, and quotes ----------------------------------------------------------------


def test_file_ending_inside_quotes_is_cut_off(tmp_path: Path) -> None:
    text = COMPLAINTS + f"COM/2,Stage 1,03/04/2023,,{CS.split(',')[0]},\"Children's"
    p = only(validate_dataset(write(tmp_path, complaints_csv=text)))
    assert (p.row, p.column) == (3, None)
    assert "the file ends inside a quoted value that opens in this row" in str(p)


def test_stray_quote_inside_a_value_is_read_as_excel_reads_it(tmp_path: Path) -> None:
    text = HEAD.replace("\n", ",team\n") + f'COM/1,Stage 1,03/04/2023,,{CS},"North" East\n'
    write(tmp_path, complaints_csv=text)
    assert validate_dataset(tmp_path) == []
    tables, _ = read_raw_tables(tmp_path)
    assert tables["complaints"].frame["team"].tolist() == ["North East"]


@pytest.mark.parametrize(
    ("text", "cut_off"),
    [
        (COMPLAINTS + "COM/2,Stage 1,03/04", True),
        # a short last row ended by a line break was written so: its blanks are checked instead
        (COMPLAINTS + "COM/2,Stage 1,03/04/2023\n", False),
        # short rows all through: a hand-made file, not one cut off
        (HEAD + "COM/1,Stage 1,03/04/2023\nCOM/2,Stage 1,03/04", False),
        # a whole last row without a line break at the end is fine
        (COMPLAINTS.rstrip("\n"), False),
    ],
)
def test_file_cut_off_mid_row(tmp_path: Path, text: str, cut_off: bool) -> None:
    problems = validate_dataset(write(tmp_path, complaints_csv=text))
    says = [p for p in problems if "it looks cut off" in str(p)]
    if cut_off:
        assert [(p.row, p.column) for p in problems] == [(3, None)]
        assert "the last row stops after 3 of its 6 cells" in str(says[0])
    else:
        assert says == []


def test_a_row_wider_than_any_spreadsheet_is_not_a_table(tmp_path: Path) -> None:
    text = COMPLAINTS + ",".join(["x"] * 20_000) + "\n"
    p = only(validate_dataset(write(tmp_path, complaints_csv=text)))
    assert (p.row, p.column) == (3, None)
    assert "the row has 20,000 cells, more than the 16,384 columns" in str(p)
