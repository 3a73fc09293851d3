"""What a section notebook needs: the year's params, figures and views, and how to show them."""

from __future__ import annotations

import json
import logging
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import paths
from .data.calendar import FinancialYear
from .data.loading import load_dataset
from .figures.engine import Prepared, compute_figures, has_records, prepare
from .figures.views import report_views
from .files import atomic_write_text
from .params import Params, load_params
from .present import display, stated
from .present.charts import Chart
from .present.display import notice_display
from .present.narrative import Numbers
from .present.redaction import Redactor
from .present.tables import ReportTable
from .run import cache
from .sections import find

log = logging.getLogger(__name__)


def _in_kernel() -> bool:
    """Whether this runs in a Jupyter kernel (a notebook, in the run or in JupyterLab)."""
    shell = sys.modules.get("IPython")
    try:
        return bool(shell and shell.get_ipython() and "ipykernel" in sys.modules)
    except AttributeError:
        return False


def show_output(obj: Any) -> None:
    try:
        from IPython.display import display
    except ImportError:  # outside Jupyter: nothing to show
        return
    display(obj)


@dataclass
class ReportContext:
    """One report year: params, prepared data, figures.json, the views, and the output folder."""

    params: Params
    prep: Prepared
    figures: dict[str, Any]
    views: dict[str, Any]
    out_dir: Path
    shown_tables: list[str] = field(default_factory=list)
    _redactor: Any = field(default=None, repr=False)
    _other_years: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # Sentences state figures through the narrative's formatters, which mark each number
        # with its place in figures.json (see stated.py).
        self.figures = stated.trace(self.figures, self.fy.label)

    @property
    def fy(self) -> FinancialYear:
        return self.params.fy

    @property
    def previous(self) -> FinancialYear:
        return self.params.fy.previous()

    @property
    def areas(self) -> list[str]:
        return list(self.figures["service_areas"])

    def area(self, name: str) -> dict[str, Any]:
        return self.figures["service_areas"][name]

    def has_year(self, financial_year: str | FinancialYear) -> bool:
        """Whether the data set holds any record of that year (see :func:`figures.has_records`)."""
        return has_records(self.prep, financial_year)

    def figures_for(self, financial_year: str | FinancialYear) -> dict[str, Any]:
        """figures.json of another year (e.g. the one before, for comparisons)."""
        fy = FinancialYear.parse(financial_year)
        if fy.label == self.fy.label:
            return self.figures
        if fy.label not in self._other_years:
            self._other_years[fy.label] = stated.trace(compute_figures(self.prep, fy), fy.label)
        return self._other_years[fy.label]

    def year_figures(self, financial_year: str | FinancialYear) -> dict[str, Any] | None:
        """figures.json of a year, or None when the data set holds no record of it."""
        return self.figures_for(financial_year) if self.has_year(financial_year) else None

    def area_figures(self, area: str, financial_year: str | FinancialYear) -> dict[str, Any] | None:
        """An area's figures.json entry for a year; None when there is none."""
        figures = self.year_figures(financial_year)
        return None if figures is None else figures["service_areas"].get(area)

    def _run_record(self, name: str) -> dict[str, Any] | None:
        path = self.out_dir / name
        if not path.is_file():
            return None
        return json.loads(path.read_text(encoding="utf-8"))

    @property
    def provenance(self) -> dict[str, Any] | None:
        """What the run that made this edition read and used (``provenance.json``); None when
        the notebook runs on its own, outside a run."""
        return self._run_record("provenance.json")

    @property
    def edition(self) -> dict[str, Any] | None:
        """This edition's number, the edition before and the figures revised since
        (``revisions.json``, see run/editions.py); None outside a run."""
        return self._run_record("revisions.json")

    def revised(self, area: str, period: str, measure: str) -> bool:
        """Whether a figure (figures.json's area, period and key) changed since the last edition."""
        edition = self.edition or {}
        place = "/".join(("service_areas", area, "quarters", period, measure))
        return any(r["figure"] == place for r in edition.get("revisions", []))

    # --- showing things -------------------------------------------------------------------
    def say(self, *sentences: str) -> None:
        """A paragraph of generated sentences."""
        show_output(display.paragraph(self.fy.relabel(" ".join(s for s in sentences if s))))

    def bullets(self, sentences: list[str]) -> None:
        """A list of generated sentences."""
        show_output(display.bullet_list([self.fy.relabel(s) for s in sentences if s]))

    def heading(self, text: str, level: int = 2) -> None:
        """A sub-heading (the page's single h1 is the notebook's first markdown cell)."""
        if not 2 <= level <= 4:
            raise ValueError("sections use h2-h4 below their title")
        show_output(display.heading(self.fy.relabel(text), level))

    def _relabelled(self, table: ReportTable) -> ReportTable:
        """The in-year pack's table: each year's label as the pack's months of that year
        (see :meth:`FinancialYear.relabel`), in its title, note, headings and cells."""
        if not self.fy.is_period:
            return table
        words = self.fy.relabel
        frame = table.frame.rename(columns=lambda c: words(c) if isinstance(c, str) else c)
        frame = frame.apply(lambda col: col.map(lambda v: words(v) if isinstance(v, str) else v))
        return replace(
            table,
            title=words(table.title),
            note=words(table.note) if table.note else table.note,
            frame=frame,
            formats={words(k): v for k, v in table.formats.items()},
            free_text=tuple(words(c) for c in table.free_text),
            derived={words(k): words(v) for k, v in table.derived.items()},
        )

    def commentary(self, slug: str) -> None:
        """The analyst's own words for this section, from params (nothing if none)."""
        find(slug)
        text = (self.params.section_commentary(slug) or "").strip()
        if text:
            paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
            show_output(display.boxed(paragraphs, css_class="commentary", label="Commentary"))

    @property
    def redactor(self):
        """The free-text redactor, with the names and terms params add (built once)."""
        if self._redactor is None:
            settings = self.params.redaction
            self._redactor = Redactor(settings.extra_names, settings.keep_terms)
        return self._redactor

    def redact(self, table: ReportTable) -> ReportTable:
        """The table with personal data in its free-text columns replaced by labels such as
        ``[name]``; what was redacted (table, row, column, label, never the text) is logged to
        ``outputs/<FY>/redactions/<table>.csv`` for the run to gather."""

        frame, entries = self.redactor.redact_frame(
            table.frame, list(table.free_text), table=table.name
        )
        lines = ["table,row,column,label"] + [
            f'{e["table"]},{e["row"]},"{e["column"]}",{e["label"]}' for e in entries
        ]
        atomic_write_text(
            self.out_dir / "redactions" / f"{table.name}.csv", "\n".join(lines) + "\n"
        )
        return replace(table, frame=frame)

    @property
    def disclosure_threshold(self) -> int:
        """Counts from 1 to this are hidden in everything published; 0 when params switch
        disclosure control off (``disclosure.suppress_small_numbers``)."""
        return self.params.disclosure.active_threshold

    @property
    def numbers(self) -> Numbers:
        """How sentences state counts under the year's disclosure control (see narrative.Numbers)."""
        return Numbers(self.disclosure_threshold)

    def suppress(self, table: ReportTable) -> ReportTable:
        """The table's figures as readers may see them: under disclosure control when params
        say so (``[c]`` for small counts and whatever would reveal them), else unchanged.

        Charts take their values from here, so that they never show what the table hides.
        """
        return table.suppressed(self.disclosure_threshold)

    def table(self, table: ReportTable | None) -> None:
        """Show a table and write it to ``outputs/<FY>/tables/<name>.csv``, with its title, note
        and column formats in ``<name>.json`` beside it (for the spreadsheet of every table).
        None (a table with nothing to list, such as the revisions of a first edition) shows nothing.

        Free-text columns are redacted first, then disclosure control hides small numbers (as
        the table's own structure declares, see :meth:`suppress`), so the CSV and the page
        show the same. Returns nothing, so a notebook cell ending with it does not show the
        table twice.
        """
        if table is None:
            return
        if table.free_text:
            table = self.redact(table)
        table = self._relabelled(self.suppress(table))
        table.to_csv(self.out_dir / display.CSV_DIR)
        table.describe(self.out_dir / display.CSV_DIR)
        self.shown_tables.append(table.name)
        show_output(table)

    def chart(self, chart: Chart) -> None:
        """Show a chart (with its alt text and caption) and keep a PNG in ``outputs/<FY>/charts/``."""
        target = self.out_dir / display.CHART_DIR
        target.mkdir(parents=True, exist_ok=True)
        (target / f"{chart.name}.png").write_bytes(chart.png)
        words = self.fy.relabel
        show_output(replace(chart, alt=words(chart.alt), caption=words(chart.caption)))

    def standing_text(self, key: str, level: int | None = None) -> None:
        """The council's standing text ``key`` (params ``standing_text``), under its heading
        (:data:`STANDING_TEXT`) at ``level`` when one is given; nothing when the text is empty,
        so that no heading stands without its text."""
        shown = standing_text_markdown(self.params, key)
        if not shown:
            return
        if level is not None:
            self.heading(STANDING_TEXT[key], level)
        text = (getattr(self.params.standing_text, key) or "").strip()
        show_output(display.Shown(plain=text, markdown=shown))

    def notice(self) -> None:
        """Say plainly when the records are synthetic."""
        if self.params.synthetic_data:
            show_output(notice_display())


STANDING_TEXT = {
    "advocacy": "What an advocate does",
    "dissemination": "How we share learning",
    "information_sharing": "Sharing information and data protection",
    "wellbeing_and_health": "Wellbeing and health implications",
    "climate": "Climate implications",
    "other_implications": "Other implications",
    "risk": "Risk assessment",
    "equalities_impact": "Equalities impact assessment",
    "background_papers": "Background papers",
}
"""The heading of each item of the council's standing text, in the order the report shows them."""


def _words(text: str) -> str:
    """Literal Markdown of plain words, apostrophes left as they are so that every publisher
    sets them as the typographic ones the rest of the report has."""
    return display.md_escape(text).replace("\\'", "'")


def standing_text_markdown(params: Params, key: str) -> str:
    """The council's standing text ``key`` as Markdown: its paragraphs, and its lists (a
    paragraph whose lines all start with ``- ``), every word literal; "" when it is empty."""
    if key not in STANDING_TEXT:
        raise KeyError(f"no standing text {key!r}; the items are: {', '.join(STANDING_TEXT)}")
    text = (getattr(params.standing_text, key) or "").strip()
    blocks = []
    for para in (p.strip() for p in text.split("\n\n")):
        if not para:
            continue
        lines = [line.strip() for line in para.splitlines() if line.strip()]
        if all(line.startswith("- ") for line in lines):
            blocks.append("\n".join(f"- {_words(line[2:])}" for line in lines))
        else:
            blocks.append(_words(para))
    return "\n\n".join(blocks)


def load_context(
    financial_year: str,
    data_dir: str | None = None,
    output_dir: str | None = None,
    params_dir: str | None = None,
    to_quarter: str | None = None,
) -> ReportContext:
    """Everything a section notebook needs for one financial year.

    Parameters
    ----------
    financial_year
        ``2023-24`` style label.
    data_dir
        Data set folder; default: ``$COMPLAINTS_REPORT_DATA``, else the one params name.
    output_dir
        The year's output folder; default: ``$COMPLAINTS_REPORT_OUTPUT``, else ``outputs/<FY>``.
    params_dir
        Params folder; default the repository's ``params/``.
    to_quarter
        ``Q1``..``Q4``: the in-year pack's period, 1 April to the end of that quarter; None:
        the year.
    """
    # In a notebook's kernel each sentence records the figures it states (see stated.py).
    stated.record(_in_kernel())
    # Tests and the run may point notebooks elsewhere without editing them.
    data_dir = data_dir or os.environ.get("COMPLAINTS_REPORT_DATA") or None
    output_dir = output_dir or os.environ.get("COMPLAINTS_REPORT_OUTPUT") or None
    params = load_params(
        financial_year,
        Path(params_dir) if params_dir else None,
        overrides={"data": data_dir, "to_quarter": to_quarter},
    )
    out = Path(output_dir) if output_dir else paths.year_output_dir(params.edition_name)
    out.mkdir(parents=True, exist_ok=True)

    # A run prepares the year once and every notebook loads it; on its own (JupyterLab, tests)
    # a notebook prepares the year itself. A cache made from other inputs is never used.
    payload = cache.load_context_payload(out, cache.year_key(params, cache.Inputs.of(params)))
    if payload is not None:
        return ReportContext(params, payload["prep"], payload["figures"], payload["views"], out)
    ds = load_dataset(params.data_dir, params.columns)
    prep = prepare(ds, params)
    return ReportContext(
        params, prep, compute_figures(prep, params.fy), report_views(prep, params.fy), out
    )
