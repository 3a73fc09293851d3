"""Section 12: learnings by quarter and the table of what we learned and what we did."""

from __future__ import annotations

import pandas as pd

from ..present.charts import Chart, grouped_bars
from ..present.narrative import and_list, slug
from ..present.tables import ReportTable
from ..report import ReportContext
from . import (
    by_quarter,
    hidden_note,
    list_withheld,
    quarter_rows,
    said,
    shown_count,
    withhold_rows,
    year_row,
)


def _previous_learnings(ctx: ReportContext, area: str) -> int | None:
    """Last year's learnings for ``area``; None when the data set does not reach that year."""
    if not (ctx.prep.complaints["fy_start"] == ctx.previous.start_year).any():
        return None
    entry = ctx.area_figures(area, ctx.previous)  # traced, see stated.py
    if entry is not None:
        return entry["quarters"]["year"]["learnings"]
    return ctx.views["changes"][area]["previous"]["learnings"]


def learnings_table(ctx: ReportContext) -> ReportTable:
    """Learnings recorded by quarter of the report year, one column per area."""
    data: dict[str, list] = {"Quarter": quarter_rows(ctx), **by_quarter(ctx, "learnings")}
    return ReportTable(
        name="12-learnings-by-quarter",
        title=f"Learnings recorded by quarter, {ctx.fy}",
        frame=pd.DataFrame(data),
        formats={a: "count" for a in ctx.areas},
        note="Complaint records of any stage, received in the quarter, with a learning recorded.",
        total_rows=(data["Quarter"][-1],),  # the whole year is the sum of the quarters
    )


def learnings_chart(ctx: ReportContext) -> Chart:
    """Bars of learnings by quarter, one series per area."""
    # The figures the published table shows, so the chart hides what it hides.
    shown = ctx.suppress(learnings_table(ctx)).frame
    series = {a: list(shown[a][: len(ctx.fy.quarters)]) for a in ctx.areas}
    told = "; ".join(
        f"{a} {and_list([shown_count(v) for v in vals])}" for a, vals in series.items()
    )
    hidden = hidden_note(ctx, *series.values())
    return grouped_bars(
        "12-learnings-by-quarter",
        list(ctx.fy.quarters),
        series,
        title="Learnings recorded",
        ylabel="Learnings",
        alt=(
            f"Bar chart: learnings recorded by quarter ({ctx.fy.quarters[0]} to {ctx.fy.quarters[-1]}) in {ctx.fy}: "
            f"{told or 'no service areas in the records'}.{hidden}"
        ),
        caption=f"Learnings recorded by quarter, {ctx.fy}.{hidden}",
    )


def learnings_sentences(ctx: ReportContext, area: str) -> list[str]:
    """An area's learnings this year, by quarter, against last year."""
    if area not in ctx.areas:
        return [f"The data set holds no {area} records."]
    quarters = ctx.area(area)["quarters"]
    n = quarters["year"]["learnings"]
    num = ctx.numbers
    # The published report compares learnings as counts ("up from 28 in 2022-23").
    change = num.against(n, _previous_learnings(ctx, area), ctx.previous.label, zero="0")
    if n == 0:
        return [f"{area} recorded no learnings in {ctx.fy}, {change}."]
    # Each quarter as the published table shows it.
    shown = list(ctx.suppress(learnings_table(ctx)).frame[area])
    by_q = and_list(
        [
            f"{said(ctx, quarters[q]['learnings'], shown[i])} in {q}"
            for i, q in enumerate(ctx.fy.quarters)
        ]
    )
    return [f"{area} recorded {num.plural(n, 'learning')} in {ctx.fy}, {change}: {by_q}."]


def _listed(ctx: ReportContext, area: str | None) -> int:
    """How many learnings the table lists: the areas' learnings in figures.json (traced, see
    stated.py), which count the same records."""
    n = len(learning_records(ctx, area))
    areas = ctx.areas if area is None else [area]
    counted = sum(ctx.area(a)["quarters"]["year"]["learnings"] for a in areas if a in ctx.areas)
    return counted if counted == n else n


def learning_records(ctx: ReportContext, area: str | None = None) -> pd.DataFrame:
    """Case reference, received date, learning and action of the year's records with a learning.

    In order of receipt. The published table shows the reference, learning and action only.

    Parameters
    ----------
    area
        One Children's Services area; None for all of them.
    """
    c = ctx.prep.complaints
    areas = ctx.areas if area is None else [area]
    keep = (
        (c["directorate"] == ctx.params.children_directorate)
        & c["service_area"].isin(areas)
        & (c["fy_start"] == ctx.fy.start_year)
        & c["learning"].notna()
    ).fillna(False)
    rows = c[keep]
    # A learning of spaces only is blank to a reader.
    rows = rows[rows["learning"].str.strip() != ""]
    rows = rows.sort_values(["received_date", "case_ref"], kind="stable")
    return rows[["case_ref", "received_date", "learning", "action"]].reset_index(drop=True)


def learning_table(ctx: ReportContext, area: str | None = None) -> ReportTable:
    """The published list: case reference, what we learned and what we did, nothing else."""
    rows = learning_records(ctx, area)
    where = "Children's Services" if area is None else area
    frame = pd.DataFrame(
        {
            "Case reference": rows["case_ref"].astype(object),
            "What we learned": rows["learning"].astype(object),
            "What we did": rows["action"].astype(object),
        }
    )
    frame = frame.where(frame.notna(), None)
    note = (
        f"Complaint records of any stage received in {ctx.fy} with a learning recorded, "
        "in order of receipt."
    )
    if frame.empty:
        note = f"No learning was recorded on {where} complaints received in {ctx.fy}."
    suffix = "" if area is None else f"-{slug(area)}"
    table = ReportTable(
        name=f"12-learning-from-complaints{suffix}",
        title=f"What we learned from complaints and what we did, {where}, {ctx.fy}",
        frame=frame,
        note=note,
        free_text=("What we learned", "What we did"),
    )
    if withheld(ctx, len(frame), area):
        return withhold_rows(table, f"learnings recorded on {where} complaints", keep=())
    return table


def withheld(ctx: ReportContext, rows: int, area: str | None) -> bool:
    """Whether the list's length would give away a learnings count the report hides."""
    areas = ctx.areas if area is None else [area]
    return list_withheld(ctx, rows, learnings_table(ctx), tuple((year_row(ctx), a) for a in areas))


def learning_table_sentences(ctx: ReportContext, area: str | None = None) -> list[str]:
    """What the learning table lists, with its number of rows."""
    n = _listed(ctx, area)
    where = "Children's Services" if area is None else area
    if n == 0:
        return [f"No learning was recorded on {where} complaints received in {ctx.fy}."]
    if withheld(ctx, n, area):
        return [
            f"The {ctx.numbers.plural(n, 'learning')} recorded on {where} complaints received in "
            f"{ctx.fy} {'are' if n > 1 or ctx.numbers.hidden(n) else 'is'} not listed: there are too few to publish without "
            "risk of identifying the people involved."
        ]
    return [
        f"The table lists the {ctx.numbers.plural(n, 'learning')} recorded on {where} "
        "complaints received "
        f"in {ctx.fy}, in the order the complaints were received, with what the service did "
        "as a result."
        if n > 1 or ctx.numbers.hidden(n)
        else f"The table shows the one learning recorded on {where} complaints received in "
        f"{ctx.fy}, with what the service did as a result."
    ]
