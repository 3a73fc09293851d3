"""The year's coverage: a year the export has no complaint in is refused, a year it covers in part
is run with a warning and said in the methodology."""

from __future__ import annotations

import logging
from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest
from tiny_data import tiny_context

from complaints_report.cli import main
from complaints_report.content import methodology
from complaints_report.data.coverage import year_coverage
from complaints_report.data.model import DataError
from complaints_report.params import load_params
from complaints_report.run.year import check_coverage


def dates(*texts: str) -> pd.Series:
    return pd.Series(pd.to_datetime(list(texts)))


def test_an_export_that_spans_the_year_covers_it_whole():
    # The last record on 28 March: March is in the export, so Q4 is whole.
    c = year_coverage(dates("2022-11-03", "2023-04-01", "2024-03-28"), "2023-24")
    assert not c.empty and c.in_year == 2
    assert c.incomplete_quarters == [] and c.warning() is None


def test_records_that_end_inside_the_year_leave_its_later_quarters_incomplete():
    c = year_coverage(dates("2023-04-03", "2023-11-20"), "2023-24")
    assert c.covered_to == date(2023, 11, 30)
    assert c.incomplete_quarters == ["Q3", "Q4"]
    assert c.warning() == (
        "The export's complaint records run from 3 April 2023 to 20 November 2023, so it covers "
        "only part of 2023-24: Q3 (October–December), Q4 (January–March) are incomplete, and "
        "the year's counts are lower than a full year's would be."
    )


def test_records_that_start_inside_the_year_leave_its_earlier_quarters_incomplete():
    c = year_coverage(dates("2023-07-03", "2024-06-01"), "2023-24")
    assert c.covered_from == date(2023, 7, 1)
    assert c.incomplete_quarters == ["Q1"] and "Q1 (April–June) is incomplete" in c.warning()
    # A start in mid-August: Q2 is partly covered, Q1 not at all.
    c = year_coverage(dates("2023-08-14", "2024-06-01"), "2023-24")
    assert c.incomplete_quarters == ["Q1", "Q2"]


def test_a_year_without_a_record_is_a_problem_that_gives_the_exports_span():
    c = year_coverage(dates("2016-04-01", "2024-03-28"), "2030-31")
    assert c.empty and c.warning() is None
    assert str(c.problem()) == (
        "complaints, column received_date: no complaint was received in 2030-31 (1 April 2030 "
        "to 31 March 2031); the export's complaints run from 1 April 2016 to 28 March 2024 — "
        "expected an export that covers 2030-31, or a year it covers"
    )
    assert year_coverage(pd.Series([], dtype="datetime64[ns]"), "2023-24").span() == (
        "no complaint records at all"
    )


def test_the_run_refuses_an_empty_year_and_warns_for_a_partial_one(caplog):
    params = load_params("2023-24")
    partial = SimpleNamespace(complaints=pd.DataFrame({"received_date": dates("2023-05-02")}))
    with caplog.at_level(logging.WARNING, logger="complaints_report.run"):
        check_coverage(partial, params)
    assert (
        "2023-24: The export's complaint records run from 2 May 2023 to 2 May 2023" in caplog.text
    )
    empty = SimpleNamespace(complaints=pd.DataFrame({"received_date": dates("2019-05-02")}))
    with pytest.raises(DataError, match="no complaint was received in 2023-24"):
        check_coverage(empty, params)


@pytest.mark.parametrize("command", ["run", "figures"])
def test_a_year_the_demo_export_does_not_reach_is_refused_and_nothing_is_written(
    command, tmp_path, capsys
):
    out = tmp_path / "outputs"
    extra = ["--no-progress"] if command == "run" else []
    assert main([command, "2030-31", "--out", str(out), *extra]) == 1
    err = capsys.readouterr().err
    assert "nothing was written" in err
    assert "no complaint was received in 2030-31" in err and "run from 1 April 2016 to" in err
    assert "Traceback" not in err
    assert not (out / "2030-31").exists()
    assert not any((out / ".runs").glob("*")) if (out / ".runs").exists() else True


def test_the_methodology_says_which_quarters_are_incomplete(tmp_path):
    rows = [
        {
            "Case Ref": f"COM/{i}",
            "Stage": "Stage 1",
            "Received Date": d,
            "Directorate": "Children's Services",
            "Service Area": "Children's Social Care",
        }
        for i, d in enumerate(["03/04/2023", "14/06/2023", "20/11/2023"])
    ]
    ctx = tiny_context(tmp_path, rows)
    said = " ".join(methodology.data_set_sentences(ctx))
    assert "Q3 (October–December), Q4 (January–March) are incomplete" in said
