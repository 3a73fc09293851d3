"""Section 4 (content.scorecards): the quarterly scorecards against the published 2023/24 report."""

from __future__ import annotations

import csv

import pytest
from tiny_data import tiny_context

from complaints_report.content import scorecards

CS = "Children's Services"
CSC = "Children's Social Care"
NSC = "Children's Non-Social Care"
DASH = "\N{EN DASH}"


def _row(table, label: str) -> list[str]:
    shown = table.display_frame().set_index("Measure")
    return list(shown.loc[label])


def test_social_care_scorecard_as_published(ctx):
    table = scorecards.scorecard_table(ctx, CSC)
    assert table.name == "04-scorecard-childrens-social-care"
    assert list(table.display_frame().columns) == ["Measure", "Q1", "Q2", "Q3", "Q4", "Year"]
    assert _row(table, "Number of formal complaints") == ["15", "21", "9", "20", "65"]
    assert _row(table, "Number of informal complaints") == ["14", "21", "16", "23", "74"]
    assert _row(table, "Ombudsman decisions upheld / received") == [
        "0/0",
        "1/1",
        "0/0",
        "0/0",
        "1/1",
    ]
    assert _row(table, "Compliments") == ["11", "13", "14", "15", "53"]
    assert _row(table, "Learnings") == ["8", "14", "1", "8", "31"]
    assert _row(table, "Timescales (% overdue)")[-1] == "14%"
    assert _row(table, "% fully justified")[-1] == "11%"
    assert _row(table, "% part justified")[-1] == "14%"


def test_non_social_care_scorecard_as_published(ctx):
    table = scorecards.scorecard_table(ctx, NSC)
    assert _row(table, "Number of formal complaints") == ["53", "43", "48", "41", "185"]
    assert _row(table, "Number of informal complaints") == ["18", "15", "15", "15", "63"]
    assert _row(table, "Ombudsman decisions upheld / received")[:3] == ["4/5", "9/10", "4/9"]
    assert _row(table, "Compliments")[-1] == "59"
    assert _row(table, "Learnings")[-1] == "58"


def test_html_right_aligns_figures_and_heads_rows(ctx):
    html = scorecards.scorecard_table(ctx, CSC).to_html()
    assert '<th scope="row">Number of formal complaints</th><td class="num">15</td>' in html
    assert '<td class="num">1/1</td>' in html


def test_csv_holds_raw_values_one_row_per_quarter(ctx, tmp_path):
    path = scorecards.scorecard_table(ctx, CSC).to_csv(tmp_path)
    assert path.name == "04-scorecard-childrens-social-care.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert [r["Period"] for r in rows] == ["Q1", "Q2", "Q3", "Q4", "Year"]
    year = rows[-1]
    assert year["Formal complaints"] == "65" and year["Informal complaints"] == "74"
    assert year["Ombudsman decisions upheld"] == "1" and year["Ombudsman decisions"] == "1"
    assert year["Overdue share"] == "0.1373"  # 14 of 102 responded: a number, not "14%"


def test_total_sentence_as_published(ctx):
    assert scorecards.total_sentences(ctx, CSC) == [
        "Total complaints about Children's Social Care in 2023-24: 139 (65 formal and 74 informal)."
    ]
    assert "248 (185 formal and 63 informal)" in scorecards.total_sentences(ctx, NSC)[0]


def test_chart_names_its_numbers(ctx):
    chart = scorecards.scorecard_chart(ctx, CSC)
    assert chart.name == "04-complaints-by-quarter-childrens-social-care"
    assert chart.png.startswith(b"\x89PNG")
    assert "Formal: Q1 15, Q2 21, Q3 9, Q4 20 (65 in the year)" in chart.alt
    assert "Informal: Q1 14, Q2 21, Q3 16, Q4 23 (74 in the year)" in chart.alt


def test_overview_lists_the_areas(ctx):
    assert scorecards.overview(ctx) == [
        "There is one scorecard for each Children's Services area in 2023-24: "
        "Children's Social Care and Children's Non-Social Care."
    ]


def test_area_slug():
    assert scorecards.area_slug("Children's Non-Social Care") == "childrens-non-social-care"
    assert scorecards.area_slug("SEN & Inclusion \u2019s") == "sen-inclusion-s"
    assert scorecards.area_slug("!!!") == "area"


# --- sparse data: one area, nothing responded or judged, the other area absent ---------------


@pytest.fixture(scope="module")
def sparse(tmp_path_factory):
    common = {"Directorate": CS, "Service Area": CSC}
    return tiny_context(
        tmp_path_factory.mktemp("data"),
        [{"Case Ref": "C1", "Stage": "Stage 1", "Received Date": "03/04/2023", **common}],
    )


def test_sparse_open_complaint_gives_dashes_not_zeros(sparse, tmp_path):
    table = scorecards.scorecard_table(sparse, CSC)
    assert _row(table, "Number of formal complaints") == ["1", "0", "0", "0", "1"]
    assert _row(table, "Timescales (% overdue)") == [DASH] * 5
    assert _row(table, "% fully justified") == [DASH] * 5
    year = list(csv.DictReader(table.to_csv(tmp_path).open(encoding="utf-8", newline="")))[-1]
    assert year["Overdue share"] == ""


def test_sparse_absent_area_has_an_empty_scorecard(sparse):
    assert NSC not in sparse.areas
    table = scorecards.scorecard_table(sparse, NSC)
    assert _row(table, "Number of informal complaints") == ["0"] * 5
    assert _row(table, "Ombudsman decisions upheld / received") == ["0/0"] * 5
    assert scorecards.total_sentences(sparse, NSC) == [
        "Total complaints about Children's Non-Social Care in 2023-24: none."
    ]
    assert "Q1 0, Q2 0, Q3 0, Q4 0 (0 in the year)" in scorecards.scorecard_chart(sparse, NSC).alt
    assert scorecards.overview(sparse) == [
        "There is one Children's Services area in 2023-24: Children's Social Care."
    ]
