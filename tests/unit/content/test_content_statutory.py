"""Sections 5 and 6 (content.statutory): the statutory tables, Stage 2 cases and the Ombudsman,
checked against the published 2023/24 report and on a sparse data set."""

from __future__ import annotations

import pytest
from tiny_data import shown_rows, tiny_context

from complaints_report.content import statutory

CSC = "Children's Social Care"
NSC = "Children's Non-Social Care"


# --- section 5 ------------------------------------------------------------------------------


def test_statutory_table_social_care_matches_published(ctx):
    rows = shown_rows(statutory.statutory_table(ctx, CSC))
    assert rows["Representations (informal)"] == ["74", "106", "91"]
    # The published table says 64 for 2023-24; the scorecard's 65 is the one the data gives.
    assert rows["Stage 1 (formal)"] == ["65", "34", "29"]
    assert rows["Stage 2"] == ["5", "1", "1"]
    assert rows["Stage 3"] == ["1", "0", "0"]
    assert rows["Ombudsman (LGSCO) approaches"] == [
        "1 with 1 upheld",
        "5 with 1 upheld",
        "6 with 1 upheld",
    ]


def test_statutory_table_non_social_care_has_no_escalation_rows(ctx):
    table = statutory.statutory_table(ctx, NSC)
    rows = shown_rows(table)
    assert list(table.frame.columns) == ["Complaints", "2023-24", "2022-23", "2021-22"]
    assert rows["Representations (informal)"] == ["63", "129", "75"]
    assert "Stage 2" not in rows
    assert table.name == "05-statutory-childrens-non-social-care"


def test_stage2_table_lists_the_published_cases_and_totals(ctx):
    table = statutory.stage2_table(ctx, CSC)
    frame = table.frame.set_index("Case reference")
    assert set(frame.index) == {"COM/4822", "COM/3262", "COM/4613", "COM/4783", "COM/3472", "Total"}
    assert frame.loc["COM/4822", "Team"] == "CWAD"
    assert frame.loc["COM/4822", "Outcome"] == "Partially justified"
    assert frame.loc["COM/4822", "Investigating Officer cost"] == pytest.approx(3367.20)
    assert frame.loc["COM/4822", "Independent Person cost"] == pytest.approx(2117.74)
    assert frame.loc["COM/4783", "Outcome"] == "Withdrawn at Stage 3"
    assert frame.loc["COM/3472", "Outcome"] == "Open at Stage 2"
    shown = shown_rows(table)
    assert shown["COM/3472"][3:] == ["–", "–", "–"]  # costs of an open case: not yet known
    assert shown["Total"][3:] == ["£8,610.10", "£3,784.74", "£0.00"]


def test_stage2_sentences_compare_with_last_year_and_give_overall_cost(ctx):
    text = " ".join(statutory.stage2_sentences(ctx, CSC))
    assert "5 cases were accepted at Stage 2 in 2023-24, up from 1 in 2022-23." in text
    assert "£12,394.84" in text
    assert "1 case was still open, with no final outcome, when the case records were taken." in text
    assert "Investigating Officers cost £8,610.10, Independent Persons £3,784.74" in text


def test_statutory_sentences(ctx):
    text = " ".join(statutory.statutory_sentences(ctx, CSC))
    assert "74 representations (informal complaints)" in text
    assert "5 complaints went to Stage 2 and 1 to Stage 3." in text
    assert statutory.escalation_areas(ctx) == [CSC]


# --- section 6 ------------------------------------------------------------------------------


def test_ombudsman_sentences_match_published(ctx):
    text = " ".join(statutory.ombudsman_sentences(ctx))
    assert "upheld 33" in text  # "Of the 33 UPHELD cases across Dorset Council in total"
    assert "21 of the 33 upheld decisions were about children's services" in text
    assert "£69,608.96" in text  # "Total = £69,608.96"


def test_ombudsman_table(ctx):
    rows = shown_rows(statutory.ombudsman_table(ctx))
    assert rows[CSC][:2] == ["1", "1"]
    assert rows["Children's services"] == ["41", "21", "51%", "£69,608.96"]
    assert rows["Whole council"][1] == "33"


def test_upheld_tables(ctx):
    nsc = statutory.upheld_table(ctx, NSC)
    remedies = dict(zip(nsc.frame["Ombudsman reference"], nsc.frame["Remedy"], strict=True))
    assert len(remedies) == 20
    assert remedies["23009368"] == "£1,754.96"
    assert remedies["22007794"].startswith("£31,200.00 +")  # "£31,200+ Rolling Cost"
    assert remedies["23001987"].startswith("None")
    csc = statutory.upheld_table(ctx, CSC)
    assert list(csc.frame["Ombudsman reference"]) == ["23017734"]
    assert statutory.upheld_areas(ctx) == [CSC, NSC]


def test_tables_write_csv(ctx):
    path = statutory.stage2_table(ctx, CSC).to_csv(ctx.out_dir / "tables")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[-1] == "Total,,,,8610.10,3784.74,0.00"


# --- sparse data ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sparse(tmp_path_factory):
    """Three social care records in 2023-24 only: no earlier year, no Ombudsman decision."""
    base = {
        "Directorate": "Children's Services",
        "Service Area": CSC,
        "Child In Care": "No",
        "Via Advocate": "No",
        "Extension Agreed": "No",
    }
    return tiny_context(
        tmp_path_factory.mktemp("sparse-data"),
        [
            {**base, "Case Ref": "COM/1", "Stage": "Informal", "Received Date": "03/05/2023"},
            {
                **base,
                "Case Ref": "COM/2",
                "Stage": "Stage 1",
                "Received Date": "03/05/2023",
                "Responded Date": "10/05/2023",
                "Outcome": "Withdrawn",
            },
            {**base, "Case Ref": "COM/2", "Stage": "Stage 2", "Received Date": "01/06/2023"},
        ],
        compliments=[
            {"Date": "01/06/2023", "Directorate": "Children's Services", "Service Area": CSC}
        ],
    )


def test_sparse_statutory_years_before_the_data_are_unknown(sparse):
    rows = shown_rows(statutory.statutory_table(sparse, CSC))
    assert rows["Stage 1 (formal)"] == ["1", "–", "–"]
    assert rows["Ombudsman (LGSCO) approaches"] == ["0", "–", "–"]
    text = " ".join(statutory.statutory_sentences(sparse, CSC))
    assert "with no figure for 2022-23 to compare" in text
    assert "The Ombudsman made no decisions" in text


def test_sparse_stage2_open_case_without_costs(sparse):
    shown = shown_rows(statutory.stage2_table(sparse, CSC))
    assert shown["COM/2"][2:] == ["Open at Stage 2", "–", "–", "–"]
    text = " ".join(statutory.stage2_sentences(sparse, CSC))
    assert "1 case was accepted at Stage 2 in 2023-24, with no figure for 2022-23" in text
    assert "£0.00" in text


def test_sparse_ombudsman_and_absent_area(sparse):
    assert statutory.ombudsman_sentences(sparse) == [
        "The Ombudsman made no decisions about the council in 2023-24."
    ]
    assert statutory.upheld_areas(sparse) == []
    assert "upheld no complaints" in statutory.upheld_intro(sparse)[0]
    assert statutory.upheld_table(sparse, CSC).frame.empty
    rows = shown_rows(statutory.ombudsman_table(sparse))
    assert rows["Whole council"] == ["0", "0", "–", "£0.00"]
    # An area the data set does not hold: zeros this year, unknown before the data starts.
    absent = shown_rows(statutory.statutory_table(sparse, NSC))
    assert absent["Representations (informal)"] == ["0", "–", "–"]
    assert "no representations" in statutory.statutory_sentences(sparse, NSC)[0]
    assert statutory.stage2_table(sparse, NSC).note.startswith("No complaint about")
