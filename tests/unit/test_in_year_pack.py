"""The in-year pack (``run FY --to Qn``) on small frames: the period's arithmetic, which sections
it keeps, and its year-to-date counts, across a quarter boundary and a bank holiday."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from tiny_data import tiny_context

from complaints_report.data.calendar import FinancialYear
from complaints_report.data.coverage import year_coverage
from complaints_report.params import ParamsError, load_params
from complaints_report.sections import IN_YEAR_PACK, SECTIONS, sections_for, select_sections

CSC = "Children's Social Care"
CS = {"Directorate": "Children's Services", "Service Area": CSC}


# --- the period --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quarter", "end", "months", "quarters"),
    [
        ("Q1", date(2023, 6, 30), "April to June 2023", ("Q1",)),
        ("Q2", date(2023, 9, 30), "April to September 2023", ("Q1", "Q2")),
        ("Q3", date(2023, 12, 31), "April to December 2023", ("Q1", "Q2", "Q3")),
    ],
)
def test_a_period_runs_from_1_april_to_the_end_of_its_quarter(quarter, end, months, quarters):
    period = FinancialYear.parse("2023-24").to(quarter)
    assert (period.start, period.end) == (date(2023, 4, 1), end)
    assert period.quarters == quarters and period.is_period
    assert str(period) == period.slash_label == months
    assert period.label == "2023-24"  # it keys the year's figures and files as before


def test_to_q4_is_the_whole_year():
    year = FinancialYear.parse("2023-24")
    assert year.to("Q4") == year and not year.to("Q4").is_period
    assert (str(year), year.slash_label, year.end) == ("2023-24", "2023/24", date(2024, 3, 31))


def test_the_year_before_is_the_same_months_of_the_year_before():
    before = FinancialYear.parse("2023-24").to("Q2").previous()
    assert (before.start, before.end, str(before)) == (
        date(2022, 4, 1),
        date(2022, 9, 30),
        "April to September 2022",
    )


def test_a_period_holds_its_own_days_only():
    period = FinancialYear.parse("2023-24").to("Q1")
    dates = pd.Series(pd.to_datetime(["2023-03-31", "2023-04-01", "2023-06-30", "2023-07-01"]))
    assert period.contains(dates).tolist() == [False, True, True, False]


def test_figures_json_s_period_names_the_year_or_its_part():
    assert FinancialYear.of_period("2023-24", "2024-03-31") == FinancialYear.parse("2023-24")
    assert FinancialYear.of_period("2023-24", "2023-09-30").last_quarter == 2
    with pytest.raises(ValueError, match="quarter's end"):
        FinancialYear.of_period("2023-24", "2023-09-29")


def test_an_unknown_quarter_is_refused():
    with pytest.raises(ValueError, match="Q5"):
        FinancialYear.parse("2023-24").to("Q5")


def test_the_packs_words_name_each_years_months_and_leave_dates_alone():
    period = FinancialYear.parse("2023-24").to("Q2")
    assert period.relabel("18 in 2022-23, 36 in 2023/24") == (
        "18 in April to September 2022, 36 in April to September 2023"
    )
    kept = "financial year 2023-24; Financial year 2023-24; 2023-09-30; COM/2023-24x"
    assert period.relabel(kept) == kept
    assert FinancialYear.parse("2023-24").relabel("in 2022-23") == "in 2022-23"


# --- the pack's sections -------------------------------------------------------------------------


def test_the_pack_keeps_what_members_need_each_quarter():
    kept = [s.slug for s in sections_for("Q2")]
    assert kept == list(IN_YEAR_PACK)
    left_out = {s.slug for s in SECTIONS} - set(kept)
    assert left_out == {
        "financial-implications",
        "statutory-overview",
        "who-complained",
        "children-in-care-and-advocacy",
        "equality-monitoring",
        "complaint-handling-code",
    }
    assert sections_for(None) == SECTIONS


def test_a_section_outside_the_pack_is_refused_by_name():
    with pytest.raises(ValueError, match="equality-monitoring.*not in the in-year pack"):
        select_sections(["13"], sections_for("Q2"))
    assert [s.number for s in select_sections(["4", "11"], sections_for("Q2"))] == [4, 11]


# --- params -------------------------------------------------------------------------------------


def test_the_pack_is_titled_by_its_period_without_the_annual_meeting():
    pack = load_params("2023-24", overrides={"to_quarter": "Q2"})
    assert pack.report.title == (
        "Children's services complaints: year-to-date report, April to September 2023"
    )
    assert pack.report.meeting_date is None and pack.report.recommendation is None
    assert pack.edition_name == "2023-24-Q2"
    assert load_params("2023-24").edition_name == "2023-24"


def test_the_period_is_not_a_setting(tmp_path):
    from complaints_report import paths

    for name in ("defaults.yml", "2023-24.yml"):
        (tmp_path / name).write_text((paths.PARAMS_DIR / name).read_text(encoding="utf-8"))
    with (tmp_path / "2023-24.yml").open("a", encoding="utf-8") as fh:
        fh.write("to_quarter: Q2\n")
    with pytest.raises(ParamsError, match="--to Q2"):
        load_params("2023-24", tmp_path)


# --- year-to-date counts ---------------------------------------------------------------------------


def _complaint(ref: str, stage: str, received: str, responded: str = "") -> dict[str, str]:
    return {
        "Case Ref": ref,
        "Stage": stage,
        "Received Date": received,
        "Responded Date": responded,
        "Outcome": "Not justified" if stage == "Stage 1" and responded else "",
        **CS,
    }


RECORDS = [
    _complaint("A1", "Stage 1", "03/04/2023", "05/04/2023"),  # the period's first days
    _complaint("A2", "Stage 1", "30/06/2023", "03/07/2023"),  # last day of Q1
    _complaint("A3", "Stage 1", "01/07/2023"),  # first day of Q2
    # Friday before the August bank holiday (Monday 28 August 2023), answered on Tuesday:
    _complaint("A4", "Stage 1", "25/08/2023", "29/08/2023"),
    _complaint("A5", "Informal", "30/09/2023"),  # last day of the period
    _complaint("A6", "Stage 1", "01/10/2023"),  # Q3: after the period
    _complaint("A7", "Informal", "15/02/2024"),  # Q4
    _complaint("B1", "Stage 1", "15/05/2022", "16/05/2022"),  # the same months a year before
    _complaint("B2", "Stage 1", "15/11/2022"),  # a year before, after those months
]


@pytest.fixture
def pack(tmp_path):
    return tiny_context(tmp_path, RECORDS, to_quarter="Q2")


def test_the_year_to_date_counts_the_period_only(pack):
    quarters = pack.area(CSC)["quarters"]
    assert list(quarters) == ["Q1", "Q2", "year"]  # figures.json names the quarters inside it
    assert (quarters["Q1"]["formal"], quarters["Q2"]["formal"]) == (2, 2)
    assert (quarters["year"]["formal"], quarters["year"]["informal"]) == (4, 1)
    assert pack.figures["period"] == {"start": "2023-04-01", "end": "2023-09-30"}
    assert pack.area(CSC)["stages"] == {"Informal": 1, "Stage 1": 4, "Stage 2": 0, "Stage 3": 0}


def test_the_year_before_is_counted_over_the_same_months(pack):
    before = pack.figures_for(pack.previous)["service_areas"][CSC]
    assert before["quarters"]["year"]["formal"] == 1  # May 2022, not November
    assert pack.figures_for(pack.previous)["period"]["end"] == "2022-09-30"


def test_working_days_skip_the_bank_holiday(pack):
    c = pack.prep.complaints.set_index("case_ref")
    assert int(c.loc["A4", "working_days"]) == 1  # Tuesday only: Monday was a bank holiday
    assert int(c.loc["A2", "working_days"]) == 1  # Friday 30 June to Monday 3 July
    timescales = pack.area(CSC)["timescales"]["Stage 1"]
    assert (timescales["responded"], timescales["open"]) == (3, 1)


def test_the_whole_year_still_counts_every_quarter(tmp_path):
    year = tiny_context(tmp_path, RECORDS)
    assert year.area(CSC)["quarters"]["year"]["formal"] == 5
    assert list(year.area(CSC)["quarters"]) == ["Q1", "Q2", "Q3", "Q4", "year"]


def test_a_period_with_no_records_is_refused_giving_the_exports_span():
    received = pd.Series(pd.to_datetime(["2023-07-10", "2023-08-01"]))
    coverage = year_coverage(received, FinancialYear.parse("2023-24").to("Q1"))
    assert coverage.empty
    assert "10 July 2023 to 1 August 2023" in coverage.problem().issue


def test_a_period_the_export_covers_in_part_warns_of_its_own_quarters_only():
    received = pd.Series(pd.to_datetime(["2023-04-03", "2023-08-15"]))
    warning = year_coverage(received, FinancialYear.parse("2023-24").to("Q2")).warning()
    assert "Q2 (July–September) is incomplete" in warning and "Q3" not in warning
    assert year_coverage(received, FinancialYear.parse("2023-24").to("Q1")).warning() is None
