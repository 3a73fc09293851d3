"""Publish a year's executed notebooks as the report website and PDF (Quarto, or offline).

``_quarto.yml`` is the one description of the book. When ``quarto`` is on PATH the executed
notebooks are rendered by Quarto (execution disabled). Otherwise the offline publisher builds
the same site from the same chapter list with nbconvert (HTML) and WeasyPrint (tagged PDF/UA).
Either way the site is built in a temporary folder and swapped in only when complete.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from . import paths
from .files import atomic_write_text
from .params import Params, load_params
from .sections import SECTIONS, Section

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
    soup = BeautifulSoup(body, "html.parser")
    for a in soup.select("a.anchor-link"):
        a.decompose()
    for div in soup.find_all("div", id=True):
        if div["id"].startswith("cell-id="):
            del div["id"]
    for cell in soup.select("div.code_cell"):
        if not cell.get_text(strip=True) and not cell.find(["img", "table", "figure"]):
            cell.decompose()
    return str(soup)


def _add_csv_links(soup: BeautifulSoup, tables_src: Path, tables_dst: Path) -> int:
    """After every report table, a link to its CSV (copied into the site)."""
    n = 0
    for table in soup.find_all("table", id=re.compile(r"^table-")):
        name = table["id"].removeprefix("table-")
        src = tables_src / f"{name}.csv"
        if not src.is_file():
            raise PublishError(f"table {name!r} has no CSV at {src.name}; run the year again")
        tables_dst.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, tables_dst / src.name)
        caption = table.find("caption")
        label = caption.get_text(" ", strip=True) if caption else name
        p = soup.new_tag("p", attrs={"class": "download"})
        a = soup.new_tag("a", href=f"tables/{src.name}", download="", attrs={"class": "csv-link"})
        a.string = f"Download this table as CSV: {label}"
        p.append(a)
        anchor = table.find_next_sibling("p", class_="table-note") or table
        anchor.insert_after(p)
        n += 1
    return n


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
</body>
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
    from .report import SYNTHETIC_NOTICE

    if not params.synthetic_data:
        return ""
    return f'<p class="notice"><strong>Synthetic data.</strong> {html.escape(SYNTHETIC_NOTICE)}</p>'


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
        footer=html.escape(
            f"{params.council}: annual report on children's services complaints, {params.fy.slash_label}. "
            f"Published {date.today():%d %B %Y}. Tables can be downloaded as CSV beside each table."
        ),
    )


def _index_body(params: Params, chapters: list[Chapter], pdf: str, pdf_size: str) -> str:
    r = params.report
    parts: list[str] = [f"<h1>{html.escape(r.title)}</h1>"]
    intro = (
        f"The annual report of {params.council} on the complaints it received about children's "
        f"services in the financial year {params.fy.slash_label} (1 April {params.fy.start_year} "
        f"to 31 March {params.fy.start_year + 1}), as the Children Act 1989 representations "
        f"procedure requires."
    )
    parts.append(f"<p>{html.escape(intro)}</p>")
    if r.committee:
        when = f" on {r.meeting_date:%A %d %B %Y}" if r.meeting_date else ""
        parts.append(
            f"<p>{html.escape(f'For the {r.committee}{when}. Report status: {r.status}.')}</p>"
        )
    parts.append(
        f'<p><a class="pdf-link" href="{pdf}">Download PDF of the whole report ({pdf_size})</a></p>'
    )
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


def _wrap_tables(body: str) -> str:
    """Each table in a labelled, keyboard-scrollable box, so a narrow screen scrolls the table,
    not the page (WCAG 1.4.10 reflow)."""
    soup = BeautifulSoup(body, "html.parser")
    for table in soup.find_all("table", id=True):
        caption = table.find("caption")
        label_id = f"{table['id']}-caption"
        if caption is not None:
            caption["id"] = label_id
        box = soup.new_tag("div", attrs={"class": "table-wrap", "role": "region", "tabindex": "0"})
        if caption is not None:
            box["aria-labelledby"] = label_id
        else:
            box["aria-label"] = "Table"
        table.wrap(box)
    return str(soup)


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
h1 { string-set: report-title content(); font-size: 22pt; margin: 0 0 8mm; }
h2 { font-size: 16pt; margin-top: 0; }
h3 { font-size: 12.5pt; } h4 { font-size: 11pt; }
section.chapter { break-before: page; }
nav.toc ol { list-style: none; padding: 0; }
nav.toc a { color: #111; text-decoration: none; }
nav.toc a::after { content: leader(".") target-counter(attr(href), page); }
table { border-collapse: collapse; width: 100%; margin: 3mm 0; font-size: 8.5pt; }
thead { display: table-header-group; }
table { break-inside: avoid; }  /* a table that fits on a page is kept whole */
caption { break-after: avoid; }
tr { break-inside: avoid; }
th, td { border: 0.5pt solid #777; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; }
caption { caption-side: top; font-weight: bold; text-align: left; padding-bottom: 1.5mm; }
figure { margin: 4mm 0; break-inside: avoid; }
figure img { width: 100%; }
figcaption { font-size: 9pt; color: #333; }
.notice { border: 1pt solid #333; padding: 2mm 3mm; }
.commentary { border-left: 2pt solid #0072B2; padding-left: 3mm; }
.download, .pager, .site-pdf { display: none; }
"""


def _pdf_html(params: Params, chapters: list[Chapter], bodies: dict[str, str]) -> str:
    toc = "".join(
        f'<li><a href="#sec-{ch.section.number:02d}">{ch.section.number}. {html.escape(ch.section.title)}</a></li>'
        for ch in chapters
    )
    sections = []
    for ch in chapters:
        soup = BeautifulSoup(bodies[ch.page], "html.parser")
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
    cover = [f"<h1>{html.escape(r.title)}</h1>", f"<p>{html.escape(params.council)}</p>"]
    if r.committee:
        cover.append(
            f"<p>{html.escape(r.committee)}"
            + (f", {r.meeting_date:%d %B %Y}" if r.meeting_date else "")
            + "</p>"
        )
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{html.escape(r.title)}</title>"
        f'<meta name="author" content="{html.escape(params.council)}">'
        f'<meta name="description" content="{html.escape(r.title)}">'
        f"<style>{_PDF_CSS}</style></head><body>"
        + "".join(cover)
        + _notice(params)
        + f'<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>{toc}</ol></nav>'
        + "".join(sections)
        + "</body></html>"
    )


def _write_pdf(document: str, target: Path) -> None:
    # WeasyPrint narrates every layout step at INFO, from its import on; the run says what matters.
    for name in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(name).setLevel(logging.WARNING)
    from weasyprint import HTML

    HTML(string=document, base_url=str(target.parent)).write_pdf(target, pdf_variant="pdf/ua-1")


def build_offline(params: Params, chapters: list[Chapter], year_dir: Path, site: Path) -> None:
    """The whole site and PDF, without Quarto: nbconvert for the pages, WeasyPrint for the PDF."""
    exporter = _exporter()
    nb_dir = year_dir / "notebooks"
    bodies: dict[str, str] = {}
    for ch in chapters:
        executed = nb_dir / ch.section.notebook
        if not executed.is_file():
            raise PublishError(
                f"{executed.name} has not been executed for {params.financial_year}; run the year first"
            )
        soup = BeautifulSoup(_section_body(executed, exporter), "html.parser")
        _add_csv_links(soup, year_dir / "tables", site / "tables")
        bodies[ch.page] = str(soup)
    pages = {page: _wrap_tables(body) for page, body in bodies.items()}
    pdf = pdf_name(params)
    _write_pdf(_pdf_html(params, chapters, bodies), site / pdf)
    pdf_size = _size((site / pdf).stat().st_size)
    (site / "index.html").write_text(
        _page(
            params,
            chapters,
            params.report.title,
            _index_body(params, chapters, pdf, pdf_size),
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
                pages[ch.page],
                ch.page,
                _pager(chapters, i),
                pdf,
                pdf_size,
            ),
            encoding="utf-8",
        )
    shutil.copy2(STYLE, site / "style.css")


# --- Quarto -----------------------------------------------------------------------------------


def build_with_quarto(
    quarto: str, params: Params, config: dict, chapters: list[Chapter], year_dir: Path, site: Path
) -> None:
    """Render the executed notebooks with Quarto (no execution) into ``site``."""
    with tempfile.TemporaryDirectory(prefix="quarto-", dir=year_dir) as tmp:
        stage = Path(tmp)
        (stage / "notebooks").mkdir()
        for ch in chapters:
            shutil.copy2(
                year_dir / "notebooks" / ch.section.notebook,
                stage / "notebooks" / ch.section.notebook,
            )
        book = dict(config.get("book") or {})
        book.update(
            title=params.report.title,
            author=params.council,
            date=(params.report.meeting_date or date.today()).isoformat(),
        )
        staged = {
            **config,
            "book": book,
            "project": {**(config.get("project") or {}), "output-dir": "_site"},
        }
        (stage / QUARTO_CONFIG).write_text(
            yaml.safe_dump(staged, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        (stage / "index.qmd").write_text(
            f"# {params.report.title} {{.unnumbered}}\n\n{_notice(params)}\n", encoding="utf-8"
        )
        proc = subprocess.run(
            [quarto, "render", str(stage), "--no-execute"], capture_output=True, text=True
        )
        if proc.returncode != 0:
            raise PublishError(f"quarto render failed:\n{proc.stderr[-3000:]}")
        shutil.copytree(stage / "_site", site, dirs_exist_ok=True)
    pdfs = sorted(site.glob("*.pdf"))
    for page in site.glob("**/*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        changed = _add_csv_links(soup, year_dir / "tables", page.parent / "tables")
        if pdfs and not soup.select("a.pdf-link") and soup.body is not None:
            # Quarto's typst PDF has no download button of its own: link it from every page.
            p = soup.new_tag("p", attrs={"class": "site-pdf"})
            a = soup.new_tag(
                "a", href=os.path.relpath(pdfs[0], page.parent), attrs={"class": "pdf-link"}
            )
            a.string = "Download PDF of the whole report"
            p.append(a)
            soup.body.insert(0, p)
            changed = True
        if changed:
            page.write_text(str(soup), encoding="utf-8")


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


def publish_year(
    financial_year: str,
    out: str | None = None,
    use_quarto: bool | None = None,
    year_dir: Path | None = None,
) -> Path:
    """Build ``<out>/<FY>/site/`` from the year's executed notebooks; returns the site folder.

    Parameters
    ----------
    financial_year
        ``2023-24`` style label.
    out
        The outputs folder (default ``outputs``).
    use_quarto
        Force (True) or refuse (False) Quarto; default: Quarto when it is on PATH.
    year_dir
        The year's outputs folder, when not ``<out>/<FY>`` (the run publishes in its staging copy).
    """
    global _announced
    params = load_params(financial_year)
    year_dir = year_dir or paths.year_output_dir(params.financial_year, out)
    config, chapters = read_book()
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
    tmp = Path(tempfile.mkdtemp(prefix=".site-new-", dir=year_dir))
    tmp.chmod(0o755)  # mkdtemp makes it private; a published site is world-readable
    try:
        if quarto:
            build_with_quarto(quarto, params, config, chapters, year_dir, tmp)
        else:
            build_offline(params, chapters, year_dir, tmp)
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
<link rel="stylesheet" href="{years[0] + "/site/style.css" if years else ""}">
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
    return atomic_write_text(base / "index.html", page)
