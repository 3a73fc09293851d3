"""Statutory timescales and Ombudsman compliance (the data contract's definitions), on tiny frames.

Every date below was counted by hand on the England and Wales calendar of spring 2023, so the
boundaries are checked against a calendar independent of the library's. From Monday 3 April
2023, the working days skip Good Friday (7 April), Easter Monday (10 April), the early May bank
holiday (1 May), the coronation bank holiday (8 May) and the spring bank holiday (29 May).
"""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError
from test_figures import area, council, make_dataset

from complaints_report.data.calendar import working_days
from complaints_report.params import Targets

RECEIVED = "2023-04-03"
#: The response date N working days after RECEIVED, counted by hand.
AFTER = {
    10: "2023-04-19",  # Good Friday and Easter Monday inside the window
    11: "2023-04-20",
    20: "2023-05-04",  # ... and the early May bank holiday
    21: "2023-05-05",
    25: "2023-05-12",  # ... and the coronation bank holiday
    26: "2023-05-15",
    30: "2023-05-19",
    31: "2023-05-22",
    65: "2023-07-10",  # ... and the spring bank holiday
    66: "2023-07-11",
}


def test_the_hand_counted_calendar_agrees_with_the_library() -> None:
    days = working_days(
        pd.Series(pd.to_datetime([RECEIVED] * len(AFTER))),
        pd.Series(pd.to_datetime(list(AFTER.values()))),
    )
    assert days.tolist() == list(AFTER)


def _record(stage: str, days: int | None, agreed: bool = False, **kw) -> dict:
    row = {"stage": stage, "received_date": RECEIVED, "extension_agreed": agreed, **kw}
    if days is not None:
        row["responded_date"] = AFTER[days]
    return row


def boundary_records() -> list[dict]:
    return [
        _record("Stage 1", 10),
        _record("Stage 1", 11, agreed=True),
        _record("Stage 1", 20),  # extended, not agreed
        _record("Stage 1", 21, agreed=True),  # over the extended limit, agreed or not
        _record("Stage 1", None),  # open
        _record("Stage 2", 25),
        _record("Stage 2", 26, agreed=True),
        _record("Stage 2", 65),  # extended, not agreed
        _record("Stage 2", 66),
        _record("Stage 3", None, panel_date=AFTER[30]),
        _record("Stage 3", None, panel_date=AFTER[31], agreed=True),
        _record("Stage 3", 20),  # responded, but no panel has met: open at Stage 3
    ]


def test_every_boundary_of_every_stage() -> None:
    got = area(make_dataset(complaints=boundary_records()))["timescales"]
    assert got == {
        "Stage 1": {
            "withdrawn": 0,
            "responded": 4,
            "within_limit": 1,
            "extended": 2,
            "extended_unagreed": 1,
            "over": 1,
            "open": 1,
            "median_working_days": 15.5,
        },
        "Stage 2": {
            "withdrawn": 0,
            "responded": 4,
            "within_limit": 1,
            "extended": 2,
            "extended_unagreed": 1,
            "over": 1,
            "open": 0,
            "median_working_days": 45.5,
        },
        "Stage 3": {
            "withdrawn": 0,
            "responded": 2,
            "within_limit": 1,
            "extended": 0,
            "extended_unagreed": 0,
            "over": 1,
            "open": 1,
            "median_working_days": 30.5,
        },
    }


def test_the_council_counts_every_directorate() -> None:
    records = [
        *boundary_records(),
        _record("Stage 1", 10, directorate="Place", service_area="Roads"),
    ]
    got = council(make_dataset(complaints=records))["timescales"]
    assert got["Stage 1"]["responded"] == 5 and got["Stage 1"]["within_limit"] == 2
    assert got["Stage 1"]["median_working_days"] == 11
    assert isinstance(got["Stage 1"]["median_working_days"], int)
    assert area(make_dataset(complaints=records))["timescales"]["Stage 1"]["responded"] == 4


def test_only_the_period_is_counted() -> None:
    records = [
        _record("Stage 1", 10),
        {**_record("Stage 1", 10), "received_date": "2023-03-31", "responded_date": "2023-04-03"},
    ]
    got = area(make_dataset(complaints=records))["timescales"]["Stage 1"]
    assert got["responded"] == 1


def test_an_extension_agreed_only_matters_between_the_limits() -> None:
    records = [
        _record("Stage 1", 10, agreed=False),
        _record("Stage 1", 11, agreed=False),
        _record("Stage 1", 21, agreed=False),
    ]
    got = area(make_dataset(complaints=records))["timescales"]["Stage 1"]
    assert (got["within_limit"], got["extended"], got["extended_unagreed"], got["over"]) == (
        1,
        1,
        1,
        1,
    )
    agreed = [{**r, "extension_agreed": True} for r in records]
    got = area(make_dataset(complaints=agreed))["timescales"]["Stage 1"]
    assert (got["within_limit"], got["extended"], got["extended_unagreed"], got["over"]) == (
        1,
        1,
        0,
        1,
    )


def test_limits_come_from_params() -> None:
    ds = make_dataset(complaints=boundary_records())
    got = area(
        ds, targets={"stage1_limit": 11, "stage1_extended_limit": 21, "stage3_panel_limit": 31}
    )
    assert got["timescales"]["Stage 1"]["within_limit"] == 2
    assert got["timescales"]["Stage 1"]["over"] == 0
    assert got["timescales"]["Stage 3"]["within_limit"] == 2
    # the overdue share keeps its own target (20 working days)
    assert got["quarters"]["year"]["overdue_share"] == pytest.approx(1 / 4)


def test_an_extended_limit_shorter_than_the_limit_is_refused() -> None:
    with pytest.raises(ValidationError, match="stage2_extended_limit .* shorter"):
        Targets(stage2_limit=30, stage2_extended_limit=25)
    assert Targets().limits("Stage 3") == (30, None)


def test_no_records_give_zeros_and_no_median() -> None:
    got = area(make_dataset(complaints=[_record("Stage 1", 10)]))["timescales"]["Stage 2"]
    assert got == {
        "withdrawn": 0,
        "responded": 0,
        "within_limit": 0,
        "extended": 0,
        "extended_unagreed": 0,
        "over": 0,
        "open": 0,
        "median_working_days": None,
    }


NULLS = dict.fromkeys(
    (
        "withdrawn",
        "responded",
        "within_limit",
        "extended",
        "extended_unagreed",
        "over",
        "open",
        "median_working_days",
    )
)


def test_no_panel_date_column_gives_null_not_zero_for_stage_3() -> None:
    ds = make_dataset(complaints=boundary_records(), absent={"complaints": ("panel_date",)})
    for figures in (area(ds), council(ds)):
        assert figures["timescales"]["Stage 3"] == NULLS
        assert figures["timescales"]["Stage 1"]["responded"] == 4


def test_no_extension_column_gives_null_unagreed_only() -> None:
    ds = make_dataset(complaints=boundary_records(), absent={"complaints": ("extension_agreed",)})
    got = area(ds)["timescales"]
    for stage in ("Stage 1", "Stage 2"):
        assert got[stage]["extended_unagreed"] is None
        assert got[stage]["extended"] == 2
    assert got["Stage 3"]["extended_unagreed"] == 0  # Stage 3 has no extension to agree


def test_no_responded_date_column_gives_null_for_stages_1_and_2() -> None:
    ds = make_dataset(complaints=boundary_records(), absent={"complaints": ("responded_date",)})
    got = area(ds)["timescales"]
    assert got["Stage 1"] == NULLS and got["Stage 2"] == NULLS
    assert got["Stage 3"]["responded"] == 2


def _decision(decision: str, **kw) -> dict:
    return {"decision": decision, **kw}


def test_ombudsman_compliance_counts_upheld_decisions_only() -> None:
    decisions = [
        _decision("Upheld", remedied_before=True, recommendations_complied=True),
        _decision("Upheld", remedied_before=False, recommendations_complied=False),
        _decision("Upheld", remedied_before=False, recommendations_complied=None),  # none due
        _decision("Upheld", recommendations_complied=True, decision_date="2023-03-31"),  # last year
        _decision("Not upheld", remedied_before=True, recommendations_complied=True),
        _decision(
            "Upheld", service_area="Children's Non-Social Care", recommendations_complied=True
        ),
    ]
    ds = make_dataset(ombudsman=decisions)
    assert area(ds)["ombudsman_compliance"] == {
        "remedied_before": 1,
        "recommendations_due": 2,
        "recommendations_complied": 1,
    }
    assert council(ds)["ombudsman_compliance"] == {
        "remedied_before": 1,
        "recommendations_due": 3,
        "recommendations_complied": 2,
    }


@pytest.mark.parametrize(
    ("absent", "expected"),
    [
        (
            ("remedied_before",),
            {"remedied_before": None, "recommendations_due": 1, "recommendations_complied": 1},
        ),
        (
            ("recommendations_complied",),
            {"remedied_before": 1, "recommendations_due": None, "recommendations_complied": None},
        ),
    ],
)
def test_an_absent_ombudsman_column_gives_null(absent, expected) -> None:
    decisions = [_decision("Upheld", remedied_before=True, recommendations_complied=True)]
    ds = make_dataset(ombudsman=decisions, absent={"ombudsman": absent})
    assert area(ds)["ombudsman_compliance"] == expected
    assert council(ds)["ombudsman_compliance"] == expected


def test_no_upheld_decisions_give_zeros_where_the_columns_exist() -> None:
    ds = make_dataset(ombudsman=[_decision("Not upheld")])
    assert area(ds)["ombudsman_compliance"] == {
        "remedied_before": 0,
        "recommendations_due": 0,
        "recommendations_complied": 0,
    }
