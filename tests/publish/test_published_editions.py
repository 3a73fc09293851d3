"""Every edition traceable, end to end on a small copy of the demo data: the run records its
provenance; publishing the same data again is the same edition; publishing after one record's
outcome changed is edition 2, which lists exactly the figures that changed (old and new) and
marks them [r] in the scorecards, on the pages of both publishers."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sites import quarto_or_skip, section_page

from complaints_report.run.year import run_year
from complaints_report.sections import SECTIONS

FY = "2023-24"
CSC = "Children's Social Care"
SCORECARD_KEYS = {
    "formal",
    "informal",
    "ombudsman_upheld",
    "ombudsman_decisions",
    "overdue_share",
    "fully_justified_share",
    "partly_justified_share",
    "compliments",
    "learnings",
}


def _leaves(node, where=()):
    """figures.json as {path: value}, walked here rather than by the code under test."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            out.update(_leaves(value, (*where, key)))
        return out
    return {"/".join(where): node}


def _figure_leaves(figures):
    return {
        **_leaves(figures["service_areas"], ("service_areas",)),
        **_leaves(figures["council"], ("council",)),
    }


def _change_one_outcome(data: Path) -> str:
    """One Children's Social Care Stage 1 complaint of 2023-24 turned from not justified to
    fully justified; returns its case reference."""
    path = data / "complaints.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows, fields = list(reader), reader.fieldnames
    for row in rows:
        day, month, year = (int(x) for x in row["Received Date"].split("/"))
        if (
            row["Service Area"] == CSC
            and row["Stage"] == "Stage 1"
            and row["Outcome"] == "Not justified"
            and (year, month) >= (2023, 7)
            and (year, month) <= (2023, 9)
        ):
            row["Outcome"] = "Fully justified"
            break
    else:
        raise AssertionError("no Stage 1 complaint of Q2 2023-24 to change")
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return row["Case Ref"]


@pytest.fixture(scope="module")
def editions_run(small_data_dir, tmp_path_factory):
    """Edition 1 published, published again unchanged, then edition 2 after one change."""
    mp = pytest.MonkeyPatch()
    mp.setenv("COMPLAINTS_REPORT_PUBLISHER", "offline")
    try:
        data = tmp_path_factory.mktemp("editions-data")
        shutil.copytree(small_data_dir, data, dirs_exist_ok=True)
        out = tmp_path_factory.mktemp("editions-out")
        first = run_year(FY, data=str(data), out=str(out), progress=False)
        year_dir = first.year_dir
        one = {
            name: json.loads((year_dir / name).read_text(encoding="utf-8"))
            for name in ("provenance.json", "revisions.json")
        }
        one["page"] = (year_dir / "site" / section_page(SECTIONS[13])).read_text(encoding="utf-8")
        again = run_year(FY, data=str(data), out=str(out), progress=False)
        _change_one_outcome(data)
        run_year(FY, data=str(data), out=str(out), progress=False)
    finally:
        mp.undo()
    return {"data": data, "year_dir": year_dir, "first": one, "again": again}


def test_each_run_records_its_data_files_with_their_hashes(editions_run):
    year_dir, data = editions_run["year_dir"], editions_run["data"]
    first = editions_run["first"]["provenance.json"]
    now = json.loads((year_dir / "provenance.json").read_text(encoding="utf-8"))
    for record in (first, now):
        assert record["ended"] and record["started"] <= record["ended"]
        assert {Path(f["file"]).name for f in record["data_files"].values()} == {
            p.name for p in data.glob("*.csv")
        }
    for entry in now["data_files"].values():
        path = data / Path(entry["file"]).name
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    # The changed export has another hash; the others have the same.
    changed = [t for t in now["data_files"] if now["data_files"][t] != first["data_files"][t]]
    assert changed == ["complaints"]


def test_the_methodology_lists_the_case_records_files_of_the_provenance(editions_run):
    """One row per data file, with its size and the start of its fingerprint; not the settings,
    whose fingerprints change with every commentary edit, which does not re-execute section 14."""
    record = editions_run["first"]["provenance.json"]
    page = BeautifulSoup(editions_run["first"]["page"], "html.parser")
    table = next(t for t in page.find_all("table") if "made from" in t.caption.get_text())
    prints = [tr.find_all(["th", "td"])[-1].get_text(strip=True) for tr in table.tbody("tr")]
    assert prints == [f["sha256"][:16] for f in record["data_files"].values()]


def test_the_first_edition_says_it_is_the_first_and_an_unchanged_rerun_is_the_same(editions_run):
    first = editions_run["first"]
    assert first["revisions.json"]["computed"] <= first["provenance.json"]["ended"]
    del first["revisions.json"]["computed"]
    assert first["revisions.json"] == {"edition": 1, "previous": None, "revisions": []}
    page = " ".join(BeautifulSoup(first["page"], "html.parser").get_text(" ").split())
    assert "This is edition 1 of the report for 2023/24" in page
    assert "It is the first edition" in page
    assert editions_run["again"].nothing_changed  # the same data: nothing to publish again


def test_the_second_edition_lists_exactly_the_figures_that_changed(editions_run):
    year_dir = editions_run["year_dir"]
    this = json.loads((year_dir / "revisions.json").read_text(encoding="utf-8"))
    assert (this["edition"], this["previous"]) == (2, 1)
    assert sorted(p.name for p in (year_dir / "editions").iterdir()) == ["1", "2"]
    old = _figure_leaves(
        json.loads((year_dir / "editions" / "1" / "figures.json").read_text(encoding="utf-8"))
    )
    new = _figure_leaves(json.loads((year_dir / "figures.json").read_text(encoding="utf-8")))
    expected = {p: (old.get(p), new.get(p)) for p in {*old, *new} if old.get(p) != new.get(p)}
    listed = {r["figure"]: (r["old"], r["new"]) for r in this["revisions"]}
    assert listed == expected
    outcomes = f"service_areas/{CSC}/outcomes"
    assert listed[f"{outcomes}/Fully justified"][1] == listed[f"{outcomes}/Fully justified"][0] + 1
    assert listed[f"{outcomes}/Not justified"][1] == listed[f"{outcomes}/Not justified"][0] - 1
    assert all(r["reason"] == "data updated" for r in this["revisions"])


def _pages(site: Path) -> tuple[BeautifulSoup, BeautifulSoup]:
    def read(section):
        return BeautifulSoup(
            (site / section_page(section)).read_text(encoding="utf-8"), "html.parser"
        )

    return read(SECTIONS[13]), read(SECTIONS[3])


def _check_site(site: Path, year_dir: Path) -> None:
    this = json.loads((year_dir / "revisions.json").read_text(encoding="utf-8"))
    methodology, scorecards = _pages(site)
    table = next(
        t
        for t in methodology.find_all("table")
        if "revised since edition 1" in t.caption.get_text()
    )
    rows = table.find("tbody").find_all("tr")
    assert len(rows) == len(this["revisions"])
    for row, revision in zip(rows, this["revisions"], strict=True):
        cells = [" ".join(c.get_text(" ").split()) for c in row.find_all(["th", "td"])]
        assert cells[:3] == [revision["measure"], revision["area"], revision["period"]]
        assert cells[-1] == "data updated"
    text = " ".join(methodology.get_text(" ").split())
    assert "This is edition 2 of the report for 2023/24" in text
    assert "It replaces edition 1" in text
    # [r] on exactly the scorecard cells whose figures were revised.
    marked = {
        (r["figure"].split("/")[3], r["figure"].split("/")[4])
        for r in this["revisions"]
        if r["figure"].startswith(f"service_areas/{CSC}/quarters/")
        and r["figure"].split("/")[4] in SCORECARD_KEYS
    }
    assert marked, "the change revises no scorecard figure: the test proves nothing"
    card = next(
        t for t in scorecards.find_all("table") if t.caption.get_text().startswith(f"{CSC}:")
    )
    cells = [c.get_text(" ", strip=True) for c in card.find("tbody").find_all(["td"])]
    shown = sum(c.endswith("[r]") for c in cells)
    # Ombudsman's row shows two figures in one cell; none of it changed here.
    assert shown == len(marked), (shown, marked)
    other = next(
        t for t in scorecards.find_all("table") if t.caption.get_text().startswith("Children's Non")
    )
    assert "[r]" not in other.get_text()


def test_the_offline_site_lists_the_revisions_and_marks_the_revised_cells(editions_run):
    year_dir = editions_run["year_dir"]
    _check_site(year_dir / "site", year_dir)


def test_the_quarto_site_lists_the_revisions_and_marks_the_revised_cells(editions_run, tmp_path):
    from complaints_report.publish.build import publish_year

    quarto_or_skip()
    copy = tmp_path / FY
    shutil.copytree(editions_run["year_dir"], copy, ignore=shutil.ignore_patterns(".*", "site"))
    site = publish_year(FY, out=str(tmp_path), use_quarto=True)
    _check_site(Path(site), copy)
