"""Publish a year's executed notebooks as the report website and PDF (Quarto, or offline).

``_quarto.yml`` is the one description of the book. When ``quarto`` is on PATH the executed
notebooks are rendered by Quarto (execution disabled). Otherwise the offline publisher builds
the same site from the same chapter list with nbconvert (HTML) and WeasyPrint (tagged PDF/UA).
Either way the site is built in a temporary folder and swapped in only when complete.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from . import paths
from .display import CHART_DIR, CSV_DIR
from .display import HTML as HTML_MIME
from .display import MARKDOWN as MARKDOWN_MIME
from .display import TYPST as TYPST_MIME
from .files import atomic_write_text
from .params import Params, load_params
from .sections import SECTIONS, Section

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

log = logging.getLogger(__name__)

QUARTO_CONFIG = "_quarto.yml"
STYLE = Path(__file__).with_name("site.css")
_announced = False


class PublishError(Exception):
    """The site could not be built; the last good site is untouched."""


@dataclass(frozen=True)
class Chapter:
    section: Section
    part: str | None

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
                chapters.append(Chapter(by_file[entry], part))
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


def pdf_name(params: Params) -> str:
    council = re.sub(r"[^a-z0-9]+", "-", params.council.lower()).strip("-")
    return f"{council}-childrens-complaints-report-{params.financial_year}.pdf"


# --- the offline publisher --------------------------------------------------------------------


def _exporter():
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = ("remove-cell", "injected-parameters", "parameters")
    c.TagRemovePreprocessor.remove_input_tags = ("remove-input",)
    c.HTMLExporter.exclude_input = True  # no code reaches readers, tagged or not
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.template_name = "basic"
    return HTMLExporter(config=c)


def _section_body(executed: Path, exporter) -> str:
    """A section's HTML: outputs and markdown only, no code, no logs, no anchors."""
    import nbformat  # slow to import; only publishing needs it

    nb = nbformat.read(executed, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            if errors:
                raise PublishError(
                    f"{executed.name}: a cell failed ({errors[0].get('ename')}); run the year again"
                )
            # stdout/stderr are the run's logs, not report content
            cell["outputs"] = [
                o for o in cell.get("outputs", []) if o.get("output_type") != "stream"
            ]
    body, _ = exporter.from_notebook_node(nb)
    soup = _soup(body)
    for a in soup.select("a.anchor-link"):
        a.decompose()
    for div in soup.find_all("div", id=True):
        if div["id"].startswith("cell-id="):
            del div["id"]
    # nbconvert names a heading's id after its words, and a section may repeat a heading (each
    # stage of section 11 has its areas): ids must be unique (as Quarto makes them, -1, -2).
    seen: set[str] = set()
    for tag in soup.find_all(id=True):
        name, n = tag["id"], 0
        while tag["id"] in seen:
            n += 1
            tag["id"] = f"{name}-{n}"
        seen.add(tag["id"])
    for cell in soup.select("div.code_cell"):
        if not cell.get_text(strip=True) and not cell.find(["img", "table", "figure"]):
            cell.decompose()
    return str(soup)


def _soup(body: str) -> BeautifulSoup:
    """``body`` parsed for the offline publisher (bs4 is imported only when that publishes)."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(body, "html.parser")


def _copy_csvs(soup: BeautifulSoup, tables_src: Path, tables_dst: Path) -> None:
    """Copy into the site the CSV that each table's download link names."""
    for link in soup.select("a.csv-link"):
        name = link["href"].rsplit("/", 1)[-1]
        src = tables_src / name
        if not src.is_file():
            raise PublishError(
                f"table CSV {name!r} is missing from the year's tables; run the year again"
            )
        tables_dst.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, tables_dst / name)


# Both publishers' pages: the hint above a table shows only while the table is wider than its
# column (the stylesheet draws a shadow at its scrolling edge and holds its first column).
_WIDE_TABLES = """<script>
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


_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
<p class="site-title"><a href="index.html">{report_title}</a></p>
<p class="site-meta">{council} · financial year {fy}</p>
<p class="site-pdf"><a class="pdf-link" href="{pdf}">Download PDF of the whole report ({pdf_size})</a></p>
</header>
<div class="layout">
<nav class="sections" aria-label="Report sections">
<p class="nav-title">Sections of the report</p>
<ol>
{nav}
</ol>
</nav>
<main id="main" tabindex="-1">
{notice}
{body}
{pager}
</main>
</div>
<footer class="site-footer">
<p>{footer}</p>
</footer>
{script}</body>
</html>
"""


def _nav(chapters: list[Chapter], current: str | None) -> str:
    items = []
    for ch in chapters:
        cur = ' aria-current="page"' if ch.page == current else ""
        items.append(
            f'<li><a href="{ch.page}"{cur}>{ch.section.number}. {html.escape(ch.section.title)}</a></li>'
        )
    return "\n".join(items)


def _pager(chapters: list[Chapter], i: int) -> str:
    links = []
    prev_href, prev_title = (
        ("index.html", "Contents")
        if i == 0
        else (chapters[i - 1].page, chapters[i - 1].section.title)
    )
    links.append(f'<a rel="prev" href="{prev_href}">Previous: {html.escape(prev_title)}</a>')
    if i + 1 < len(chapters):
        nxt = chapters[i + 1]
        links.append(f'<a rel="next" href="{nxt.page}">Next: {html.escape(nxt.section.title)}</a>')
    return '<nav class="pager" aria-label="Previous and next section">' + " ".join(links) + "</nav>"


def _notice(params: Params) -> str:
    from .display import notice_html

    return notice_html() if params.synthetic_data else ""


def _size(n: int) -> str:
    return f"PDF, {n / 1_000_000:.1f} MB" if n >= 100_000 else f"PDF, {max(1, n // 1000)} KB"


def _page(params, chapters, title, body, current, pager, pdf, pdf_size) -> str:
    report_title = params.report.title
    return _PAGE.format(
        title=html.escape(f"{title} – {report_title}" if title != report_title else report_title),
        report_title=html.escape(report_title),
        council=html.escape(params.council),
        fy=params.financial_year,
        pdf=pdf,
        pdf_size=pdf_size,
        nav=_nav(chapters, current),
        notice=_notice(params),
        body=body,
        pager=pager,
        script=_WIDE_TABLES,
        footer=html.escape(
            f"{params.council}: annual report on children's services complaints, {params.fy.slash_label}. "
            f"Published {date.today():%d %B %Y}. Tables can be downloaded as CSV beside each table."
        ),
    )


def _introduction(params: Params) -> list[str]:
    """The opening page's paragraphs: what the report is, and for which meeting."""
    r = params.report
    paragraphs = [
        f"The annual report of {params.council} on the complaints it received about children's "
        f"services in the financial year {params.fy.slash_label} (1 April {params.fy.start_year} "
        f"to 31 March {params.fy.start_year + 1}), as the Children Act 1989 representations "
        f"procedure requires."
    ]
    if r.committee:
        when = f" on {r.meeting_date:%A %d %B %Y}" if r.meeting_date else ""
        paragraphs.append(f"For the {r.committee}{when}. Report status: {r.status}.")
    return paragraphs


def _headlines_html(params: Params, year_dir: Path) -> str:
    """The opening page's headline figures, from the year's figures.json, each with its change
    from the year before (from the prepared year the run cached, else the case records); empty
    without figures.json."""
    from .headlines import headlines, headlines_html, read_figures, year_before

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


def _index_body(
    params: Params, chapters: list[Chapter], pdf: str, pdf_size: str, figures_html: str = ""
) -> str:
    r = params.report
    parts: list[str] = [f"<h1>{html.escape(r.title)}</h1>"]
    parts += [f"<p>{html.escape(p)}</p>" for p in _introduction(params)]
    parts.append(
        f'<p><a class="pdf-link" href="{pdf}">Download PDF of the whole report ({pdf_size})</a></p>'
    )
    if figures_html:
        parts.append(figures_html)
    parts.append('<h2 id="contents">Contents</h2>')
    current_part = None
    items: list[str] = []
    for ch in chapters:
        if ch.part != current_part:
            if items:
                parts.append("<ol>" + "".join(items) + "</ol>")
                items = []
            current_part = ch.part
            if ch.part:
                parts.append(f"<h3>{html.escape(ch.part)}</h3>")
        items.append(
            f'<li value="{ch.section.number}"><a href="{ch.page}">{html.escape(ch.section.title)}</a></li>'
        )
    parts.append("<ol>" + "".join(items) + "</ol>")
    return "\n".join(parts)


def _shift_headings(soup: BeautifulSoup, by: int) -> None:
    for level in range(6, 0, -1):
        for h in soup.find_all(f"h{level}"):
            h.name = f"h{min(6, level + by)}"


_PDF_CSS = """
@page { size: A4; margin: 20mm 18mm 22mm;
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; color: #333; }
  @top-left { content: string(report-title); font-size: 8pt; color: #333; } }
@page :first { @top-left { content: none; } }
html { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.45; color: #111; }
h1 { string-set: report-title content(); font-size: 22pt; margin: 0 0 4mm; }
/* One-sided pages in one flow: page 1 is the cover and the contents; parts and sections are
   headings in the flow, not pages; a heading is never the last thing on its page. */
h1, h2, h3, h4, h5, h6 { break-after: avoid; break-inside: avoid; line-height: 1.25; }
h2 { font-size: 16pt; margin: 9mm 0 3mm; }
h2.part { font-size: 11pt; text-transform: uppercase; color: #444; margin: 11mm 0 2mm;
  padding-bottom: 1mm; border-bottom: 0.6pt solid #999; }
h3 { font-size: 12.5pt; margin: 7mm 0 2.5mm; }
h4 { font-size: 11pt; margin: 6mm 0 2mm; }
h5, h6 { font-size: 10pt; margin: 5mm 0 1.5mm; }
.cover .meeting { font-size: 11pt; margin: 0 0 1mm; }
.cover .council { font-size: 14pt; font-weight: bold; margin: 0 0 2mm; }
.cover .recommendation { border-left: 2.5pt solid #0072B2; padding: 1mm 3mm; margin: 4mm 0; }
nav.toc { break-after: page; }
nav.toc h2 { margin-top: 6mm; }
nav.toc ol { list-style: none; padding: 0; margin: 0; }
nav.toc li.part { font-weight: bold; text-transform: uppercase; color: #444; margin-top: 2.5mm; }
nav.toc a { color: #111; text-decoration: none; }
nav.toc a::after { content: leader(".") target-counter(attr(href), page); }
table { border-collapse: collapse; width: 100%; margin: 3mm 0; font-size: 8.5pt; }
thead { display: table-header-group; }
/* A table that fits on a page is kept whole, its caption with it (the caption is kept with the
   table's region; on the table itself a long table would leave its caption behind). */
.table-wrap { break-inside: avoid; }
caption { break-after: avoid; }
tr { break-inside: avoid; }
th, td { border: 0.5pt solid #777; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; }
caption { caption-side: top; font-weight: bold; text-align: left; padding-bottom: 1.5mm; }
p.table-note { break-before: avoid; font-size: 9pt; margin-top: 1.5mm; }  /* with its table */
figure { margin: 4mm 0; break-inside: avoid; }
figure img { width: 100%; }
figcaption { font-size: 9pt; color: #333; }
.notice { border: 1pt solid #333; padding: 2mm 3mm; }
.commentary { border-left: 2pt solid #0072B2; padding-left: 3mm; }
.download, .pager, .site-pdf { display: none; }
"""


def _pdf_html(params: Params, chapters: list[Chapter], bodies: dict[str, str]) -> str:
    """The offline PDF as one HTML document: page 1 the cover (title, council, meeting and date,
    the recommendation, the notice) and the contents; then each part's heading and its
    sections, in one flow."""
    toc: list[str] = []
    sections: list[str] = []
    current_part = None
    for ch in chapters:
        if ch.part and ch.part != current_part:
            toc.append(f'<li class="part">{html.escape(ch.part)}</li>')
            sections.append(f'<h2 class="part">{html.escape(ch.part)}</h2>')
        current_part = ch.part
        toc.append(
            f'<li><a href="#sec-{ch.section.number:02d}">{ch.section.number}. '
            f"{html.escape(ch.section.title)}</a></li>"
        )
        soup = _soup(bodies[ch.page])
        _shift_headings(soup, 1)  # chapter titles are h2 under the report's h1
        for p in soup.select("p.download"):
            p.decompose()
        # one document: ids must be unique across sections (two may have a "By quarter" heading)
        for tag in soup.find_all(id=True):
            tag["id"] = f"s{ch.section.number:02d}-{tag['id']}"
        first = soup.find("h2")
        if first is not None:
            first["id"] = f"sec-{ch.section.number:02d}"
        sections.append(f'<section class="chapter">{soup}</section>')
    r = params.report
    cover = [
        f"<h1>{html.escape(r.title)}</h1>",
        f'<p class="council">{html.escape(params.council)}</p>',
    ]
    if r.committee:
        cover.append(
            f'<p class="meeting">{html.escape(r.committee)}'
            + (f", {r.meeting_date:%A %d %B %Y}" if r.meeting_date else "")
            + "</p>"
        )
    cover.append(f'<p class="meeting">Report status: {html.escape(r.status)}</p>')
    if r.recommendation:
        cover.append(
            '<div class="recommendation"><p><strong>Recommendation</strong><br>'
            f"{html.escape(r.recommendation)}</p></div>"
        )
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{html.escape(r.title)}</title>"
        f'<meta name="author" content="{html.escape(params.council)}">'
        f'<meta name="description" content="{html.escape(r.title)}">'
        f"<style>{_PDF_CSS}</style></head><body>"
        + '<div class="cover">'
        + "".join(cover)
        + _notice(params)
        + "</div>"
        + f'<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>{"".join(toc)}</ol></nav>'
        + "".join(sections)
        + "</body></html>"
    )


def _write_pdf(document: str, target: Path) -> None:
    # WeasyPrint narrates every layout step at INFO, from its import on; the run says what matters.
    for name in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(name).setLevel(logging.WARNING)
    from weasyprint import HTML

    HTML(string=document, base_url=str(target.parent)).write_pdf(target, pdf_variant="pdf/ua-1")


def _offline_bodies(params: Params, chapters: list[Chapter], year_dir: Path) -> dict[str, str]:
    """Each section's HTML body (nbconvert), by page name."""
    exporter = _exporter()
    nb_dir = year_dir / "notebooks"
    bodies: dict[str, str] = {}
    for ch in chapters:
        executed = nb_dir / ch.section.notebook
        if not executed.is_file():
            raise PublishError(
                f"{executed.name} has not been executed for {params.financial_year}; run the year first"
            )
        bodies[ch.page] = _section_body(executed, exporter)
    return bodies


def build_offline(params: Params, chapters: list[Chapter], year_dir: Path, site: Path) -> None:
    """The whole site and PDF, without Quarto: nbconvert for the pages, WeasyPrint for the PDF."""
    bodies = _offline_bodies(params, chapters, year_dir)
    for body in bodies.values():
        _copy_csvs(_soup(body), year_dir / CSV_DIR, site / CSV_DIR)
    pdf = pdf_name(params)
    _write_pdf(_pdf_html(params, chapters, bodies), site / pdf)
    pdf_size = _size((site / pdf).stat().st_size)
    (site / "index.html").write_text(
        _page(
            params,
            chapters,
            params.report.title,
            _index_body(params, chapters, pdf, pdf_size, _headlines_html(params, year_dir)),
            None,
            "",
            pdf,
            pdf_size,
        ),
        encoding="utf-8",
    )
    for i, ch in enumerate(chapters):
        (site / ch.page).write_text(
            _page(
                params,
                chapters,
                ch.section.title,
                bodies[ch.page],
                ch.page,
                _pager(chapters, i),
                pdf,
                pdf_size,
            ),
            encoding="utf-8",
        )
    shutil.copy2(STYLE, site / "style.css")


# --- Quarto ---------------------------------------------------------------------------------

QUARTO_OLDEST = (1, 7)
"""Quarto older than this is refused."""
QUARTO_TYPST_BOOKS = (1, 9, 18)
"""The first Quarto that renders a book to Typst: from here Quarto makes the PDF too."""
QUARTO_CSS = Path(__file__).with_name("quarto.css")
QUARTO_TYPST = Path(__file__).with_name("quarto-pdf.typ")
QUARTO_TYPST_SHOW = Path(__file__).with_name("report-show.typ")
_PDF_PARTIALS = "pdf-partials"
# Quarto's pages have no skip link of their own; this one becomes the first thing on every page
# (Quarto includes it after its header; the script below moves it to the top).
_SKIP_LINK = '<a class="skip-link" href="#quarto-document-content">Skip to main content</a>'
# What Quarto's templates cannot be told: the skip link first, the sidebar's name and current
# page for assistive technology, and a main region that takes focus from the skip link.
_AFTER_BODY = (
    """<script>
document.addEventListener("DOMContentLoaded", function () {
  var skip = document.querySelector("a.skip-link");
  if (skip) {
    document.body.prepend(skip);
    // Quarto writes links out in full and drops "index.html", which would make the skip link
    // of index.html load "./" afresh rather than move within the page.
    skip.setAttribute("href", "#quarto-document-content");
  }
  var main = document.getElementById("quarto-document-content");
  if (main) { main.setAttribute("tabindex", "-1"); }
  var nav = document.getElementById("quarto-sidebar");
  if (nav) { nav.setAttribute("aria-label", "Report sections"); }
  document.querySelectorAll("#quarto-sidebar a.sidebar-link.active").forEach(function (a) {
    a.setAttribute("aria-current", "page");
  });
  // The previous/next links' names are their visible words ("3 Financial implications"), not
  // a label without the number (WCAG 2.5.3, label in name).
  document.querySelectorAll("a.pagination-link[aria-label]").forEach(function (a) {
    a.removeAttribute("aria-label");
  });
});
</script>
"""
    + _WIDE_TABLES
)


def quarto_version(quarto: str) -> tuple[int, ...]:
    """``quarto --version`` as numbers, e.g. (1, 10, 18)."""
    try:
        proc = subprocess.run(
            [quarto, "--version"], capture_output=True, text=True, timeout=120, check=True
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise PublishError(f"{quarto} --version failed: {exc}") from exc
    found = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", proc.stdout)
    if not found:
        raise PublishError(f"{quarto} --version printed no version: {proc.stdout.strip()!r}")
    return tuple(int(x) for x in found.groups(default="0"))


def _dotted(version: tuple[int, ...]) -> str:
    return ".".join(map(str, version))


def _raw_block(text: str, fmt: str) -> str:
    """``text`` as a Pandoc raw block of format ``fmt``, fenced by more backticks than it holds."""
    fence = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", text)), default=0))
    return f"{fence}{{={fmt}}}\n{text}\n{fence}\n"


def _quarto_notebook(executed: Path, target: Path, website: bool = True) -> None:
    """A copy of an executed notebook for Quarto: each output that offers both HTML and Markdown
    becomes one Markdown output that holds both, each shown to its format by Quarto's
    conditional content (the HTML on the website, the Markdown in the PDF). For a project that
    makes only the PDF (``website=False``) the output is the Markdown alone: Quarto would parse
    and then drop the HTML; an output that offers Typst markup (a table) gives the PDF that, as
    a raw Typst block, in place of its Markdown.

    The website gets exactly the HTML that JupyterLab and the offline publisher show, and no
    output is ``text/html`` any more, so Quarto adds no require.js and jQuery from a CDN to the
    pages (it does for any notebook with HTML outputs, in case they are widgets): the site
    loads nothing from another server.
    """
    nb = json.loads(executed.read_text(encoding="utf-8"))
    if not website:
        # When and how long each cell ran, which Quarto does not show, and the random id Papermill
        # gives the cell it injects: without them (ids by position instead) the PDF's copy of a
        # notebook run again changes only where its outputs do (see _typst_edits).
        nb.get("metadata", {}).pop("papermill", None)
    for i, cell in enumerate(nb.get("cells", [])):
        if not website:
            for record in ("papermill", "execution"):
                cell.get("metadata", {}).pop(record, None)
            if "id" in cell:
                cell["id"] = f"cell-{i}"
        for output in cell.get("outputs", []):
            data = output.get("data") or {}
            typst = data.pop(TYPST_MIME, None)
            if typst is not None and not website and MARKDOWN_MIME in data:
                # Typst markup the output offers (a table, a commentary): the PDF takes it as
                # it is, and nothing else of the output.
                output["data"] = {MARKDOWN_MIME: _raw_block("".join(typst), "typst")}
                continue
            if HTML_MIME in data and MARKDOWN_MIME in data:
                html_text = "".join(data.pop(HTML_MIME))
                md_text = "".join(data[MARKDOWN_MIME])
                if not website:
                    data[MARKDOWN_MIME] = md_text
                    continue
                data[MARKDOWN_MIME] = (
                    f'::: {{.content-visible when-format="html"}}\n{_raw_block(html_text, "html")}'
                    f':::\n\n::: {{.content-hidden when-format="html"}}\n{md_text}\n:::\n'
                )
    target.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


def _stage_book(
    params: Params,
    config: dict,
    chapters: list[Chapter],
    year_dir: Path,
    stage: Path,
    typst: bool,
    website: bool = True,
) -> None:
    """The Quarto project Quarto renders: the executed notebooks side by side (so pages sit at
    the site's root, as the offline publisher puts them), their charts and CSVs, an index page
    and ``_quarto.yml`` with this year's title, PDF name and page furniture. ``website=False``:
    a project for the Typst PDF only (see ``_quarto_notebook``)."""
    for ch in chapters:
        executed = year_dir / "notebooks" / ch.section.notebook
        if not executed.is_file():
            raise PublishError(
                f"{executed.name} has not been executed for {params.financial_year}; run the year first"
            )
        _quarto_notebook(executed, stage / ch.section.notebook, website)
    for folder in (CHART_DIR, CSV_DIR):
        if (year_dir / folder).is_dir():
            shutil.copytree(year_dir / folder, stage / folder)
    shutil.copy2(QUARTO_CSS, stage / "report.css")
    shutil.copy2(QUARTO_TYPST, stage / "report.typ")
    if typst:
        (stage / _PDF_PARTIALS).mkdir()
        shutil.copy2(QUARTO_TYPST_SHOW, stage / _PDF_PARTIALS / "typst-show.typ")
    (stage / "after-body.html").write_text(_AFTER_BODY, encoding="utf-8")

    pdf = pdf_name(params)

    def flat(entry):
        if isinstance(entry, str):
            return entry.removeprefix("notebooks/")
        if isinstance(entry, dict) and "chapters" in entry:
            return {**entry, "chapters": [flat(e) for e in entry["chapters"]]}
        return entry

    book = dict(config.get("book") or {})
    book.update(
        title=params.report.title,
        author=params.council,
        date=(params.report.meeting_date or date.today()).isoformat(),
        chapters=[flat(e) for e in book.get("chapters", [])],
        # Every page links the PDF at its top (before-body.html), in words rather than an icon.
        downloads=[],
        **{"output-file": pdf.removesuffix(".pdf")},
    )
    # Quarto includes this at the top of every page's <main>: the PDF link, the notice.
    before = [
        _SKIP_LINK,
        f'<p class="site-pdf"><a class="pdf-link" href="{pdf}">Download PDF of the whole report</a></p>',
    ]
    if params.synthetic_data:
        from .display import notice_html

        before.append(notice_html())
    (stage / "before-body.html").write_text("\n".join(before) + "\n", encoding="utf-8")
    formats = dict(config.get("format") or {})
    html_format = dict(formats.get("html") or {})
    html_format.update(
        css=["report.css"],
        # The tables are already accessible HTML (caption, scoped headers, a scrolling region
        # and a CSV link): Quarto passes them through as they are.
        **{"html-table-processing": "none"},
        **{"include-before-body": ["before-body.html"], "include-after-body": ["after-body.html"]},
    )
    formats["html"] = html_format
    if typst:
        formats["typst"] = {
            **(formats.get("typst") or {}),
            "include-in-header": ["report.typ"],
            # The report's page design in place of the book template's (odd-page chapters,
            # part pages, a title page): see quarto-pdf.typ.
            "template-partials": [f"{_PDF_PARTIALS}/typst-show.typ"],
            # The PDF shows each table's Markdown; its HTML twin is for the website only and
            # is dropped from the PDF. Without this Quarto would still convert every HTML
            # table for Typst first (a `quarto run juice.ts` each: over a minute in all).
            "html-table-processing": "none",
            # The book's Typst (index.typ), kept for the next publish: a PDF whose only change
            # is Typst the notebooks offer is compiled again from it (see _typst_edits).
            "keep-typ": True,
        }
    else:
        formats.pop("typst", None)
    project = {**(config.get("project") or {}), "output-dir": "_site"}
    project["resources"] = [f"{CSV_DIR}/*.csv"]
    staged = {**config, "project": project, "book": book, "format": formats}
    (stage / QUARTO_CONFIG).write_text(
        yaml.safe_dump(staged, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    if website:
        index = _index_markdown(params, _headlines_html(params, year_dir))
    else:
        index = _pdf_index_markdown(params)
    (stage / "index.qmd").write_text(index, encoding="utf-8")
    (stage / "index-partials").mkdir()
    (stage / "index-partials" / "title-block.html").write_text("", encoding="utf-8")


def _index_markdown(params: Params, figures_html: str = "") -> str:
    """The book's opening page: what the report is and for whom, and on the website the
    year's headline figures (Quarto lists the sections)."""
    from .display import md_escape

    r = params.report
    # An unnumbered heading keeps the sections' own numbers (Quarto would make the opening
    # page chapter 1); an empty title block (index-partials/) keeps it the page's one <h1>.
    lines = [
        "---",
        "format:",
        "  html:",
        "    template-partials: [index-partials/title-block.html]",
        "---",
        "",
        f"# {md_escape(r.title)} {{.unnumbered}}",
    ]
    for paragraph in _introduction(params):
        lines += ["", md_escape(paragraph)]
    if figures_html:
        lines += ["", _raw_block(figures_html, "html").rstrip("\n")]
    return "\n".join(lines) + "\n"


def _pdf_cover_typst(params: Params) -> str:
    """The PDF's page 1 under its title, as Typst (``report-cover`` in quarto-pdf.typ): the council,
    the meeting and its date, the recommendation, the notice when the data are synthetic; then
    the contents."""
    from .display import SYNTHETIC_NOTICE, typst_text

    r = params.report
    meeting = None
    if r.committee:
        meeting = r.committee + (f", {r.meeting_date:%A %d %B %Y}" if r.meeting_date else "")
    args = {
        "council": params.council,
        "meeting": meeting,
        "status": r.status,
        "recommendation": r.recommendation,
        "notice": SYNTHETIC_NOTICE if params.synthetic_data else None,
    }
    return (
        "#report-cover(\n"
        + "".join(
            f"  {k}: {typst_text(v) if v is not None else 'none'},\n" for k, v in args.items()
        )
        + ")"
    )


def _pdf_index_markdown(params: Params) -> str:
    """The PDF's opening: the report's title (a heading, unnumbered, styled as the cover's
    title by quarto-pdf.typ; without a heading Quarto would add an empty one), then the rest of
    the cover and the contents, all on page 1."""
    from .display import md_escape

    return f"# {md_escape(params.report.title)} {{#report-title .unnumbered}}\n\n" + _raw_block(
        _pdf_cover_typst(params), "typst"
    )


def _check_quarto_site(site: Path, chapters: list[Chapter], pdf: Path | None) -> None:
    """What Quarto wrote, checked before it replaces the last good site."""
    missing = [p for p in ["index.html", *(ch.page for ch in chapters)] if not (site / p).is_file()]
    if missing:
        raise PublishError(f"Quarto did not write {', '.join(missing)}")
    if pdf is not None:
        check_pdf(pdf)


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


def _display_title(pdf: Path) -> None:
    """Ask PDF viewers to show the document's title, not its file name (PDF/UA), which Typst
    sets only for a PDF/UA-1 document (and Quarto's book contents page is not valid PDF/UA-1
    structure, so that standard cannot be asked of Typst). Everything else is kept as it is.

    pikepdf (qpdf) does it in about 0.1 s for the demo report's 67 pages; pypdf took 1.2-1.4 s
    to clone and write the whole structure tree, with the reader waiting."""
    import pikepdf

    tmp = pdf.with_suffix(".tmp")
    with pikepdf.open(pdf) as doc:
        prefs = doc.Root.get("/ViewerPreferences", pikepdf.Dictionary())
        prefs.DisplayDocTitle = True
        doc.Root.ViewerPreferences = prefs
        doc.save(tmp)
    os.replace(tmp, pdf)
    check_pdf(pdf)


def build_with_quarto(
    quarto: str,
    params: Params,
    config: dict,
    chapters: list[Chapter],
    year_dir: Path,
    site: Path,
    incremental: bool = True,
) -> None:
    """Render the executed notebooks with Quarto (no execution) into ``site``.

    Quarto 1.9.18 or later makes the site and its Typst PDF; Quarto 1.7 to 1.9.17 cannot make a
    Typst book, so the site is Quarto's and the PDF the offline publisher's (tagged PDF/UA).
    The website and the PDF are rendered side by side. With ``incremental``, a website whose
    Quarto project differs from the last one published (``.cache/quarto-site/``) only in some
    notebooks has just those pages rendered again into it (see ``_changes``).
    """
    version = quarto_version(quarto)
    if version < QUARTO_OLDEST:
        raise PublishError(
            f"Quarto {_dotted(version)} is too old: the report needs Quarto "
            f"{_dotted(QUARTO_OLDEST)} or later (quarto.org/docs/download, or conda-forge's "
            "quarto package); or take quarto off PATH to publish with the offline publisher"
        )
    typst = version >= QUARTO_TYPST_BOOKS
    pdf = pdf_name(params)
    if typst:
        log.info("Quarto %s: website and Typst PDF by Quarto", _dotted(version))
    else:
        log.info(
            "Quarto %s renders no Typst book (that needs %s or later): website by Quarto, "
            "PDF by the offline publisher (WeasyPrint, tagged PDF/UA)",
            _dotted(version),
            _dotted(QUARTO_TYPST_BOOKS),
        )
    last = site_project(year_dir)
    quarto_id = f"{Path(quarto).resolve()} {_dotted(version)}\n"
    with tempfile.TemporaryDirectory(prefix="quarto-", dir=year_dir) as tmp:
        stage = Path(tmp) / "site"
        stage.mkdir()
        _stage_book(params, config, chapters, year_dir, stage, typst)
        changed = _changes(last, stage, quarto_id) if incremental else None
        renders: dict[str, tuple[Path, list[str]]] = {}
        if changed is None:
            log.info("Quarto: rendering the whole book, %d pages", len(chapters) + 1)
            renders["website"] = (stage, _quarto_render(quarto, [], "html"))
            project = stage
        else:
            project = last
            pages = [name for name in changed if _is_page(name)]
            if pages:
                renders["website"] = (last, _quarto_render(quarto, pages, "html"))
            log.info(
                "Quarto: %s",
                f"{len(pages)} of {len(chapters)} page(s) changed; rendering just those"
                if changed
                else "nothing changed since the last publish; site and PDF as they were",
            )
        last_pdf, pdf_stage = pdf_project(year_dir), Path(tmp) / "pdf"
        made = pdf_stage / "_site" / pdf  # the PDF this publish makes, either way
        edits = None
        if typst and changed != []:
            # The PDF is made beside the website, from its own project (a Quarto render owns
            # its project's _site/ and .quarto/): compiled again from the last render's Typst
            # when the notebooks changed only in the Typst they offer, else rendered whole.
            pdf_stage.mkdir()
            _stage_book(params, config, chapters, year_dir, pdf_stage, typst, False)
            order = [ch.section.notebook for ch in chapters]
            edits = _typst_edits(last_pdf, pdf_stage, quarto_id, order) if incremental else None
            if edits is None:
                log.info("Quarto: rendering the whole PDF")
                renders["PDF"] = (pdf_stage, _quarto_render(quarto, [], "typst"))
            else:
                log.info(
                    "Quarto: %s; compiling the PDF again from the last render's Typst",
                    f"{len(edits.notebooks)} section(s) changed only in their tables' or "
                    "commentary's Typst"
                    if edits.notebooks
                    else "the PDF's sections are as at its last render",
                )
                renders["PDF"] = (last_pdf, _typst_compile(quarto, last_pdf, made))
        try:
            for name in changed or []:
                shutil.copy2(stage / name, last / name)
            if edits is not None:
                # From here the kept PDF project is half updated until the PDF is made.
                edits.apply(last_pdf, pdf_stage)
            _render(renders)
            out = project / "_site"
            if changed:
                # Quarto renders a page's own images; the tables' CSVs are project resources,
                # copied by a whole render only.
                for name in changed:
                    if name.startswith(f"{CSV_DIR}/") or (out / name).is_file():
                        (out / name).parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(stage / name, out / name)
            if "PDF" in renders:
                _check_quarto_site(out, chapters, made)  # this render's PDF, not the last one
                _display_title(made)
                shutil.copy2(made, out / pdf)
            elif typst:
                _check_quarto_site(out, chapters, out / pdf)  # the last publish's PDF
            else:
                _check_quarto_site(out, chapters, None)
                bodies = _offline_bodies(params, chapters, year_dir)
                _write_pdf(_pdf_html(params, chapters, bodies), out / pdf)
                check_pdf(out / pdf)
        except BaseException:
            if changed is not None:
                shutil.rmtree(last, ignore_errors=True)  # half updated: the next publish is whole
            if edits is not None:
                shutil.rmtree(last_pdf, ignore_errors=True)
            raise
        shutil.copytree(out, site, dirs_exist_ok=True)
        if changed is None:
            # This whole render is the project the next publish starts from.
            (stage / _QUARTO_STAMP).write_text(quarto_id, encoding="utf-8")
            last.parent.mkdir(parents=True, exist_ok=True)
            _swap_in(stage, last)
        if "PDF" in renders and edits is None:
            # So is this whole PDF render, with its Typst.
            (pdf_stage / _QUARTO_STAMP).write_text(quarto_id, encoding="utf-8")
            last_pdf.parent.mkdir(parents=True, exist_ok=True)
            _swap_in(pdf_stage, last_pdf)


SITE_PROJECT = "quarto-site"
_QUARTO_STAMP = ".made-by"
_TYP = "index.typ"  # a book's Typst, kept (keep-typ), named by Quarto after its index.qmd
_RENDERED = {"_site", ".quarto", ".gitignore", _QUARTO_STAMP, _TYP}  # made by the render


def site_project(year_dir: Path) -> Path:
    """Where the Quarto project of the year's last published website is kept (``.cache/``)."""
    from .cache import CACHE_DIR

    return year_dir / CACHE_DIR / SITE_PROJECT


def _staged_files(root: Path) -> dict[str, Path]:
    return {
        p.relative_to(root).as_posix(): p
        for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).parts[0] not in _RENDERED
    }


def _is_page(name: str) -> bool:
    """Whether ``name`` (a path in a staged project) is one of the book's section notebooks."""
    return name.endswith(".ipynb") and "/" not in name


def _changed_files(last: Path, stage: Path, quarto_id: str, made: str) -> list[str] | None:
    """The staged files of ``stage`` whose content differs from the kept project ``last``'s,
    sorted; None when ``last`` cannot serve: made by another Quarto (its stamp), without what
    its render made (``made``, a path in it), or with other files."""
    import filecmp

    stamp = last / _QUARTO_STAMP
    if not (
        stamp.is_file()
        and stamp.read_text(encoding="utf-8") == quarto_id
        and (last / made).is_file()
    ):
        return None
    before, now = _staged_files(last), _staged_files(stage)
    if before.keys() != now.keys():
        return None
    return sorted(n for n in now if not filecmp.cmp(now[n], before[n], shallow=False))


def _changes(last: Path, stage: Path, quarto_id: str) -> list[str] | None:
    """The files of the freshly staged project ``stage`` that differ from the last published
    project ``last``, when rendering just its changed pages into ``last`` makes what a whole
    render of ``stage`` would: the same Quarto, the same files (configuration, index page,
    styles, page furniture) except notebooks, charts and CSVs. None when a whole render is
    needed."""
    changed = _changed_files(last, stage, quarto_id, "_site/index.html")
    if changed is None:
        return None
    content = (f"{CHART_DIR}/", f"{CSV_DIR}/")
    pages = [n for n in changed if _is_page(n)]
    if any(not _is_page(n) and not n.startswith(content) for n in changed):
        return None
    if pages and len(pages) == len(list(stage.glob("*.ipynb"))):
        return None  # every page: a whole render is the same work, and starts clean
    return changed


def _quarto_render(quarto: str, files: list[str], to: str) -> list[str]:
    """The command that renders ``files`` of a project (``[]``: the whole project) to ``to``."""
    return [quarto, "render", *(files or ["."]), "--to", to, "--no-execute"]


PDF_PROJECT = "quarto-pdf"
# A raw Typst block in a staged notebook, as _raw_block writes it: its fence, then its text.
_RAW_TYPST = re.compile(r"\A(`{3,})\{=typst\}\n(.*)\n\1\n\Z", re.S)


def pdf_project(year_dir: Path) -> Path:
    """Where the Quarto project of the year's last whole PDF render is kept, with its Typst."""
    from .cache import CACHE_DIR

    return year_dir / CACHE_DIR / PDF_PROJECT


def _raw_typst(notebook: Path) -> tuple[str, list[str]]:
    """A staged notebook without the text of its raw Typst blocks, and those texts in order."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    texts = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data") or {}
            found = _RAW_TYPST.match("".join(data.get(MARKDOWN_MIME) or ""))
            if found:
                texts.append(found.group(2))
                data[MARKDOWN_MIME] = None
    return json.dumps(nb, sort_keys=True), texts


@dataclass
class TypstEdits:
    """How the book's Typst changes: its text, and the staged notebooks that changed."""

    typ: str
    notebooks: list[str]

    def apply(self, last: Path, stage: Path) -> None:
        """Make the kept project ``last`` the freshly staged ``stage``, Typst included."""
        atomic_write_text(last / _TYP, self.typ)
        for name in self.notebooks:
            shutil.copy2(stage / name, last / name)


def _typst_edits(last: Path, stage: Path, quarto_id: str, order: list[str]) -> TypstEdits | None:
    """The Typst that a whole render of the staged PDF project ``stage`` would make, from the
    Typst of the last whole render kept in ``last``, when the only change is in the text of
    raw Typst blocks (the tables' and commentary's Typst the notebooks offer): Pandoc writes
    those into the book's Typst as they are, so each is found there in book order (``order``:
    the notebooks) and replaced. None when a whole render is needed: another Quarto, any other
    change (configuration, a heading, a sentence, a chart), a Typst setting Quarto reads from
    outside the project, or a block not found."""
    if os.environ.get("QUARTO_PDF_STANDARD") or os.environ.get("TYPST_FONT_PATHS"):
        return None  # Quarto adds these to its typst command: a whole render is asked for
    changed = _changed_files(last, stage, quarto_id, _TYP)
    pages = sorted(p.name for p in stage.glob("*.ipynb"))
    if changed is None or pages != sorted(order) or any(not _is_page(n) for n in changed):
        return None
    typ = (last / _TYP).read_text(encoding="utf-8")
    parts, at = [], 0
    for name in order:
        old_rest, old_texts = _raw_typst(last / name)
        if name in changed:
            new_rest, new_texts = _raw_typst(stage / name)
            if new_rest != old_rest or len(new_texts) != len(old_texts):
                return None  # changed outside its Typst
        else:
            new_texts = old_texts
        for old, new in zip(old_texts, new_texts, strict=True):
            found = typ.find(old, at)
            if found < 0:
                return None
            parts += [typ[at:found], new]
            at = found + len(old)
    return TypstEdits("".join(parts) + typ[at:], changed)


def _quarto_typst(quarto: str, bin_dir: Path) -> list[str]:
    """The Typst that Quarto runs (``typstBinaryPath`` in Quarto's core/typst.ts: $QUARTO_TYPST,
    else its tools folder, per architecture first), started directly; ``quarto typst`` when it
    is not found there. ``quarto typst`` runs the same program, after starting Quarto itself:
    about 1 s more here, beside the website's render."""
    import platform

    arch = {"arm64": "aarch64", "amd64": "x86_64"}.get(platform.machine().lower())
    arch = arch or platform.machine().lower()
    given = os.environ.get("QUARTO_TYPST")
    for candidate in (
        Path(given) if given else None,
        bin_dir / "tools" / arch / "typst",
        bin_dir / "tools" / "typst",
    ):
        if candidate is not None and candidate.is_file() and os.access(candidate, os.X_OK):
            return [str(candidate)]
    return [quarto, "typst"]


def _typst_compile(quarto: str, project: Path, pdf: Path) -> list[str]:
    """The command with which Quarto's render compiles the book's Typst of ``project`` to
    ``pdf`` (``typstCompile`` in Quarto's core/typst.ts): Quarto's own Typst and fonts, the
    project as root and the Typst packages Quarto staged in it."""
    paths = subprocess.run([quarto, "--paths"], capture_output=True, text=True, check=True)
    bin_dir, share = paths.stdout.splitlines()[:2]
    packages = project / ".quarto" / "typst" / "packages"
    cmd = [*_quarto_typst(quarto, Path(bin_dir)), "compile", "--root", str(project)]
    if (packages / "local").is_dir():
        cmd += ["--package-path", str(packages)]
    if (packages / "preview").is_dir():
        cmd += ["--package-cache-path", str(packages)]
    pdf.parent.mkdir(parents=True, exist_ok=True)
    return [*cmd, str(project / _TYP), "--font-path", f"{share}/formats/typst/fonts", str(pdf)]


def _render(renders: dict[str, tuple[Path, list[str]]]) -> None:
    """Run each command of ``renders`` (what it makes: (working folder, command), a Quarto
    render or a Typst compile), all at once; PublishError naming each one that failed."""
    env = {**os.environ, "QUARTO_PRINT_STACK": "true"}
    running = {}
    try:
        for what, (project, command) in renders.items():
            errors = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
            proc = subprocess.Popen(
                command,
                cwd=project,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                env=env,
            )
            running[what] = (proc, errors)
        failed = []
        for what, (proc, errors) in running.items():
            if proc.wait() != 0:
                errors.seek(0)
                failed.append(f"Quarto could not make the {what}:\n{errors.read()[-3000:]}")
        if failed:
            raise PublishError("\n".join(failed))
    finally:
        for proc, errors in running.values():
            if proc.poll() is None:  # interrupted, or another render could not start
                proc.kill()
                proc.wait()
            errors.close()


# --- publishing a year ------------------------------------------------------------------------


def _swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` with the complete ``new`` folder; the old one goes only after."""
    old = target.with_name(f".{target.name}-old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    if old.exists():
        shutil.rmtree(old)


PUBLISHER_ENV = "COMPLAINTS_REPORT_PUBLISHER"


def publisher_choice() -> bool | None:
    """``$COMPLAINTS_REPORT_PUBLISHER``: True for ``quarto``, False for ``offline``, None for
    ``auto`` or unset (Quarto when it is on PATH)."""
    value = os.environ.get(PUBLISHER_ENV, "auto").strip().lower() or "auto"
    choices = {"quarto": True, "offline": False, "auto": None}
    if value not in choices:
        raise PublishError(f"{PUBLISHER_ENV}={value!r}: expected quarto, offline or auto")
    return choices[value]


def publisher_key() -> str:
    """Which publisher a publish would use now, for the run's cache: a site made by another
    publisher (Quarto installed or upgraded since) is made again."""
    import hashlib

    book = paths.ROOT / QUARTO_CONFIG
    book_hash = hashlib.sha256(book.read_bytes()).hexdigest() if book.is_file() else "none"
    choice = publisher_choice()
    quarto = shutil.which("quarto") if choice is not False else None
    if not quarto:
        return f"offline; book {book_hash}"
    real = Path(quarto).resolve()
    return f"quarto {real} {real.stat().st_mtime_ns}; book {book_hash}"


def publish_year(
    financial_year: str,
    out: str | None = None,
    use_quarto: bool | None = None,
    year_dir: Path | None = None,
    incremental: bool = True,
) -> Path:
    """Build ``<out>/<FY>/site/`` from the year's executed notebooks; returns the site folder.

    Parameters
    ----------
    financial_year
        ``2023-24`` style label.
    out
        The outputs folder (default ``outputs``).
    use_quarto
        Force (True) or refuse (False) Quarto; default: ``$COMPLAINTS_REPORT_PUBLISHER``
        (``quarto``, ``offline`` or ``auto``), else Quarto when it is on PATH.
    year_dir
        The year's outputs folder, when not ``<out>/<FY>`` (the run publishes in its staging copy).
    incremental
        With Quarto, render again only the pages whose notebooks changed since the last publish
        (the PDF is always rendered whole); False renders every page.
    """
    global _announced
    params = load_params(financial_year)
    year_dir = year_dir or paths.year_output_dir(params.financial_year, out)
    config, chapters = read_book()
    if use_quarto is None:
        use_quarto = publisher_choice()
    quarto = shutil.which("quarto") if use_quarto is not False else None
    if use_quarto and not quarto:
        raise PublishError("Quarto was asked for but is not on PATH")
    if not _announced:
        if quarto:
            log.info("publishing with Quarto (%s)", quarto)
        else:
            log.info(
                "Quarto was not found on PATH: publishing with the offline publisher "
                "(nbconvert for the pages, WeasyPrint for a tagged PDF/UA)"
            )
        _announced = True
    if not (year_dir / "notebooks").is_dir():
        raise PublishError(
            f"{params.financial_year} has no executed sections in {year_dir}: run the year first "
            f"(complaints-report run {params.financial_year})"
        )
    tmp = Path(tempfile.mkdtemp(prefix=".site-new-", dir=year_dir))
    tmp.chmod(0o755)  # mkdtemp makes it private; a published site is world-readable
    try:
        if quarto:
            build_with_quarto(quarto, params, config, chapters, year_dir, tmp, incremental)
        else:
            build_offline(params, chapters, year_dir, tmp)
            check_pdf(tmp / pdf_name(params))
        _swap_in(tmp, year_dir / "site")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.info("%s: site built", params.financial_year)
    return year_dir / "site"


def publish_index(out: str | None = None) -> Path:
    """``<out>/index.html``: every published year, newest first, so readers can move between years."""
    base = paths.resolve(out) if out else paths.OUTPUTS_DIR
    years = sorted((p.parent.parent.name for p in base.glob("*/site/index.html")), reverse=True)
    items = "\n".join(f'<li><a href="{fy}/site/index.html">{fy}</a></li>' for fy in years)
    page = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Children's services complaints: annual reports</title>
<link rel="stylesheet" href="index.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<main id="main" tabindex="-1">
<h1>Children's services complaints: annual reports</h1>
<p>Each year's report, as a website with a PDF of the whole report.</p>
<ul>
{items}
</ul>
</main>
</body>
</html>
"""
    # Its own stylesheet: a year's site may be Quarto's, which has no style.css.
    atomic_write_text(base / "index.css", STYLE.read_text(encoding="utf-8"))
    return atomic_write_text(base / "index.html", page)
