"""What each report section shows: tables, charts and sentences built from a ReportContext."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from ..data.calendar import QUARTER_MONTHS, FinancialYear
from ..figures.engine import area_figures, area_masks, quarter_frame
from ..present.cells import REVISED, SUPPRESSED
from ..present.disclosure import EXPLANATION
from ..present.narrative import format_count, format_percent
from ..present.tables import CountBlock, ReportTable
from ..report import ReportContext


def area_entry(ctx: ReportContext, area: str, fy: FinancialYear | None = None) -> dict[str, Any]:
    """An area's figures.json entry; an area absent from the data has every count zero."""
    held = ctx.area_figures(area, fy or ctx.fy)  # traced, see stated.py
    if held is not None:
        return held
    return area_figures(ctx.prep, fy or ctx.fy, area)


def revised_note(ctx: ReportContext) -> str:
    """What ``[r]`` means in a table, for this edition."""
    previous = (ctx.edition or {}).get("previous")
    since = f"edition {previous} of this report" if previous else "the last edition"
    return f"{REVISED}: revised since {since}; the methodology lists each revision and its reason."


def view_for(ctx: ReportContext, key: str, area: str | None, compute) -> Any:
    """``ctx.views[key][area]``, computed afresh for an area the views do not hold."""
    held = ctx.views.get(key, {})
    name = "council" if area is None else area
    if name in held:
        return held[name]
    return compute(ctx.prep, ctx.fy, area)


def quarter_rows(ctx: ReportContext) -> list[str]:
    """Row labels of a table by quarter of the report year: ``Q1 (April–June)`` … ``Q4 (…)``,
    then the whole year (see :func:`year_row`)."""
    return [f"{q} ({QUARTER_MONTHS[q]})" for q in ctx.fy.quarters] + [year_row(ctx)]


def year_row(ctx: ReportContext) -> str:
    """The last row of a table by quarter: ``2023-24 (whole year)``; in the in-year pack,
    ``April to September 2023 (year to date)``."""
    return f"{ctx.fy} ({'year to date' if ctx.fy.is_period else 'whole year'})"


def by_quarter(ctx: ReportContext, key: str) -> dict[str, list]:
    """Each area's figures.json ``key`` by quarter of the report year, then for the year, in
    the order of :func:`quarter_rows`: the columns of a quarter-by-area table."""
    keys = [*ctx.fy.quarters, "year"]
    return {a: [ctx.area(a)["quarters"][k][key] for k in keys] for a in ctx.areas}


def quarter_counts(
    ctx: ReportContext, area: str | None, fy: FinancialYear | None = None
) -> pd.DataFrame:
    """The counts behind an area's scorecard (None: the council), one row per quarter and
    ``year``: formal, informal, Ombudsman decisions and upheld, responded, overdue, judged,
    fully, partly, compliments, learnings.

    figures.json keeps only the shares; disclosure control needs the counts they come from.
    """
    frame = quarter_frame(ctx.prep, fy or ctx.fy, area_masks(ctx.prep, area))
    return frame.loc[[*ctx.fy.quarters, "year"]]  # the in-year pack's quarters, then its total


def shown_count(value: Any) -> str:
    """A count as a (disclosure-controlled) table shows it: ``[c]`` or ``1,268``."""
    return SUPPRESSED if value == SUPPRESSED else format_count(value)


def shown_percent(value: Any) -> str:
    """A share as a (disclosure-controlled) table shows it: ``[c]`` or ``15%``."""
    return SUPPRESSED if value == SUPPRESSED else format_percent(value)


def hidden_note(ctx: ReportContext, *values: Any) -> str:
    """`` [c] = a number from 1 to 5 ...`` for a chart's alt text and caption when any of
    ``values`` (figures or lists of figures) is hidden; empty otherwise."""
    flat = [v for x in values for v in (x if isinstance(x, list | tuple) else [x])]
    if not any(isinstance(v, str) and v == SUPPRESSED for v in flat):
        return ""
    return " " + EXPLANATION.format(threshold=ctx.disclosure_threshold)


def council_blocks(
    areas: list[str],
    children: str | None,
    council: str,
    counts: dict[str, dict[str, int | None]],
    total_columns: tuple[str, ...] = (),
) -> tuple[CountBlock, ...]:
    """Count blocks for a table of Children's Services areas, their total and the whole council.

    The areas add up to their total (``children``, a row only when there is more than one
    area). Where that sum would give a hidden area's figure away, the total is hidden rather
    than the other area, whose figures the report shows in its own sections. The whole council
    stands on its own: it is the council's published total, and what it adds beyond children's
    services (the other directorates) is not this report's to protect. ``counts`` maps each row
    label of the table to its counts by column; ``total_columns`` names a column that is the sum
    of the others (e.g. decisions = upheld + not upheld).
    """
    columns = list(next(iter(counts.values())))

    def block(labels: list[str], total: str | None) -> CountBlock:
        frame = pd.DataFrame(
            {"Area": labels, **{c: [counts[r][c] for r in labels] for c in columns}}
        )
        totals = (total,) if total else ()
        return CountBlock(
            frame, total_columns=total_columns, total_rows=totals, hide_totals_first=totals
        )

    blocks = []
    if len(areas) > 1 and children is not None:
        blocks.append(block([*areas, children], children))
    else:
        blocks += [block([a], None) for a in areas]
    blocks.append(block([council], None))
    return tuple(blocks)


def said(ctx: ReportContext, value: int, shown: Any, none: str = "none") -> str:
    """How a sentence states a figure that a (disclosure-controlled) table shows as ``shown``:
    in full when the table shows it, ``1 to 5`` when it is small, ``some`` when the table
    hides it to protect another figure, and ``none`` for zero."""
    if not value:
        return none
    if not (isinstance(shown, str) and shown == SUPPRESSED):
        return format_count(value)
    return ctx.numbers.band if ctx.numbers.hidden(value) else "some"


LIST_WITHHELD = (
    "The {what} are not listed: there are too few to publish without risk of identifying the "
    "people involved, or their number would give away a figure hidden elsewhere in the report."
)
"""The note of a list of cases withheld by disclosure control."""


def list_withheld(
    ctx: ReportContext,
    rows: int,
    counts: ReportTable | None = None,
    cells: tuple[tuple[str, str], ...] = (),
) -> bool:
    """Whether a list of ``rows`` cases must be withheld under the year's disclosure control.

    A list of cases gives its number away to anyone who counts its rows. So it is withheld when
    it has 1 to ``threshold`` rows, or when the table ``counts`` (as published, after
    suppression) hides the count it lists, at ``cells`` (row label, column); e.g. the Stage 2
    cases of an area when the statutory table hides that area's Stage 2 count.
    """
    threshold = ctx.disclosure_threshold
    if threshold <= 0 or rows == 0:
        return False
    if rows <= threshold:
        return True
    if counts is None:
        return False
    shown = ctx.suppress(counts).frame
    labels = shown.iloc[:, 0].astype(str)
    return any(
        bool((shown.loc[labels == row, column].astype(str) == SUPPRESSED).any())
        for row, column in cells
        if column in shown.columns
    )


def withhold_rows(
    listing: ReportTable, what: str, keep: tuple[str, ...] = ("Total",)
) -> ReportTable:
    """``listing`` without its case rows (rows labelled as in ``keep``, such as a money total,
    stay), its note saying why."""
    frame = listing.frame
    kept = frame[frame.iloc[:, 0].astype(str).isin(keep)].reset_index(drop=True)
    return replace(listing, frame=kept, note=LIST_WITHHELD.format(what=what))
