"""The published-page check of tables, for both demo years and both publishers (or the folder
COMPLAINTS_REPORT_PUBLISHED_OUT names): every table against its CSV, cell by cell, and the tables
of figures against figures.json; then the same check on copies broken on purpose, which it must
catch."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from published_tables import check_site, page_tables
from sites import YEARS

pytestmark = pytest.mark.slow

SCORECARDS = "04-quarterly-scorecards.html"
STATUTORY = "05-statutory-overview.html"


@pytest.mark.parametrize("fy", YEARS)
def test_every_table_agrees_with_its_csv_and_figures_json(published, fy):
    problems = check_site(published[fy])
    assert not problems, f"{fy}:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("fy", YEARS)
def test_the_check_reads_every_table(published, fy):
    """The check is not vacuous: each section page with tables has them found, with CSVs."""
    tables = [t for page in sorted(published[fy].glob("*.html")) for t in page_tables(page)]
    assert len({t.csv for t in tables}) == len(tables), "two tables link the same CSV"
    made = sorted(p.name for p in (published[fy].parent / "tables").glob("*.csv"))
    assert sorted(Path(t.csv).name for t in tables) == made


def _tables(soup) -> list:
    return soup.find_all("table", class_="report-table")


def test_a_number_changed_in_a_table_cell_is_caught(broken):
    def edit(soup_of):
        cell = _tables(soup_of(SCORECARDS))[0].tbody.find_all("td")[0]
        cell.string = str(int(cell.get_text(strip=True).replace(",", "")) + 1)

    problems = check_site(broken(edit))
    assert any("quarterly scorecard" in p and "its CSV says" in p for p in problems), problems
    assert any("figures.json" in p for p in problems), problems


def test_two_areas_tables_swapped_are_caught(broken):
    """One area's figures under another's caption and heading."""

    def edit(soup_of):
        first, second = _tables(soup_of(SCORECARDS))[:2]
        a, b = first.tbody, second.tbody
        a_copy, b_copy = BeautifulSoup(str(a), "html.parser"), BeautifulSoup(str(b), "html.parser")
        a.replace_with(b_copy)
        b.replace_with(a_copy)

    problems = check_site(broken(edit))
    assert sum("figures.json" in p for p in problems) >= 2, problems


def test_a_table_dropped_is_caught(broken):
    def edit(soup_of):
        table = _tables(soup_of(STATUTORY))[0]
        link = table.find_next("a", class_="csv-link")
        link.decompose()
        table.decompose()

    problems = check_site(broken(edit))
    assert any("no page shows its table" in p for p in problems), problems
