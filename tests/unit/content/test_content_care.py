"""Sections 10 and 11 (content.care): children in care, advocacy and timescales."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta

import pytest
from tiny_data import tiny_context

from complaints_report import paths
from complaints_report.content import care
from complaints_report.report import load_context

CSC = "Children's Social Care"
NSC = "Children's Non-Social Care"
DASH = "\N{EN DASH}"


def _column(table, column: str) -> dict[str, str]:
    shown = table.display_frame()
    return dict(zip(shown.iloc[:, 0], shown[column], strict=True))


# --- section 10: the published figures ---------------------------------------------------------


def test_children_in_care_five_years_as_published_2023_24(ctx):
    table = care.children_in_care_table(ctx)
    assert table.name == "10-children-in-care-childrens-social-care"
    assert _column(table, "Children in care complaints") == {
        "2023-24": "3",
        "2022-23": "10",
        "2021-22": "8",
        "2020-21": "15",
        "2019-20": "10",
    }


def test_children_in_care_sentences_2023_24(ctx):
    assert care.children_in_care_sentences(ctx) == [
        "In 2023-24 there were 3 complaints from or about children in care in Children's Social "
        "Care, 70% fewer than in 2022-23.",
        "All 3 came through an advocate.",
        "By quarter of receipt: none in Q1, 2 in Q2, 1 in Q3 and none in Q4.",
    ]


def test_children_in_care_by_quarter_matches_the_published_narrative(ctx):
    by_q = care.children_in_care_by_quarter(ctx)
    assert [by_q[q]["cases"] for q in ("Q1", "Q2", "Q3", "Q4")] == [0, 2, 1, 0]
    assert by_q["year"] == {"cases": 3, "via_advocate": 3}
    assert by_q["year"]["cases"] == ctx.area(CSC)["children_in_care"]


def test_children_in_care_chart_alt_states_the_numbers(ctx):
    chart = care.children_in_care_chart(ctx)
    assert chart.name == "10-children-in-care-trend-childrens-social-care"
    assert "2020-21 15" in chart.alt and "2023-24 3" in chart.alt
    assert chart.png.startswith(b"\x89PNG")


def test_advocacy_referrals_as_published_2020_21(ctx_2020):
    table = care.advocacy_table(ctx_2020)
    assert table.name == "10-advocacy-referrals"
    shown = table.display_frame()["New referrals to advocacy"].tolist()
    assert shown == ["161", "176", "197", "166", "700"]
    sentences = care.advocacy_sentences(ctx_2020)
    assert "161 in Q1, 176 in Q2, 197 in Q3 and 166 in Q4" in sentences[0]
    assert sentences[1] == "Advocacy was provided by Action for Children."
    assert ctx_2020.area(CSC)["children_in_care"] == 15


def test_two_providers_in_one_year_are_named_with_their_quarters(tmp_path_factory):
    ctx = load_context("2021-22", output_dir=str(tmp_path_factory.mktemp("out2021")))
    providers = care.advocacy_providers(ctx)
    assert list(providers) == ["Action for Children", "National Youth Advocacy Service"]
    assert care.advocacy_sentences(ctx)[1].startswith(
        "Advocacy was provided by Action for Children (Q1"
    )


# --- section 11: the published figures ---------------------------------------------------------


def test_timescales_table_as_published_2023_24(ctx):
    table = care.timescales_table(ctx, CSC)
    assert table.name == "11-timescales-childrens-social-care"
    assert _column(table, "Within 20 working days") == {
        "2023-24": "86%",
        "2022-23": "85%",
        "2021-22": "77%",
    }
    assert _column(table, "Over 20 working days") == {
        "2023-24": "14%",
        "2022-23": "15%",
        "2021-22": "23%",
    }


def test_timescales_table_as_published_2020_21(ctx_2020):
    over = _column(care.timescales_table(ctx_2020, CSC), "Over 20 working days")
    assert over == {"2020-21": "22%", "2019-20": "25%", "2018-19": "26%"}


def test_timescales_sentence_2023_24(ctx):
    (sentence,) = care.timescales_sentences(ctx, CSC)
    assert sentence.startswith(
        "Of the 51 Stage 1 complaints to Children's Social Care responded to"
    )
    assert "(86%) were answered within the 20 working day target" in sentence
    assert sentence.endswith("(14%) took longer, down from 15% in 2022-23.")


def test_overdue_by_quarter_is_the_scorecards_share(ctx):
    table = care.overdue_quarter_table(ctx)
    assert table.name == "11-overdue-by-quarter"
    shown = table.display_frame()[CSC].tolist()
    # Published Q1, Q2, Q4 and year; its Q3 (10%) repeats the non-social care figure.
    assert [shown[0], shown[1], shown[3], shown[4]] == ["18%", "14%", "14%", "14%"]
    assert "Children's Social Care 18%, 14%, 0% and 14%" in care.overdue_quarter_chart(ctx).alt


# England's bank holidays that fall in the days a 2023-24 Stage 1 response can span (GOV.UK),
# typed here so that the count below does not lean on the library's calendar.
_BANK_HOLIDAYS_2023_24 = {
    date(2023, 4, 7),
    date(2023, 4, 10),
    date(2023, 5, 1),
    date(2023, 5, 8),
    date(2023, 5, 29),
    date(2023, 8, 28),
    date(2023, 12, 25),
    date(2023, 12, 26),
    date(2024, 1, 1),
    date(2024, 3, 29),
    date(2024, 4, 1),
    date(2024, 5, 6),
    date(2024, 5, 27),
}


def _demo_stage1_extensions(area: str) -> tuple[int, int, int]:
    """(Stage 1 records, with an extension agreed, of the late ones with one) for 2023-24, counted
    from the demo export's CSV with the standard library: independent of the content code."""

    def day(text: str) -> date | None:
        return datetime.strptime(text, "%d/%m/%Y").date() if text.strip() else None

    def working_days(start: date, end: date) -> int:
        days = (start + timedelta(n) for n in range(1, (end - start).days + 1))
        return sum(d.weekday() < 5 and d not in _BANK_HOLIDAYS_2023_24 for d in days)

    path = paths.ROOT / "data" / "demo" / "complaints.csv"
    with path.open(encoding="utf-8", newline="") as f:
        records = [
            r
            for r in csv.DictReader(f)
            if r["Stage"] in ("Stage 1", "Stage One")
            and r["Service Area"] == area
            and date(2023, 4, 1) <= day(r["Received Date"]) <= date(2024, 3, 31)
        ]
    extended = [r for r in records if r["Extension Agreed"] == "Yes"]
    late_extended = [
        r
        for r in extended
        if day(r["Responded Date"])
        and working_days(day(r["Received Date"]), day(r["Responded Date"])) > 20
    ]
    return len(records), len(extended), len(late_extended)


def test_extensions_are_counted_from_the_stage_1_records(ctx):
    stage1, extended, overdue_extended = _demo_stage1_extensions(CSC)
    # Pinned: the demo export's own counts, which these sentences must state.
    assert (stage1, extended, overdue_extended) == (65, 18, 2)
    e = care.extensions(ctx, CSC)
    assert e == {
        "stage1": stage1,
        "extended": extended,
        "overdue": 7,
        "overdue_extended": overdue_extended,
    }
    assert e["overdue"] == ctx.views["timescales"][CSC]["2023-24"]["overdue"]
    first, second = care.extension_sentences(ctx, CSC)
    assert first.startswith(f"A longer timescale was agreed with the complainant for {extended} ")
    assert second == (
        f"{overdue_extended} of the 7 responses that took more than 20 working days had an "
        "agreed extension."
    )


# --- sparse data: one year, one area, no advocacy table ---------------------------------------


@pytest.fixture(scope="module")
def sparse(tmp_path_factory):
    cs = {"Directorate": "Children's Services", "Service Area": CSC}
    return tiny_context(
        tmp_path_factory.mktemp("data"),
        [
            {"Case Ref": "COM/1", "Stage": "Stage 1", "Received Date": "03/04/2023", **cs},
            {
                "Case Ref": "COM/2",
                "Stage": "Informal",
                "Received Date": "10/05/2023",
                "Responded Date": "12/05/2023",
                **cs,
            },
        ],
        compliments=[{"Date": "01/06/2023", **cs}],
    )


def test_sparse_children_in_care(sparse):
    assert care.children_in_care_sentences(sparse) == [
        "In 2023-24 there were no complaints from or about children in care in Children's Social "
        "Care, with no figure for 2022-23 to compare."
    ]
    shown = care.children_in_care_table(sparse).display_frame()
    assert shown["Children in care complaints"].tolist() == ["0", DASH, DASH, DASH, DASH]
    assert care.children_in_care_chart(sparse).alt.endswith("2023-24 0.")


def test_sparse_absent_area_is_said_not_crashed(sparse):
    assert care.children_in_care_sentences(sparse, NSC) == [
        "The data set holds no Children's Non-Social Care records, so there are no children in "
        "care figures."
    ]
    shown = care.timescales_table(sparse, NSC).display_frame()
    assert shown["Over 20 working days"].tolist() == [DASH, DASH, DASH]
    assert care.overdue_quarter_sentences(sparse, NSC) == [
        "The data set holds no Children's Non-Social Care records."
    ]


def test_sparse_without_an_advocacy_table(sparse, tmp_path):
    assert care.advocacy_sentences(sparse) == [
        "The data set has no advocacy table, so referrals to advocacy are not reported."
    ]
    table = care.advocacy_table(sparse)
    assert table.display_frame()["New referrals to advocacy"].tolist() == [DASH] * 5
    rows = table.to_csv(tmp_path).read_text(encoding="utf-8").splitlines()
    assert rows[1] == "Q1 (April–June),"


def test_sparse_no_stage_1_response(sparse):
    assert care.timescales_sentences(sparse, CSC) == [
        "No Stage 1 complaints to Children's Social Care were responded to in 2023-24."
    ]
    shown = care.timescales_table(sparse, CSC).display_frame()
    assert shown["Stage 1 complaints responded to"].tolist() == ["0", DASH, DASH]
    assert care.overdue_quarter_sentences(sparse, CSC) == [
        "No Stage 1 complaints to Children's Social Care were responded to in any quarter of "
        "2023-24."
    ]
    assert "no responses" in care.overdue_quarter_chart(sparse).alt
    assert care.extension_sentences(sparse, CSC) == [
        "No longer timescale was agreed with any complainant at Stage 1 in Children's Social "
        "Care in 2023-24.",
        "No response took more than 20 working days.",
    ]
