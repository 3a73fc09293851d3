"""How sentences record the figures they state (stated.py): traced figures keep their formula
through arithmetic, the narrative's formatters mark their words, and nothing else shows a mark."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

from complaints_report.present import narrative, stated
from complaints_report.present.display import bullet_list, paragraph
from complaints_report.present.tables import ReportTable


@pytest.fixture(autouse=True)
def recording():
    """As in a notebook's kernel: the formatters mark what they state."""
    before = stated.record(True)
    yield
    stated.record(before)


@pytest.fixture
def figures():
    return stated.trace(
        {"stages": {"Stage 1": 65, "Informal": 74}, "share": 0.145, "flag": True, "none": None},
        "2023-24",
    )


def test_a_traced_figure_remembers_its_place_and_is_the_same_number(figures):
    s1 = figures["stages"]["Stage 1"]
    assert s1 == 65 and isinstance(s1, int)
    assert s1.of == 'F["2023-24"]["stages"]["Stage 1"]'
    assert figures["flag"] is True and figures["none"] is None  # only numbers are traced


def test_arithmetic_keeps_the_formula(figures):
    s = figures["stages"]
    total = sum([s["Stage 1"], s["Informal"]])
    assert total == 139
    assert (
        total.of == '((0 + F["2023-24"]["stages"]["Stage 1"]) + F["2023-24"]["stages"]["Informal"])'
    )
    share = s["Stage 1"] / total
    assert share == pytest.approx(65 / 139) and "/" in share.of
    assert round(share * 100).of.startswith("round(")
    assert (-s["Stage 1"]) == -65 and abs(-s["Stage 1"]).of.startswith("abs(")


def test_a_traced_figure_pickles_as_a_plain_number(figures):
    """The run's cache holds plain numbers."""
    assert type(pickle.loads(pickle.dumps(figures["stages"]["Stage 1"]))) is int


def test_a_sentence_records_what_it_states(figures):
    s = figures["stages"]
    text = (
        f"There were {narrative.format_count(s['Stage 1'])} Stage 1 complaints "
        f"({narrative.format_percent(figures['share'])}), against a target of "
        f"{narrative.setting(20)} working days."
    )
    clean, records = stated.extract(text)
    assert clean == "There were 65 Stage 1 complaints (15%), against a target of 20 working days."
    assert records == [
        {"text": "65", "of": 'F["2023-24"]["stages"]["Stage 1"]', "as": "count"},
        {"text": "15%", "of": 'F["2023-24"]["share"]', "as": "percent"},
        {"text": "20", "of": None, "as": "setting"},
    ]


def test_a_change_records_its_formula(figures):
    s = figures["stages"]
    clean, records = stated.extract(narrative.change_phrase(s["Informal"], s["Stage 1"], "2022-23"))
    assert clean == "14% more than in 2022-23"
    assert records[0]["as"] == "change" and records[0]["text"] == "14%"
    assert 'F["2023-24"]["stages"]["Informal"]' in records[0]["of"]


def test_paragraphs_and_lists_carry_the_record_and_no_mark(figures):
    said = f"{narrative.format_count(figures['stages']['Stage 1'])} complaints."
    shown = paragraph(said)
    assert shown.plain == "65 complaints."
    assert shown.markdown.startswith('65 complaints.<span class="stated" data-figures=')
    assert "&quot;of&quot;: &quot;F[" in shown.markdown
    listed = bullet_list([said, "No number."])
    assert listed.markdown.count('<span class="stated"') == 2
    everything = listed.markdown + listed.plain + shown.markdown
    assert stated.strip(everything) == everything  # no mark left


def test_outside_a_kernel_sentences_are_plain_text(figures):
    stated.record(False)
    assert narrative.format_count(figures["stages"]["Stage 1"]) == "65"


def test_tables_never_show_a_mark(figures):
    """A table built from the narrative's words keeps the words, not the marks."""
    marked = narrative.format_count(figures["stages"]["Stage 1"])
    assert marked != "65"
    table = ReportTable(
        "x-table",
        f"Title {marked}",
        pd.DataFrame({f"Col {marked}": [marked], "n": [1]}),
        note=f"Note {marked}",
    )
    assert table.title == "Title 65" and table.note == "Note 65"
    assert list(table.frame.columns) == ["Col 65", "n"]
    assert table.frame.iloc[0, 0] == "65"
