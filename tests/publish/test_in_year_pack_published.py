"""The in-year pack for the demo year 2023-24 to Q2 (``run 2023-24 --to Q2``), published by both
publishers: its figures are the annual figures' Q1 plus Q2, and its site is the pack's sections,
each figure labelled by its period, with the PDF, Word copies and spreadsheet."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sites import quarto_or_skip, section_page

from complaints_report.params import load_params
from complaints_report.publish.book import check_pdf, pdf_name, spreadsheet_name, word_name
from complaints_report.run.year import run_year
from complaints_report.sections import sections_for

FY, QUARTER, PACK = "2023-24", "Q2", "2023-24-Q2"
COUNTS = ("formal", "informal", "compliments", "learnings", "ombudsman_decisions")


@pytest.fixture(scope="module")
def pack_runs(tmp_path_factory):
    """The pack run (and published offline), then published again by Quarto from a copy."""
    mp = pytest.MonkeyPatch()
    mp.setenv("COMPLAINTS_REPORT_PUBLISHER", "offline")
    try:
        out = tmp_path_factory.mktemp("pack-offline")
        first = run_year(FY, out=str(out), progress=False, to_quarter=QUARTER)
        again = run_year(FY, out=str(out), progress=False, to_quarter=QUARTER)
    finally:
        mp.undo()
    return {"offline": out, "first": first, "again": again}


_QUARTO_SITE: dict[str, Path] = {}


@pytest.fixture
def pack_site(pack_runs, publisher, tmp_path_factory) -> Path:
    """The pack's site as ``publisher`` made it (Quarto's: published once, from a copy)."""
    if publisher == "offline":
        return pack_runs["offline"] / PACK / "site"
    if "site" not in _QUARTO_SITE:
        quarto_or_skip()
        from complaints_report.publish.build import publish_year

        out = tmp_path_factory.mktemp("pack-quarto")
        shutil.copytree(
            pack_runs["offline"] / PACK, out / PACK, ignore=shutil.ignore_patterns(".*", "site")
        )
        params = load_params(FY, overrides={"to_quarter": QUARTER})
        _QUARTO_SITE["site"] = publish_year(params, out=str(out), use_quarto=True)
    return _QUARTO_SITE["site"]


def test_the_pack_is_its_own_outputs_and_a_rerun_changes_nothing(pack_runs):
    first = pack_runs["first"]
    assert first.year_dir.name == PACK
    assert sorted(p.name for p in (first.year_dir / "notebooks").glob("*.ipynb")) == [
        s.notebook for s in sections_for(QUARTER)
    ]
    assert pack_runs["again"].nothing_changed


def test_the_packs_counts_are_the_annual_q1_plus_q2(pack_runs, demo_runs):
    pack = json.loads((pack_runs["offline"] / PACK / "figures.json").read_text(encoding="utf-8"))
    year = json.loads((demo_runs[FY] / "figures.json").read_text(encoding="utf-8"))
    assert pack["financial_year"] == FY
    assert pack["period"] == {"start": "2023-04-01", "end": "2023-09-30"}
    assert set(pack["service_areas"]) == set(year["service_areas"])
    for area, entry in pack["service_areas"].items():
        quarters = year["service_areas"][area]["quarters"]
        assert list(entry["quarters"]) == ["Q1", "Q2", "year"]
        for q in ("Q1", "Q2"):
            assert entry["quarters"][q] == quarters[q], (area, q)
        for key in COUNTS:
            assert entry["quarters"]["year"][key] == quarters["Q1"][key] + quarters["Q2"][key], (
                area,
                key,
            )


def _main_text(page: Path) -> str:
    main = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("main")
    return " ".join(main.get_text(" ").split())


def test_the_packs_site_is_its_sections_each_figure_labelled_by_period(pack_site):
    site = pack_site
    expected = {"index.html", *(section_page(s) for s in sections_for(QUARTER))}
    assert {p.name for p in site.glob("*.html")} == expected
    index = _main_text(site / "index.html")
    assert "year-to-date report, April to September 2023" in index
    for name in sorted(expected):
        text = _main_text(site / name)
        # Every year is named by the pack's months of it ("April to September 2022"), but for
        # the financial year the period belongs to.
        bare = re.findall(r"(?<![Ff]inancial year )\b20\d\d[-/]\d\d\b(?![-/]\d)", text)
        assert not bare, f"{name}: a figure labelled by a whole year: {bare[:5]}"
        soup = BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")
        cells = [c.get_text(" ", strip=True) for c in soup.find("main").find_all(["th", "td"])]
        after = [c for c in cells if re.search(r"\bQ[34]\b", c)]
        assert not after, f"{name}: a table row or column after the period: {after[:3]}"
        for wrong in ("NaN", "object at 0x", "Traceback", "annual report"):
            assert wrong not in text, f"{name}: {wrong!r}"


def test_the_packs_scorecards_run_to_the_quarter_and_the_year_to_date(pack_site):
    page = BeautifulSoup(
        (pack_site / section_page(sections_for(QUARTER)[2])).read_text(encoding="utf-8"),
        "html.parser",
    )
    cards = [t for t in page.find_all("table") if "quarterly scorecard" in t.caption.get_text()]
    assert len(cards) == 2
    for card in cards:
        heads = [th.get_text(" ", strip=True) for th in card.find("thead").find_all("th")]
        assert heads == ["Measure", "Q1", "Q2", "Year to date"]


def test_the_pack_has_its_pdf_word_copy_spreadsheet_and_csvs(pack_site):
    import pikepdf

    site = pack_site
    params = load_params(FY, overrides={"to_quarter": QUARTER})
    pdf = site / pdf_name(params)
    check_pdf(pdf)
    with pikepdf.open(pdf) as doc:
        assert doc.open_metadata().get("pdfuaid:part") == "1"
        assert str(doc.docinfo.get("/Title")) == params.report.title
    assert (site / word_name(params)).stat().st_size > 10_000
    assert (site / spreadsheet_name(params)).stat().st_size > 5_000
    links = 0
    for page in site.glob("*.html"):
        for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all("a"):
            href = (a.get("href") or "").split("#")[0]
            if href.endswith((".csv", ".pdf", ".docx", ".xlsx")):
                links += 1
                assert (page.parent / href).is_file(), f"{page.name}: {href}"
    assert links > 20


def test_the_years_index_lists_the_pack(pack_runs):
    index = (pack_runs["offline"] / "index.html").read_text(encoding="utf-8")
    assert f'href="{PACK}/site/index.html">2023-24 to Q2 (year to date)</a>' in index
