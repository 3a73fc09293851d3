"""Sections 7, 8 and 9 (content.complainants): complainant types, themes and outcomes, checked
against the published 2023/24 report and on a sparse data set."""

from __future__ import annotations

import pytest
from tiny_data import shown_rows, tiny_context

from complaints_report.content import complainants
from complaints_report.present.charts import Chart

CSC = "Children's Social Care"
NSC = "Children's Non-Social Care"


# --- section 7 ------------------------------------------------------------------------------


def test_complainant_table_matches_published_counts(ctx):
    rows = shown_rows(complainants.complainant_table(ctx, CSC))
    published = {
        "Young Person": "5",
        "Grandparent": "3",
        "Group": "1",
        "Individual": "2",
        "Parent": "36",
        "Advocate": "2",
        "Customer": "15",
        "Other Relative": "2",
    }
    assert {k: v[0] for k, v in rows.items() if k != "Not recorded"} == published
    assert rows["Parent"][1] == "55%"  # 36 of the 66 recorded
    assert rows["Not recorded"] == ["73", "–"]
    assert list(rows)[-1] == "Not recorded"


def test_complainant_sentences_say_how_many_were_not_recorded(ctx):
    text = " ".join(complainants.complainant_sentences(ctx, CSC))
    assert "Of the 139 informal and Stage 1 complaints" in text
    assert "66 recorded who made the complaint and 73 did not" in text
    assert "The largest group was Parent: 36 complaints, 55% of those recorded" in text


def test_complainant_chart_alt_text_states_the_shares(ctx):
    chart = complainants.complainant_chart(ctx)
    assert isinstance(chart, Chart) and chart.png.startswith(b"\x89PNG")
    assert chart.name == "07-complainant-types"
    assert "Children's Social Care (66 recorded): Parent 55%" in chart.alt
    assert "Not recorded: Children's Social Care 73" in chart.caption


# --- section 8 ------------------------------------------------------------------------------


def test_theme_table_matches_published_shares(ctx):
    table = complainants.theme_table(ctx, CSC)
    assert list(table.frame.columns) == ["Theme", "2023-24", "2022-23"]
    shares = {k: v[0] for k, v in shown_rows(table).items()}
    assert shares == {
        "Communication": "7%",
        "Data": "3%",
        "Finance": "0%",
        "Policy - Disagreement with Decision": "18%",
        "Service Provision - Delay": "0%",
        "Professional Practice/Quality of Service": "65%",
        "Misconduct": "5%",
        "Other": "2%",
    }
    assert table.frame["Theme"].iloc[0] == "Professional Practice/Quality of Service"


def test_theme_sentences_and_chart(ctx):
    text = " ".join(complainants.theme_sentences(ctx, CSC))
    assert "was Professional Practice/Quality of Service: 65%" in text
    assert "up from 52% in 2022-23" in text
    chart = complainants.theme_chart(ctx, CSC)
    assert "Communication 7% in 2023-24 and 14% in 2022-23" in chart.alt


# --- section 9 ------------------------------------------------------------------------------


def test_outcome_points_read_like_the_published_report(ctx):
    # "Fully Justified 11% up from 7% last year / Partially Justified 14% the same as last year /
    #  Not justified 75% down from 79% last year"
    assert complainants.outcome_points(ctx, CSC) == [
        "Fully justified: 11%, up from 7% in 2022-23.",
        "Partially justified: 14%, the same as in 2022-23.",
        "Not justified: 75%, down from 79% in 2022-23.",
    ]


def test_outcome_table_and_sentences(ctx):
    rows = shown_rows(complainants.outcome_table(ctx, CSC))
    assert rows["2023-24"] == ["44", "11%", "14%", "75%"]
    assert rows["2022-23"][1:] == ["7%", "14%", "79%"]
    assert list(rows) == ["2023-24", "2022-23", "2021-22"]
    text = complainants.outcome_sentences(ctx, CSC)[0]
    assert "Of the 65 Stage 1 complaints about Children's Social Care in 2023-24, 44 were" in text
    council = complainants.outcome_table(ctx, None)
    assert council.name == "09-outcomes-council"
    assert "across the council" in complainants.outcome_sentences(ctx, None)[0]


# --- sparse data ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sparse(tmp_path_factory):
    """Two social care records in 2023-24 only, with no complainant type, theme or outcome
    that counts: one informal, one withdrawn Stage 1."""
    base = {
        "Directorate": "Children's Services",
        "Service Area": CSC,
        "Received Date": "03/05/2023",
    }
    return tiny_context(
        tmp_path_factory.mktemp("sparse-data"),
        [
            {**base, "Case Ref": "COM/1", "Stage": "Informal"},
            {**base, "Case Ref": "COM/2", "Stage": "Stage 1", "Outcome": "Withdrawn"},
        ],
    )


def test_sparse_complainants(sparse):
    rows = shown_rows(complainants.complainant_table(sparse, CSC))
    assert rows == {"Not recorded": ["2", "–"]}
    assert complainants.complainant_sentences(sparse, CSC) == [
        "Children's Social Care received 2 informal or Stage 1 complaints in 2023-24; "
        "none recorded who made the complaint."
    ]
    assert "No complainant type was recorded" in complainants.complainant_chart(sparse).alt


def test_sparse_themes(sparse):
    assert complainants.theme_table(sparse, CSC).frame.empty
    assert complainants.theme_sentences(sparse, CSC)[0].endswith("; none recorded a theme.")
    assert "No theme was recorded" in complainants.theme_chart(sparse, CSC).alt
    # An area absent from the data set.
    assert complainants.theme_sentences(sparse, NSC) == [
        "Children's Non-Social Care received no informal or Stage 1 complaints in 2023-24."
    ]


def test_sparse_outcomes_with_no_judged_complaint(sparse):
    assert complainants.outcome_points(sparse, CSC) == []
    assert complainants.outcome_sentences(sparse, CSC) == [
        "1 Stage 1 complaint about Children's Social Care was received in 2023-24, but none was "
        "found fully, partially or not justified (1 was withdrawn)."
    ]
    rows = shown_rows(complainants.outcome_table(sparse, CSC))
    assert rows["2023-24"] == ["0", "–", "–", "–"]
    assert rows["2022-23"] == ["–", "–", "–", "–"]  # before the data set starts: unknown
    assert complainants.outcome_sentences(sparse, NSC) == [
        "No Stage 1 complaints about Children's Non-Social Care were received in 2023-24."
    ]
