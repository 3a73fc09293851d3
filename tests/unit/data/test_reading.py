"""Unit tests for reading a data set folder into normalised frames, on tiny files in tmp_path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaints_report.data.contract import (
    DECISIONS,
    OUTCOMES,
    REQUIRED_TABLES,
    STAGES,
    TABLES,
    heading_key,
)
from complaints_report.data.loading import load_dataset
from complaints_report.data.model import DataError, Dataset, Problem
from complaints_report.data.values import (
    parse_choice,
    parse_dates,
    parse_money,
    parse_whole,
    parse_yesno,
)

CS = "Children's Services,Children's Social Care"
COMPLAINTS = (
    "case_ref,stage,received_date,responded_date,directorate,service_area\n"
    f"COM/1,Stage 1,03/04/2023,2023-04-20,{CS}\n"
)
COMPLIMENTS = f"date,directorate,service_area\n2023-04-05,{CS}\n"
OMBUDSMAN = "lgsco_ref,decision_date,directorate,service_area,decision\n"


def write(folder: Path, **files: str | bytes) -> Path:
    """A data set in ``folder``: the three required tables (valid) unless given, plus ``files``.

    Keyword names are file names with ``_`` for ``.``: ``complaints_csv="..."``.
    """
    contents: dict[str, str | bytes] = {
        "complaints.csv": COMPLAINTS,
        "compliments.csv": COMPLIMENTS,
        "ombudsman.csv": OMBUDSMAN,
    }
    contents.update(
        {k.replace("_csv", ".csv").replace("_xlsx", ".xlsx"): v for k, v in files.items()}
    )
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in contents.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return folder


def s(*values: str) -> pd.Series:
    return pd.Series(list(values), dtype=object)


# --- the contract as data -------------------------------------------------------------------


def test_contract_constants() -> None:
    assert STAGES == ("Informal", "Stage 1", "Stage 2", "Stage 3")
    assert OUTCOMES == ("Fully justified", "Partially justified", "Not justified", "Withdrawn")
    assert DECISIONS == ("Upheld", "Not upheld", "Closed after initial enquiries", "Referred back")
    assert REQUIRED_TABLES == ("complaints", "compliments", "ombudsman")
    assert set(TABLES) == {
        "complaints",
        "compliments",
        "ombudsman",
        "advocacy",
        "equalities",
        "member_conduct",
    }
    assert TABLES["complaints"].required_columns == (
        "case_ref",
        "stage",
        "received_date",
        "directorate",
        "service_area",
    )


@pytest.mark.parametrize(
    "heading", ["Case Ref", "case-ref", "CASE_REF", " case  ref ", "\ufeffCase_Ref"]
)
def test_heading_key(heading: str) -> None:
    assert heading_key(heading) == "case_ref"


# --- parsing values -------------------------------------------------------------------------


def test_parse_dates_accepts_iso_uk_short_and_datetime() -> None:
    got = parse_dates(s("2023-04-03", "03/04/2023", "3/4/2023", " 2023-4-3 ", "03/04/2023 14:22"))
    assert (got == pd.Timestamp("2023-04-03")).all()
    assert got.dtype == "datetime64[ns]"


@pytest.mark.parametrize(
    "bad", ["31/02/2023", "13/25/2023", "03/04/23", "2023/04/03", "April 3 2023", "45019", "x"]
)
def test_parse_dates_rejects(bad: str) -> None:
    assert parse_dates(s(bad)).isna().all()


def test_parse_dates_blank_is_nat() -> None:
    assert parse_dates(s("", "  ")).isna().all()


def test_parse_yesno() -> None:
    got = parse_yesno(s("Y", "n", "YES", "no", "TRUE", "false", "1", "0", "", " yes ", "maybe"))
    assert got.tolist()[:10] == [True, False, True, False, True, False, True, False, False, True]
    assert got.isna().tolist()[10]


def test_parse_yesno_where_blank_is_not_recorded() -> None:
    got = parse_yesno(s("Yes", "N", "", "  ", "maybe"), blank_is_no=False)
    assert got.tolist()[:2] == [True, False]
    assert got.isna().tolist() == [False, False, True, True, True]


def test_ombudsman_compliance_columns_keep_blank_apart_from_no(tmp_path: Path) -> None:
    ombudsman = (
        "LGSCO Ref,Decision Date,Directorate,Service Area,Decision,Remedied Before,"
        "Recommendations Complied\n"
        f"L1,2023-06-01,{CS},Upheld,Yes,Yes\n"
        f"L2,2023-06-02,{CS},Upheld,,No\n"
        f"L3,2023-06-03,{CS},Upheld,n,\n"
    )
    ds = load_dataset(write(tmp_path, ombudsman_csv=ombudsman))
    o = ds.ombudsman
    assert o["remedied_before"].tolist() == [True, False, False]  # blank means No
    assert o["recommendations_complied"].tolist()[:2] == [True, False]
    assert pd.isna(o["recommendations_complied"].iloc[2])  # blank: none due, not No
    assert ds.has_column("ombudsman", "remedied_before")
    assert ds.has_column("ombudsman", "recommendations_complied")


def test_dataset_records_which_columns_each_file_has(tmp_path: Path) -> None:
    ds = load_dataset(write(tmp_path))
    assert ds.columns["complaints"] == frozenset(
        {"case_ref", "stage", "received_date", "responded_date", "directorate", "service_area"}
    )
    assert ds.has_column("complaints", "responded_date")
    # absent optional columns are blank in the frame but not recorded
    assert not ds.has_column("complaints", "panel_date")
    assert ds.complaints["panel_date"].isna().all()
    assert not ds.has_column("ombudsman", "recommendations_complied")
    # an absent optional table has no columns
    assert ds.columns["advocacy"] == frozenset()
    assert not ds.has_column("advocacy", "referrals")


def test_parse_money() -> None:
    got = parse_money(s("£1,754.96", "1754.96", "£ 12", "", "abc", "-250", "£-5", "1,75", ".5"))
    expected = [1754.96, 1754.96, 12.0, np.nan, np.nan, -250.0, -5.0, np.nan, 0.5]
    np.testing.assert_array_equal(got.to_numpy(), np.array(expected))
    assert got.dtype == "float64"


@given(st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False))
def test_parse_money_reads_any_formatted_amount(amount) -> None:
    text = f"£{amount:,.2f}"
    assert parse_money(s(text)).iloc[0] == pytest.approx(float(amount))


def test_parse_whole() -> None:
    got = parse_whole(s("12", " 3 ", "1,200", "3.5", "-2", "", "x"))
    assert got.tolist()[:3] == [12, 3, 1200]
    assert got.isna().tolist()[3:] == [True] * 4


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("stage one", "Stage 1"),
        (" Stage 1 ", "Stage 1"),
        ("STAGE 1", "Stage 1"),
        ("Stage   1", "Stage 1"),
        ("S1", "Stage 1"),
        ("Formal", "Stage 1"),
        ("representation", "Informal"),
        ("Informal Representation", "Informal"),
        ("Stage Two", "Stage 2"),
        ("s3", "Stage 3"),
        ("review panel", "Stage 3"),
    ],
)
def test_stage_aliases(raw: str, canonical: str) -> None:
    from complaints_report.data.contract import STAGE_CHOICES

    assert parse_choice(s(raw), STAGE_CHOICES).iloc[0] == canonical


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("upheld", "Fully justified"),
        ("Justified", "Fully justified"),
        ("Partially Upheld", "Partially justified"),
        ("part justified", "Partially justified"),
        ("Not upheld", "Not justified"),
        ("withdrawn", "Withdrawn"),
    ],
)
def test_outcome_aliases(raw: str, canonical: str) -> None:
    from complaints_report.data.contract import OUTCOME_CHOICES

    assert parse_choice(s(raw), OUTCOME_CHOICES).iloc[0] == canonical


# --- reading files --------------------------------------------------------------------------


def test_headings_matched_loosely_unknown_dropped_and_source_row(tmp_path: Path) -> None:
    write(
        tmp_path,
        complaints_csv=(
            "Case Ref,STAGE,Received-Date,responded date,Directorate,Service_Area,Notes\n"
            f"COM/1,Stage 1,03/04/2023,,{CS},ignore me\n"
            "\n"
            f"COM/2,Informal,2023-05-01,2023-05-02,{CS},\n"
        ),
    )
    ds = load_dataset(tmp_path)
    c = ds.complaints
    assert list(c.columns) == [*TABLES["complaints"].column_names, "source_row"]
    assert c["case_ref"].tolist() == ["COM/1", "COM/2"]
    # Row 3 is blank: rows are numbered as a spreadsheet shows them, header as row 1.
    assert c["source_row"].tolist() == [2, 4]
    assert c["responded_date"].isna().tolist() == [True, False]


def test_column_map_from_params(tmp_path: Path) -> None:
    write(
        tmp_path,
        complaints_csv=(
            "Reference,Level,Date Received,Directorate,Service Area\n"
            f"COM/1,Stage 1,03/04/2023,{CS}\n"
        ),
    )
    columns = {
        "complaints": {"reference": "case_ref", "LEVEL": "stage", "Date-Received": "received_date"}
    }
    c = load_dataset(tmp_path, columns=columns).complaints
    assert c.loc[0, "case_ref"] == "COM/1"
    assert c.loc[0, "stage"] == "Stage 1"
    assert c.loc[0, "received_date"] == pd.Timestamp("2023-04-03")


def test_dtypes_and_values(tmp_path: Path) -> None:
    write(
        tmp_path,
        complaints_csv=(
            "case_ref,stage,received_date,responded_date,directorate,service_area,team,"
            "child_in_care,via_advocate,outcome,extension_agreed,learning,investigator_cost\n"
            f' COM/1 ,stage one,03/04/2023,20/04/2023,{CS},   ,yes,,upheld,N,"Said ""sorry"", and\n'
            'learned","£1,754.96"\n'
        ),
        ombudsman_csv=(
            OMBUDSMAN.rstrip("\n") + ",remedy_amount\n"
            f"22006903,2023-06-01,{CS},Closed after initial enquiries,\n"
        ),
        advocacy_csv="quarter_start,referrals,provider\n2023-04-01,12,Action for Children\n",
    )
    ds = load_dataset(tmp_path)
    row = ds.complaints.iloc[0]
    assert row["case_ref"] == "COM/1"
    assert row["stage"] == "Stage 1"
    assert row["outcome"] == "Fully justified"
    assert pd.isna(row["team"])
    assert row["child_in_care"] is np.True_ or row["child_in_care"] is True
    assert not row["via_advocate"]
    assert row["learning"] == 'Said "sorry", and\nlearned'
    assert row["investigator_cost"] == 1754.96
    assert np.isnan(row["additional_cost"])
    assert ds.ombudsman.loc[0, "decision"] == "Closed after initial enquiries"
    assert np.isnan(ds.ombudsman.loc[0, "remedy_amount"])
    assert ds.advocacy["referrals"].tolist() == [12]
    assert ds.advocacy["referrals"].dtype == "int64"


KIND_DTYPES = {
    "date": "datetime64[ns]",
    "yesno": "bool",
    "money": "float64",
    "int": "int64",
    "text": "string",
    "choice": "string",
}


@pytest.mark.parametrize("table", list(TABLES))
def test_every_table_has_every_column_with_its_dtype(tmp_path: Path, table: str) -> None:
    ds = load_dataset(write(tmp_path))
    frame = ds.table(table)
    spec = TABLES[table]
    assert list(frame.columns) == [*spec.column_names, "source_row"]
    for column in spec.columns:
        expected = KIND_DTYPES[column.kind]
        if column.kind == "yesno" and not column.blank_is_no:
            expected = "boolean"  # blank means not recorded: NA, never No
        assert str(frame[column.name].dtype) == expected, column.name
    assert frame["source_row"].dtype == "int64"
    if table in ("advocacy", "equalities", "member_conduct", "ombudsman"):
        assert frame.empty


def test_dataset_attributes(tmp_path: Path) -> None:
    ds = load_dataset(write(tmp_path))
    assert isinstance(ds, Dataset)
    assert ds.data_dir == tmp_path
    assert ds.files == {t: tmp_path / f"{t}.csv" for t in REQUIRED_TABLES}
    assert isinstance(ds.member_conduct, pd.DataFrame)


def test_utf8_bom(tmp_path: Path) -> None:
    write(tmp_path, complaints_csv=("\ufeff" + COMPLAINTS).encode("utf-8"))
    assert load_dataset(tmp_path).complaints.loc[0, "case_ref"] == "COM/1"


def test_windows_1252_pound_sign(tmp_path: Path) -> None:
    text = (
        "case_ref,stage,received_date,directorate,service_area,investigator_cost,learning\n"
        f'COM/1,Stage 2,03/04/2023,{CS},"£1,200.50",café\n'
    )
    write(tmp_path, complaints_csv=text.encode("cp1252"))
    c = load_dataset(tmp_path).complaints
    assert c.loc[0, "investigator_cost"] == 1200.50
    assert c.loc[0, "learning"] == "café"


def test_crlf_line_endings(tmp_path: Path) -> None:
    write(tmp_path, complaints_csv=COMPLAINTS.replace("\n", "\r\n"))
    c = load_dataset(tmp_path).complaints
    assert c.loc[0, "service_area"] == "Children's Social Care"


def _workbook(path: Path, rows: list[list[object]], second_sheet: bool = True) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if second_sheet:
        wb.create_sheet("Notes").append(["not", "read"])
    wb.save(path)


def test_xlsx_first_sheet_dates_numbers_and_excel_rows(tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / "ombudsman.csv").unlink()
    _workbook(
        tmp_path / "ombudsman.xlsx",
        [
            [
                "LGSCO Ref",
                "Decision Date",
                "Directorate",
                "Service Area",
                "Decision",
                "Remedy Amount",
            ],
            [
                22006903,
                dt.datetime(2023, 6, 1),
                "Children's Services",
                "Children's Social Care",
                "Upheld",
                250,
            ],
            [None, None, None, None, None, None],
            [
                "22001234",
                "02/07/2023",
                "Children's Services",
                "Children's Social Care",
                "not upheld",
                1754.96,
            ],
        ],
    )
    ds = load_dataset(tmp_path)
    o = ds.ombudsman
    assert o["lgsco_ref"].tolist() == ["22006903", "22001234"]
    assert o["decision_date"].tolist() == [pd.Timestamp("2023-06-01"), pd.Timestamp("2023-07-02")]
    assert o["decision"].tolist() == ["Upheld", "Not upheld"]
    assert o["remedy_amount"].tolist() == [250.0, 1754.96]
    assert o["source_row"].tolist() == [2, 4]
    assert ds.files["ombudsman"] == tmp_path / "ombudsman.xlsx"


def test_xlsx_booleans_are_yes_no(tmp_path: Path) -> None:
    write(tmp_path)
    _workbook(
        tmp_path / "member_conduct.xlsx",
        [["received_date", "investigated", "upheld"], [dt.date(2023, 5, 1), True, False]],
        second_sheet=False,
    )
    m = load_dataset(tmp_path).member_conduct
    assert m["investigated"].tolist() == [True]
    assert m["upheld"].tolist() == [False]


def test_raw_files_never_modified(tmp_path: Path) -> None:
    write(tmp_path, complaints_csv=COMPLAINTS.replace("03/04/2023", "31/02/2023"))
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    with pytest.raises(DataError):
        load_dataset(tmp_path)
    load_dataset(write(tmp_path / "ok"))
    after = {
        p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir() if p.is_file()
    }
    assert after == before


# --- problems and errors --------------------------------------------------------------------


def test_problem_str() -> None:
    p = Problem(
        "complaints.csv",
        7,
        "received_date",
        "31/02/2023",
        "a date such as 2023-04-03 or 03/04/2023",
    )
    assert str(p) == (
        "complaints.csv, row 7, column received_date: value '31/02/2023' — "
        "expected a date such as 2023-04-03 or 03/04/2023"
    )
    whole = Problem(
        "complaints.csv",
        None,
        None,
        None,
        "a header row naming the columns",
        issue="the file is empty",
    )
    assert (
        str(whole) == "complaints.csv: the file is empty — expected a header row naming the columns"
    )
    with pytest.raises(AttributeError):
        p.row = 8  # type: ignore[misc]


def test_problem_str_is_one_line_and_short() -> None:
    p = Problem("complaints.csv", 2, "learning", "line one\nline two " + "x" * 200, "text")
    assert "\n" not in str(p)
    assert len(str(p)) < 150


def test_data_error_lists_every_problem(tmp_path: Path) -> None:
    write(
        tmp_path,
        complaints_csv=COMPLAINTS.replace("Stage 1", "Stage 9").replace("03/04/2023", "31/02/2023"),
        compliments_csv=b"",
    )
    with pytest.raises(DataError) as caught:
        load_dataset(tmp_path)
    err = caught.value
    lines = str(err).splitlines()
    assert lines[0] == f"3 problems in the data set {tmp_path}:"
    assert lines[1:] == [str(p) for p in err.problems]
    assert {p.file for p in err.problems} == {"complaints.csv", "compliments.csv"}


@pytest.mark.parametrize(
    ("case", "rows"), [("xlsx-header-on-row-3", [4, 5]), ("csv-title-rows", [5, 6])]
)
def test_title_rows_above_the_headings_are_skipped(case: str, rows: list[int]) -> None:
    """Exports with the council's name and the period above the headings read as they are,
    each record keeping the row the spreadsheet shows."""
    folder = Path(__file__).resolve().parents[2] / "bad_inputs" / case
    c = load_dataset(folder).complaints
    assert c["source_row"].tolist() == rows
    assert c["case_ref"].tolist() == ["COM/1", "COM/2"]
    assert c["received_date"].tolist() == [pd.Timestamp("2023-04-03"), pd.Timestamp("2023-07-10")]
    assert c["stage"].tolist() == ["Stage 1", "Informal"]
