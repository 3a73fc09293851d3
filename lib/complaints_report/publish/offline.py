"""The offline publisher: the site from the executed notebooks with nbconvert, the tagged
PDF with WeasyPrint."""

from __future__ import annotations

import html
import logging
import os
import shutil
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..params import Params
from ..present.display import CSV_DIR, notice_html
from .book import (
    STYLE,
    WIDE_TABLES,
    Chapter,
    PublishError,
    introduction,
    opening_figures_html,
    other_downloads_html,
    pdf_name,
)

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

log = logging.getLogger(__name__)


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
{downloads}
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
            f'<li><a href="{ch.page}"{cur}>{ch.number}. {html.escape(ch.section.title)}</a></li>'
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
        downloads=other_downloads_html(params),
        nav=_nav(chapters, current),
        notice=_notice(params),
        body=body,
        pager=pager,
        script=WIDE_TABLES,
        footer=html.escape(
            f"{params.council}: annual report on children's services complaints, {params.fy.slash_label}. "
            f"Published {date.today():%d %B %Y}. Tables can be downloaded as CSV beside each table."
        ),
    )


def _index_body(
    params: Params, chapters: list[Chapter], pdf: str, pdf_size: str, figures_html: str = ""
) -> str:
    r = params.report
    parts: list[str] = [f"<h1>{html.escape(r.title)}</h1>"]
    parts += [f"<p>{html.escape(p)}</p>" for p in introduction(params)]
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
            f'<li value="{ch.number}"><a href="{ch.page}">{html.escape(ch.section.title)}</a></li>'
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


def pdf_html(params: Params, chapters: list[Chapter], bodies: dict[str, str]) -> str:
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
            f'<li><a href="#sec-{ch.section.number:02d}">{ch.number}. '
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


def write_pdf(document: str, target: Path) -> None:
    # WeasyPrint narrates every layout step at INFO, from its import on; the run says what matters.
    for name in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(name).setLevel(logging.WARNING)
    from weasyprint import HTML

    HTML(string=document, base_url=str(target.parent)).write_pdf(target, pdf_variant="pdf/ua-1")
    scope_header_cells(target)


# A header cell's scope in the tagged PDF, by the part of the table it sits in: the report's
# tables have column headers in their head (<th scope="col">) and row headers in their body
# (<th scope="row">), as display.ReportTable writes them.
_SCOPES = {"/THead": "/Column", "/TBody": "/Row", "/TFoot": "/Row"}


def scope_header_cells(pdf: Path) -> int:
    """Give every header cell (TH) of the PDF's structure tree the scope its HTML has (PDF/UA-1
    7.5: a TH's data cells must be machine-determinable). WeasyPrint tags header cells as TH but
    does not carry the HTML's ``scope`` over. Returns how many cells it scoped."""
    import pikepdf

    scoped = 0

    def walk(node, section: str | None) -> None:
        nonlocal scoped
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid, section)
            return
        if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
            return
        role = str(node.S)
        if role == "/TH":
            attributes = node.get("/A")
            if not isinstance(attributes, pikepdf.Dictionary):
                attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
                node.A = attributes
            if "/Scope" not in attributes:
                attributes.Scope = pikepdf.Name(_SCOPES.get(section or "", "/Column"))
                scoped += 1
        if role in _SCOPES:
            section = role
        elif role == "/Table":
            section = None
        if "/K" in node:
            walk(node.K, section)

    tmp = pdf.with_suffix(".tmp")
    with pikepdf.open(pdf) as doc:
        tree = doc.Root.get("/StructTreeRoot")
        if tree is not None and "/K" in tree:
            walk(tree.K, None)
        doc.save(tmp)
    os.replace(tmp, pdf)
    return scoped


def offline_bodies(params: Params, chapters: list[Chapter], year_dir: Path) -> dict[str, str]:
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
    bodies = offline_bodies(params, chapters, year_dir)
    for body in bodies.values():
        _copy_csvs(_soup(body), year_dir / CSV_DIR, site / CSV_DIR)
    pdf = pdf_name(params)
    write_pdf(pdf_html(params, chapters, bodies), site / pdf)
    pdf_size = _size((site / pdf).stat().st_size)
    (site / "index.html").write_text(
        _page(
            params,
            chapters,
            params.report.title,
            _index_body(params, chapters, pdf, pdf_size, opening_figures_html(params, year_dir)),
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
