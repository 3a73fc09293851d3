"""The published-page check of sentences, for both demo years and both publishers (or the folder
COMPLAINTS_REPORT_PUBLISHED_OUT names): every number a generated sentence states is one it
records, worked out again from figures.json (or the published table that shows it); then the
same check on copies broken on purpose, which it must catch."""

from __future__ import annotations

import json
import re

import pytest
from published_sentences import check_site, stated
from sites import YEARS

pytestmark = pytest.mark.slow

STATUTORY = "05-statutory-overview.html"
SUMMARY = "02-executive-summary.html"
# Pages made of the council's own words and tables only: no generated sentence.
WITHOUT_SENTENCES = {"index.html", "01-cover.html"}
# The private-use characters that mark a stated figure in the run (stated.py) never reach a
# reader. (Quarto's pages use others of that range for their icon font.)
MARKS = re.compile("[\ue000-\ue002\ue010-\ue019]")


@pytest.mark.parametrize("fy", YEARS)
def test_every_number_in_a_sentence_agrees_with_figures_json(published, fy):
    problems = check_site(published[fy])
    assert not problems, f"{fy}:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("fy", YEARS)
def test_the_check_reads_the_sentences_of_every_section(published, fy):
    """Not vacuous: every section page has generated sentences with their record, and most
    stated numbers are worked out from figures.json itself."""
    pages = sorted(published[fy].glob("*.html"))
    missing = [p.name for p in pages if p.name not in WITHOUT_SENTENCES and not stated(p)]
    assert not missing, f"no record of stated figures on {missing}"
    records = [r for p in pages for _, rs in stated(p) for r in rs]
    from_figures = [r for r in records if r["of"] and "F[" in r["of"]]
    assert len(records) > 200, len(records)
    assert len(from_figures) > len(records) / 2, (len(from_figures), len(records))


@pytest.mark.parametrize("fy", YEARS)
def test_no_mark_of_a_stated_figure_reaches_a_reader(published, fy):
    """The invisible marks the run puts on stated numbers are gone from every page and CSV."""
    year = published[fy].parent
    files = [*published[fy].glob("*.html"), *(year / "tables").glob("*.csv")]
    marked = [f.name for f in files if MARKS.search(f.read_text(encoding="utf-8"))]
    assert files and not marked, marked


def _first_sentence_with(soup, number: str):
    """The first generated paragraph or item of the page whose words hold ``number``."""
    for span in soup.select("span.stated"):
        holder = span.find_parent(["li", "p"])
        if holder and re.search(rf"(?<![\d,.]){re.escape(number)}(?![\d,])", holder.get_text()):
            return holder
    raise AssertionError(f"no generated sentence states {number}")


def _restated(soup, number: str, new: str):
    """The first generated sentence of the page that states ``number``, now stating ``new``
    in its place (its record left as it was)."""
    holder = _first_sentence_with(soup, number)
    pattern = re.compile(rf"(?<![\d,.]){re.escape(number)}(?![\d,])")
    text = holder.find(string=pattern)
    text.replace_with(pattern.sub(new, text, count=1))
    return holder


def _figure(published, *keys):
    value = json.loads((published["2023-24"].parent / "figures.json").read_text(encoding="utf-8"))
    for k in keys:
        value = value[k]
    return value


def test_a_number_changed_in_a_sentence_is_caught(published, broken):
    stage1 = _figure(published, "service_areas", "Children's Social Care", "stages", "Stage 1")

    def edit(soup_of):
        _restated(soup_of(STATUTORY), f"{stage1:,}", f"{stage1 + 1:,}")

    problems = check_site(broken(edit))
    assert any(f"states '{stage1 + 1:,}', which is no recorded figure" in p for p in problems), (
        problems
    )
    assert any(f"records '{stage1:,}', which it does not state" in p for p in problems), problems


def test_a_sentence_and_its_record_changed_together_are_caught(published, broken):
    """A page whose sentence and record both say a number its figures.json does not give."""
    stage1 = _figure(published, "service_areas", "Children's Social Care", "stages", "Stage 1")

    def edit(soup_of):
        holder = _restated(soup_of(STATUTORY), f"{stage1:,}", f"{stage1 + 1:,}")
        span = holder.find("span", class_="stated")
        records = json.loads(span["data-figures"])
        for r in records:
            if r["text"] == f"{stage1:,}":
                r["text"] = f"{stage1 + 1:,}"
                break
        span["data-figures"] = json.dumps(records)

    problems = check_site(broken(edit))
    assert any(
        f"states '{stage1 + 1:,}' where figures.json gives '{stage1:,}'" in p for p in problems
    ), problems


def test_a_figure_changed_in_figures_json_is_caught(published, broken):
    """The sentences are held to figures.json: a page that no longer agrees with it fails."""
    informal = _figure(published, "service_areas", "Children's Social Care", "stages", "Informal")

    def edit(soup_of):
        soup_of(SUMMARY)  # the pages stay as published

    site = broken(edit)
    figures_json = site.parent / "figures.json"
    figures = json.loads(figures_json.read_text(encoding="utf-8"))
    figures["service_areas"]["Children's Social Care"]["stages"]["Informal"] = informal + 7
    figures_json.write_text(json.dumps(figures), encoding="utf-8")
    problems = check_site(site)
    assert any(f"where figures.json gives '{informal + 7:,}'" in p for p in problems), problems


def test_a_number_no_figure_gives_is_caught(published, broken):
    """A sentence stating a number nothing records (an edit, or a figure typed in)."""

    def edit(soup_of):
        holder = _first_sentence_with(soup_of(STATUTORY), "2023-24")
        holder.append(" Complaints rose by 12 this year.")

    problems = check_site(broken(edit))
    assert any("states '12', which is no recorded figure" in p for p in problems), problems
