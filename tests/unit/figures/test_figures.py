"""The figures engine and report views (complaints_report.figures / .views), on tiny inline frames.

Every test builds a :class:`Dataset` from a handful of records with :func:`make_dataset`, which
gives each table exactly the normalised columns and dtypes the reader produces, so the tests
exercise the counting definitions of the data contract and nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from complaints_report.data.calendar import FinancialYear
from complaints_report.data.contract import TABLES
from complaints_report.data.loading import normalise_table
from complaints_report.data.model import Dataset, RawTable
from complaints_report.data.values import TEXT
from complaints_report.figures.engine import compute_figures, prepare
from complaints_report.figures.views import (
    changes,
    equalities,
    report_views,
    stage2_cases,
    statutory,
    theme_shares,
    timescales,
)
from complaints_report.params import Params

CS = "Children's Services"
CSC = "Children's Social Care"
NSC = "Children's Non-Social Care"
FY = "2023-24"

TOP_KEYS = {"schema", "financial_year", "period", "service_areas", "council"}
QUARTER_KEYS = {
    "formal",
    "informal",
    "ombudsman_decisions",
    "ombudsman_upheld",
    "overdue_share",
    "fully_justified_share",
    "partly_justified_share",
    "compliments",
    "learnings",
}
COUNT_KEYS = sorted(
    QUARTER_KEYS - {"overdue_share", "fully_justified_share", "partly_justified_share"}
)
COUNCIL_KEYS = {
    "complaints",
    "formal",
    "informal",
    "compliments",
    "learnings",
    "ombudsman_decisions",
    "ombudsman_upheld",
    "remedy_total",
    "ombudsman_investigated",
    "ombudsman_upheld_after_investigation",
    "overdue_share",
    "fully_justified_share",
    "partly_justified_share",
    "timescales",
    "ombudsman_compliance",
    # beyond the contract, so that every number a sentence states is a figure (README)
    "member_conduct",
    "advocacy_referrals",
}
AREA_KEYS = {
    "quarters",
    "stages",
    "ombudsman",
    "children_in_care",
    "complainant_types",
    "themes",
    "outcomes",
    "stage2_costs",
    "timescales",
    "ombudsman_compliance",
    # beyond the contract, so that every number a sentence states is a figure (README)
    "stage1_extensions",
    "actions",
}

# --- building data sets ----------------------------------------------------------------------

DEFAULTS: dict[str, dict[str, Any]] = {
    "complaints": {
        "stage": "Stage 1",
        "received_date": "2023-04-03",
        "directorate": CS,
        "service_area": CSC,
    },
    "compliments": {"date": "2023-04-05", "directorate": CS, "service_area": CSC},
    "ombudsman": {
        "decision_date": "2023-06-01",
        "directorate": CS,
        "service_area": CSC,
        "decision": "Not upheld",
    },
    "advocacy": {"quarter_start": "2023-04-01", "referrals": 1},
    "equalities": {"received_date": "2023-04-03"},
    "member_conduct": {"received_date": "2023-04-03"},
}
AUTO_REF = {"complaints": ("case_ref", "C/{}"), "ombudsman": ("lgsco_ref", "L{}")}


def _column(values: list[Any], kind: str) -> pd.Series:
    """One column with the dtype the reader's normalisation gives a column of ``kind``."""
    if kind == "date":
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype="datetime64[ns]")
    if kind == "yesno":
        return pd.Series([bool(v) for v in values], dtype=bool)
    if kind == "yesno_or_blank":
        return pd.Series(values, dtype="boolean")
    if kind == "money":
        return pd.Series([float("nan") if v is None else float(v) for v in values], dtype="float64")
    if kind == "int":
        return pd.Series([0 if v is None else int(v) for v in values], dtype="int64")
    return pd.Series(values, dtype=TEXT)


def make_frame(table: str, rows: list[dict[str, Any]] | tuple = ()) -> pd.DataFrame:
    """A normalised ``table`` frame from ``rows``; unspecified columns take DEFAULTS or blank."""
    spec = TABLES[table]
    records = []
    for i, row in enumerate(rows, start=1):
        unknown = set(row) - set(spec.column_names)
        assert not unknown, f"{table} has no column(s) {unknown}"
        record = {**DEFAULTS.get(table, {}), **row}
        if table in AUTO_REF:
            col, pattern = AUTO_REF[table]
            record.setdefault(col, pattern.format(i))
        records.append(record)
    data = {
        c.name: _column(
            [r.get(c.name) for r in records],
            "yesno_or_blank" if c.kind == "yesno" and not c.blank_is_no else c.kind,
        )
        for c in spec.columns
    }
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(records)))
    frame["source_row"] = pd.Series(range(2, len(records) + 2), dtype="int64")
    return frame


def make_dataset(
    absent: dict[str, tuple[str, ...]] | None = None, **tables: list[dict[str, Any]]
) -> Dataset:
    """A Dataset holding the given rows per table (every other table empty).

    Every table's file has every contract column, except those ``absent`` names per table
    (``absent={"complaints": ("panel_date",)}``): those columns are blank and not recorded.
    """
    unknown = set(tables) - set(TABLES)
    assert not unknown, f"no table(s) {unknown}"
    frames = {name: make_frame(name, tables.get(name, ())) for name in TABLES}
    absent = absent or {}
    columns = {
        name: frozenset(spec.column_names) - set(absent.get(name, ()))
        for name, spec in TABLES.items()
    }
    return Dataset(**frames, data_dir=Path("inline"), columns=columns)


def make_params(**settings: Any) -> Params:
    return Params(financial_year=FY, council="Test", **settings)


def figures(ds: Dataset, fy: str = FY, **settings: Any) -> dict[str, Any]:
    return compute_figures(prepare(ds, make_params(**settings)), fy)


def area(ds: Dataset, name: str = CSC, fy: str = FY, **settings: Any) -> dict[str, Any]:
    return figures(ds, fy, **settings)["service_areas"][name]


def council(ds: Dataset, fy: str = FY, **settings: Any) -> dict[str, Any]:
    return figures(ds, fy, **settings)["council"]


def test_factory_frames_have_the_reader_dtypes():
    """The inline frames must look exactly like the reader's, or these tests prove nothing."""
    for name, spec in TABLES.items():
        empty = pd.DataFrame(index=pd.Index([], dtype="int64", name="source_row"))
        expected = normalise_table(RawTable(spec, None, empty)).dtypes
        got = make_frame(name, [{}]).dtypes
        assert list(got.index) == list(expected.index), name
        assert dict(got) == dict(expected), name


# --- financial year and quarters -------------------------------------------------------------


def test_financial_year_runs_1_april_to_31_march():
    ds = make_dataset(
        complaints=[
            {"received_date": "2023-03-31"},
            {"received_date": "2023-04-01"},
            {"received_date": "2024-03-31"},
            {"received_date": "2024-04-01"},
        ]
    )
    q = area(ds)["quarters"]
    assert q["year"]["formal"] == 2
    assert (q["Q1"]["formal"], q["Q4"]["formal"]) == (1, 1)
    assert council(ds)["formal"] == 2
    # 31 March 2023 is the last day (Q4) of 2022-23; 1 April 2024 the first of 2024-25.
    before = area(ds, fy="2022-23")["quarters"]
    assert (before["year"]["formal"], before["Q4"]["formal"]) == (1, 1)
    after = area(ds, fy="2024-25")["quarters"]
    assert (after["year"]["formal"], after["Q1"]["formal"]) == (1, 1)


@pytest.mark.parametrize(
    ("received", "quarter"),
    [
        ("2023-06-30", "Q1"),
        ("2023-07-01", "Q2"),
        ("2023-09-30", "Q2"),
        ("2023-10-01", "Q3"),
        ("2023-12-31", "Q3"),
        ("2024-01-01", "Q4"),
    ],
)
def test_a_record_belongs_to_the_quarter_of_its_received_date(received, quarter):
    q = area(make_dataset(complaints=[{"received_date": received}]))["quarters"]
    assert {k: q[k]["formal"] for k in ("Q1", "Q2", "Q3", "Q4")} == {
        k: int(k == quarter) for k in ("Q1", "Q2", "Q3", "Q4")
    }


# --- formal, informal, complaints, stages ----------------------------------------------------


def test_formal_is_stage_1_informal_is_informal_and_escalations_are_not_double_counted():
    ds = make_dataset(
        complaints=[
            {"case_ref": "C/1", "stage": "Informal"},
            {"case_ref": "C/1", "stage": "Stage 1"},
            {"case_ref": "C/1", "stage": "Stage 2"},
            {"case_ref": "C/1", "stage": "Stage 3"},
            {"case_ref": "C/2", "stage": "Stage 1"},
            {"case_ref": "C/3", "stage": "Informal"},
            {"case_ref": "C/4", "stage": "Stage 2"},
        ]
    )
    c = council(ds)
    assert (c["formal"], c["informal"], c["complaints"]) == (2, 2, 4)
    year = area(ds)["quarters"]["year"]
    assert (year["formal"], year["informal"]) == (2, 2)
    assert area(ds)["stages"] == {"Informal": 2, "Stage 1": 2, "Stage 2": 2, "Stage 3": 1}


def test_stage_counts_include_zeros():
    stages = area(make_dataset(complaints=[{"stage": "Stage 1"}]))["stages"]
    assert stages == {"Informal": 0, "Stage 1": 1, "Stage 2": 0, "Stage 3": 0}


# --- working days and overdue share ----------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "responded", "days"),
    [
        ("2023-04-03", "2023-04-03", 0),  # same day
        ("2023-04-06", "2023-04-11", 1),  # Good Friday, weekend and Easter Monday 2023
        ("2023-05-05", "2023-05-09", 1),  # Coronation bank holiday, Monday 8 May 2023
        ("2023-04-03", "2023-05-04", 20),  # across Easter and the early May bank holiday
        ("2023-05-05", "2023-06-06", 20),  # across the Coronation and the Spring bank holiday
    ],
)
def test_working_days_skip_weekends_and_bank_holidays(received, responded, days):
    ds = make_dataset(complaints=[{"received_date": received, "responded_date": responded}])
    prep = prepare(ds, make_params())
    assert int(prep.complaints["working_days"].iloc[0]) == days


@pytest.mark.parametrize(
    ("received", "responded", "overdue"),
    [
        ("2023-04-03", "2023-05-04", False),  # exactly 20 working days, spanning Easter 2023
        ("2023-04-03", "2023-05-05", True),  # 21
        ("2023-05-05", "2023-06-06", False),  # exactly 20, spanning the 2023 Coronation
        ("2023-05-05", "2023-06-07", True),  # 21
    ],
)
def test_overdue_means_more_than_20_working_days(received, responded, overdue):
    ds = make_dataset(complaints=[{"received_date": received, "responded_date": responded}])
    assert area(ds)["quarters"]["year"]["overdue_share"] == (1.0 if overdue else 0.0)
    assert council(ds)["overdue_share"] == (1.0 if overdue else 0.0)


def test_overdue_share_counts_only_responded_stage_1_records():
    late = {"received_date": "2023-04-03", "responded_date": "2023-06-30"}
    ds = make_dataset(
        complaints=[
            {**late, "stage": "Stage 1"},  # overdue
            {"received_date": "2023-04-03", "responded_date": "2023-04-04"},  # on time
            {"received_date": "2023-04-03"},  # open: not counted
            {"received_date": "2023-04-04"},  # open: not counted
            {**late, "stage": "Informal"},
            {**late, "stage": "Stage 2"},
        ]
    )
    assert area(ds)["quarters"]["year"]["overdue_share"] == 0.5
    assert council(ds)["overdue_share"] == 0.5


def test_overdue_share_is_none_without_responded_stage_1_records():
    ds = make_dataset(
        complaints=[{"stage": "Stage 1"}, {"stage": "Informal", "responded_date": "2023-09-01"}]
    )
    assert area(ds)["quarters"]["year"]["overdue_share"] is None
    assert area(ds)["quarters"]["Q2"]["overdue_share"] is None
    assert council(ds)["overdue_share"] is None


def test_the_stage_1_target_comes_from_params():
    ds = make_dataset(
        complaints=[
            {"received_date": "2023-05-05", "responded_date": "2023-05-09"},  # 1 (Coronation)
            {"received_date": "2023-05-05", "responded_date": "2023-05-10"},  # 2
            {"received_date": "2023-04-03", "responded_date": "2023-05-05"},  # 21
        ]
    )
    assert council(ds)["overdue_share"] == pytest.approx(1 / 3)
    assert council(ds, targets={"stage1_working_days": 1})["overdue_share"] == pytest.approx(2 / 3)
    assert council(ds, targets={"stage1_working_days": 21})["overdue_share"] == 0.0


# --- fully / partly justified ----------------------------------------------------------------


def test_justified_shares_exclude_withdrawn_open_and_other_stages():
    ds = make_dataset(
        complaints=[
            {"outcome": "Fully justified"},
            {"outcome": "Partially justified"},
            {"outcome": "Not justified"},
            {"outcome": "Not justified"},
            {"outcome": "Withdrawn"},
            {"outcome": None},  # open
            {"stage": "Informal", "outcome": "Fully justified"},
            {"stage": "Stage 2", "outcome": "Fully justified"},
        ]
    )
    year = area(ds)["quarters"]["year"]
    assert (year["fully_justified_share"], year["partly_justified_share"]) == (0.25, 0.25)
    c = council(ds)
    assert (c["fully_justified_share"], c["partly_justified_share"]) == (0.25, 0.25)


def test_justified_shares_are_none_when_nothing_was_judged():
    ds = make_dataset(complaints=[{"outcome": "Withdrawn"}, {"outcome": None}])
    year = area(ds)["quarters"]["year"]
    assert year["fully_justified_share"] is None
    assert year["partly_justified_share"] is None
    assert council(ds)["fully_justified_share"] is None


# --- learnings, children in care -------------------------------------------------------------


def test_learnings_count_non_blank_learning_at_any_stage():
    ds = make_dataset(
        complaints=[
            {"stage": "Informal", "learning": "a"},
            {"stage": "Stage 1", "learning": "b"},
            {"stage": "Stage 2", "learning": "c"},
            {"stage": "Stage 3", "learning": None},
            {"stage": "Stage 1", "learning": None},
            {"stage": "Stage 1", "learning": "d", "received_date": "2023-03-31"},  # 2022-23
            {"stage": "Stage 3", "learning": "e", "received_date": "2023-10-02"},  # Q3
        ]
    )
    q = area(ds)["quarters"]
    assert (q["year"]["learnings"], q["Q1"]["learnings"], q["Q3"]["learnings"]) == (4, 3, 1)
    assert council(ds)["learnings"] == 4


def test_children_in_care_counts_distinct_cases_across_stages():
    ds = make_dataset(
        complaints=[
            {"case_ref": "C/1", "stage": "Informal", "child_in_care": True},
            {"case_ref": "C/1", "stage": "Stage 1", "child_in_care": True},
            {"case_ref": "C/1", "stage": "Stage 2", "child_in_care": True},
            {"case_ref": "C/2", "stage": "Stage 3", "child_in_care": True},
            {"case_ref": "C/3", "stage": "Stage 1", "child_in_care": False},
            {
                "case_ref": "C/4",
                "stage": "Stage 1",
                "child_in_care": True,
                "received_date": "2023-03-01",
            },
            {"case_ref": "C/5", "child_in_care": True, "service_area": NSC},
        ]
    )
    assert area(ds)["children_in_care"] == 2
    assert area(ds, NSC)["children_in_care"] == 1


# --- complainant types, themes, outcomes -----------------------------------------------------


def test_complainant_types_over_informal_and_stage_1_with_blanks_not_recorded():
    ds = make_dataset(
        complaints=[
            {"stage": "Informal", "complainant_type": "Parent"},
            {"stage": "Stage 1", "complainant_type": "Parent"},
            {"stage": "Stage 1", "complainant_type": "Young Person"},
            {"stage": "Stage 1", "complainant_type": None},
            {"stage": "Informal", "complainant_type": None},
            {"stage": "Stage 2", "complainant_type": "Advocate"},
            {"stage": "Stage 3", "complainant_type": None},
        ]
    )
    types = area(ds)["complainant_types"]
    assert types == {"Parent": 2, "Young Person": 1, "Not recorded": 2}
    assert list(types)[-1] == "Not recorded"


def test_themes_over_informal_and_stage_1_after_the_theme_map():
    ds = make_dataset(
        complaints=[
            {"stage": "Informal", "theme": "Comms"},
            {"stage": "Stage 1", "theme": "Communication"},
            {"stage": "Stage 1", "theme": "Finance"},
            {"stage": "Stage 1", "theme": None},
            {"stage": "Stage 2", "theme": "Finance"},
            {"stage": "Stage 3", "theme": None},
        ]
    )
    themes = area(ds, theme_map={"Comms": "Communication"})["themes"]
    assert themes == {"Communication": 2, "Finance": 1, "Not recorded": 1}
    assert list(themes)[-1] == "Not recorded"
    assert area(ds)["themes"] == {"Comms": 1, "Communication": 1, "Finance": 1, "Not recorded": 1}


def test_outcomes_over_stage_1_only_with_all_four_keys():
    ds = make_dataset(
        complaints=[
            {"stage": "Stage 1", "outcome": "Not justified"},
            {"stage": "Stage 1", "outcome": "Not justified"},
            {"stage": "Stage 1", "outcome": None},
            {"stage": "Informal", "outcome": "Fully justified"},
            {"stage": "Stage 2", "outcome": "Withdrawn"},
            {"stage": "Stage 3", "outcome": "Partially justified"},
        ]
    )
    outcomes = area(ds)["outcomes"]
    assert outcomes == {
        "Fully justified": 0,
        "Partially justified": 0,
        "Not justified": 2,
        "Withdrawn": 0,
    }
    assert list(outcomes) == [
        "Fully justified",
        "Partially justified",
        "Not justified",
        "Withdrawn",
    ]


# --- Ombudsman, Stage 2 costs, compliments ---------------------------------------------------


def test_ombudsman_decisions_upheld_and_remedies_by_decision_date():
    ds = make_dataset(
        ombudsman=[
            {"decision_date": "2023-03-31", "decision": "Upheld", "remedy_amount": 1000},
            {"decision_date": "2023-04-01", "decision": "Upheld", "remedy_amount": 500.25},
            {"decision_date": "2023-11-15", "decision": "Referred back"},
            {"decision_date": "2024-03-31", "decision": "Not upheld", "remedy_amount": None},
            {"decision_date": "2024-04-01", "decision": "Upheld", "remedy_amount": 7},
            {
                "decision_date": "2023-05-01",
                "decision": "Upheld",
                "remedy_amount": 250,
                "directorate": "Place",
                "service_area": "Highways",
            },
        ]
    )
    f = figures(ds)
    assert f["service_areas"][CSC]["ombudsman"] == {
        "decisions": 3,
        "upheld": 1,
        "remedy_total": 500.25,
        "investigated": 2,
        "upheld_after_investigation": 1,
    }
    q = f["service_areas"][CSC]["quarters"]
    assert [q[k]["ombudsman_decisions"] for k in ("Q1", "Q2", "Q3", "Q4")] == [1, 0, 1, 1]
    assert q["Q1"]["ombudsman_upheld"] == 1
    c = f["council"]
    assert (c["ombudsman_decisions"], c["ombudsman_upheld"], c["remedy_total"]) == (4, 2, 750.25)


def test_stage2_costs_sum_stage_2_and_3_only_with_blanks_as_zero():
    ds = make_dataset(
        complaints=[
            {"stage": "Stage 2", "investigator_cost": 100.5, "independent_person_cost": 50},
            {"stage": "Stage 3", "investigator_cost": 10, "additional_cost": 5},
            {"stage": "Stage 2"},  # all blank
            {"stage": "Stage 1", "investigator_cost": 999, "additional_cost": 999},
            {"stage": "Informal", "independent_person_cost": 999},
            {"stage": "Stage 2", "investigator_cost": 999, "received_date": "2023-03-31"},
        ]
    )
    assert area(ds)["stage2_costs"] == {
        "investigator": 110.5,
        "independent_person": 50.0,
        "additional": 5.0,
    }
    empty = area(make_dataset(complaints=[{"stage": "Stage 1"}]))["stage2_costs"]
    assert empty == {"investigator": 0.0, "independent_person": 0.0, "additional": 0.0}


def test_compliments_belong_to_the_period_of_their_date():
    ds = make_dataset(
        compliments=[
            {"date": "2023-03-31"},
            {"date": "2023-04-01"},
            {"date": "2023-08-10"},
            {"date": "2024-03-31"},
            {"date": "2024-04-01"},
            {"date": "2023-08-10", "directorate": "Place", "service_area": "Highways"},
        ]
    )
    f = figures(ds)
    q = f["service_areas"][CSC]["quarters"]
    assert [q[k]["compliments"] for k in ("Q1", "Q2", "Q3", "Q4", "year")] == [1, 1, 0, 1, 3]
    assert f["council"]["compliments"] == 4


# --- service areas vs council ----------------------------------------------------------------


def test_service_area_figures_use_children_services_records_council_uses_every_record():
    ds = make_dataset(
        complaints=[
            {"service_area": CSC, "stage": "Stage 1"},
            {"service_area": CSC, "stage": "Informal"},
            {"service_area": NSC, "stage": "Stage 1"},
            {"directorate": "Place", "service_area": "Highways", "stage": "Stage 1"},
            {"directorate": "Adults and Housing", "service_area": "Housing", "stage": "Informal"},
            # a record of another directorate that happens to use a Children's area name
            {"directorate": "Corporate", "service_area": CSC, "stage": "Stage 1"},
        ]
    )
    f = figures(ds)
    csc = f["service_areas"][CSC]["quarters"]["year"]
    nsc = f["service_areas"][NSC]["quarters"]["year"]
    assert (csc["formal"], csc["informal"]) == (1, 1)
    assert (nsc["formal"], nsc["informal"]) == (1, 0)
    assert (f["council"]["formal"], f["council"]["informal"], f["council"]["complaints"]) == (
        4,
        2,
        6,
    )


def test_service_areas_lists_every_childrens_services_area_present():
    ds = make_dataset(
        complaints=[
            {"service_area": NSC},
            {"service_area": "Early Help", "received_date": "2021-05-01"},  # another year
            {"directorate": "Place", "service_area": "Highways"},
        ],
        compliments=[{"service_area": "Fostering"}],
        ombudsman=[{"directorate": "Corporate", "service_area": "Revenues"}],
    )
    areas = list(figures(ds)["service_areas"])
    assert set(areas) == {NSC, "Early Help", "Fostering"}
    # params order first (Children's Social Care is absent), then the rest by name
    assert areas == [NSC, "Early Help", "Fostering"]
    for a in areas:
        assert set(figures(ds)["service_areas"][a]) == AREA_KEYS


# --- figures.json shape ----------------------------------------------------------------------


def rich_dataset() -> Dataset:
    """A few records of every kind, spread over quarters, areas, stages and years."""
    return make_dataset(
        complaints=[
            {
                "case_ref": "C/1",
                "stage": "Informal",
                "received_date": "2023-04-03",
                "responded_date": "2023-04-05",
                "complainant_type": "Parent",
                "theme": "Comms",
                "learning": "x",
                "child_in_care": True,
            },
            {
                "case_ref": "C/1",
                "stage": "Stage 1",
                "received_date": "2023-07-03",
                "responded_date": "2023-09-01",
                "outcome": "Fully justified",
            },
            {
                "case_ref": "C/1",
                "stage": "Stage 2",
                "received_date": "2023-10-03",
                "investigator_cost": 1754.96,
                "outcome": "Partially justified",
            },
            {
                "case_ref": "C/2",
                "stage": "Stage 1",
                "received_date": "2024-01-10",
                "responded_date": "2024-01-12",
                "outcome": "Not justified",
                "service_area": NSC,
            },
            {
                "case_ref": "C/3",
                "stage": "Stage 1",
                "received_date": "2023-05-10",
                "directorate": "Place",
                "service_area": "Highways",
                "outcome": "Withdrawn",
            },
            {"case_ref": "C/4", "stage": "Informal", "received_date": "2022-05-10"},
        ],
        compliments=[{"date": "2023-06-01"}, {"date": "2024-02-01", "service_area": NSC}],
        ombudsman=[{"decision": "Upheld", "remedy_amount": 300}],
        equalities=[{"gender": "Female"}],
        advocacy=[{"quarter_start": "2023-04-01", "referrals": 3}],
        member_conduct=[{"investigated": True}],
    )


def test_figures_json_top_level_shape():
    f = figures(rich_dataset())
    assert set(f) == TOP_KEYS
    assert f["schema"] == 1
    assert f["financial_year"] == "2023-24"
    assert f["period"] == {"start": "2023-04-01", "end": "2024-03-31"}
    assert set(f["council"]) == COUNCIL_KEYS


def test_figures_json_quarters_have_exactly_the_contract_keys():
    f = figures(rich_dataset())
    for name, a in f["service_areas"].items():
        assert set(a) == AREA_KEYS, name
        assert list(a["quarters"]) == ["Q1", "Q2", "Q3", "Q4", "year"], name
        for q, row in a["quarters"].items():
            assert set(row) == QUARTER_KEYS, (name, q)
        assert set(a["ombudsman"]) == {
            "decisions",
            "upheld",
            "remedy_total",
            "investigated",
            "upheld_after_investigation",
        }
        assert set(a["stage2_costs"]) == {"investigator", "independent_person", "additional"}


def test_year_is_the_sum_of_the_quarters_for_counts():
    f = figures(rich_dataset())
    for name, a in f["service_areas"].items():
        q = a["quarters"]
        for key in COUNT_KEYS:
            assert q["year"][key] == sum(q[k][key] for k in ("Q1", "Q2", "Q3", "Q4")), (name, key)
    csc = f["service_areas"][CSC]["quarters"]["year"]
    assert (csc["formal"], csc["informal"], csc["compliments"], csc["learnings"]) == (1, 1, 1, 1)


@pytest.mark.parametrize("ds", [rich_dataset(), make_dataset()], ids=["rich", "empty"])
def test_figures_json_is_strict_json(ds):
    f = figures(ds)
    text = json.dumps(f, allow_nan=False)
    assert json.loads(text) == f
    if not f["service_areas"]:
        assert f["council"]["complaints"] == 0
        assert f["council"]["overdue_share"] is None


def test_council_complaints_is_formal_plus_informal():
    c = council(rich_dataset())
    assert (c["complaints"], c["formal"], c["informal"]) == (4, 3, 1)
    assert c["remedy_total"] == 300.0


# --- report views ----------------------------------------------------------------------------


def prep_of(ds: Dataset, **settings: Any):
    return prepare(ds, make_params(**settings))


def test_statutory_covers_the_report_year_and_two_before():
    ds = make_dataset(
        complaints=[
            {"stage": "Informal", "received_date": "2023-05-01"},
            {"stage": "Stage 2", "received_date": "2022-05-01"},
            {"stage": "Stage 3", "received_date": "2021-05-01"},
            {"stage": "Stage 1", "received_date": "2020-05-01"},  # four years back: not shown
        ],
        ombudsman=[{"decision_date": "2022-06-01", "decision": "Upheld"}],
    )
    out = statutory(prep_of(ds), FinancialYear.parse(FY), CSC)
    assert list(out) == ["2023-24", "2022-23", "2021-22"]
    zero = {
        "Informal": 0,
        "Stage 1": 0,
        "Stage 2": 0,
        "Stage 3": 0,
        "ombudsman_decisions": 0,
        "ombudsman_upheld": 0,
    }
    assert out["2023-24"] == {**zero, "Informal": 1}
    assert out["2022-23"] == {**zero, "Stage 2": 1, "ombudsman_decisions": 1, "ombudsman_upheld": 1}
    assert out["2021-22"] == {**zero, "Stage 3": 1}


def test_timescales_within_target_is_one_minus_overdue():
    ds = make_dataset(
        complaints=[
            {"received_date": "2023-04-03", "responded_date": "2023-05-05"},  # 21: overdue
            {"received_date": "2023-04-03", "responded_date": "2023-05-04"},  # 20
            {"received_date": "2023-04-03", "responded_date": "2023-04-04"},
            {"received_date": "2023-04-03", "responded_date": "2023-04-05"},
        ]
    )
    out = timescales(prep_of(ds), FinancialYear.parse(FY), CSC)
    assert out["2023-24"] == {
        "responded": 4,
        "overdue": 1,
        "overdue_share": 0.25,
        "within_target_share": 0.75,
    }
    assert out["2022-23"]["within_target_share"] is None


def test_theme_shares_exclude_not_recorded_from_the_denominator():
    ds = make_dataset(
        complaints=[
            {"theme": "Communication"},
            *[{"theme": "Finance"} for _ in range(3)],
            *[{"theme": None} for _ in range(4)],
        ]
    )
    out = theme_shares(prep_of(ds), FinancialYear.parse(FY), CSC)
    assert out["2023-24"] == {"Finance": 0.75, "Communication": 0.25}
    assert out["2022-23"] == {}


def test_stage2_cases_give_one_row_per_case_with_summed_costs():
    ds = make_dataset(
        complaints=[
            {"case_ref": "C/1", "stage": "Stage 1", "investigator_cost": 999},
            {"case_ref": "C/1", "stage": "Stage 2", "investigator_cost": 100, "team": "North"},
            {
                "case_ref": "C/1",
                "stage": "Stage 3",
                "investigator_cost": 50.5,
                "additional_cost": 10,
                "outcome": "Partially justified",
            },
            {"case_ref": "C/2", "stage": "Stage 2", "independent_person_cost": 20},
        ]
    )
    rows = stage2_cases(prep_of(ds), FinancialYear.parse(FY), CSC)
    assert [r["case_ref"] for r in rows] == ["C/1", "C/2"]
    c1, c2 = rows
    assert (c1["investigator"], c1["independent_person"], c1["additional"]) == (150.5, 0.0, 10.0)
    assert (c1["stages"], c1["latest_stage"], c1["outcome"], c1["team"]) == (
        "Stage 2, Stage 3",
        "Stage 3",
        "Partially justified",
        "North",
    )
    assert (c2["investigator"], c2["independent_person"], c2["additional"]) == (0.0, 20.0, 0.0)
    assert c2["outcome"] is None and c2["team"] is None


def test_changes_are_relative_and_none_when_the_previous_year_is_zero():
    ds = make_dataset(
        complaints=[
            *[{"received_date": "2022-05-01"} for _ in range(2)],
            *[{"received_date": "2023-05-01"} for _ in range(3)],
            {"stage": "Informal", "received_date": "2023-05-01"},
        ],
        compliments=[{"date": "2022-05-01"}, {"date": "2022-06-01"}, {"date": "2023-05-01"}],
    )
    prep, fy = prep_of(ds), FinancialYear.parse(FY)
    for out in (changes(prep, fy), changes(prep, fy, CSC)):
        assert out["formal"] == pytest.approx(0.5)
        assert out["complaints"] == pytest.approx(1.0)
        assert out["compliments"] == pytest.approx(-0.5)
        assert out["informal"] is None  # none the year before
        assert out["ombudsman_decisions"] is None


def test_equalities_shares_with_blanks_as_left_blank():
    ds = make_dataset(
        equalities=[
            {"gender": "Female"},
            {"gender": "Female"},
            {"gender": None},
            {"gender": "Male", "age_band": "18-24"},
            {"gender": "Male", "received_date": "2023-03-01"},  # previous year
        ]
    )
    out = equalities(prep_of(ds), FinancialYear.parse(FY))
    assert out["gender"]["2023-24"] == {"Female": 0.5, "Left blank": 0.25, "Male": 0.25}
    assert out["age_band"]["2023-24"] == {"Left blank": 0.75, "18-24": 0.25}
    assert out["gender"]["2022-23"] == {"Male": 1.0}


def test_report_views_are_strict_json():
    views = report_views(prep_of(rich_dataset()), FY)
    json.dumps(views, allow_nan=False)
