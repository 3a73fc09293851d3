"""Section 12 (content.learning): learnings by quarter and the learning table."""

from __future__ import annotations

import pytest
from tiny_data import tiny_context

from complaints_report.content import learning

CSC = "Children's Social Care"
NSC = "Children's Non-Social Care"


# --- the published figures ---------------------------------------------------------------------


def test_learnings_by_quarter_as_published_2023_24(ctx):
    table = learning.learnings_table(ctx)
    assert table.name == "12-learnings-by-quarter"
    shown = table.display_frame()
    assert shown[CSC].tolist() == ["8", "14", "1", "8", "31"]
    assert shown[NSC].tolist() == ["20", "27", "3", "8", "58"]


def test_learnings_sentence_says_up_from_last_year(ctx):
    assert learning.learnings_sentences(ctx, CSC) == [
        "Children's Social Care recorded 31 learnings in 2023-24, up from 28 in 2022-23: "
        "8 in Q1, 14 in Q2, 1 in Q3 and 8 in Q4."
    ]


def test_learnings_chart_alt_states_the_numbers(ctx):
    chart = learning.learnings_chart(ctx)
    assert "Children's Social Care 8, 14, 1 and 8" in chart.alt
    assert chart.caption == "Learnings recorded by quarter, 2023-24."


def test_learning_table_has_only_reference_learning_and_action(ctx):
    table = learning.learning_table(ctx)
    assert table.name == "12-learning-from-complaints"
    assert list(table.frame.columns) == ["Case reference", "What we learned", "What we did"]
    # One row per record with a learning: the scorecards' learnings of both areas.
    assert len(table.frame) == 31 + 58
    assert table.frame["Case reference"].str.startswith("COM/").all()
    assert learning.learning_table_sentences(ctx) == [
        "The table lists the 89 learnings recorded on Children's Services complaints received "
        "in 2023-24, in the order the complaints were received, with what the service did as a "
        "result."
    ]


def test_learning_table_is_in_order_of_receipt(ctx):
    records = learning.learning_records(ctx)
    assert records["received_date"].is_monotonic_increasing
    assert records["received_date"].min().date() >= ctx.fy.start
    table = learning.learning_table(ctx)
    assert table.frame["Case reference"].tolist() == records["case_ref"].tolist()


def test_learning_table_for_one_area(ctx):
    table = learning.learning_table(ctx, CSC)
    assert table.name == "12-learning-from-complaints-childrens-social-care"
    assert len(table.frame) == 31


# --- sparse data: one year, one area, no learning recorded ------------------------------------


@pytest.fixture(scope="module")
def sparse(tmp_path_factory):
    cs = {"Directorate": "Children's Services", "Service Area": CSC}
    return tiny_context(
        tmp_path_factory.mktemp("data"),
        [
            {"Case Ref": "COM/1", "Stage": "Stage 1", "Received Date": "03/04/2023", **cs},
            # A learning of spaces only is no learning.
            {
                "Case Ref": "COM/2",
                "Stage": "Informal",
                "Received Date": "10/05/2023",
                "Learning": "   ",
                **cs,
            },
        ],
    )


def test_sparse_no_learning(sparse, tmp_path):
    assert learning.learnings_sentences(sparse, CSC) == [
        "Children's Social Care recorded no learnings in 2023-24, with no figure for 2022-23 to "
        "compare."
    ]
    table = learning.learning_table(sparse)
    assert table.frame.empty
    assert (
        table.note
        == "No learning was recorded on Children's Services complaints received in 2023-24."
    )
    assert table.to_csv(tmp_path).read_text(encoding="utf-8").splitlines() == [
        "Case reference,What we learned,What we did"
    ]
    assert "<tbody>" in table.to_html()
    assert learning.learning_table_sentences(sparse) == [
        "No learning was recorded on Children's Services complaints received in 2023-24."
    ]


def test_sparse_absent_area_and_table(sparse):
    assert learning.learnings_sentences(sparse, NSC) == [
        "The data set holds no Children's Non-Social Care records."
    ]
    shown = learning.learnings_table(sparse).display_frame()
    assert list(shown.columns) == ["Quarter", CSC]
    assert shown[CSC].tolist() == ["0"] * 5
    assert "Children's Social Care 0, 0, 0 and 0" in learning.learnings_chart(sparse).alt


@pytest.fixture(scope="module")
def unordered(tmp_path_factory):
    cs = {"Directorate": "Children's Services"}
    return tiny_context(
        tmp_path_factory.mktemp("data"),
        [
            {
                "Case Ref": "COM/9",
                "Stage": "Stage 1",
                "Received Date": "20/02/2024",
                "Service Area": NSC,
                "Learning": "Letters went to an old address.",
                **cs,
            },
            {
                "Case Ref": "COM/8",
                "Stage": "Informal",
                "Received Date": "05/05/2023",
                "Service Area": CSC,
                "Learning": "A visit was missed.",
                "Action": "Visits are now confirmed the day before.",
                **cs,
            },
            {
                "Case Ref": "COM/7",
                "Stage": "Informal",
                "Received Date": "06/05/2023",
                "Directorate": "Place",
                "Service Area": "Waste",
                "Learning": "A bin was missed.",
            },
        ],
    )


def test_learning_table_sorts_by_receipt_and_keeps_to_childrens_services(unordered):
    shown = learning.learning_table(unordered).display_frame()
    assert shown.values.tolist() == [
        ["COM/8", "A visit was missed.", "Visits are now confirmed the day before."],
        ["COM/9", "Letters went to an old address.", "\N{EN DASH}"],
    ]
