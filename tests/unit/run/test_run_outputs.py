"""A section run again leaves nothing of its last run behind: a table or chart it no longer
shows is not published from an old CSV or PNG."""

from __future__ import annotations

import pytest

from complaints_report.run.year import clear_section_outputs
from complaints_report.sections import find


def test_a_rerun_section_leaves_no_table_chart_or_log_of_its_last_run(tmp_path):
    old = [
        "tables/15-actions-after-complaints.csv",
        "charts/15-something.png",
        "redactions/15-actions-after-complaints.csv",
    ]
    kept = [
        "tables/12-learning-from-complaints.csv",
        "charts/11-overdue-by-quarter.png",
        "redactions/12-learning-from-complaints.csv",
        "tables/README.txt",
    ]
    for name in old + kept:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    clear_section_outputs(tmp_path, [find("15")])
    assert [n for n in old if (tmp_path / n).exists()] == []
    assert [n for n in kept if not (tmp_path / n).exists()] == []


@pytest.mark.slow
def test_every_table_and_chart_is_named_after_its_section(demo_runs):
    """What the clearing relies on: each section's outputs start with its number."""
    from complaints_report.sections import SECTIONS

    numbers = {f"{s.number:02d}" for s in SECTIONS}
    for year_dir in demo_runs.values():
        names = [p.name for p in (year_dir / "tables").glob("*")]
        names += [p.name for p in (year_dir / "charts").glob("*")]
        assert names and all(n[:2] in numbers and n[2] == "-" for n in names), names


@pytest.mark.slow
def test_the_headlines_take_the_year_before_from_the_runs_cache(demo_runs, monkeypatch):
    """Publishing after a run does not read and prepare the export again for the headline
    figures' change from last year: the run's prepared year serves (the same figures)."""
    from complaints_report.data import loading
    from complaints_report.params import load_params
    from complaints_report.publish import headlines

    params = load_params("2023-24")
    fresh = headlines.year_before(params)

    def no_reading(*args, **kwargs):
        raise AssertionError("the export was read again")

    monkeypatch.setattr(loading, "load_dataset", no_reading)
    assert headlines.year_before(params, demo_runs["2023-24"]) == fresh
    assert fresh is not None and fresh["financial_year"] == "2022-23"
