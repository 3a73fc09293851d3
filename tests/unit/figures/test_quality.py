"""Odd but valid records: the run goes on, and the report's data-quality note says what was odd."""

from __future__ import annotations

import logging

import pytest
from tiny_data import tiny_context

from complaints_report.content import quality as content
from complaints_report.data.validation import validate_dataset
from complaints_report.figures.engine import compute_figures
from complaints_report.figures.quality import quality_notes

CSC = "Children's Social Care"
CS = {"Directorate": "Children's Services", "Service Area": CSC, "Team": "North"}
DEFAULTS = """\
council: Testshire Council
synthetic_data: false
theme_map: {"Comms": Communication}
themes: [Communication, Finance]
"""


def _context(tmp_path, complaints, defaults=DEFAULTS):
    ctx = tiny_context(tmp_path, complaints, params=defaults)
    assert validate_dataset(ctx.params.data_dir) == [], "odd data must still be valid data"
    return ctx


def _row(ref, stage="Stage 1", received="03/04/2023", **cells):
    """A Stage 1 complaint (by default) answered a week later, with every field recorded."""
    return {
        "Case Ref": ref,
        "Stage": stage,
        "Received Date": received,
        "Responded Date": "10/04/2023",
        "Theme": "Communication",
        "Complainant Type": "Parent",
        "Outcome": "Not justified",
        **CS,
        **cells,
    }


@pytest.fixture
def odd(tmp_path):
    return _context(
        tmp_path,
        [
            _row("COM/1", Theme="Comunication"),  # a misspelling the theme map lacks
            _row("COM/2", Theme="Comunication"),
            _row("COM/3", Theme="Comms"),  # mapped: not odd
            _row("COM/4", Team=""),
            _row("COM/5", Theme=""),
            _row("COM/6", **{"Complainant Type": ""}),
            _row("COM/7", Outcome=""),  # answered, no outcome
            _row("COM/8", **{"Responded Date": "", "Outcome": ""}),  # open
            _row(
                "COM/9", stage="Stage 2", received="01/06/2023", **{"Responded Date": ""}
            ),  # no Stage 1 anywhere
            _row("COM/10", **{"Service Area": "Youth Justice"}),
            _row("COM/11", received="03/04/2022", Team="", Theme="Typo"),  # another year
            {**_row("ADU/1", Team="", Theme="Typo"), "Directorate": "Place"},  # not children's
        ],
    )


def _found(ctx) -> dict[str, int]:
    return {n.check.split(" (")[0]: n.records for n in quality_notes(ctx.prep, ctx.fy)}


def test_each_odd_kind_of_record_is_counted_once_for_the_report_year_only(odd):
    assert _found(odd) == {
        "complaints with a theme the council's list does not hold": 2,
        "complaints with no theme recorded": 1,
        "complaints with no complainant type recorded": 1,
        "records with no team recorded": 1,
        "Children's Services records in a service area the council's settings do not list": 1,
        "Stage 1 complaints with a response date but no outcome": 1,
        "Stage 1 complaints with no response date": 1,
        "Stage 2 or Stage 3 records whose case has no Stage 1 record in the data set": 1,
    }


def test_the_note_names_the_odd_values_but_never_a_case(odd):
    sentences = [n.sentence() for n in quality_notes(odd.prep, odd.fy)]
    text = " ".join(sentences)
    assert (
        "2 records: complaints with a theme the council's list does not hold (“Comunication”)"
        in text
    )
    assert "(“Youth Justice”)" in text
    assert "COM/" not in text and "Typo" not in text  # no reference; other years ignored


def test_the_run_goes_on_and_the_figures_count_odd_records_as_recorded(odd):
    figures = compute_figures(odd.prep, odd.fy)
    themes = figures["service_areas"][CSC]["themes"]
    assert themes["Comunication"] == 2 and themes["Communication"] >= 4
    assert "Youth Justice" in figures["service_areas"]


def test_the_report_shows_a_table_of_what_was_odd(odd):
    table = content.quality_table(odd)
    shown = table.display_frame()
    assert list(shown.columns) == ["What was found", "Records", "What the report did"]
    assert len(shown) == 8
    first = shown.iloc[0]
    assert first["What was found"].startswith("Complaints with a theme the council's list")
    assert (
        first["Records"] == "2" and "council's settings can map it" in first["What the report did"]
    )
    assert "incomplete or unusual" in content.quality_sentences(odd)[0]


def test_clean_records_get_a_plain_statement_and_no_notes(tmp_path):
    ctx = _context(
        tmp_path,
        [
            _row("COM/1"),
            _row("COM/1", stage="Stage 2", received="01/06/2023", **{"Responded Date": ""}),
        ],
    )
    assert quality_notes(ctx.prep, ctx.fy) == []
    assert "hold nothing odd" in content.quality_sentences(ctx)[0]
    assert content.quality_table(ctx).display_frame().iloc[0]["Records"] == "0"


def test_without_a_theme_list_no_theme_is_called_unknown(tmp_path):
    ctx = _context(
        tmp_path,
        [_row("COM/1", Theme="Anything at all")],
        defaults="council: Testshire Council\nsynthetic_data: false\n",
    )
    assert quality_notes(ctx.prep, ctx.fy) == []


def test_the_run_logs_each_note(odd, caplog):
    from complaints_report.figures.quality import log_notes

    with caplog.at_level(logging.WARNING):
        log_notes(quality_notes(odd.prep, odd.fy), "2023-24")
    assert caplog.text.count("data quality, 2023-24:") == 8
