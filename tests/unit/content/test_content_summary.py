"""Sections 1-3 (content.summary): cover, executive summary and financial implications."""

from __future__ import annotations

import pytest
from tiny_data import tiny_context

from complaints_report.content import summary

CS = "Children's Services"
CSC = "Children's Social Care"


def _rows(table) -> dict[str, str]:
    shown = table.display_frame()
    return dict(zip(shown.iloc[:, 0], shown.iloc[:, 1], strict=True))


# --- the published reports, reproduced by the demo data set -----------------------------------


def test_financial_sentences_state_the_published_2020_21_figures(ctx_2020):
    remedies, children, costs = summary.financial_sentences(ctx_2020)
    assert remedies.startswith(
        "The council paid £6,750.00 in Ombudsman remedies in 2020-21, against £1,800.00 in 2019-20"
    )
    assert children == "Of this, £6,750.00 related to Children's Services."
    assert costs == (
        "Independent investigation of Stage 2 and Stage 3 complaints cost £4,334.60 in 2020-21, "
        "against £30.00 in 2019-20 and £15,961.75 in 2018-19."
    )


def test_financial_table_2023_24(ctx, tmp_path):
    table = summary.financial_table(ctx)
    shown = table.display_frame()
    assert list(shown["Financial year"]) == ["2023-24", "2022-23", "2021-22"]
    # The published Stage 2 table: OVERALL COST £12,394.84.
    assert shown.loc[0, "Stage 2 and 3 investigation costs"] == "£12,394.84"
    assert shown.loc[0, "Ombudsman remedies paid"] == "£71,458.96"
    written = (table.to_csv(tmp_path)).read_text(encoding="utf-8").splitlines()
    assert written[1] == "2023-24,71458.96,12394.84"


def test_childrens_services_remedies_match_the_published_total(ctx):
    # The published 2023/24 Ombudsman table: Total = £69,608.96 (children's services).
    assert "Of this, £69,608.96 related to Children's Services." in summary.financial_sentences(ctx)


def test_key_messages_2020_21_as_published(ctx_2020):
    messages = summary.council_context(ctx_2020)
    assert (
        messages[0]
        == "There were 1,268 complaints across the council in 2020-21, 76% more than in 2019-20."
    )
    assert (
        "39% of Stage 1 responses took longer than the target, up from 16% in 2019-20." in messages
    )
    assert "The council received 633 compliments, 112% more than in 2019-20." in messages
    assert messages[-1] == (
        "There were 54 code of conduct complaints about councillors; 8 investigated and 3 upheld."
    )


def test_childrens_services_paragraph_2023_24(ctx):
    social_care, non_social_care = summary.childrens_services(ctx)
    # Scorecard: Total complaints = 139 and 248; 2022-23 statutory table: 106 + 34 and 129 + 180.
    assert social_care == (
        "Children's Social Care received 139 complaints in 2023-24 (65 formal and 74 informal), "
        "1% fewer than in 2022-23."
    )
    assert non_social_care.startswith("Children's Non-Social Care received 248 complaints")
    assert non_social_care.endswith("20% fewer than in 2022-23.")


def test_cover_from_the_year_params(ctx):
    rows = _rows(summary.cover_table(ctx))
    assert rows["Council"] == ctx.params.council
    assert rows["Period covered"] == "2023-24: 1 April 2023 to 31 March 2024"
    assert rows["Report status"] == "Public"


def test_introduction_names_the_period(ctx):
    assert (
        "from 1 April 2023 to 31 March 2024 (financial year 2023-24)"
        in summary.introduction(ctx)[0]
    )


# --- sparse data: one year only, one area, no Ombudsman decisions, no optional tables ---------


@pytest.fixture(scope="module")
def sparse(tmp_path_factory):
    common = {"Directorate": CS, "Service Area": CSC}
    return tiny_context(
        tmp_path_factory.mktemp("data"),
        [
            {"Case Ref": "C1", "Stage": "Stage 1", "Received Date": "03/04/2023", **common},
            {"Case Ref": "C2", "Stage": "Informal", "Received Date": "10/05/2023", **common},
        ],
        compliments=[{"Date": "01/06/2023", **common}],
        # Disclosure control off: these tests are about wording; test_report_disclosure.py
        # tests the same sections with it on.
        params="council: Tiny Council\ndisclosure:\n  suppress_small_numbers: false\n",
    )


def test_sparse_key_messages_have_nothing_to_compare(sparse):
    messages = summary.council_context(sparse)
    assert messages[0] == (
        "There were 2 complaints across the council in 2023-24, with no figure for 2022-23 to compare."
    )
    # No responded or judged Stage 1 complaint: those messages are left out, not "0%".
    assert not any("took longer" in m or "fully justified" in m for m in messages)
    assert not any("councillors" in m for m in messages)


def test_sparse_childrens_services_only_the_area_present(sparse):
    assert summary.childrens_services(sparse) == [
        "Children's Social Care received 2 complaints in 2023-24 (1 formal and 1 informal), "
        "with no figure for 2022-23 to compare."
    ]


def test_sparse_finance_years_outside_the_data_are_dashes(sparse):
    shown = summary.financial_table(sparse).display_frame()
    assert list(shown.iloc[0, 1:]) == ["£0.00", "£0.00"]
    assert list(shown.iloc[1, 1:]) == ["\N{EN DASH}", "\N{EN DASH}"]
    assert summary.financial_sentences(sparse) == [
        "The council paid no Ombudsman remedies in 2023-24.",
        "No independent investigation costs were recorded for Stage 2 and Stage 3 complaints "
        "in 2023-24.",
    ]


def test_sparse_cover_leaves_missing_items_out(sparse):
    rows = _rows(summary.cover_table(sparse))
    assert rows["Council"] == "Tiny Council"
    assert "Committee" not in rows and "Meeting date" not in rows and "Recommendation" not in rows


def test_earlier_years_phrasing():
    history = {"2023-24": 0.0, "2022-23": 0.0, "2021-22": None}
    assert summary.earlier_years(history, "2023-24") == ", nor in 2022-23"
    history = {"2023-24": 0.0, "2022-23": 30.0, "2021-22": 0.0}
    assert (
        summary.earlier_years(history, "2023-24")
        == ", against £30.00 in 2022-23 and nothing in 2021-22"
    )
