"""The PDF laid out as a document, by both publishers, for both demo years: no blank page, no page
that repeats the contents, the cover (title, council, meeting, recommendation, the synthetic-data
notice) on page 1, no heading stranded at the foot of a page (from the PDF's outline: where each
heading is), and headings numbered to three levels at most.

Read with pypdf: each page's text and where it is set (its text operators' positions)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from complaints_report.params import load_params
from complaints_report.present.display import SYNTHETIC_NOTICE
from complaints_report.sections import SECTIONS

pytestmark = pytest.mark.slow

YEARS = ("2023-24", "2020-21")
FOOTER = re.compile(r"^\s*Page \d+ of \d+\s*$")
BLANK_WORDS = 15  # a page with fewer words than this (beside its running header and footer)
LINE = 12.0  # a line of body text, in points
TOO_DEEP = re.compile(r"^\s*\d+(?:\.\d+){3,}\.?\s")  # "11.4.1.1 Children's Social Care"


@dataclass(frozen=True)
class Span:
    text: str
    y: float  # baseline, in points from the foot of the page


@cache
def _reader(path: Path) -> PdfReader:
    return PdfReader(path)


@cache
def _spans(path: Path) -> tuple[tuple[Span, ...], ...]:
    """Each page's pieces of text and their heights on the page."""
    pages = []
    for page in _reader(path).pages:
        found: list[Span] = []

        def visit(text, cm, tm, font, size, found=found):
            if text.strip():
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                found.append(Span(text, y))

        page.extract_text(visitor_text=visit)
        pages.append(tuple(found))
    return tuple(pages)


def _squash(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


def _running(path: Path) -> set[str]:
    """The running header's text: the line found at the top of most pages after the first."""
    tops: dict[str, int] = {}
    for spans in _spans(path)[1:]:
        if spans:
            top = _squash(max(spans, key=lambda s: s.y).text)
            tops[top] = tops.get(top, 0) + 1
    return {t for t, n in tops.items() if n >= len(_spans(path)) // 2}


def _body(path: Path, i: int) -> list[Span]:
    """Page ``i``'s text without its running header and page number."""
    running = _running(path)
    return [
        s for s in _spans(path)[i] if not FOOTER.match(s.text) and _squash(s.text) not in running
    ]


def _outline(path: Path) -> list[tuple[str, int, float]]:
    """Every bookmark: its title, page (0-based) and the height of its destination's top."""
    reader = _reader(path)
    found = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                top = item.get("/Top")
                page = reader.get_destination_page_number(item)
                found.append((_squash(item.title), page, float(top) if top is not None else None))

    walk(reader.outline)
    return found


@cache
def _params(fy: str):
    return load_params(fy)


@pytest.mark.parametrize("fy", YEARS)
def test_no_page_is_blank_or_nearly_blank(pdfs, fy):
    path = pdfs[fy]
    reader = _reader(path)
    blank = []
    for i, page in enumerate(reader.pages):
        words = " ".join(s.text for s in _body(path, i)).split()
        if len(words) < BLANK_WORDS and not list(page.images):
            blank.append(f"page {i + 1}: {' '.join(words)!r}")
    assert not blank, f"{fy} PDF ({len(reader.pages)} pages), blank or nearly blank:\n" + "\n".join(
        blank
    )


def _lists_contents(text: str) -> bool:
    """Whether a page's text lists the report's sections as a contents does: at least four
    lines that name a section and end with a page number."""
    listed = 0
    for line in text.splitlines():
        line = _squash(line)
        if re.search(r"\d+\s*$", line) and any(s.title in line for s in SECTIONS):
            listed += 1
    return listed >= 4


@pytest.mark.parametrize("fy", YEARS)
def test_only_one_page_lists_the_contents(pdfs, fy):
    texts = [p.extract_text() or "" for p in _reader(pdfs[fy]).pages]
    listing = [i + 1 for i, t in enumerate(texts) if _lists_contents(t)]
    assert listing == [1], f"{fy} PDF: pages listing the contents: {listing} (expected page 1 only)"


@pytest.mark.parametrize("fy", YEARS)
def test_page_1_is_the_cover_with_the_recommendation_and_the_notice(pdfs, fy):
    params = _params(fy)
    r = params.report
    first = _squash(_reader(pdfs[fy]).pages[0].extract_text() or "")
    wanted = {"title": r.title, "council": params.council}
    if r.committee:
        wanted["committee"] = r.committee
    if r.meeting_date:
        wanted["meeting date"] = f"{r.meeting_date:%d %B %Y}"
    if r.recommendation:
        wanted["recommendation"] = r.recommendation
    if params.synthetic_data:
        wanted["synthetic-data notice"] = SYNTHETIC_NOTICE
    missing = [what for what, text in wanted.items() if _squash(text) not in first]
    assert not missing, f"{fy} PDF page 1 lacks: {missing}\n{first[:800]}"
    assert "Contents" in first, f"{fy} PDF: the contents do not start on page 1"


def _bare(text: str) -> str:
    """Text without its spaces (pieces of text on a page split words anywhere) or apostrophes'
    shapes."""
    return re.sub(r"\s+", "", text.replace("\u2019", "'"))


@pytest.mark.parametrize("fy", YEARS)
def test_the_title_has_no_page_of_its_own(pdfs, fy):
    """After the cover, the title is only in the running header, never a page's text."""
    path = pdfs[fy]
    title = _bare(_params(fy).report.title)
    again = [
        i + 1
        for i in range(1, len(_spans(path)))
        if title in _bare("".join(s.text for s in _body(path, i)))
    ]
    assert not again, f"{fy} PDF: the title is set again on pages {again}"


@pytest.mark.parametrize("fy", YEARS)
def test_no_heading_is_stranded_at_the_foot_of_a_page(pdfs, fy):
    """From the outline: each heading's page and height. A heading fails when nothing but
    headings is set below its top on its page (nothing it introduces), or when its
    top is within two lines of the lowest body text of the document (the foot of the text
    block)."""
    path = pdfs[fy]
    outline = [o for o in _outline(path) if o[2] is not None]
    assert len(outline) >= 30, f"{fy} PDF: only {len(outline)} bookmarks with a position"
    foot = min(s.y for i in range(len(_spans(path))) for s in _body(path, i))
    stranded = []
    for title, page, top in outline:
        below = sorted((s for s in _body(path, page) if s.y < top - 1), key=lambda s: -s.y)
        rest = _bare("".join(s.text for s in below))
        # less this heading and any heading under it on the page ("11.4.1 Stage 1", then
        # "11.4.1.1 Children's Social Care", then the page's end)
        for other, other_page, other_top in outline:
            if other_page == page and other_top <= top:
                rest = rest.replace(_bare(other), "", 1)
        if len(rest) < 3:
            stranded.append(f"page {page + 1}: {title!r} has no text under it on its page")
        elif top - foot < 2 * LINE:
            stranded.append(f"page {page + 1}: {title!r} is at the foot of the page")
    assert not stranded, f"{fy} PDF:\n" + "\n".join(stranded)


@pytest.mark.parametrize("fy", YEARS)
def test_no_heading_is_numbered_deeper_than_three_levels(pdfs, fy):
    path = pdfs[fy]
    titles = [t for t, _, _ in _outline(path)]
    deep = [t for t in titles if TOO_DEEP.match(t)]
    text = "\n".join(p.extract_text() or "" for p in _reader(path).pages)
    deep += [line.strip() for line in text.splitlines() if TOO_DEEP.match(line)]
    assert not deep, f"{fy} PDF: headings numbered deeper than three levels: {deep[:10]}"
