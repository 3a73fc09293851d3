"""Publishing with Quarto: staging the book from the executed notebooks, rendering the
website and the Typst PDF, and checking what it made."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import yaml

from ..files import swap_folder
from ..params import Params
from ..present.display import (
    CHART_DIR,
    CSV_DIR,
    SYNTHETIC_NOTICE,
    md_escape,
    notice_html,
    typst_text,
)
from ..present.display import HTML as HTML_MIME
from ..present.display import MARKDOWN as MARKDOWN_MIME
from ..present.display import TYPST as TYPST_MIME
from .book import (
    QUARTO_CONFIG,
    WIDE_TABLES,
    Chapter,
    PublishError,
    check_pdf,
    introduction,
    opening_figures_html,
    other_downloads_html,
    pdf_name,
    publish_config,
    report_slug,
)
from .incremental import (
    QUARTO_STAMP,
    changes,
    is_page,
    pdf_project,
    quarto_render,
    render,
    site_project,
    typst_compile,
    typst_edits,
)
from .offline import offline_bodies, pdf_html, write_pdf

log = logging.getLogger(__name__)


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
    + WIDE_TABLES
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


def quarto_notebook(executed: Path, target: Path, website: bool = True) -> None:
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
        # notebook run again changes only where its outputs do (see typst_edits).
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


def stage_book(
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
    a project for the Typst PDF only (see ``quarto_notebook``)."""
    config = publish_config(config)
    for ch in chapters:
        executed = year_dir / "notebooks" / ch.section.notebook
        if not executed.is_file():
            raise PublishError(
                f"{executed.name} has not been executed for {params.financial_year}; run the year first"
            )
        quarto_notebook(executed, stage / ch.section.notebook, website)
    for folder in (CHART_DIR, CSV_DIR):
        if (year_dir / folder).is_dir():
            # The tables' descriptions (<name>.json) are for the spreadsheet, not the site.
            shutil.copytree(
                year_dir / folder, stage / folder, ignore=shutil.ignore_patterns("*.json")
            )
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
        **{"output-file": report_slug(params)},
    )
    # Quarto includes this at the top of every page's <main>: the PDF link, the notice.
    before = [
        _SKIP_LINK,
        f'<p class="site-pdf"><a class="pdf-link" href="{pdf}">Download PDF of the whole report</a></p>',
        other_downloads_html(params),
    ]
    if params.synthetic_data:
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
            # is Typst the notebooks offer is compiled again from it (see typst_edits).
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
        index = _index_markdown(params, opening_figures_html(params, year_dir))
    else:
        index = _pdf_index_markdown(params)
    (stage / "index.qmd").write_text(index, encoding="utf-8")
    (stage / "index-partials").mkdir()
    (stage / "index-partials" / "title-block.html").write_text("", encoding="utf-8")


def _index_markdown(params: Params, figures_html: str = "") -> str:
    """The book's opening page: what the report is and for whom, and on the website the
    year's headline figures (Quarto lists the sections)."""
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
    for paragraph in introduction(params):
        lines += ["", md_escape(paragraph)]
    if figures_html:
        lines += ["", _raw_block(figures_html, "html").rstrip("\n")]
    return "\n".join(lines) + "\n"


def _pdf_cover_typst(params: Params) -> str:
    """The PDF's page 1 under its title, as Typst (``report-cover`` in quarto-pdf.typ): the council,
    the meeting and its date, the recommendation, the notice when the data are synthetic; then
    the contents."""
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
    return f"# {md_escape(params.report.title)} {{#report-title .unnumbered}}\n\n" + _raw_block(
        _pdf_cover_typst(params), "typst"
    )


def check_quarto_site(site: Path, chapters: list[Chapter], pdf: Path | None) -> None:
    """What Quarto wrote, checked before it replaces the last good site."""
    missing = [p for p in ["index.html", *(ch.page for ch in chapters)] if not (site / p).is_file()]
    if missing:
        raise PublishError(f"Quarto did not write {', '.join(missing)}")
    if pdf is not None:
        check_pdf(pdf)


def _display_title(pdf: Path) -> None:
    """Ask PDF viewers to show the document's title, not its file name (PDF/UA). Typst sets it
    itself for a PDF/UA-1 document (``pdf-standard: ua-1`` in _quarto.yml); this keeps it so
    for a council whose _quarto.yml asks for no standard. Everything else is kept as it is.

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
    version: tuple[int, ...] | None = None,
    also: dict[str, tuple[Path, list[str]]] | None = None,
    also_env: dict[str, str] | None = None,
) -> None:
    """Render the executed notebooks with Quarto (no execution) into ``site``; ``also``: other
    commands (what they make: (working folder, command)) to run beside the renders, with
    ``also_env`` added to the environment of every command.

    Quarto 1.9.18 or later makes the site and its Typst PDF; Quarto 1.7 to 1.9.17 cannot make a
    Typst book, so the site is Quarto's and the PDF the offline publisher's (tagged PDF/UA).
    The website and the PDF are rendered side by side. With ``incremental``, a website whose
    Quarto project differs from the last one published (``.cache/quarto-site/``) only in some
    notebooks has just those pages rendered again into it (see ``changes``).
    """
    version = version or quarto_version(quarto)  # the chosen publisher knows it already
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
        stage_book(params, config, chapters, year_dir, stage, typst)
        changed = changes(last, stage, quarto_id) if incremental else None
        renders: dict[str, tuple[Path, list[str]]] = dict(also or {})
        if changed is None:
            log.info("Quarto: rendering the whole book, %d pages", len(chapters) + 1)
            renders["website"] = (stage, quarto_render(quarto, [], "html"))
            project = stage
        else:
            project = last
            pages = [name for name in changed if is_page(name)]
            if pages:
                renders["website"] = (last, quarto_render(quarto, pages, "html"))
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
            stage_book(params, config, chapters, year_dir, pdf_stage, typst, False)
            order = [ch.section.notebook for ch in chapters]
            edits = typst_edits(last_pdf, pdf_stage, quarto_id, order) if incremental else None
            if edits is None:
                log.info("Quarto: rendering the whole PDF")
                renders["PDF"] = (pdf_stage, quarto_render(quarto, [], "typst"))
            else:
                log.info(
                    "Quarto: %s; compiling the PDF again from the last render's Typst",
                    f"{len(edits.notebooks)} section(s) changed only in their tables' or "
                    "commentary's Typst"
                    if edits.notebooks
                    else "the PDF's sections are as at its last render",
                )
                renders["PDF"] = (last_pdf, typst_compile(quarto, last_pdf, made))
        try:
            for name in changed or []:
                shutil.copy2(stage / name, last / name)
            if edits is not None:
                # From here the kept PDF project is half updated until the PDF is made.
                edits.apply(last_pdf, pdf_stage)
            render(renders, also_env)
            out = project / "_site"
            if changed:
                # Quarto renders a page's own images; the tables' CSVs are project resources,
                # copied by a whole render only.
                for name in changed:
                    if name.startswith(f"{CSV_DIR}/") or (out / name).is_file():
                        (out / name).parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(stage / name, out / name)
            if "PDF" in renders:
                check_quarto_site(out, chapters, made)  # this render's PDF, not the last one
                _display_title(made)
                shutil.copy2(made, out / pdf)
            elif typst:
                check_quarto_site(out, chapters, out / pdf)  # the last publish's PDF
            else:
                check_quarto_site(out, chapters, None)
                bodies = offline_bodies(params, chapters, year_dir)
                write_pdf(pdf_html(params, chapters, bodies), out / pdf)
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
            (stage / QUARTO_STAMP).write_text(quarto_id, encoding="utf-8")
            last.parent.mkdir(parents=True, exist_ok=True)
            swap_folder(stage, last)
        if "PDF" in renders and edits is None:
            # So is this whole PDF render, with its Typst.
            (pdf_stage / QUARTO_STAMP).write_text(quarto_id, encoding="utf-8")
            last_pdf.parent.mkdir(parents=True, exist_ok=True)
            swap_folder(pdf_stage, last_pdf)
