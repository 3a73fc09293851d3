"""What both publishers share: the book's chapters from ``_quarto.yml``, the PDF's name,
and the error a publisher raises."""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import paths
from ..data.calendar import long_date
from ..params import Params
from ..sections import SECTIONS, Section, in_year_section, sections_for
from .headlines import headlines, headlines_html, read_figures, year_before

log = logging.getLogger(__name__)


QUARTO_CONFIG = "_quarto.yml"
STYLE = Path(__file__).with_name("site.css")


ROOT_ONLY = {"project": ("pre-render", "post-render"), "execute": ("ipynb-filters",)}
"""Settings of the root ``_quarto.yml`` that belong to the root's own renders, not to the
project the publisher stages (see ``publish_config``)."""


class PublishError(Exception):
    """The site could not be built; the last good site is untouched."""


@dataclass(frozen=True)
class Chapter:
    section: Section
    part: str | None
    number: int = 0
    """Its number in the book, as readers see it (the in-year pack numbers its sections 1 to 9,
    as Quarto does)."""

    @property
    def page(self) -> str:
        return self.section.notebook.replace(".ipynb", ".html")


def read_book(root: Path | None = None) -> tuple[dict, list[Chapter]]:
    """The book in ``_quarto.yml``: its settings and its chapters (the section notebooks) in order."""
    path = (root or paths.ROOT) / QUARTO_CONFIG
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise PublishError(f"{path}: cannot be read ({exc})") from exc
    by_file = {f"notebooks/{s.notebook}": s for s in SECTIONS}
    chapters: list[Chapter] = []

    def add(entry, part):
        if isinstance(entry, str):
            if entry in by_file:
                chapters.append(Chapter(by_file[entry], part, len(chapters) + 1))
            elif not entry.startswith("index."):
                raise PublishError(f"{path}: chapter {entry!r} is not a section notebook")
        elif isinstance(entry, dict) and "part" in entry:
            for sub in entry.get("chapters", []):
                add(sub, entry["part"])

    for entry in (config.get("book") or {}).get("chapters", []):
        add(entry, None)
    if not chapters:
        raise PublishError(f"{path}: book.chapters lists no section notebook")
    return config, chapters


def publish_config(config: dict) -> dict:
    """``_quarto.yml`` without what only the root's renders use (its pre-render step, its
    notebook filter, its default profile): the project the publisher stages runs neither."""
    config = {k: v for k, v in config.items() if k != "profile"}
    for key, names in ROOT_ONLY.items():
        if isinstance(config.get(key), dict):
            config[key] = {k: v for k, v in config[key].items() if k not in names}
    return config


def pack_book(config: dict, chapters: list[Chapter], params: Params) -> tuple[dict, list[Chapter]]:
    """The book of the run: the report's, or for the in-year pack (``to_quarter``) its sections
    alone, in the same order and parts (a part left with no section is left out)."""
    if params.to_quarter is None:
        return config, chapters
    inside = [ch for ch in chapters if ch.section in sections_for(params.to_quarter)]
    kept = [
        Chapter(in_year_section(ch.section), ch.part, i) for i, ch in enumerate(inside, start=1)
    ]
    files = {f"notebooks/{ch.section.notebook}" for ch in kept}

    def prune(entries):
        out = []
        for entry in entries:
            if isinstance(entry, str):
                if entry in files or entry.startswith("index."):
                    out.append(entry)
            elif isinstance(entry, dict) and "chapters" in entry:
                inner = prune(entry["chapters"])
                if inner:
                    out.append({**entry, "chapters": inner})
            else:
                out.append(entry)
        return out

    book = dict(config.get("book") or {})
    book["chapters"] = prune(book.get("chapters", []))
    return {**config, "book": book}, kept


def report_slug(params: Params) -> str:
    """The name every published file of the year starts with, e.g.
    ``wessex-council-childrens-complaints-report-2023-24`` (``…-2023-24-q2`` for the pack)."""
    council = re.sub(r"[^a-z0-9]+", "-", params.council.lower()).strip("-")
    return f"{council}-childrens-complaints-report-{params.edition_name.lower()}"


def pdf_name(params: Params) -> str:
    return f"{report_slug(params)}.pdf"


def content_time(year_dir: Path) -> int:
    """When the year's published content was last made: the newest executed notebook's time, in
    whole seconds. The Word files and the spreadsheet carry it (Pandoc's SOURCE_DATE_EPOCH), so
    that the same content makes the same files."""
    times = [p.stat().st_mtime for p in (year_dir / "notebooks").glob("*.ipynb")]
    return int(max(times)) if times else 0


def word_name(params: Params) -> str:
    """The report in Word, ``<slug>.docx``, beside the PDF of the same name."""
    return f"{report_slug(params)}.docx"


def committee_name(params: Params) -> str:
    """The committee paper in Word, ``<slug>-committee.docx``."""
    return f"{report_slug(params)}-committee.docx"


def spreadsheet_name(params: Params) -> str:
    """Every table in one spreadsheet, ``<slug>-tables.xlsx``."""
    return f"{report_slug(params)}-tables.xlsx"


def other_downloads_html(params: Params) -> str:
    """The links, on every page, to the report's other formats: Word, the committee paper and
    the spreadsheet of every table."""
    links = [
        (word_name(params), "the report in Word"),
        (committee_name(params), "the committee paper in Word"),
        (spreadsheet_name(params), "every table in one spreadsheet (Excel)"),
    ]
    shown = [f'<a href="{href}">{html.escape(label)}</a>' for href, label in links]
    return (
        '<p class="site-downloads">Also to download: '
        + ", ".join(shown[:-1])
        + f" and {shown[-1]}.</p>"
    )


def check_pdf(pdf: Path) -> None:
    """A PDF readers can use: present, a PDF, with pages, and tagged for assistive technology."""
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise PublishError(f"the PDF {pdf.name} was not written, or is empty")
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(pdf)
        catalog = reader.trailer["/Root"].get_object()
        pages = len(reader.pages)
    except (PyPdfError, OSError, KeyError, ValueError) as exc:
        raise PublishError(f"the PDF {pdf.name} cannot be read: {exc}") from exc
    if pages == 0:
        raise PublishError(f"the PDF {pdf.name} has no pages")
    mark = catalog.get("/MarkInfo")
    marked = mark is not None and getattr(mark.get_object().get("/Marked"), "value", None) is True
    if "/StructTreeRoot" not in catalog or not marked:
        raise PublishError(
            f"the PDF {pdf.name} is not tagged (no structure tree): screen readers could not read it"
        )


# Both publishers' pages: the hint above a table shows only while the table is wider than its
# column (the stylesheet draws a shadow at its scrolling edge and holds its first column).
WIDE_TABLES = """<script>
(function () {
  function mark() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var wide = wrap.scrollWidth > wrap.clientWidth + 1;
      wrap.classList.toggle("is-wide", wide);
      var hint = wrap.previousElementSibling;
      if (hint && hint.classList.contains("scroll-hint")) {
        hint.hidden = !wide;
        if (wide) { wrap.setAttribute("aria-describedby", hint.id); }
        else { wrap.removeAttribute("aria-describedby"); }
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", mark); }
  else { mark(); }
  window.addEventListener("load", mark);
  window.addEventListener("resize", mark);
})();
</script>
"""


def introduction(params: Params) -> list[str]:
    """The opening page's paragraphs: what the report is, and for which meeting."""
    r = params.report
    fy = params.fy
    if params.to_quarter:
        paragraphs = [
            f"The year-to-date report of {params.council} on the complaints it received about "
            f"children's services from {long_date(fy.start)} to {long_date(fy.end)}, the first "
            f"{('quarter', 'two quarters', 'three quarters', 'four quarters')[fy.last_quarter - 1]}"
            f" of the financial year {fy.label}, for the "
            "members who oversee complaints. Each figure is for that period, and is compared "
            "with the same months of the year before."
        ]
    else:
        paragraphs = [
            f"The annual report of {params.council} on the complaints it received about "
            f"children's services in the financial year {fy.slash_label} (1 April "
            f"{fy.start_year} to 31 March {fy.start_year + 1}), as the Children Act 1989 "
            "representations procedure requires."
        ]
    if r.committee:
        when = f" on {r.meeting_date:%A %d %B %Y}" if r.meeting_date else ""
        paragraphs.append(f"For the {r.committee}{when}. Report status: {r.status}.")
    return paragraphs


def opening_figures_html(params: Params, year_dir: Path) -> str:
    """The opening page's headline figures, from the year's figures.json, each with its change
    from the year before (from the prepared year the run cached, else the case records); empty
    without figures.json."""
    figures = read_figures(year_dir)
    if figures is None:
        return ""
    items = headlines(
        figures,
        year_before(params, year_dir),
        params.targets.stage1_limit,
        params.disclosure.active_threshold,
    )
    return headlines_html(items)
