"""Editions: what a run records of where it came from, which edition its figures are, and the
figures it revises, on small made-up figures and files."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import subprocess
from datetime import datetime, timezone

import pytest

from complaints_report import paths
from complaints_report.params import Revision, load_params
from complaints_report.run import editions

CSC = "Children's Social Care"


def _figures(formal_q2: int = 15, share: float | None = 0.25, theme: int | None = 3) -> dict:
    area = {
        "quarters": {
            "Q1": {"formal": 10, "overdue_share": 0.1},
            "Q2": {"formal": formal_q2, "overdue_share": share},
            "year": {"formal": 10 + formal_q2, "overdue_share": share},
        },
        "themes": {"Communication": 4} | ({"Delay": theme} if theme is not None else {}),
        "timescales": {"Stage 2": {"responded": 4, "median_working_days": 31}},
    }
    return {
        "schema": 1,
        "financial_year": "2023-24",
        "service_areas": {CSC: area},
        "council": {"formal": 10 + formal_q2, "remedy_total": 100.0},
    }


def test_each_changed_figure_is_listed_once_with_old_and_new_and_nothing_else():
    old, new = _figures(), _figures(formal_q2=16)
    found = editions.changes(old, new, [])
    assert [(c["figure"], c["old"], c["new"]) for c in found] == [
        (f"service_areas/{CSC}/quarters/Q2/formal", 15, 16),
        (f"service_areas/{CSC}/quarters/year/formal", 25, 26),
        ("council/formal", 25, 26),
    ]
    assert all(c["reason"] == editions.DATA_UPDATED for c in found)


def test_the_same_figures_are_no_revision_even_through_json():
    figures = _figures(share=1 / 3)
    assert editions.changes(figures, json.loads(json.dumps(figures)), []) == []


def test_a_figure_that_appears_or_goes_is_a_revision():
    found = editions.changes(_figures(theme=3), _figures(theme=None), [])
    assert [(c["figure"], c["old"], c["new"]) for c in found] == [
        (f"service_areas/{CSC}/themes/Delay", 3, None)
    ]


@pytest.mark.parametrize(
    ("place", "area", "period", "measure"),
    [
        ((CSC, "quarters", "Q2", "formal"), CSC, "Q2", "Formal complaints"),
        (
            (CSC, "quarters", "year", "overdue_share"),
            CSC,
            "Year",
            "Share of Stage 1 responses overdue",
        ),
        ((CSC, "themes", "Delay"), CSC, "Year", "Complaints about Delay"),
        (
            (CSC, "timescales", "Stage 2", "median_working_days"),
            CSC,
            "Year",
            "Stage 2: median working days",
        ),
    ],
)
def test_a_figures_place_in_words(place, area, period, measure):
    assert editions.describe(("service_areas", *place)) == {
        "area": area,
        "period": period,
        "measure": measure,
    }


def test_the_council_figures_are_the_whole_councils():
    assert editions.describe(("council", "remedy_total"))["area"] == "Whole council"


def test_the_reason_is_the_first_params_entry_that_matches():
    rules = [
        Revision(reason="Late Stage 1 records", area=CSC, measure="formal"),
        Revision(reason="Corrected outcomes", measure="overdue_share"),
        Revision(reason="Anything else of the council", area="council"),
    ]
    found = {
        c["figure"]: c["reason"]
        for c in editions.changes(_figures(), _figures(formal_q2=16, share=0.5), rules)
    }
    assert found[f"service_areas/{CSC}/quarters/Q2/formal"] == "Late Stage 1 records"
    assert found[f"service_areas/{CSC}/quarters/Q2/overdue_share"] == "Corrected outcomes"
    assert found["council/formal"] == "Anything else of the council"


def _keep(year_dir, figures, params):
    (year_dir / "figures.json").write_text(json.dumps(figures), encoding="utf-8")
    this = editions.edition(year_dir, figures, params)
    editions.keep(year_dir, this, {"started": "then"})
    return this


def test_editions_are_numbered_and_a_republished_edition_keeps_its_revisions(tmp_path):
    params = load_params("2023-24")
    first = _keep(tmp_path, _figures(), params)
    assert first == {"edition": 1, "previous": None, "revisions": []}
    again = _keep(tmp_path, _figures(), params)
    assert again == first  # the same figures: the same edition, nothing revised
    second = _keep(tmp_path, _figures(formal_q2=16), params)
    assert (second["edition"], second["previous"], len(second["revisions"])) == (2, 1, 3)
    # Published again with the same figures, it is still edition 2, revising edition 1.
    assert _keep(tmp_path, _figures(formal_q2=16), params) == second
    assert sorted(p.name for p in (tmp_path / "editions").iterdir()) == ["1", "2"]
    kept = json.loads((tmp_path / "editions" / "1" / "figures.json").read_text(encoding="utf-8"))
    assert kept == _figures()


def test_a_kept_edition_is_never_written_again(tmp_path):
    params = load_params("2023-24")
    _keep(tmp_path, _figures(), params)
    editions.keep(tmp_path, {"edition": 1}, {"started": "later"})
    record = json.loads((tmp_path / "editions" / "1" / "provenance.json").read_text())
    assert record == {"started": "then"}


def _data_set(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "complaints.csv").write_text("Case Ref\nA1\n", encoding="utf-8")
    (data / "ombudsman.xlsx").write_bytes(b"not really a workbook")
    (data / "notes.txt").write_text("not a table", encoding="utf-8")
    return data


def test_provenance_records_every_data_file_and_setting_with_its_hash(tmp_path):
    data = _data_set(tmp_path)
    params = load_params("2023-24", overrides={"data": str(data)})
    started = datetime(2026, 4, 20, 9, 0, tzinfo=timezone.utc)
    record = editions.provenance(params, {"name": "quarto", "quarto_version": "1.10.18"}, started)
    assert set(record["data_files"]) == {"complaints", "ombudsman"}  # not the notes
    for entry in record["data_files"].values():
        path = data / os.path.basename(entry["file"])
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["bytes"] == path.stat().st_size
    assert [os.path.basename(f["file"]) for f in record["params_files"]] == [
        "defaults.yml",
        "2023-24.yml",
    ]
    for entry in record["params_files"]:
        digest = hashlib.sha256((paths.PARAMS_DIR / os.path.basename(entry["file"])).read_bytes())
        assert entry["sha256"] == digest.hexdigest()
    assert record["started"] == "2026-04-20T09:00:00+00:00" and record["ended"] is None
    assert record["publisher"]["quarto_version"] == "1.10.18"
    assert record["packages"]["pandas"]
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True
    ).stdout.strip()
    assert record["suite"]["git_commit"] == (head or None)
    finished = editions.ended(record, datetime(2026, 4, 20, 9, 1, tzinfo=timezone.utc))
    assert finished["ended"] == "2026-04-20T09:01:00+00:00"
    # When the run started and ended is not what the methodology shows; nor are the settings.
    assert editions.shown_part(record) == editions.shown_part(finished)
    assert "params_files" not in json.loads(editions.shown_part(record))


def test_a_changed_data_file_changes_its_hash_and_the_methodologys_key(tmp_path):
    data = _data_set(tmp_path)
    params = load_params("2023-24", overrides={"data": str(data)})
    now = datetime.now(timezone.utc)
    before = editions.provenance(params, {}, now)
    (data / "complaints.csv").write_text("Case Ref\nA2\n", encoding="utf-8")
    after = editions.provenance(params, {}, now)
    assert (
        before["data_files"]["complaints"]["sha256"] != after["data_files"]["complaints"]["sha256"]
    )
    assert before["data_files"]["ombudsman"] == after["data_files"]["ombudsman"]
    assert editions.shown_part(before) != editions.shown_part(after)


def test_no_git_checkout_records_no_commit(tmp_path):
    assert editions.git_commit(tmp_path) is None


def test_the_params_reasons_are_not_carried_into_a_new_year(tmp_path):
    from complaints_report.params import new_year

    for name in ("defaults.yml", "2023-24.yml"):
        (tmp_path / name).write_text((paths.PARAMS_DIR / name).read_text(encoding="utf-8"))
    with (tmp_path / "2023-24.yml").open("a", encoding="utf-8") as fh:
        fh.write("revisions:\n  - reason: Late records\n")
    assert load_params("2023-24", tmp_path).revisions[0].reason == "Late records"
    created = new_year("2024-25", tmp_path)
    assert "revisions" not in created.read_text(encoding="utf-8")


def test_figures_are_compared_as_published_not_as_computed():
    figures = _figures()
    copied = copy.deepcopy(figures)
    copied["service_areas"][CSC]["quarters"]["Q2"]["overdue_share"] = 0.25 + 1e-12
    assert editions.changes(figures, copied, []) == []
