"""Quarto's own commands at the repository root: ``quarto render`` and ``quarto preview``.

The root ``_quarto.yml`` lists the *source* notebooks, which are committed without outputs;
the report is their executed copies in ``outputs/<FY>/notebooks/``. Quarto checks that a book's
chapters exist before it runs a project's ``pre-render`` script (quarto-cli #11567), so the
pre-render step cannot swap the chapters for others. Instead, for the year named by
``COMPLAINTS_REPORT_YEAR`` or else the latest year run, ``pre_render``:

1. runs the year (``complaints-report run FY``: a second or two when nothing changed, a few
   seconds when one section's commentary was edited), so what Quarto shows is never stale;
2. stages that year's book, as the publisher stages it, in ``_report-book/`` (Quarto copies
   the files it links, its style sheet and tables' CSVs, into ``_site/_report-book/``);
3. writes the ``year`` profile, ``_quarto-year.yml``, which ``_quarto.yml`` makes the default:
   the year's title, author and date, the page furniture and the PDF's design, and the year's
   params file under ``complaints-report:``, which makes ``quarto preview`` render the book
   again whenever the commentary is edited.

Quarto then reads each source notebook through the ipynb filter this step writes
(``_report-book/executed.py``), which hands it the executed copy instead, and the opening page
(``index.qmd``, committed) through ``opening-page.lua``, which puts the year's opening page in.
A file is rewritten only when its content changes: the filter's content changes with the
executed notebooks, which is what tells Quarto's cache of filtered notebooks to read them again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from .. import paths
from ..present.display import CHART_DIR, CSV_DIR

STAGE_DIR = "_report-book"
PROFILE = "year"
PROFILE_FILE = f"_quarto-{PROFILE}.yml"
YEAR_ENV = "COMPLAINTS_REPORT_YEAR"
FILTER = "executed.py"
OPENING = "index.md"
OPENING_FILTER = Path(__file__).with_name("opening-page.lua")
FILTER_SCRIPT = '''"""Quarto's ipynb filter for `quarto render` / `quarto preview` at the repository root, written
by complaints-report's pre-render step: Quarto hands it a source notebook, committed without
outputs, and it gives back the executed copy of {year} staged beside it. Staged notebooks: {digest}."""
import pathlib
import sys

sys.stdin.reconfigure(encoding="utf-8")
sys.stdout.reconfigure(encoding="utf-8")
source = sys.stdin.read()
staged = pathlib.Path(__file__).resolve().parent / "notebooks"
for path in sorted(pathlib.Path.cwd().glob("*.ipynb")):
    if path.read_text(encoding="utf-8") == source and (staged / path.name).is_file():
        sys.stdout.write((staged / path.name).read_text(encoding="utf-8"))
        break
else:
    sys.stdout.write(source)
'''


class NothingToRender(Exception):
    """No year has been run, or the one asked for has not."""


def choose_year(outputs: Path, asked: str | None) -> str:
    """The year to render: the one asked for, else the latest year with a finished run."""
    run = "complaints-report run FY (or make report)"
    if asked:
        if not (outputs / asked / "run.json").is_file():
            raise NothingToRender(
                f"{YEAR_ENV}={asked}, but {asked} has not been run: run "
                f"`complaints-report run {asked}` first"
            )
        return asked
    years = sorted(
        p.parent.name
        for p in outputs.glob("*/run.json")
        if re.fullmatch(r"\d{4}-\d{2}", p.parent.name)
    )
    if not years:
        raise NothingToRender(f"No year has been run yet: run `{run}` first, then quarto render")
    return years[-1]


def write_changed(path: Path, content: str | bytes) -> bool:
    """Write ``path`` only when its content changes (Quarto's preview watches times)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def sync_files(made: dict[str, str | bytes], stage: Path) -> None:
    """``stage`` holds exactly ``made`` (relative path: content), each file touched only if changed."""
    for name, content in made.items():
        write_changed(stage / name, content)
    for path in sorted(stage.rglob("*"), reverse=True):
        name = path.relative_to(stage).as_posix()
        if path.is_file() and name not in made:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def stage_links(text: str) -> str:
    """A staged notebook's links to its tables' CSVs and its charts, from ``notebooks/``."""
    text = text.replace(f'href=\\"{CSV_DIR}/', f'href=\\"../{STAGE_DIR}/{CSV_DIR}/')
    return text.replace(f"]({CHART_DIR}/", f"](../{STAGE_DIR}/{CHART_DIR}/")


def opening_page(index_qmd: str, pages: list[str]) -> str:
    """The staged book's opening page without its front matter and its heading (``index.qmd``
    has its own, from the profile's title, which tells Quarto it is not a numbered chapter),
    its links to the sections pointing into ``notebooks/``, where the root's pages are."""
    body = index_qmd.split("\n---\n", 1)[1] if index_qmd.startswith("---\n") else index_qmd
    body = re.sub(r"\A\s*# [^\n]*\n", "", body)
    for page in pages:
        body = body.replace(f'href="{page}', f'href="notebooks/{page}')
    return body.lstrip("\n")


def root_furniture(html: str) -> str:
    """The staged page furniture without its download links: at the root, Quarto's own
    download button gives the PDF it made; the Word and spreadsheet copies are the year's
    published site's (``outputs/<FY>/site/``)."""
    return "".join(
        line
        for line in html.splitlines(keepends=True)
        if 'class="site-pdf"' not in line and 'class="site-downloads"' not in line
    )


def year_profile(staged: dict, base: dict, params_file: str) -> dict:
    """The ``year`` profile: what the staged project's ``_quarto.yml`` sets that the root's does
    not, its files' paths in ``_report-book/``. Quarto merges a profile into ``_quarto.yml``
    (lists are joined, so only settings the root leaves unset are given here)."""

    def staged_paths(value):
        if isinstance(value, list):
            return [f"{STAGE_DIR}/{v}" for v in value]
        return value

    book = staged["book"]
    formats: dict[str, dict] = {}
    for name, settings in (staged.get("format") or {}).items():
        given = (base.get("format") or {}).get(name) or {}
        extra = {k: staged_paths(v) for k, v in settings.items() if k not in given}
        if name == "typst":
            extra.pop("keep-typ", None)
        formats[name] = extra
    return {
        "book": {k: book[k] for k in ("title", "author", "date", "output-file") if k in book},
        "format": formats,
        "filters": [os.path.relpath(OPENING_FILTER, paths.ROOT)],
        # Quarto watches every file the configuration names: an edit to the year's params (its
        # commentary) makes `quarto preview` render the book again, running this step first.
        "complaints-report": {"year-params": params_file},
    }


def stage(financial_year: str, root: Path | None = None, outputs: Path | None = None) -> Path:
    """Stage ``financial_year``'s executed book for the root's renders; returns the stage."""
    from ..params import load_params
    from .book import read_book
    from .quarto import QUARTO_TYPST_BOOKS, quarto_version, stage_book

    root = root or paths.ROOT
    year_dir = (outputs or paths.OUTPUTS_DIR) / financial_year
    params = load_params(financial_year)
    config, chapters = read_book(root)
    quarto = shutil.which("quarto")
    typst = quarto is not None and quarto_version(quarto) >= QUARTO_TYPST_BOOKS
    made: dict[str, str | bytes] = {}
    with tempfile.TemporaryDirectory(prefix="report-book-") as tmp:
        book = Path(tmp)
        stage_book(params, config, chapters, year_dir, book, typst)
        staged = yaml.safe_load((book / "_quarto.yml").read_text(encoding="utf-8"))
        pages = [ch.page for ch in chapters]
        for path in sorted(book.rglob("*")):
            if not path.is_file():
                continue
            name = path.relative_to(book).as_posix()
            if name.endswith(".ipynb") and "/" not in name:
                made[f"notebooks/{name}"] = stage_links(path.read_text(encoding="utf-8"))
            elif name == "index.qmd":
                made[OPENING] = opening_page(path.read_text(encoding="utf-8"), pages)
            elif name == "before-body.html":
                made[name] = root_furniture(path.read_text(encoding="utf-8"))
            elif name != "_quarto.yml":
                made[name] = path.read_bytes()
    digest = hashlib.sha256(
        json.dumps({k: v for k, v in made.items() if k.startswith("notebooks/")}).encode()
    ).hexdigest()[:16]
    made[FILTER] = FILTER_SCRIPT.format(year=financial_year, digest=digest)
    target = root / STAGE_DIR
    sync_files(made, target)
    params_file = os.path.relpath(paths.PARAMS_DIR / f"{financial_year}.yml", root)
    profile = year_profile(staged, config, params_file)
    write_changed(
        root / PROFILE_FILE,
        "# Written by complaints-report's pre-render step for `quarto render` and `quarto preview`\n"
        f"# at the repository root: {financial_year}'s title, page design and params. Not committed.\n"
        + yaml.safe_dump(profile, sort_keys=False, allow_unicode=True),
    )
    return target


def post_render() -> int:
    """Quarto's post-render step at the root: the tables' CSVs beside the pages that link them.
    (Not ``project.resources``: Quarto lists those before the pre-render step stages them.)"""
    site = paths.ROOT / os.environ.get("QUARTO_PROJECT_OUTPUT_DIR", "_site")
    tables = paths.ROOT / STAGE_DIR / CSV_DIR
    if site.is_dir() and tables.is_dir():
        shutil.copytree(tables, site / STAGE_DIR / CSV_DIR, dirs_exist_ok=True)
    return 0


def pre_render() -> int:
    """Quarto's pre-render step at the root (``scripts/quarto-root.py``): run the year, then
    stage it. One line on stderr and exit 1 when there is no year to render."""
    outputs = paths.OUTPUTS_DIR
    try:
        year = choose_year(outputs, os.environ.get(YEAR_ENV))
    except NothingToRender as exc:
        print(exc, file=sys.stderr)
        return 1
    run = json.loads((outputs / year / "run.json").read_text(encoding="utf-8"))
    # The run publishes with Quarto too, into outputs/<FY>/site/: a project of its own, which
    # must not see this render's project or profile.
    env = {
        k: v
        for k, v in os.environ.items()
        if not (k.startswith("QUARTO_PROJECT") or k == "QUARTO_PROFILE")
    }
    command = [sys.executable, "-m", "complaints_report.cli", "run", year, "--no-progress"]
    done = subprocess.run([*command, "--data", run["data_set"]], env=env, check=False)
    if done.returncode:
        return done.returncode
    stage(year)
    print(f"{year} staged in {STAGE_DIR}/ for the book at the repository root", file=sys.stderr)
    return 0
