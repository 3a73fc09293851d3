"""One name, one definition, in the engine: a withdrawn record is never a panel held or a
response in time (and a withdrawn request with a panel date is a data-quality warning); a
decision the Ombudsman did not investigate is not counted as investigated, so the upheld rate
is the Ombudsman's own (upheld of its detailed investigations)."""

from __future__ import annotations

import pytest
from test_figures import area, council, make_dataset
from tiny_data import tiny_context

from complaints_report.content import code, timescales
from complaints_report.data.validation import validate_dataset
from complaints_report.figures.quality import quality_notes

CSC = "Children's Social Care"
CS = {"Directorate": "Children's Services", "Service Area": CSC}


def _rec(stage: str, outcome: str | None = None, **kw) -> dict:
    return {"stage": stage, "received_date": "2023-05-15", "outcome": outcome, **kw}


# --- withdrawn records ---------------------------------------------------------------------


def test_a_withdrawn_stage_3_request_with_a_panel_date_is_not_a_panel_held() -> None:
    got = area(
        make_dataset(
            complaints=[
                _rec("Stage 3", "Withdrawn", panel_date="2023-06-01"),  # the demo's COM/4783
                _rec("Stage 3", "Withdrawn"),  # withdrawn before any panel
                _rec("Stage 3", "Not justified", panel_date="2023-06-01"),  # a panel held
                _rec("Stage 3"),  # awaiting a panel
            ]
        )
    )["timescales"]["Stage 3"]
    assert got["withdrawn"] == 2
    assert got["responded"] == 1 and got["within_limit"] == 1 and got["over"] == 0
    assert got["open"] == 1  # withdrawn is counted as open neither


def test_a_withdrawn_stage_1_response_is_not_a_response_in_time() -> None:
    ds = make_dataset(
        complaints=[
            _rec("Stage 1", "Withdrawn", responded_date="2023-05-16"),  # 1 working day
            _rec("Stage 1", "Withdrawn"),  # withdrawn before a response: not open either
            _rec("Stage 1", "Not justified", responded_date="2023-05-16"),
        ]
    )
    got = area(ds)["timescales"]["Stage 1"]
    assert (got["withdrawn"], got["responded"], got["within_limit"], got["open"]) == (2, 1, 1, 0)
    assert council(ds)["timescales"]["Stage 1"]["withdrawn"] == 2


def test_withdrawn_with_a_panel_date_is_a_data_quality_warning(tmp_path, caplog) -> None:
    rows = [
        {**CS, "Case Ref": "C/1", "Stage": "Stage 1", "Received Date": "03/04/2023",
         "Responded Date": "19/04/2023", "Outcome": "Not justified", "Team": "North",
         "Theme": "Communication", "Complainant Type": "Parent"},
        {**CS, "Case Ref": "C/1", "Stage": "Stage 3", "Received Date": "15/05/2023",
         "Outcome": "Withdrawn", "Panel Date": "26/06/2023", "Team": "North"},
    ]  # fmt: skip
    ctx = tiny_context(tmp_path, rows, [], [])
    assert validate_dataset(ctx.params.data_dir) == [], "odd, not invalid: the run goes on"
    notes = {n.check: n.records for n in quality_notes(ctx.prep, ctx.fy)}
    assert notes.get("withdrawn Stage 3 requests with a review panel date") == 1
    said = timescales.stage_sentences(ctx, CSC, "Stage 3")
    assert not any("review panel for a Stage 3 complaint" in s and "met within" in s for s in said)
    assert said[-1].startswith("1 request for a review panel was withdrawn")


def test_no_warning_for_a_withdrawn_request_without_a_panel_date(tmp_path) -> None:
    rows = [
        {**CS, "Case Ref": "C/1", "Stage": "Stage 3", "Received Date": "15/05/2023",
         "Outcome": "Withdrawn", "Team": "North"},
    ]  # fmt: skip
    ctx = tiny_context(tmp_path, rows, [], [])
    checks = [n.check for n in quality_notes(ctx.prep, ctx.fy)]
    assert not any("panel date" in c for c in checks)


def test_the_demo_record_com_4783_is_kept_and_warned_about(ctx) -> None:
    c = ctx.prep.complaints
    rec = c[(c["case_ref"] == "COM/4783") & (c["stage"] == "Stage 3")].iloc[0]
    assert rec["outcome"] == "Withdrawn" and rec["panel_date"] is not None
    s3 = ctx.area(CSC)["timescales"]["Stage 3"]
    assert (s3["responded"], s3["withdrawn"]) == (0, 1)
    notes = {n.check: n.records for n in quality_notes(ctx.prep, ctx.fy)}
    assert notes["withdrawn Stage 3 requests with a review panel date"] == 1


# --- decisions the Ombudsman did not investigate ---------------------------------------------


def _decision(decision: str, note: str | None = None) -> dict:
    return {"decision_date": "2023-06-01", "decision": decision, "remedy_note": note}


@pytest.mark.parametrize(
    ("decision", "note"),
    [
        ("Referred back", None),
        ("Closed after initial enquiries", None),
        ("Upheld", "Passed back to the council for local resolution (Stage 2)"),
    ],
)
def test_a_decision_not_investigated_is_not_counted_as_investigated(decision, note) -> None:
    ds = make_dataset(
        ombudsman=[_decision("Upheld"), _decision("Not upheld"), _decision(decision, note)]
    )
    o = area(ds)["ombudsman"]
    assert o["decisions"] == 3
    assert (o["investigated"], o["upheld_after_investigation"]) == (2, 1)
    c = council(ds)
    assert (c["ombudsman_investigated"], c["ombudsman_upheld_after_investigation"]) == (2, 1)
    # the published count of upheld decisions is unchanged (the back-tests hold it)
    assert o["upheld"] == (2 if decision == "Upheld" else 1)


def test_a_remedy_note_that_says_nothing_of_passing_back_is_investigated() -> None:
    o = area(make_dataset(ombudsman=[_decision("Upheld", "+ rolling cost, unpaid")]))["ombudsman"]
    assert (o["investigated"], o["upheld_after_investigation"]) == (1, 1)


def test_the_upheld_rate_is_the_ombudsmans_in_the_demo_year(ctx) -> None:
    """Section 15's upheld rate: upheld after a detailed investigation over the investigated;
    the social care decision passed back to the council is in neither."""
    csc = ctx.area(CSC)["ombudsman"]
    assert csc["upheld"] == 1  # as published (the back-test holds it)
    assert (csc["investigated"], csc["upheld_after_investigation"]) == (0, 0)
    counts = code.ombudsman_counts(ctx, CSC)
    assert (counts["investigated"], counts["upheld_after_investigation"]) == (0, 0)
