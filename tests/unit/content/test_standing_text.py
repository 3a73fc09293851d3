"""The council's standing text (params ``standing_text``): defaults from the published
reports, which a year's file may replace or empty, shown by the notebooks through the library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from complaints_report import paths, report
from complaints_report.params import ParamsError, load_params
from complaints_report.report import STANDING_TEXT, ReportContext, standing_text_markdown

MINIMAL = "council: Test Council\n"


def _folder(tmp_path: Path, year: str = "") -> Path:
    folder = tmp_path / "params"
    folder.mkdir()
    defaults = (paths.PARAMS_DIR / "defaults.yml").read_text(encoding="utf-8")
    (folder / "defaults.yml").write_text(defaults, encoding="utf-8")
    (folder / "2023-24.yml").write_text(year or MINIMAL, encoding="utf-8")
    return folder


def test_every_item_has_a_default_in_the_repository_defaults():
    p = load_params("2023-24")
    for key in STANDING_TEXT:
        assert (getattr(p.standing_text, key) or "").strip(), key
    assert "Article 12 of the United Nations Convention on the Rights of the Child" in (
        p.standing_text.advocacy
    )
    assert "independent advocacy service" in p.standing_text.advocacy
    assert "quarterly report" in p.standing_text.dissemination
    assert "data protection" in p.standing_text.information_sharing
    assert "Information sharing: advice for practitioners" in p.standing_text.information_sharing


def test_the_model_and_the_headings_name_the_same_items():
    from complaints_report.params import StandingText

    assert list(StandingText.model_fields) == list(STANDING_TEXT)


def test_a_year_file_replaces_one_item_and_keeps_the_others(tmp_path):
    year = "standing_text:\n  climate: The report has no climate implications.\n  risk: ''\n"
    p = load_params("2023-24", _folder(tmp_path, year))
    assert p.standing_text.climate == "The report has no climate implications."
    assert "Article 12" in p.standing_text.advocacy  # still the default
    assert standing_text_markdown(p, "risk") == ""


def test_an_unknown_item_is_a_params_error_naming_it(tmp_path):
    with pytest.raises(ParamsError, match="standing_text.advocay"):
        load_params("2023-24", _folder(tmp_path, "standing_text:\n  advocay: text\n"))


def test_the_markdown_keeps_paragraphs_and_lists_and_every_word_literal(tmp_path):
    year = (
        "standing_text:\n  advocacy: |-\n    First *paragraph* [1].\n\n    An advocate can help if:\n\n"
        "    - one thing\n    - another, too\n"
    )
    p = load_params("2023-24", _folder(tmp_path, year))
    md = standing_text_markdown(p, "advocacy")
    paragraphs = md.split("\n\n")
    assert paragraphs[0] == r"First \*paragraph\* \[1\]\."
    assert paragraphs[2].splitlines() == [r"- one thing", r"- another\, too"]
    with pytest.raises(KeyError, match="no standing text"):
        standing_text_markdown(p, "nonsense")


@pytest.fixture
def shown(monkeypatch):
    out = []
    monkeypatch.setattr(report, "show_output", out.append)
    return out


def _context(params) -> ReportContext:
    return ReportContext(params, None, {}, {}, Path("."))


def test_the_helper_shows_a_heading_then_the_text_and_nothing_when_empty(tmp_path, shown):
    p = load_params("2023-24", _folder(tmp_path, "standing_text:\n  climate: ''\n"))
    ctx = _context(p)
    ctx.standing_text("dissemination", level=2)
    assert shown[0].markdown == "## How we share learning"
    assert shown[1].plain == p.standing_text.dissemination.strip()
    assert "- the complaints team writes a quarterly report" in shown[1].markdown
    shown.clear()
    ctx.standing_text("climate", level=2)
    assert shown == []  # no heading without its text
    ctx.standing_text("advocacy")
    assert len(shown) == 1 and shown[0].markdown.startswith("Advocacy is supporting children")


WHERE = {
    "advocacy": "10-children-in-care-and-advocacy",
    "dissemination": "12-learning-and-service-improvement",
    "information_sharing": "14-effectiveness-compliments-and-methodology",
    **{
        k: "03-financial-implications"
        for k in (
            "wellbeing_and_health",
            "climate",
            "other_implications",
            "risk",
            "equalities_impact",
            "background_papers",
        )
    },
}


@pytest.mark.parametrize("key", list(STANDING_TEXT))
def test_each_item_is_shown_by_a_thin_cell_of_its_section(key):
    nb = json.loads((paths.ROOT / "notebooks" / f"{WHERE[key]}.ipynb").read_text())
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert any("ctx.standing_text(" in c and f'"{key}"' in c for c in cells), key
