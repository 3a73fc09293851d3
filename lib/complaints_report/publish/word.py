"""The report in Word: the full report (``<slug>.docx``) and the committee paper
(``<slug>-committee.docx``), from the Markdown the executed notebooks offer (what Quarto's PDF
shows), converted by Pandoc with the council's reference document for its styles.

Both publishers make the same two documents from the same Markdown: the Quarto publisher with
Quarto's own Pandoc (``quarto pandoc``), run beside its renders; the offline publisher with the
Pandoc that pypandoc-binary ships.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..params import Params
from ..present.display import MARKDOWN as MARKDOWN_MIME
from ..present.display import md_escape
from .book import Chapter, PublishError, committee_name, content_time, word_name

log = logging.getLogger(__name__)

WORD_FILTER = Path(__file__).with_name("word.lua")
REFERENCE_DOCX = Path(__file__).with_name("reference.docx")
"""The plain default styles of the Word copies; params ``report.word_reference`` names the
council's own."""

# The empty record of the figures a sentence states (present/stated.py): for the website's
# check only, never for a document.
_STATED = re.compile(r'<span class="stated"[^>]*></span>')
_HEADING = re.compile(r"^(#{1,6}) (.*)$", re.MULTILINE)
# The sections of the committee paper itself (the rest of the report is its appendix): the
# cover and recommendation, the key messages, and the implications.
_PAGE_BREAK = '```{=openxml}\n<w:p><w:r><w:br w:type="page"/></w:r></w:p>\n```\n\n'
COMMITTEE_SECTIONS = ("cover", "executive-summary", "financial-implications")


def reference_docx(params: Params) -> Path:
    """The Word document whose styles the copies take: the council's (params
    ``report.word_reference``, relative to the repository root), else the plain default."""
    given = params.report.word_reference
    if not given:
        return REFERENCE_DOCX
    path = paths.resolve(given)
    if not path.is_file():
        raise PublishError(
            f"the Word reference document {given} (report.word_reference in the council's "
            "settings) does not exist"
        )
    return path


def section_markdown(executed: Path) -> str:
    """A section as Markdown: its Markdown cells and the Markdown its outputs offer, in order,
    with no code, no logs and no record of stated figures."""
    nb = json.loads(executed.read_text(encoding="utf-8"))
    blocks: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            blocks.append("".join(cell.get("source", "")))
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                raise PublishError(
                    f"{executed.name}: a cell failed ({output.get('ename')}); run the year again"
                )
            markdown = (output.get("data") or {}).get(MARKDOWN_MIME)
            if markdown:
                blocks.append(_STATED.sub("", "".join(markdown)))
    return "\n\n".join(b.strip("\n") for b in blocks if b.strip()) + "\n"


def _numbered(markdown: str, number: int, shift: int = 0) -> str:
    """The section's first heading numbered (``7. Who complained``, as the site's contents
    number it), every heading ``shift`` levels down."""
    first = True

    def heading(m: re.Match) -> str:
        nonlocal first
        level = min(6, len(m.group(1)) + shift)
        text = m.group(2)
        if first and len(m.group(1)) == 1:
            text, first = f"{number}\\. {text}", False
        return f"{'#' * level} {text}"

    return _HEADING.sub(heading, markdown)


def _front_matter(params: Params, title: str) -> str:
    meta = {
        "title": title,
        "author": params.council,
        "lang": "en-GB",
        "toc-title": "Contents",
    }
    return "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in meta.items()) + "---\n"


def _part(name: str) -> str:
    """A part of the report: a line in the Part style, not a heading (the headings are the
    site's own)."""
    return f'::: {{custom-style="Part"}}\n{md_escape(name.upper())}\n:::\n'


def _sections(
    chapters: list[Chapter], year_dir: Path, shift: int = 0, parts: bool = True
) -> list[str]:
    blocks: list[str] = []
    part = None
    for ch in chapters:
        if parts and ch.part and ch.part != part:
            blocks.append(_part(ch.part))
        part = ch.part
        executed = year_dir / "notebooks" / ch.section.notebook
        if not executed.is_file():
            raise PublishError(f"{executed.name} has not been executed; run the year first")
        blocks.append(_numbered(section_markdown(executed), ch.number, shift))
    return blocks


def report_markdown(params: Params, chapters: list[Chapter], year_dir: Path) -> str:
    """The whole report as one Pandoc Markdown document: the title, then every section in the
    book's order (the first shows the notice when the data are synthetic), its headings at the
    site's levels."""
    parts = [_front_matter(params, params.report.title)]
    parts += _sections(chapters, year_dir)
    return "\n".join(p for p in parts if p)


def committee_markdown(params: Params, chapters: list[Chapter], year_dir: Path) -> str:
    """The committee paper (the seeds' 2020/21 layout): the cover sheet and recommendation, the
    key messages and the implications, then the full report as its appendix."""
    paper = [c for c in chapters if c.section.slug in COMMITTEE_SECTIONS]
    r = params.report
    parts = [_front_matter(params, r.title)]
    parts += _sections(paper, year_dir, parts=False)
    parts.append(
        _PAGE_BREAK + "# Appendix A: the full report\n\n"
        f"The annual report on children's services complaints, {params.fy.slash_label}, "
        "in full.\n"
    )
    parts += _sections(chapters, year_dir, shift=1)
    return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class WordJob:
    """One Word document to make: its Markdown source (written beside it) and its target."""

    source: Path
    target: Path
    resources: Path


def write_sources(
    params: Params, chapters: list[Chapter], year_dir: Path, work: Path, site: Path
) -> list[WordJob]:
    """Write the two documents' Markdown into ``work``; the jobs that turn them into
    ``site``'s Word files (their images are the year's charts, found from ``year_dir``)."""
    work.mkdir(parents=True, exist_ok=True)
    jobs = []
    for name, text in (
        (word_name(params), report_markdown(params, chapters, year_dir)),
        (committee_name(params), committee_markdown(params, chapters, year_dir)),
    ):
        source = work / (name.removesuffix(".docx") + ".md")
        source.write_text(text, encoding="utf-8")
        jobs.append(WordJob(source, site / name, year_dir))
    return jobs


def pandoc_command(pandoc: list[str], job: WordJob, reference: Path) -> list[str]:
    """The Pandoc command that makes ``job``'s Word file: a contents field, the reference
    document's styles, the alt text and commentary of word.lua."""
    return [
        *pandoc,
        str(job.source),
        "--from",
        "markdown",
        "--to",
        "docx",
        "--toc",
        "--toc-depth",
        "2",
        "--reference-doc",
        str(reference),
        "--lua-filter",
        str(WORD_FILTER),
        "--resource-path",
        str(job.resources),
        "--output",
        str(job.target),
    ]


def word_commands(
    pandoc: list[str], jobs: list[WordJob], reference: Path
) -> dict[str, tuple[Path, list[str]]]:
    """The Pandoc commands that make ``jobs``' Word files, as ``incremental.render`` runs them
    (what each makes: (working folder, command)): beside Quarto's renders, or on their own."""
    return {
        f"Word copy {job.target.name}": (job.resources, pandoc_command(pandoc, job, reference))
        for job in jobs
    }


def offline_pandoc() -> list[str]:
    """The Pandoc that pypandoc-binary ships."""
    import pypandoc

    try:
        return [pypandoc.get_pandoc_path()]
    except OSError as exc:
        raise PublishError(f"Pandoc is not installed (pypandoc-binary): {exc}") from exc


def pandoc_env(year_dir: Path) -> dict[str, str]:
    """What Pandoc's environment adds: the content's time as the documents' (see
    ``book.content_time``), so that the same content makes the same Word files."""
    return {"SOURCE_DATE_EPOCH": str(content_time(year_dir))}


def check_word(docx: Path) -> None:
    """A Word file was written and is a Word file (a ZIP package with a document part)."""
    import zipfile

    if not docx.is_file() or docx.stat().st_size == 0:
        raise PublishError(f"the Word file {docx.name} was not written, or is empty")
    try:
        with zipfile.ZipFile(docx) as z:
            z.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise PublishError(f"the Word file {docx.name} cannot be read: {exc}") from exc
