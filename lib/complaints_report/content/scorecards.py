"""Section 4: the quarterly scorecard of each Children's Services area."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from ..data.calendar import QUARTER_MONTHS, QUARTERS
from ..present.cells import MISSING, SUPPRESSED
from ..present.charts import Chart, grouped_bars
from ..present.disclosure import EXPLANATION
from ..present.narrative import format_count, format_percent
from ..present.tables import CountBlock, ReportTable
from ..report import ReportContext
from . import REVISED, hidden_note, quarter_counts, revised_note, shown_count

PERIODS = (*QUARTERS, "year")


def _periods(ctx: ReportContext) -> tuple[str, ...]:
    """The scorecard's columns as figures.json names them: the quarters of the report's period
    (all four for the year; to the pack's quarter in the in-year pack), then ``year``."""
    return (*ctx.fy.quarters, "year")


def _heading(ctx: ReportContext, period: str) -> str:
    """A column's heading: the quarter, or "Year" ("Year to date" in the in-year pack)."""
    if period != "year":
        return period
    return "Year to date" if ctx.fy.is_period else "Year"


# Scorecard rows as the published dashboards show them: (label, figures key, how to show it).
ROWS: tuple[tuple[str, str, str], ...] = (
    ("Number of formal complaints", "formal", "count"),
    ("Number of informal complaints", "informal", "count"),
    ("Ombudsman decisions upheld / received", "ombudsman", "ratio"),
    ("Timescales (% overdue)", "overdue_share", "percent"),
    ("% fully justified", "fully_justified_share", "percent"),
    ("% part justified", "partly_justified_share", "percent"),
    ("Compliments", "compliments", "count"),
    ("Learnings", "learnings", "count"),
)

# The downloadable CSV: one row per quarter, one column per measure, raw values.
RAW_COLUMNS: dict[str, tuple[str, str]] = {
    "Formal complaints": ("formal", "count"),
    "Informal complaints": ("informal", "count"),
    "Ombudsman decisions upheld": ("ombudsman_upheld", "count"),
    "Ombudsman decisions": ("ombudsman_decisions", "count"),
    "Overdue share": ("overdue_share", "percent"),
    "Fully justified share": ("fully_justified_share", "percent"),
    "Part justified share": ("partly_justified_share", "percent"),
    "Compliments": ("compliments", "count"),
    "Learnings": ("learnings", "count"),
}

# The figures.json keys a published scorecard row shows, where not its own key.
SHOWN_KEYS: dict[str, tuple[str, ...]] = {"ombudsman": ("ombudsman_upheld", "ombudsman_decisions")}

# The raw (CSV) columns each published scorecard row shows: a cell is hidden when any is.
SHOWN_FROM: dict[str, tuple[str, ...]] = {
    "formal": ("Formal complaints",),
    "informal": ("Informal complaints",),
    "ombudsman": ("Ombudsman decisions upheld", "Ombudsman decisions"),
    "overdue_share": ("Overdue share",),
    "fully_justified_share": ("Fully justified share",),
    "partly_justified_share": ("Part justified share",),
    "compliments": ("Compliments",),
    "learnings": ("Learnings",),
}

_EMPTY_PERIOD: dict[str, Any] = {
    "formal": 0,
    "informal": 0,
    "ombudsman_decisions": 0,
    "ombudsman_upheld": 0,
    "overdue_share": None,
    "fully_justified_share": None,
    "partly_justified_share": None,
    "compliments": 0,
    "learnings": 0,
}


@dataclass
class ScorecardTable(ReportTable):
    """A scorecard whose rows mix counts and percentages.

    One format per column cannot show such rows, so ``frame`` holds the cells already formatted
    for readers, row by row, in the published layout (measures down, quarters across). The CSV
    is written from ``raw`` instead: one row per quarter and one column per measure, raw values
    with a format each, so that a spreadsheet gets numbers rather than "18%" or "1/1" text.

    Parameters
    ----------
    raw
        The same figures as a ReportTable with one format per column.
    """

    raw: ReportTable | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.raw is None:
            raise ValueError(f"scorecard {self.name!r} needs its raw table for the CSV")

    def _kind(self, column: str) -> str:
        # Right-align every figure column; the first column is the row header.
        return "text" if column == self.frame.columns[0] else "count"

    def display_frame(self) -> pd.DataFrame:
        return self.frame.astype(object).reset_index(drop=True)

    def to_csv(self, out_dir: Path) -> Path:
        return self.raw.to_csv(out_dir)

    def describe(self, out_dir: Path) -> Path:
        # The CSV's columns (the raw table's), under the scorecard's title and note.
        return replace(self.raw, title=self.title, note=self.note).describe(out_dir)

    def suppressed(self, threshold: int) -> ScorecardTable:
        """Disclosure control on the raw table (its count blocks), and each published cell
        hidden when any figure it shows is: ``1/1`` becomes ``[c]``, as does a share whose
        count, or whose complement (e.g. the responses within the target), is small."""
        if threshold <= 0:
            return self
        raw = self.raw.suppressed(threshold)
        shown = self.frame.astype(object).reset_index(drop=True)
        hidden = False
        for r, (_, key, _) in enumerate(ROWS):
            for p, column in enumerate(shown.columns[1:]):
                if any(raw.frame.at[p, c] == SUPPRESSED for c in SHOWN_FROM[key]):
                    shown.at[r, column] = SUPPRESSED
                    hidden = True
        note = self.note
        if hidden:
            explanation = EXPLANATION.format(threshold=threshold)
            note = f"{note} {explanation}" if note else explanation
        return replace(self, frame=shown, note=note, raw=raw)


def area_slug(area: str) -> str:
    """``Children's Social Care`` -> ``childrens-social-care``, for table and chart names."""
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"['\u2019]", "", area.lower())).strip("-")
    return slug or "area"


def _quarters(ctx: ReportContext, area: str) -> dict[str, dict[str, Any]]:
    """The area's scorecard figures; zeros (and no shares) for an area absent from the data."""
    if area in ctx.figures["service_areas"]:
        return ctx.area(area)["quarters"]
    return {p: dict(_EMPTY_PERIOD) for p in _periods(ctx)}


def _cell(period: dict[str, Any], key: str, how: str) -> str:
    if how == "ratio":
        return f"{format_count(period['ombudsman_upheld'])}/{format_count(period['ombudsman_decisions'])}"
    if how == "percent":
        return format_percent(period[key])
    return format_count(period[key])


def scorecard_table(ctx: ReportContext, area: str) -> ScorecardTable:
    """The area's dashboard: formal, informal, Ombudsman, timescales, justified shares,
    compliments and learnings by quarter and for the year. A figure revised since the last
    edition is marked ``[r]``."""
    quarters = _quarters(ctx, area)
    revised = []

    def cell(period: str, key: str, how: str) -> str:
        text = _cell(quarters[period], key, how)
        if any(ctx.revised(area, period, k) for k in SHOWN_KEYS.get(key, (key,))):
            revised.append((period, key))
            return f"{text} {REVISED}"
        return text

    periods = _periods(ctx)
    shown = pd.DataFrame(
        [[label, *(cell(p, key, how) for p in periods)] for label, key, how in ROWS],
        columns=["Measure", *(_heading(ctx, p) for p in periods)],
    )
    raw = pd.DataFrame(
        [
            [_heading(ctx, p), *(quarters[p][key] for key, _ in RAW_COLUMNS.values())]
            for p in periods
        ],
        columns=["Period", *RAW_COLUMNS],
    )
    name = f"04-scorecard-{area_slug(area)}"
    title = f"{area}: quarterly scorecard, {ctx.fy}"
    months = ", ".join(f"{q} {QUARTER_MONTHS[q]}" for q in ctx.fy.quarters)
    note = (
        f"Quarters: {months}. Formal complaints are Stage 1 complaints; informal complaints are "
        "representations resolved outside the statutory process. Ombudsman: decisions upheld "
        "out of all decisions made in the period. Timescales: the share of responded Stage 1 "
        f"complaints that took longer than {ctx.params.targets.stage1_working_days} working days. "
        "Fully and part justified: shares of the Stage 1 complaints with an outcome of fully, "
        f"partly or not justified. {MISSING} means there was nothing to take a share of."
    )
    if revised:
        note += f" {revised_note(ctx)}"
    return ScorecardTable(
        name,
        title,
        shown,
        note=note,
        raw=ReportTable(
            name,
            title,
            raw,
            formats={col: how for col, (_, how) in RAW_COLUMNS.items()},  # type: ignore[misc]
            counts=_count_blocks(ctx, area),
        ),
    )


def _count_blocks(ctx: ReportContext, area: str) -> tuple[CountBlock, ...]:
    """The counts behind the raw scorecard, for disclosure control: every quarter adds up to
    the year; Ombudsman decisions are upheld plus not upheld; responses are within plus over
    the target; judged complaints are fully, partly plus not justified. The complements (not
    upheld, within target, not justified) are not shown but a share or ratio gives them away."""
    q = quarter_counts(ctx, area)
    periods = [_heading(ctx, p) for p in _periods(ctx)]

    def block(columns: dict[str, Any], total: str | None = None) -> CountBlock:
        frame = pd.DataFrame(
            {"Period": periods, **{c: [int(v) for v in values] for c, values in columns.items()}}
        )
        return CountBlock(frame, total_columns=(total,) if total else (), total_rows=(periods[-1],))

    return (
        block(
            {
                "Formal complaints": q["formal"],
                "Informal complaints": q["informal"],
                "Compliments": q["compliments"],
                "Learnings": q["learnings"],
            }
        ),
        block(
            {
                "Ombudsman decisions upheld": q["ombudsman_upheld"],
                "not upheld": q["ombudsman_decisions"] - q["ombudsman_upheld"],
                "Ombudsman decisions": q["ombudsman_decisions"],
            },
            "Ombudsman decisions",
        ),
        block(
            {
                "Overdue share": q["overdue"],
                "within target": q["responded"] - q["overdue"],
                "responded": q["responded"],
            },
            "responded",
        ),
        block(
            {
                "Fully justified share": q["fully"],
                "Part justified share": q["partly"],
                "not justified": q["judged"] - q["fully"] - q["partly"],
                "judged": q["judged"],
            },
            "judged",
        ),
    )


def total_sentences(ctx: ReportContext, area: str) -> list[str]:
    """``Total complaints = 139`` as a sentence, with the formal and informal split."""
    year = _quarters(ctx, area)["year"]
    formal, informal = year["formal"], year["informal"]
    total = formal + informal
    fy_words = str(ctx.fy)  # how the report writes them
    if total == 0:
        return [f"Total complaints about {area} in {fy_words}: none."]
    n = ctx.numbers
    if n.hidden(formal, informal):
        # The total would give a hidden part away (total minus the other part): parts only.
        return [
            f"Complaints about {area} in {fy_words}: {n.count(formal)} formal and "
            f"{n.count(informal)} informal."
        ]
    return [
        f"Total complaints about {area} in {fy_words}: {format_count(total)} "
        f"({format_count(formal)} formal and {format_count(informal)} informal)."
    ]


def scorecard_chart(ctx: ReportContext, area: str) -> Chart:
    """Grouped bars: the area's formal and informal complaints in each quarter."""
    # The figures the published scorecard shows, so the chart never shows what it hides.
    raw = ctx.suppress(scorecard_table(ctx, area)).raw.frame
    fy_words = str(ctx.fy)  # how the report writes them
    columns = {"Formal (Stage 1)": "Formal complaints", "Informal": "Informal complaints"}
    quarters = ctx.fy.quarters
    series = {label: list(raw[column][: len(quarters)]) for label, column in columns.items()}
    whole = "so far this year" if ctx.fy.is_period else "in the year"

    def listed(label: str) -> str:
        by_quarter = ", ".join(
            f"{q} {shown_count(v)}" for q, v in zip(quarters, series[label], strict=True)
        )
        return f"{by_quarter} ({shown_count(raw[columns[label]].iloc[-1])} {whole})"

    hidden = hidden_note(ctx, *series.values())
    alt = (
        f"Bar chart: formal and informal complaints about {area} by quarter in {fy_words}. "
        f"Formal: {listed('Formal (Stage 1)')}. Informal: {listed('Informal')}.{hidden}"
    )
    return grouped_bars(
        f"04-complaints-by-quarter-{area_slug(area)}",
        list(quarters),
        series,
        title=f"{area}: complaints by quarter, {fy_words}",
        ylabel="Complaints",
        alt=alt,
        caption=f"Formal and informal complaints about {area} by quarter, {fy_words}.{hidden}",
    )


def overview(ctx: ReportContext) -> list[str]:
    """Which areas have a scorecard, so that an empty section still says why it is empty."""
    areas = ctx.areas
    directorate = ctx.params.children_directorate
    if not areas:
        return [f"The data set holds no {directorate} records, so there are no scorecards."]
    names = areas[0] if len(areas) == 1 else ", ".join(areas[:-1]) + f" and {areas[-1]}"
    return [
        f"There is one scorecard for each {directorate} area in {ctx.fy}: {names}."
        if len(areas) > 1
        else f"There is one {directorate} area in {ctx.fy}: {names}."
    ]
