"""Incremental renders: after a change, Quarto renders only the pages that changed, and a PDF
whose only change is a commentary is compiled again from the last render's Typst."""

from __future__ import annotations

import filecmp
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..files import atomic_write_text
from ..present.display import CHART_DIR, CSV_DIR
from ..present.display import MARKDOWN as MARKDOWN_MIME
from ..run.cache import CACHE_DIR
from .book import PublishError

log = logging.getLogger(__name__)


SITE_PROJECT = "quarto-site"
QUARTO_STAMP = ".made-by"
_TYP = "index.typ"  # a book's Typst, kept (keep-typ), named by Quarto after its index.qmd
_RENDERED = {"_site", ".quarto", ".gitignore", QUARTO_STAMP, _TYP}  # made by the render


def site_project(year_dir: Path) -> Path:
    """Where the Quarto project of the year's last published website is kept (``.cache/``)."""
    return year_dir / CACHE_DIR / SITE_PROJECT


def _staged_files(root: Path) -> dict[str, Path]:
    return {
        p.relative_to(root).as_posix(): p
        for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).parts[0] not in _RENDERED
    }


def is_page(name: str) -> bool:
    """Whether ``name`` (a path in a staged project) is one of the book's section notebooks."""
    return name.endswith(".ipynb") and "/" not in name


def _changed_files(last: Path, stage: Path, quarto_id: str, made: str) -> list[str] | None:
    """The staged files of ``stage`` whose content differs from the kept project ``last``'s,
    sorted; None when ``last`` cannot serve: made by another Quarto (its stamp), without what
    its render made (``made``, a path in it), or with other files."""
    stamp = last / QUARTO_STAMP
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


def changes(last: Path, stage: Path, quarto_id: str) -> list[str] | None:
    """The files of the freshly staged project ``stage`` that differ from the last published
    project ``last``, when rendering just its changed pages into ``last`` makes what a whole
    render of ``stage`` would: the same Quarto, the same files (configuration, index page,
    styles, page furniture) except notebooks, charts and CSVs. None when a whole render is
    needed."""
    changed = _changed_files(last, stage, quarto_id, "_site/index.html")
    if changed is None:
        return None
    content = (f"{CHART_DIR}/", f"{CSV_DIR}/")
    pages = [n for n in changed if is_page(n)]
    if any(not is_page(n) and not n.startswith(content) for n in changed):
        return None
    if pages and len(pages) == len(list(stage.glob("*.ipynb"))):
        return None  # every page: a whole render is the same work, and starts clean
    return changed


def quarto_render(quarto: str, files: list[str], to: str) -> list[str]:
    """The command that renders ``files`` of a project (``[]``: the whole project) to ``to``."""
    return [quarto, "render", *(files or ["."]), "--to", to, "--no-execute"]


PDF_PROJECT = "quarto-pdf"
# A raw Typst block in a staged notebook, as _raw_block writes it: its fence, then its text.
_RAW_TYPST = re.compile(r"\A(`{3,})\{=typst\}\n(.*)\n\1\n\Z", re.S)


def pdf_project(year_dir: Path) -> Path:
    """Where the Quarto project of the year's last whole PDF render is kept, with its Typst."""
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


def typst_edits(last: Path, stage: Path, quarto_id: str, order: list[str]) -> TypstEdits | None:
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
    if changed is None or pages != sorted(order) or any(not is_page(n) for n in changed):
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


def quarto_typst(quarto: str, bin_dir: Path) -> list[str]:
    """The Typst that Quarto runs (``typstBinaryPath`` in Quarto's core/typst.ts: $QUARTO_TYPST,
    else its tools folder, per architecture first), started directly; ``quarto typst`` when it
    is not found there. ``quarto typst`` runs the same program, after starting Quarto itself:
    about 1 s more here, beside the website's render."""
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


def typst_compile(quarto: str, project: Path, pdf: Path) -> list[str]:
    """The command with which Quarto's render compiles the book's Typst of ``project`` to
    ``pdf`` (``typstCompile`` in Quarto's core/typst.ts): Quarto's own Typst and fonts, the
    project as root and the Typst packages Quarto staged in it."""
    paths = subprocess.run([quarto, "--paths"], capture_output=True, text=True, check=True)
    bin_dir, share = paths.stdout.splitlines()[:2]
    packages = project / ".quarto" / "typst" / "packages"
    cmd = [*quarto_typst(quarto, Path(bin_dir)), "compile", "--root", str(project)]
    if (packages / "local").is_dir():
        cmd += ["--package-path", str(packages)]
    if (packages / "preview").is_dir():
        cmd += ["--package-cache-path", str(packages)]
    standards = pdf_standards(project)
    if standards:
        cmd += ["--pdf-standard", ",".join(standards)]
    pdf.parent.mkdir(parents=True, exist_ok=True)
    return [*cmd, str(project / _TYP), "--font-path", f"{share}/formats/typst/fonts", str(pdf)]


def pdf_standards(project: Path) -> list[str]:
    """The PDF standards the Typst format of ``project``'s ``_quarto.yml`` asks for (``ua-1``),
    as Quarto passes them to Typst (lower case)."""
    config = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8")) or {}
    typst = ((config.get("format") or {}).get("typst")) or {}
    given = typst.get("pdf-standard") or []
    return [str(s).lower() for s in (given if isinstance(given, list) else [given])]


def render(renders: dict[str, tuple[Path, list[str]]], env: dict[str, str] | None = None) -> None:
    """Run each command of ``renders`` (what it makes: (working folder, command), a Quarto
    render, a Typst compile or a Pandoc conversion), all at once, with ``env`` added to their
    environment; PublishError naming each one that failed and the program that ran it."""
    env = {**os.environ, "QUARTO_PRINT_STACK": "true", **(env or {})}
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
                program = Path(renders[what][1][0]).name
                failed.append(f"{program} could not make the {what}:\n{errors.read()[-3000:]}")
        if failed:
            raise PublishError("\n".join(failed))
    finally:
        for proc, errors in running.values():
            if proc.poll() is None:  # interrupted, or another render could not start
                proc.kill()
                proc.wait()
            errors.close()
