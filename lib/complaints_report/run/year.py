"""The yearly run: validate, compute figures, execute every section notebook with Papermill."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from tqdm.auto import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from .. import paths
from ..data.calendar import FinancialYear
from ..data.coverage import year_coverage
from ..data.loading import load_dataset
from ..data.model import DataError, Problem
from ..figures.engine import comparison_file, compute_figures, has_records, prepare
from ..figures.quality import log_notes, quality_notes
from ..figures.views import report_views
from ..files import atomic_write_text, write_json_atomic
from ..params import Params, load_params
from ..present.display import CHART_DIR, CSV_DIR
from ..publish.build import Publisher, choose_publisher, publish_index, publish_year
from ..sections import ANNUAL_ONLY, SECTIONS, Section, sections_for, select_sections
from . import cache, editions, kernels, staging

log = logging.getLogger(__name__)

KERNEL = kernels.KERNEL
TO_FILL_IN = "TO FILL IN"
SHOWS_PROVENANCE = "effectiveness-compliments-and-methodology"
"""The section whose methodology shows the edition's provenance (run again when it changes)."""


class NoDataFolder(DataError):
    """The data set folder the params (or ``data=``) name does not exist."""

    def __init__(self, params: Params):
        self.params = params
        super().__init__(
            [
                Problem(
                    str(params.data_dir),
                    None,
                    None,
                    None,
                    "a data set folder (set 'data' in params, or pass data=)",
                    issue="no such folder",
                )
            ],
            params.data_dir,
        )


class RunFailed(Exception):
    """A section notebook failed; the message names the section, the cell, the error and the file."""

    def __init__(self, failures: list[SectionFailure]):
        self.failures = failures
        super().__init__("\n".join(str(f) for f in failures))


@dataclass
class SectionFailure:
    section: Section
    cell: int | None
    error: str
    notebook: Path

    def __str__(self) -> str:
        where = f"cell {self.cell}" if self.cell is not None else "before any cell ran"
        return (
            f"section {self.section.number:02d} {self.section.title!r} failed in {where}: {self.error}\n"
            f"  partly executed notebook: {self.notebook}"
        )


@dataclass
class RunResult:
    financial_year: str
    year_dir: Path
    executed: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    site: Path | None = None
    nothing_changed: bool = False


def import_papermill():
    """papermill and its PapermillExecutionError, imported for a worker.

    jsonschema, which nbformat validates notebooks with, imports rfc3987_syntax whenever it is
    installed (JupyterLab's jupyter-events installs it) only to check the "iri" string format,
    which no notebook schema uses. Building that module's grammar took each worker about 1.8 s
    here (``import papermill`` 2.5-3.7 s, 0.9-1.0 s without it), so a worker goes without.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # None: "import rfc3987_syntax" fails
    import papermill
    from papermill.exceptions import PapermillExecutionError

    return papermill, PapermillExecutionError


def _execute(
    section: Section,
    notebook_in: str,
    notebook_out: str,
    parameters: dict,
    zygote: tuple[str, list[str]] | None = None,
) -> tuple[str, str | None, int | None]:
    """Run one notebook (in a worker process). Returns (slug, error or None, failing cell).

    ``zygote`` is ``(address, interpreter command)`` of the warm process to take the kernel from (see
    ``kernels.py``); without it Papermill starts a plain kernel.
    """
    pm, PapermillExecutionError = import_papermill()
    # The worker's stderr (the kernel's warnings) goes to a log beside the executed notebook,
    # so the run's own output stays readable and nothing is lost.
    logging.getLogger("papermill").setLevel(logging.WARNING)
    log_path = Path(notebook_out).with_suffix(".log")
    saved = os.dup(2)
    with open(log_path, "w", encoding="utf-8") as log_file:
        os.dup2(log_file.fileno(), 2)
        try:
            options = kernels.papermill_options(*(zygote or (None, None)), str(log_path))
            return _execute_quietly(
                pm, PapermillExecutionError, section, notebook_in, notebook_out, parameters, options
            )
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _execute_quietly(
    pm, PapermillExecutionError, section, notebook_in, notebook_out, parameters, options
):
    try:
        pm.execute_notebook(
            notebook_in,
            notebook_out,
            parameters=parameters,
            kernel_name=KERNEL,
            progress_bar=False,
            log_output=False,
            cwd=str(Path(notebook_in).parent),
            **options,
        )
    except PapermillExecutionError as exc:
        return section.slug, f"{exc.ename}: {exc.evalue}", exc.exec_count
    except Exception as exc:  # kernel died, notebook unreadable: still one clear line
        return section.slug, f"{type(exc).__name__}: {exc}", _running_cell(notebook_out)
    return section.slug, None, None


def _running_cell(notebook: str) -> int | None:
    """The execution count the cell that was running would have had, from what Papermill wrote
    of the notebook (a kernel that dies mid-cell leaves no error output to name it)."""
    import nbformat  # slow to import; only a failed section needs it

    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception:
        return None
    count = None
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.get("metadata", {}).get("papermill", {})
        if meta.get("start_time") is None:
            break
        count = cell.get("execution_count") or ((count or 0) + 1)
    return count


def gather_redactions(year_dir: Path) -> int:
    """One internal log of every redaction (``outputs/<FY>/redactions.csv``); returns the count.

    Each notebook logs its own tables (table, row, column, label; never the text) into
    ``redactions/``; this joins them and says how many there were.
    """

    parts = sorted((year_dir / "redactions").glob("*.csv"))
    lines = [line for p in parts for line in p.read_text(encoding="utf-8").splitlines()[1:] if line]
    atomic_write_text(
        year_dir / "redactions.csv", "\n".join(["table,row,column,label", *lines]) + "\n"
    )
    tables = len({line.split(",", 1)[0] for line in lines})
    log.info(
        "redacted %d piece(s) of personal data in %d table(s); internal log: redactions.csv "
        "in the year's outputs",
        len(lines),
        tables,
    )
    return len(lines)


def drop_annual_cells(notebook: Path) -> None:
    """The in-year pack's copy of an executed notebook without the cells tagged annual-only,
    and opening with the title and words its metadata gives for the pack, if any (section 14,
    of which the pack keeps the methodology alone)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if ANNUAL_ONLY not in c.get("metadata", {}).get("tags", [])]
    opening = (nb.get("metadata", {}).get("complaints_report") or {}).get("in_year_opening")
    if len(cells) == len(nb["cells"]) and not opening:
        return
    if opening and cells and cells[0]["cell_type"] == "markdown":
        cells[0]["source"] = opening.splitlines(keepends=True)
    nb["cells"] = cells
    atomic_write_text(notebook, json.dumps(nb, ensure_ascii=False, indent=1) + "\n")


def log_start(params: Params) -> None:
    log.info("complaints report %s for %s", params.council, params.financial_year)
    log.info(
        "data set: %s%s",
        params.data_dir,
        " (synthetic records, calibrated to the published figures)"
        if params.synthetic_data
        else "",
    )
    log.info(
        "Stage 1 target: %d working days; %d theme(s) mapped; column map for %s",
        params.targets.stage1_working_days,
        len(params.theme_map),
        ", ".join(params.columns) or "no table",
    )
    todo = [k for k, v in params.commentary.items() if v and TO_FILL_IN in v]
    if todo:
        log.warning(
            "commentary still to fill in for: %s (params/%s.yml)",
            ", ".join(todo),
            params.financial_year,
        )
    # A missing or partial Code self-assessment is reported, never fatal: the report says what
    # is missing too.
    for gap in params.complaint_handling_code.gaps():
        log.warning(
            "Complaint Handling Code self-assessment: %s (params/%s.yml, "
            "complaint_handling_code.self_assessment)",
            gap,
            params.financial_year,
        )


def check_coverage(ds, params: Params) -> None:
    """Refuse a year the export has no complaint record in (``DataError``, giving the export's
    span); warn when it covers only part of the year (the methodology says so too)."""

    coverage = year_coverage(ds.complaints["received_date"], params.fy)
    if coverage.empty:
        raise DataError([coverage.problem()], params.data_dir)
    warning = coverage.warning()
    if warning:
        log.warning("%s: %s", params.financial_year, warning)


def run_year(
    financial_year: str | FinancialYear,
    data: str | None = None,
    out: str | None = None,
    only: list[str] | None = None,
    workers: int | None = None,
    progress: bool = True,
    publish: bool = True,
    force: bool = False,
    warm: kernels.Zygote | None = None,
    to_quarter: str | None = None,
) -> RunResult:
    """Validate the data set, write figures.json, execute the section notebooks, publish.

    Only what changed since the last good run is redone (see ``cache.py``): a section whose
    notebook, params, data and library are unchanged keeps its executed notebook; ``force``
    redoes everything; ``only`` re-executes the named sections whatever the cache says.

    ``to_quarter`` (``Q1``..``Q4``): the in-year pack instead, the year from 1 April to the end
    of that quarter, in ``<out>/<FY>-Q<n>/`` with the pack's sections (``sections_for``).

    All or nothing (see ``staging.py``): the run works in ``<out>/.runs/<FY>/`` and replaces
    ``<out>/<FY>/`` only when everything succeeded. Raises ``YearBusy`` when another run of the
    year is in progress, ``DataError`` for a bad export, ``RunFailed`` when a notebook fails
    (the partly executed notebooks stay in the staging folder for inspection until the next
    run) and ``PublishError``; in every case ``<out>/<FY>/`` is left exactly as it was.

    The warm process the sections' kernels are forked from (``kernels.py``) starts first, so
    that it imports while the run reads its params, data and cache; ``warm`` is one the caller
    started sooner still (the CLI does, before it imports pandas). The run stops it.
    """
    started, began = time.perf_counter(), datetime.now(timezone.utc)
    # Zygote.__exit__ stops the warm process, whichever way the run ends.
    with warm or kernels.warm_up(KERNEL) or contextlib.nullcontext() as warm:
        params = load_params(financial_year, overrides={"data": data, "to_quarter": to_quarter})
        log_start(params)
        if not params.data_dir.is_dir():
            raise NoDataFolder(params)
        year_dir = paths.year_output_dir(params.edition_name, out)
        # The publisher is chosen once: the cache's key and the build read the same one.
        publisher = choose_publisher() if publish else None
        keys = _Keys.of(params, publisher)
        with staging.year_lock(year_dir):
            if not (only or force) and _up_to_date(keys, year_dir, publish):
                log.info(
                    "nothing changed since the last run of %s: no section re-executed, site as it was",
                    params.financial_year,
                )
                result = RunResult(params.financial_year, year_dir, nothing_changed=True)
                result.seconds = time.perf_counter() - started
                return result
            stage = staging.begin(year_dir)
            try:
                staged = _run_staged(
                    params, keys, stage, only, workers, progress, publisher, force, warm, began
                )
            except DataError:
                staging.discard(stage)  # nothing in it but a copy of the last good outputs
                raise
            staging.commit(stage, year_dir)
        result = RunResult(
            params.financial_year,
            year_dir,
            executed=[year_dir / "notebooks" / p.name for p in staged.executed],
            site=year_dir / "site" if staged.site is not None else None,
        )
        if publish:
            publish_index(out)
        result.seconds = time.perf_counter() - started
        log.info("%s: outputs in place in %s", params.financial_year, year_dir)
        return result


@dataclass
class _Keys:
    """What the run's outputs are made from, as cache keys (see ``cache.py``): computed once
    per run, since hashing the data set and the library reads every file."""

    year: str
    sections: dict[str, str]
    publisher: str
    run: tuple[Section, ...] = SECTIONS
    """The sections of the report, or of the in-year pack."""

    @classmethod
    def of(cls, params: Params, publisher: Publisher | None) -> _Keys:
        inputs = cache.Inputs.of(params)
        publisher_key = publisher.key if publisher else "not published"
        run = sections_for(params.to_quarter)
        sections = {s.slug: cache.section_key(s, params, inputs) for s in run}
        # The methodology shows what the edition was made from: its key includes that too.
        shown = editions.shown_part(editions.shown(params))
        sections[SHOWS_PROVENANCE] = cache.sha(sections[SHOWS_PROVENANCE].encode(), shown.encode())
        return cls(cache.year_key(params, inputs), sections, publisher_key, run)

    @property
    def site(self) -> str:
        """The published site's key: the year's, every section's and the publisher's."""
        return cache.sha(
            self.year.encode(),
            *(self.sections[s.slug].encode() for s in self.run),
            self.publisher.encode(),
        )


def _publisher_record(publisher: Publisher | None) -> dict[str, str | None]:
    if publisher is None:
        return {"name": None, "quarto_version": None}
    version = publisher.version
    return {
        "name": publisher.kind,
        "quarto_version": ".".join(map(str, version)) if version else None,
    }


def _up_to_date(keys: _Keys, year_dir: Path, publish: bool) -> bool:
    """Whether the last good run of the year was made from exactly these inputs."""
    manifest = cache.read_manifest(year_dir)
    if (
        manifest.get("year") != keys.year
        or not cache.context_path(year_dir).is_file()
        or not (year_dir / "figures.json").is_file()
    ):
        return False
    if cache.stale_sections(list(keys.run), keys.sections, manifest, year_dir / "notebooks"):
        return False
    site_ok = manifest.get("site") == keys.site and (year_dir / "site" / "index.html").is_file()
    return site_ok or not publish


def _run_staged(
    params: Params,
    run_keys: _Keys,
    year_dir: Path,
    only: list[str] | None,
    workers: int | None,
    progress: bool,
    publisher: Publisher | None,
    force: bool,
    warm: kernels.Zygote | None = None,
    began: datetime | None = None,
) -> RunResult:
    """The run itself, in ``year_dir`` (the staging copy of the year's outputs); ``publisher``
    None: not published; ``warm``: the zygote the sections' kernels are forked from, if any;
    ``began``: when the run started, for its provenance."""

    nb_dir = year_dir / "notebooks"
    ykey, keys = run_keys.year, run_keys.sections
    manifest = {} if force else cache.read_manifest(year_dir)
    if manifest.get("year") != ykey:
        manifest = {}  # other data, settings or library: every section is redone
    result = RunResult(params.financial_year, year_dir)
    reuse = bool(
        manifest
        and cache.context_path(year_dir).is_file()  # its key is checked where it is loaded
        and (year_dir / "figures.json").is_file()
    )
    chosen = select_sections(only, run_keys.run)
    if reuse and not (only or force):
        to_run = cache.stale_sections(chosen, keys, manifest, nb_dir)
    else:
        to_run = chosen
    # The warm process the kernels are forked from imports while the data is read.
    with _warm_kernels(to_run, warm) as zygote:
        if reuse:
            log.info("data set, settings and library unchanged since the last run: figures reused")
        else:
            ds = load_dataset(params.data_dir, params.columns)
            check_coverage(ds, params)
            prep = prepare(ds, params)
            log_notes(quality_notes(prep, params.fy), params.financial_year)
            figures = compute_figures(prep, params.fy)
            nb_dir.mkdir(parents=True, exist_ok=True)
            write_json_atomic(year_dir / "figures.json", figures)
            # The year before's figures, which the sentences compare with, for anyone checking
            # them (tests/publish/published_sentences.py); none when the data set lacks that year.
            before = year_dir / comparison_file(params.fy)
            if has_records(prep, params.fy.previous()):
                write_json_atomic(before, compute_figures(prep, params.fy.previous()))
            else:
                before.unlink(missing_ok=True)
            write_json_atomic(year_dir / "run.json", editions.run_record(params, ds.files))

            # Every notebook of this run loads this instead of reading and preparing the data again.
            cache.save_context(
                year_dir,
                ykey,
                {"prep": prep, "figures": figures, "views": report_views(prep, params.fy)},
            )
            manifest = {}
        manifest["year"] = ykey
        manifest.pop("site", None)
        # Which edition these figures are, and what they revise (the methodology lists it, the
        # tables mark it): worked out afresh with the figures, else the last run's.
        began = began or datetime.now(timezone.utc)
        this = _this_edition(year_dir, params, began, None if reuse else figures)
        record = editions.provenance(params, _publisher_record(publisher), began)
        write_json_atomic(year_dir / editions.PROVENANCE, record)
        try:
            if to_run:
                _execute_sections(params, to_run, year_dir, workers, progress, result, zygote)
            else:
                log.info("every section is up to date; republishing")
        finally:
            # The staging folder of a failed run keeps what succeeded, for inspection.
            for path in result.executed:
                s = next(x for x in SECTIONS if x.notebook == path.name)
                cache.record(manifest, s, keys[s.slug], nb_dir)
            for s in to_run:
                if nb_dir / s.notebook not in result.executed:
                    manifest.get("sections", {}).pop(s.slug, None)
            cache.write_manifest(year_dir, manifest)
    gather_redactions(year_dir)
    if publisher is not None:
        result.site = publish_year(
            params, year_dir=year_dir, incremental=not force, publisher=publisher
        )
        if not cache.stale_sections(list(run_keys.run), keys, manifest, nb_dir):
            manifest["site"] = run_keys.site
            cache.write_manifest(year_dir, manifest)
    record = editions.ended(record, datetime.now(timezone.utc))
    write_json_atomic(year_dir / editions.PROVENANCE, record)
    if publisher is not None:
        # A published edition is kept, for the next edition's revisions.
        editions.keep(year_dir, this, record)
    return result


def _this_edition(year_dir: Path, params: Params, began: datetime, figures: dict | None) -> dict:
    """The edition the year's figures are, kept in ``revisions.json``: worked out from
    ``figures`` when the run computed them (or from figures.json, for outputs a run made before
    editions were kept), else the last run's."""
    path = year_dir / editions.REVISIONS
    if figures is None and path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    if figures is None:
        figures = json.loads((year_dir / "figures.json").read_text(encoding="utf-8"))
    this = {
        **editions.edition(year_dir, figures, params),
        "computed": began.isoformat(timespec="seconds"),
    }
    write_json_atomic(path, this)
    return this


@contextlib.contextmanager
def _warm_kernels(sections: list[Section], zygote: kernels.Zygote | None):
    """``(address, python)`` of ``zygote`` for the sections' kernels (see ``kernels.py``), or
    None when there is nothing to run or no zygote; the zygote is stopped on leaving, before the
    run publishes."""
    try:
        yield (zygote.address, zygote.python) if sections and zygote else None
    finally:
        if zygote:
            zygote.close()


def clear_section_outputs(year_dir: Path, sections: list[Section]) -> None:
    """Remove what the last run of ``sections`` wrote beside its notebook (its tables' CSVs,
    its charts and its redaction logs, each named ``NN-...`` after the section), so that a table
    or chart a section no longer shows is not left behind to be published."""
    for folder, pattern in (
        (CSV_DIR, "*.csv"),
        (CSV_DIR, "*.json"),
        (CHART_DIR, "*.png"),
        ("redactions", "*.csv"),
    ):
        for s in sections:
            for path in (year_dir / folder).glob(f"{s.number:02d}-{pattern}"):
                path.unlink()


def _execute_sections(params, sections, year_dir, workers, progress, result, zygote=None) -> None:
    """Execute ``sections`` with Papermill in a process pool; raise RunFailed naming any failure."""
    nb_dir = year_dir / "notebooks"
    nb_dir.mkdir(parents=True, exist_ok=True)
    clear_section_outputs(year_dir, sections)
    parameters = {
        "financial_year": params.financial_year,
        "data_dir": str(params.data_dir),
        "output_dir": str(year_dir.resolve()),
        "to_quarter": params.to_quarter,
    }
    workers = workers or min(len(sections), os.cpu_count() or 1)
    log.info("executing %d section notebook(s) with %d worker(s)", len(sections), workers)
    failures: list[SectionFailure] = []

    # One line per finished section; with the progress bar, log lines print above it.
    with (
        logging_redirect_tqdm(),
        tqdm(
            total=len(sections),
            unit="section",
            desc=f"{params.financial_year}",
            disable=not progress,
        ) as bar,
        ProcessPoolExecutor(max_workers=workers) as pool,
    ):
        futures = {
            pool.submit(_execute, s, str(s.path), str(nb_dir / s.notebook), parameters, zygote): s
            for s in sections
        }
        try:
            for fut in as_completed(futures):
                s = futures[fut]
                slug, error, cell = fut.result()
                if error:
                    failures.append(SectionFailure(s, cell, error, nb_dir / s.notebook))
                    log.error("section %02d %s: failed", s.number, slug)
                else:
                    if params.to_quarter:
                        drop_annual_cells(nb_dir / s.notebook)
                    result.executed.append(nb_dir / s.notebook)
                    log.info("section %02d %s: done", s.number, slug)
                bar.update()
        except KeyboardInterrupt:
            # Ctrl+C: start no more sections; the pool waits only for those already running.
            log.warning("interrupted: waiting for the running section(s) to stop")
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    if failures:
        failures.sort(key=lambda f: f.section.number)
        raise RunFailed(failures)
