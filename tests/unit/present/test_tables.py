"""Report tables and their formats (complaints_report.tables)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from complaints_report.present.tables import (
    ReportTable,
    format_count,
    format_money,
    format_percent,
)

DASH = "\N{EN DASH}"


def outcomes() -> ReportTable:
    frame = pd.DataFrame(
        {
            "Outcome": ["Upheld", "Not upheld", '=HYPERLINK("http://x")'],
            "Complaints": [12, 1268, 0],
            "Share": [0.145, 0.135, None],
            "Remedy paid": [1754.96, 12394.84, -50.0],
            "Comment": ["+1", "-cmd", "@SUM(A1)"],
        }
    )
    return ReportTable(
        name="stage-1-outcomes",
        title="Stage 1 complaints by outcome",
        frame=frame,
        formats={
            "Complaints": "count",
            "Share": "percent",
            "Remedy paid": "money",
            "Comment": "text",
        },
        note="Source: case-management export.",
    )


# --- formats --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "expected"),
    [(0.145, "15%"), (0.135, "14%"), (0.144, "14%"), (0.005, "1%"), (0.0, "0%"), (1.0, "100%")],
)
def test_percent_rounds_half_up(share, expected):
    assert format_percent(share) == expected


def test_percent_halves_that_floats_store_just_below():
    # Python's round() gives 14 and 28 here: banker's rounding and binary floats.
    assert round(14.5) == 14 and round(0.285 * 100) == 28
    assert format_percent(29 / 200) == "15%"
    assert format_percent(0.285) == "29%"
    assert format_percent(0.285) == f"{math.floor(100 * 0.285 + 0.5 + 1e-9)}%"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (1754.96, "£1,754.96"),
        (12394.84, "£12,394.84"),
        (0, "£0.00"),
        (0.125, "£0.13"),
        (1234567.891, "£1,234,567.89"),
        (-50, "-£50.00"),
    ],
)
def test_money(amount, expected):
    assert format_money(amount) == expected


@pytest.mark.parametrize(("n", "expected"), [(1268, "1,268"), (0, "0"), (1234567, "1,234,567")])
def test_count(n, expected):
    assert format_count(n) == expected


@pytest.mark.parametrize("fmt", [format_percent, format_money, format_count])
@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_missing_is_an_en_dash(fmt, missing):
    assert fmt(missing) == DASH


def test_count_rejects_fractions_and_text():
    with pytest.raises(ValueError):
        format_count(2.5)
    with pytest.raises(TypeError):
        format_count("12")


# --- the table ------------------------------------------------------------------------------


def test_display_frame_is_formatted_for_readers():
    shown = outcomes().display_frame()
    assert list(shown.columns) == ["Outcome", "Complaints", "Share", "Remedy paid", "Comment"]
    assert shown.loc[1].tolist() == ["Not upheld", "1,268", "14%", "£12,394.84", "-cmd"]
    assert shown.loc[2, "Share"] == DASH


@pytest.mark.parametrize(
    "name", ["Stage-1", "stage_1", "-stage", "", "stage 1", "../etc", "stage-1\n"]
)
def test_invalid_table_name_is_rejected(name):
    with pytest.raises(ValueError, match="table name"):
        ReportTable(name=name, title="t", frame=pd.DataFrame({"a": [1]}))


def test_unknown_format_or_column_is_rejected():
    frame = pd.DataFrame({"a": [1]})
    with pytest.raises(ValueError, match="unknown formats"):
        ReportTable(name="t", title="t", frame=frame, formats={"a": "pounds"})
    with pytest.raises(ValueError, match="not in the frame"):
        ReportTable(name="t", title="t", frame=frame, formats={"b": "count"})


# --- CSV ------------------------------------------------------------------------------------


def test_csv_round_trips_raw_values(tmp_path):
    path = outcomes().to_csv(tmp_path)
    assert path == tmp_path / "stage-1-outcomes.csv"
    back = pd.read_csv(path, encoding="utf-8")
    assert list(back.columns) == ["Outcome", "Complaints", "Share", "Remedy paid", "Comment"]
    assert back["Complaints"].tolist() == [12, 1268, 0]
    assert back["Share"].iloc[:2].tolist() == [0.145, 0.135]
    assert pd.isna(back["Share"].iloc[2])
    assert back["Remedy paid"].tolist() == [1754.96, 12394.84, -50.0]


def test_csv_rounds_shares_to_4_places_and_money_to_2(tmp_path):
    table = ReportTable(
        name="r",
        title="t",
        frame=pd.DataFrame({"k": ["a"], "s": [1 / 3], "m": [10.005]}),
        formats={"s": "percent", "m": "money"},
    )
    lines = table.to_csv(tmp_path).read_text(encoding="utf-8").splitlines()
    assert lines == ["k,s,m", "a,0.3333,10.01"]


def test_csv_neutralises_formulas_in_text_but_not_negative_numbers(tmp_path):
    text = outcomes().to_csv(tmp_path).read_text(encoding="utf-8")
    back = pd.read_csv(tmp_path / "stage-1-outcomes.csv", dtype=str)
    assert back["Outcome"].iloc[2] == '\'=HYPERLINK("http://x")'
    assert back["Comment"].tolist() == ["'+1", "'-cmd", "'@SUM(A1)"]
    assert back["Remedy paid"].iloc[2] == "-50.00"
    assert "'-50" not in text


@pytest.mark.parametrize("cell", ["\tcmd", "\rcmd", "=1+1"])
def test_csv_neutralises_tab_and_carriage_return(tmp_path, cell):
    table = ReportTable(name="r", title="t", frame=pd.DataFrame({"x": [cell]}))
    back = pd.read_csv(table.to_csv(tmp_path), dtype=str, keep_default_na=False)
    assert back["x"].iloc[0] == "'" + cell


def test_csv_write_is_atomic_and_leaves_no_temp_files(tmp_path):
    table = outcomes()
    table.to_csv(tmp_path)
    table.to_csv(tmp_path)  # replaces the file in place
    assert [p.name for p in tmp_path.iterdir()] == ["stage-1-outcomes.csv"]


def test_failed_csv_write_keeps_the_last_good_file(tmp_path):
    outcomes().to_csv(tmp_path)
    before = (tmp_path / "stage-1-outcomes.csv").read_bytes()
    bad = ReportTable(
        name="stage-1-outcomes",
        title="t",
        frame=pd.DataFrame({"k": ["a"], "n": ["twelve"]}),
        formats={"n": "count"},
    )
    with pytest.raises(TypeError):
        bad.to_csv(tmp_path)
    assert (tmp_path / "stage-1-outcomes.csv").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["stage-1-outcomes.csv"]


# --- HTML -----------------------------------------------------------------------------------


def test_html_is_an_accessible_table():
    out = outcomes().to_html()
    assert out.startswith("<table")
    assert "<caption>Stage 1 complaints by outcome</caption>" in out
    assert out.count('<th scope="col"') == 5
    assert out.count('<th scope="row"') == 3
    assert '<th scope="row">Not upheld</th>' in out
    assert '<td class="num">1,268</td>' in out
    assert '<th scope="col" class="num">Share</th>' in out
    assert '<td class="num">£12,394.84</td>' in out
    assert '<p class="table-note">Source: case-management export.</p>' in out
    assert "style=" not in out
    assert "<td>-cmd</td>" in out  # no apostrophes on the page: that is for spreadsheets


def test_html_escapes_values_headings_and_caption():
    frame = pd.DataFrame(
        {"<b>Area</b>": ["<script>alert(1)</script>"], "Why": ["<script>x</script>"], "n": [1]}
    )
    out = ReportTable(name="x", title="A & B", frame=frame, formats={"n": "count"}).to_html()
    assert "<script>" not in out and "<b>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<td>&lt;script&gt;x&lt;/script&gt;</td>" in out
    assert "<caption>A &amp; B</caption>" in out


def test_html_has_no_index_column():
    frame = pd.DataFrame({"Area": ["North", "South"], "n": [1, 2]}, index=["row-a", "row-b"])
    out = ReportTable(name="x", title="t", frame=frame, formats={"n": "count"}).to_html()
    assert "row-a" not in out
    assert out.count("<tr>") == 3


def test_csv_keeps_line_breaks_inside_a_cell(tmp_path):
    frame = pd.DataFrame({"x": ["one\rtwo", "three\nfour"], "n": [1, 2]})
    table = ReportTable(name="r", title="t", frame=frame, formats={"n": "count"})
    back = pd.read_csv(table.to_csv(tmp_path), dtype=str)
    assert back["x"].tolist() == ["one\rtwo", "three\nfour"]
    assert back["n"].tolist() == ["1", "2"]


# --- figures hidden by disclosure control ----------------------------------------------------------


def test_a_hidden_figure_shows_and_writes_as_c_in_any_column(tmp_path):
    from complaints_report.present.cells import SUPPRESSED

    frame = pd.DataFrame(
        {
            "Area": ["A", "B"],
            "N": [SUPPRESSED, 12],
            "Share": [SUPPRESSED, 0.5],
            "Text": [SUPPRESSED, "x"],
        }
    )
    table = ReportTable("t", "T", frame, formats={"N": "count", "Share": "percent"})
    assert table.display_frame().iloc[0].tolist() == ["A", "[c]", "[c]", "[c]"]
    assert table.display_frame().iloc[1].tolist() == ["B", "12", "50%", "x"]
    text = table.to_csv(tmp_path).read_text(encoding="utf-8")
    assert text.splitlines()[1] == "A,[c],[c],[c]"
    assert '<td class="num">[c]</td>' in table.to_html()


def test_a_table_declares_how_its_counts_add_up():
    frame = pd.DataFrame({"Quarter": ["Q1", "Year"], "N": [3, 3]})
    table = ReportTable("t", "T", frame, formats={"N": "count"})
    assert table.total_rows == ("Total",) and table.total_columns == ("Total",)
    assert table.derived == {} and table.counts == ()
    shown = table.suppressed(5)
    assert shown.display_frame()["N"].tolist() == ["[c]", "[c]"]
    assert table.suppressed(0) is table
