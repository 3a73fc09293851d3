"""Plain words: no internal term of the machinery reaches a reader.

A published page never names params, the data contract, a folder, the suite, a notebook, YAML or
NaN, nor a column's or setting's code name (``panel_date``, ``theme_map``): it says "the
council's settings", "the case records", or nothing. Checked on the text a reader sees on every
page of both demo years' sites (scripts, styles and markup left out) and on the text of their
PDFs (pdftotext), for both publishers; then the check is shown to catch a planted term.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sites import YEARS

pytestmark = pytest.mark.slow

#: (what, pattern) for every internal term; each pattern is matched case-insensitively.
INTERNAL_TERMS = [
    ("params", r"\bparams?\b"),
    ("parameters cell", r"\bparameters? (?:cell|file)\b"),
    ("data contract", r"\bdata[ -]contract\b"),
    ("folder", r"\bfolders?\b"),
    ("the suite", r"\bthe suite\b|\bsuite's\b"),
    ("notebook", r"\bnotebooks?\b"),
    ("YAML", r"\bya?ml\b|\.yml\b"),
    ("NaN", r"\bnan\b|\bNaT\b|<NA>"),  # "None" is left alone: "Background papers: None."
    ("Papermill", r"\bpapermill\b"),
    ("figures.json", r"\bfigures\.json\b"),
    ("year's settings", r"\byear's settings\b"),
    # a code name: a column or setting written with an underscore (panel_date, theme_map)
    ("code name", r"\b[a-z]+(?:_[a-z0-9]+)+\b"),
]
_TERMS = [
    (what, re.compile(rx, re.IGNORECASE if what != "None" else 0)) for what, rx in INTERNAL_TERMS
]


def page_text(page: Path) -> str:
    """The text a reader sees on a page: no script, style, template or head."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["script", "style", "template", "head", "noscript"]):
        tag.decompose()
    return " ".join(soup.get_text(" ").split())


def pdf_text(pdf: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # words hyphenated at a line end are joined, so "note-\nbook" is read as a reader reads it
    return " ".join(re.sub(r"-\n(\w)", r"\1", out).split())


def internal_terms(text: str, where: str) -> list[str]:
    """Every internal term in ``text``, each with a little of its context."""
    found = []
    for what, rx in _TERMS:
        for m in rx.finditer(text):
            start, end = max(0, m.start() - 60), m.end() + 60
            found.append(f"{where}: {what}: …{text[start:end]}…")
    return found


@pytest.mark.parametrize("fy", YEARS)
def test_no_internal_term_on_any_page(year_pages, fy):
    pages = year_pages[fy]
    assert len(pages) >= 15, f"{fy}: only {len(pages)} pages found"
    found = [f for p in pages for f in internal_terms(page_text(p), f"{fy}/{p.name}")]
    assert not found, "\n".join(found[:30])


@pytest.mark.parametrize("fy", YEARS)
def test_no_internal_term_in_the_pdf(pdfs, poppler, fy):
    text = pdf_text(pdfs[fy])
    assert len(text) > 10_000, f"{fy}: the PDF's text is missing ({len(text)} characters)"
    found = internal_terms(text, f"{fy} PDF")
    assert not found, "\n".join(found[:30])


@pytest.mark.parametrize(
    "planted",
    [
        "It was made from the data set in the folder 'demo'.",
        "The council's own assessment, from the report's params.",
        "The data set passed every check of the data contract.",
        "The suite read 8,778 complaint records.",
        "no response date (it has no responded_date column)",
        "Median: nan working days.",
        "Set it in params/2023-24.yml.",
    ],
)
def test_the_check_catches_a_planted_term(year_pages, planted, tmp_path):
    """The check is not vacuous: a page with one of the words issue 20 found is caught."""
    page = next(p for p in year_pages[YEARS[0]] if p.name.startswith("14-"))
    html = page.read_text(encoding="utf-8")
    broken = tmp_path / page.name
    broken.write_text(html.replace("</main>", f"<p>{planted}</p></main>", 1), encoding="utf-8")
    assert "</main>" in html
    assert internal_terms(page_text(broken), "planted")
