"""Publishing a year: choosing the publisher, building its site and PDF in a temporary folder,
swapping it in whole, and the index of published years."""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

from .. import paths
from ..files import atomic_write_text, swap_folder
from ..params import Params, load_params
from . import word
from .book import (
    QUARTO_CONFIG,
    STYLE,
    PublishError,
    check_pdf,
    pack_book,
    pdf_name,
    read_book,
    spreadsheet_name,
)
from .incremental import render
from .offline import build_offline
from .quarto import build_with_quarto, quarto_version
from .spreadsheet import write_spreadsheet

log = logging.getLogger(__name__)


PUBLISHER_ENV = "COMPLAINTS_REPORT_PUBLISHER"


def publisher_choice() -> bool | None:
    """``$COMPLAINTS_REPORT_PUBLISHER``: True for ``quarto``, False for ``offline``, None for
    ``auto`` or unset (Quarto when it is on PATH)."""
    value = os.environ.get(PUBLISHER_ENV, "auto").strip().lower() or "auto"
    choices = {"quarto": True, "offline": False, "auto": None}
    if value not in choices:
        raise PublishError(f"{PUBLISHER_ENV}={value!r}: expected quarto, offline or auto")
    return choices[value]


class Publisher:
    """The publisher of a run or a publish, chosen once (:func:`choose_publisher`): the offline
    publisher, or Quarto with its path and version. ``key`` is what the run's cache records of
    it, so that a site made by another publisher (Quarto installed or upgraded since) is made
    again; the run's cache and the build read the same value."""

    def __init__(self, quarto: str | None, book_hash: str):
        self.quarto = quarto
        self.book_hash = book_hash

    @property
    def kind(self) -> str:
        return "quarto" if self.quarto else "offline"

    @functools.cached_property
    def version(self) -> tuple[int, ...] | None:
        """Quarto's version (asked of it once, when a build first needs it); None offline."""
        return quarto_version(self.quarto) if self.quarto else None

    @property
    def key(self) -> str:
        if not self.quarto:
            return f"offline; book {self.book_hash}"
        real = Path(self.quarto).resolve()
        return f"quarto {real} {real.stat().st_mtime_ns}; book {self.book_hash}"

    def __repr__(self) -> str:
        return f"Publisher({self.kind}{', ' + self.quarto if self.quarto else ''})"


def choose_publisher(use_quarto: bool | None = None) -> Publisher:
    """The publisher to use: Quarto when ``use_quarto`` (or ``$COMPLAINTS_REPORT_PUBLISHER``)
    asks for it, or, by default, when it is on PATH; else the offline publisher. Says which,
    once."""
    if use_quarto is None:
        use_quarto = publisher_choice()
    quarto = shutil.which("quarto") if use_quarto is not False else None
    if use_quarto and not quarto:
        raise PublishError("Quarto was asked for but is not on PATH")
    book = paths.ROOT / QUARTO_CONFIG
    book_hash = hashlib.sha256(book.read_bytes()).hexdigest() if book.is_file() else "none"
    if quarto:
        log.info("publishing with Quarto (%s)", quarto)
    else:
        log.info(
            "Quarto was not found on PATH: publishing with the offline publisher "
            "(nbconvert for the pages, WeasyPrint for a tagged PDF/UA)"
        )
    return Publisher(quarto, book_hash)


def publish_year(
    year: str | Params,
    out: str | None = None,
    use_quarto: bool | None = None,
    year_dir: Path | None = None,
    incremental: bool = True,
    publisher: Publisher | None = None,
) -> Path:
    """Build ``<out>/<FY>/site/`` from the year's executed notebooks; returns the site folder.

    Parameters
    ----------
    year
        The year's loaded params (the run passes its own), or its label (``2023-24``), whose
        params are then loaded.
    out
        The outputs folder (default ``outputs``).
    use_quarto
        Force (True) or refuse (False) Quarto when no ``publisher`` is given; default:
        ``$COMPLAINTS_REPORT_PUBLISHER`` (``quarto``, ``offline`` or ``auto``), else Quarto when
        it is on PATH.
    year_dir
        The year's outputs folder, when not ``<out>/<FY>`` (the run publishes in its staging copy).
    incremental
        With Quarto, render again only the pages whose notebooks changed since the last publish
        (the PDF is always rendered whole); False renders every page.
    publisher
        The publisher already chosen (:func:`choose_publisher`), as the run does.
    """
    params = year if isinstance(year, Params) else load_params(year)
    year_dir = year_dir or paths.year_output_dir(params.edition_name, out)
    config, chapters = pack_book(*read_book(), params)
    publisher = publisher or choose_publisher(use_quarto)
    if not (year_dir / "notebooks").is_dir():
        raise PublishError(
            f"{params.financial_year} has no executed sections in {year_dir}: run the year first "
            f"(complaints-report run {params.financial_year})"
        )
    tmp = Path(tempfile.mkdtemp(prefix=".site-new-", dir=year_dir))
    tmp.chmod(0o755)  # mkdtemp makes it private; a published site is world-readable
    sources = Path(tempfile.mkdtemp(prefix=".word-", dir=year_dir))
    try:
        # The Word copies' Markdown and the spreadsheet come from the executed notebooks and the
        # published CSVs, before the site is built; Pandoc makes the Word files beside Quarto's
        # renders (or, offline, after the PDF).
        jobs = word.write_sources(params, chapters, year_dir, sources, tmp)
        reference = word.reference_docx(params)
        write_spreadsheet(params, chapters, year_dir, tmp / spreadsheet_name(params))
        if publisher.quarto:
            build_with_quarto(
                publisher.quarto,
                params,
                config,
                chapters,
                year_dir,
                tmp,
                incremental,
                version=publisher.version,
                also=word.word_commands([publisher.quarto, "pandoc"], jobs, reference),
                also_env=word.pandoc_env(year_dir),
            )
        else:
            build_offline(params, chapters, year_dir, tmp)
            check_pdf(tmp / pdf_name(params))
            commands = word.word_commands(word.offline_pandoc(), jobs, reference)
            render(commands, word.pandoc_env(year_dir))
        for job in jobs:
            word.check_word(job.target)
        swap_folder(tmp, year_dir / "site")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(sources, ignore_errors=True)
    log.info("%s: site built", params.financial_year)
    return year_dir / "site"


def publish_index(out: str | None = None) -> Path:
    """``<out>/index.html``: every published year, newest first, so readers can move between years."""
    base = paths.resolve(out) if out else paths.OUTPUTS_DIR
    years = sorted((p.parent.parent.name for p in base.glob("*/site/index.html")), reverse=True)
    items = "\n".join(_year_item(base, fy) for fy in years)
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
<p>Each year's report, as a website with a PDF of the whole report, the report and its
committee paper in Word, and every table in one spreadsheet.</p>
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


def _year_name(folder: str) -> str:
    """How the index names a run's outputs: ``2023-24``, or ``2023-24 to Q2 (year to date)``."""
    year, _, quarter = folder.partition("-Q")
    return f"{year} to Q{quarter} (year to date)" if quarter else folder


def _year_item(base: Path, fy: str) -> str:
    """A year (or an in-year pack) in the index: its website, and each other format its site holds."""
    site = base / fy / "site"
    name = _year_name(fy)
    links = []
    files = sorted(p.name for p in site.glob("*-report-????-??*.*"))
    for test, label in (
        (lambda n: n.endswith(".pdf"), "PDF"),
        (lambda n: n.endswith(".docx") and not n.endswith("-committee.docx"), "Word"),
        (lambda n: n.endswith("-committee.docx"), "committee paper (Word)"),
        (lambda n: n.endswith("-tables.xlsx"), "tables (Excel)"),
    ):
        found = [site / n for n in files if test(n)]
        if found:
            links.append(f'<a href="{fy}/site/{found[0].name}">{name} {label}</a>')
    extra = f" ({', '.join(links)})" if links else ""
    return f'<li><a href="{fy}/site/index.html">{name}</a>{extra}</li>'
