"""Section 11: the statutory timescales of every stage (Stage 1, 2 and 3), by area and quarter.

The counts are the data contract's **Statutory timescales** (figures.json ``timescales``): for
each stage the responses within the time limit, within the extended limit (and of those, how
many had no extension agreed), over it, and the records still open. Stage 3 is timed from the
request to the review panel. A count the data set cannot give (its column is absent) is never
shown as a zero: the section says what the data set does not record.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..data.calendar import QUARTERS
from ..figures.engine import TIMESCALE_STAGES
from ..figures.views import statutory_timescales
from ..present import stated
from ..present.cells import SUPPRESSED
from ..present.charts import Chart, grouped_bars
from ..present.narrative import NOT_STATED, and_list, format_percent, setting, slug
from ..present.tables import CountBlock, ReportTable
from ..report import ReportContext
from . import hidden_note, quarter_rows, said, shown_percent, view_for

__all__ = [
    "TIMESCALE_STAGES",
    "limits_sentence",
    "stage_chart",
    "stage_sentences",
    "stage_table",
]

#: What each stage's clock measures, for sentences and notes.
_CLOCK = {
    "Stage 1": "from receipt to the response",
    "Stage 2": "from the request for a Stage 2 investigation to the response",
    "Stage 3": "from the request for a review panel to the panel meeting",
}


def limits(ctx: ReportContext, stage: str) -> tuple[int, int | None]:
    """The stage's time limit and extended limit (None for Stage 3), in working days."""
    return ctx.params.targets.limits(stage)


def limits_sentence(ctx: ReportContext) -> str:
    """The statutory limits as params set them, in one sentence."""
    (l1, e1), (l2, e2), (l3, _) = (limits(ctx, s) for s in TIMESCALE_STAGES)
    return (
        "The Children Act 1989 Representations Procedure (England) Regulations 2006 set the "
        f"time limits in working days: a Stage 1 response within {setting(l1)}, or {setting(e1)} where a longer "
        f"timescale is agreed; a Stage 2 investigation within {setting(l2)}, extendable to {setting(e2)}; and a "
        f"Stage 3 review panel within {setting(l3)} working days of the request."
    )


def history(ctx: ReportContext, area: str | None, stage: str) -> dict[str, dict[str, Any] | None]:
    """The stage's counts by quarter (``Q1``..``Q4``) and by year (labels, newest first); a year
    the data set does not reach is None."""
    rows = view_for(ctx, "statutory_timescales", area, statutory_timescales)[stage]
    out: dict[str, dict[str, Any] | None] = {q: rows[q] for q in ctx.fy.quarters}
    for i in range(3):
        y = ctx.fy.previous(i)
        out[y.label] = rows.get(y.label) if ctx.has_year(y) else None
    return _traced(ctx, area, stage, out)


def _traced(
    ctx: ReportContext, area: str | None, stage: str, out: dict[str, dict[str, Any] | None]
) -> dict[str, dict[str, Any] | None]:
    """The history with each figure marked with where a reader finds it (see stated.py): a
    year's from that year's figures.json, a quarter's from the area's published stage table
    (figures.json holds no quarter's timescales)."""
    for label, row in out.items():
        if row is None or label in QUARTERS:
            continue
        figures = ctx.year_figures(label)
        if figures is None:
            continue
        entry = figures["council"] if area is None else figures["service_areas"].get(area)
        if entry is not None:
            out[label] = {**row, **entry["timescales"][stage]}
    if area is not None:
        table = f"11-{slug(stage)}-timescales-{slug(area)}"
        columns = _columns(ctx, stage)
        for q, label in zip(ctx.fy.quarters, quarter_rows(ctx), strict=False):
            row = out[q]
            if row is not None:
                out[q] = {
                    k: stated.from_table(v, table, label, columns[k]) if k in columns else v
                    for k, v in row.items()
                }
    return out


def recorded(ctx: ReportContext, area: str | None, stage: str) -> bool:
    """Whether the data set records what the stage's timescale needs (responded_date, or
    panel_date for Stage 3)."""
    return history(ctx, area, stage)[ctx.fy.label]["responded"] is not None  # type: ignore[index]


def _columns(ctx: ReportContext, stage: str) -> dict[str, str]:
    """Figure key -> the table's column heading, for the stage."""
    first, extended = limits(ctx, stage)
    if stage == "Stage 3":
        return {
            "responded": "Panels held",
            "within_limit": f"Within {first} working days",
            "over": f"Over {first} working days",
            "open": "Awaiting a panel",
            "withdrawn": "Withdrawn",
        }
    return {
        "responded": "Answered, not withdrawn",
        "within_limit": f"Within {first} working days",
        "extended": f"{first + 1} to {extended} working days",
        "extended_unagreed": "of which no extension agreed",
        "over": f"Over {extended} working days",
        "open": "Awaiting a response",
        "withdrawn": "Withdrawn",
    }


def _rows(ctx: ReportContext, area: str, stage: str) -> list[tuple[str, dict[str, Any]]]:
    """(row label, counts) for the table: the quarters, the report year, the years before."""
    h = history(ctx, area, stage)
    labels = quarter_rows(ctx)
    rows = [(labels[i], h[q]) for i, q in enumerate(ctx.fy.quarters)]
    rows.append((labels[-1], h[ctx.fy.label]))
    for i in (1, 2):
        y = ctx.fy.previous(i)
        if h[y.label] is not None:
            rows.append((str(y), h[y.label]))
    return rows  # type: ignore[return-value]


def stage_table(ctx: ReportContext, area: str, stage: str) -> ReportTable:
    """One stage's timescales for an area: each quarter of the report year, the year, and the
    two years before."""
    cols = _columns(ctx, stage)
    if not ctx.prep.has_column("complaints", "extension_agreed"):
        cols.pop("extended_unagreed", None)
    rows = _rows(ctx, area, stage)
    label = "Period"
    frame = pd.DataFrame(
        {label: [r for r, _ in rows], **{h: [c[k] for _, c in rows] for k, h in cols.items()}}
    )
    # Disclosure control: responses are within + extended + over; the unagreed extensions are
    # part of the extended; each quarter adds up to the year. The years before stand alone.
    year = quarter_rows(ctx)[-1]
    n = len(ctx.fy.quarters)
    quarters = [r for r, _ in rows[: n + 1]]
    years = [r for r, _ in rows[n:]]
    by_label = dict(rows)
    parts = [k for k in ("within_limit", "extended", "over") if k in cols]

    def block(
        labels: list[str], keys: dict[str, str], total: str | None, total_rows: tuple[str, ...]
    ) -> CountBlock:
        data: dict[str, list] = {label: labels}
        for key, heading in keys.items():
            data[heading] = [
                _agreed(by_label[r]) if key == "agreed" else by_label[r][key] for r in labels
            ]
        return CountBlock(
            pd.DataFrame(data),
            total_columns=(total,) if total else (),
            total_rows=total_rows,
        )

    blocks = []
    for labels, totals in ((quarters, (year,)), (years, ())):
        main = {**{k: cols[k] for k in parts}, "responded": cols["responded"]}
        blocks.append(block(labels, main, cols["responded"], totals))
        blocks.append(block(labels, {"open": cols["open"]}, None, totals))
        blocks.append(block(labels, {"withdrawn": cols["withdrawn"]}, None, totals))
        if "extended_unagreed" in cols:
            ext = {
                "extended_unagreed": cols["extended_unagreed"],
                "agreed": "extension agreed",
                "extended": cols["extended"],
            }
            blocks.append(block(labels, ext, cols["extended"], totals))
    first, extended = limits(ctx, stage)
    note = (
        f"Working days {_CLOCK[stage]}, over the {stage} records received in each period. "
        + (
            f"The limit is {first} working days; no extension applies. "
            if stage == "Stage 3"
            else f"The limit is {first} working days, or {extended} where a longer timescale is "
            "agreed with the complainant. "
        )
        + (
            "Records still awaiting a response when the case records were taken, and withdrawn "
            "records, are counted apart."
            if stage != "Stage 3"
            else "Requests whose panel had not met when the case records were taken, and "
            "withdrawn requests, are counted apart: a withdrawn request is never a panel held."
        )
    )
    if "extended_unagreed" not in cols and stage != "Stage 3":
        note += " The case records do not say whether extensions were agreed."
    return ReportTable(
        name=f"11-{slug(stage)}-timescales-{slug(area)}",
        title=f"{stage} timescales, {area}, by quarter of {ctx.fy} and by year",
        frame=frame,
        formats={h: "count" for h in cols.values()},
        note=note,
        counts=tuple(blocks),
    )


def _agreed(counts: dict[str, Any]) -> int | None:
    """Responses within the extended limit that had an extension agreed (never shown)."""
    if counts["extended_unagreed"] is None:
        return None
    return counts["extended"] - counts["extended_unagreed"]


def _share(part: int, whole: int, shown_part: Any, shown_whole: Any) -> str:
    """`` (39%)`` when the table shows both counts, else nothing."""
    if SUPPRESSED in (shown_part, shown_whole) or not whole or not part:
        return ""
    return f" ({format_percent(part / whole)})"


def not_recorded_sentence(stage: str) -> str:
    """What the report says when the data set cannot time a stage."""
    if stage == "Stage 3":
        return (
            "The case records do not say when review panels met, so the Stage 3 timescale "
            "cannot be reported."
        )
    return (
        f"The case records do not give response dates, so the {stage} timescales cannot be "
        "reported."
    )


def stage_sentences(ctx: ReportContext, area: str, stage: str) -> list[str]:
    """How the area's records of the stage met the time limits in the report year."""
    h = history(ctx, area, stage)
    now = h[ctx.fy.label]
    assert now is not None
    if now["responded"] is None:
        return [not_recorded_sentence(stage)]
    first, extended = limits(ctx, stage)
    n, still_open, withdrawn = now["responded"], now["open"], now["withdrawn"]
    if n + still_open + withdrawn == 0:
        return [f"{area} had no {stage} records in {ctx.fy}."]
    shown = ctx.suppress(stage_table(ctx, area, stage)).frame.set_index("Period")
    row = shown.loc[quarter_rows(ctx)[-1]]
    cols = _columns(ctx, stage)
    num = ctx.numbers

    def say(key: str) -> str:
        return said(ctx, now[key], row[cols[key]])

    def share(key: str) -> str:
        return _share(now[key], n, row[cols[key]], row[cols["responded"]])

    out = []
    if stage == "Stage 3":
        if n == 0:
            out.append(
                f"No review panel for a Stage 3 complaint to {area} in {ctx.fy} had met when the "
                "case records were taken."
            )
        else:
            held = (
                "The one review panel"
                if n == 1 and not num.hidden(n)
                else f"Of the {said(ctx, n, row[cols['responded']])} review panels"
            )
            if n == 1 and not num.hidden(n):
                where = "within" if now["within_limit"] else "later than"
                out.append(
                    f"{held} for a Stage 3 complaint to {area} in {ctx.fy} met {where} the "
                    f"{setting(first)} working day limit."
                )
            else:
                out.append(
                    f"{held} for Stage 3 complaints to {area} in {ctx.fy}, {say('within_limit')} "
                    f"met within the {setting(first)} working day limit and {say('over')} later."
                )
    else:
        whom = (
            f"{stage} complaints to {area}"
            if stage == "Stage 1"
            else f"{stage} investigations for {area}"
        )
        if n == 0:
            out.append(f"None of the {stage} records of {area} in {ctx.fy} had been responded to.")
        else:
            parts = [
                f"{say('within_limit')}{share('within_limit')} "
                f"{num.was_were(now['within_limit']) if now['within_limit'] else 'was'} answered "
                f"within {setting(first)} working days",
                f"{say('extended')}{share('extended')} within the extended {setting(extended)}",
                f"{say('over')}{share('over')} took longer than {setting(extended)}",
            ]
            out.append(
                f"Of the {said(ctx, n, row[cols['responded']])} {whom} answered in {ctx.fy} and "
                "not withdrawn, "
                f"{and_list(parts)}."
            )
            unagreed = now["extended_unagreed"]
            if now["extended"]:
                if unagreed is None:
                    out.append("The case records do not say whether extensions were agreed.")
                elif unagreed == 0:
                    out.append(
                        f"Every response after {setting(first)} working days and within {setting(extended)} had a "
                        "longer timescale agreed with the complainant."
                    )
                else:
                    cell = row.get(cols["extended_unagreed"])
                    out.append(
                        f"Of the responses after {setting(first)} working days and within {setting(extended)}, "
                        f"{said(ctx, unagreed, cell)} had no longer timescale agreed with the "
                        "complainant; the Regulations allow the longer timescale only by agreement."
                    )
    if n > 1 and not num.hidden(n) and now["median_working_days"] is not None:
        median = now["median_working_days"]
        days = f"{stated.mark(median, f'{median:g}', 'number')} working day{'s' if median != 1 else ''}"
        out.append(
            f"The median {'wait for a panel' if stage == 'Stage 3' else 'response'} was {days}."
        )
    if still_open:
        cell = row[cols["open"]]
        verb = num.was_were(still_open)
        what = "awaiting a panel" if stage == "Stage 3" else "still awaiting a response"
        out.append(
            f"{said(ctx, still_open, cell).capitalize()} {verb} {what} when the case records "
            "were taken."
        )
    if withdrawn:
        cell = row[cols["withdrawn"]]
        many = said(ctx, withdrawn, cell)
        one = withdrawn == 1 and not num.hidden(withdrawn)
        if stage == "Stage 3":
            what = "request for a review panel" if one else "requests for a review panel"
            why = "a withdrawn request is never counted as a panel held"
        else:
            what = f"{stage} complaint" if one else f"{stage} complaints"
            why = "a withdrawn complaint is never counted as a response, in time or late"
        out.append(f"{many.capitalize()} {what} {'was' if one else 'were'} withdrawn; {why}.")
    before = h[ctx.previous.label]
    if before is not None and before["responded"] and n and stage == "Stage 1":
        cell_now = row[cols["within_limit"]]
        cell_before = (
            shown.loc[str(ctx.previous), cols["within_limit"]]
            if str(ctx.previous) in shown.index
            else SUPPRESSED
        )
        if SUPPRESSED not in (
            cell_now,
            cell_before,
            row[cols["responded"]],
            shown.loc[str(ctx.previous), cols["responded"]],
        ):
            out.append(
                f"The share answered within {setting(first)} working days was "
                f"{format_percent(now['within_limit'] / n)}, against "
                f"{format_percent(before['within_limit'] / before['responded'])} in "
                f"{ctx.previous}."
            )
        else:
            out.append(
                f"The shares within {setting(first)} working days in {ctx.fy} and {ctx.previous} "
                f"{NOT_STATED.format(what='')[1:]}"
            )
    return out


def stage_chart(ctx: ReportContext, stage: str = "Stage 1") -> Chart | None:
    """Bars of the share of the year's responses within the limit, within the extended limit
    and over it, one series per area; None where the stage cannot be timed or has no responses."""
    first, extended = limits(ctx, stage)
    bands = {
        "within_limit": f"Within {first} working days",
        "extended": f"{first + 1} to {extended} working days",
        "over": f"Over {extended} working days",
    }
    series: dict[str, list[Any]] = {}
    for area in ctx.areas:
        now = history(ctx, area, stage)[ctx.fy.label]
        if not now or not now["responded"]:
            continue
        shown = ctx.suppress(stage_table(ctx, area, stage)).frame.set_index("Period")
        row = shown.loc[quarter_rows(ctx)[-1]]
        hidden_total = row[_columns(ctx, stage)["responded"]] == SUPPRESSED
        series[area] = [
            SUPPRESSED
            if hidden_total or row[_columns(ctx, stage)[k]] == SUPPRESSED
            else now[k] / now["responded"]
            for k in bands
        ]
    if not series or all(v == SUPPRESSED for vals in series.values() for v in vals):
        return None
    told = "; ".join(
        f"{a}: "
        + and_list(
            [f"{shown_percent(v)} {b.lower()}" for v, b in zip(vals, bands.values(), strict=True)]
        )
        for a, vals in series.items()
    )
    hidden = hidden_note(ctx, *series.values())
    return grouped_bars(
        f"11-{slug(stage)}-timescales",
        list(bands.values()),
        series,
        title=f"{stage} response times, {ctx.fy}",
        ylabel="Share of responses",
        percent=True,
        alt=(
            f"Bar chart: share of the {stage} responses in {ctx.fy} by how long they took, "
            f"for each service area. {told}.{hidden}"
        ),
        caption=f"{stage} responses by working days taken, {ctx.fy}.{hidden}",
    )


def stage_tables(ctx: ReportContext, area: str, stage: str) -> list[ReportTable]:
    """The stage's table for the area, or none where the stage cannot be timed or the area had
    no records of it in any year shown."""
    if not recorded(ctx, area, stage):
        return []
    rows = _rows(ctx, area, stage)
    if not any(c["responded"] or c["open"] or c["withdrawn"] for _, c in rows):
        return []
    return [stage_table(ctx, area, stage)]


def stage_charts(ctx: ReportContext, stage: str) -> list[Chart]:
    """The stage's chart, where it helps: Stage 1 and 2, whose responses fall in three bands."""
    if stage == "Stage 3":
        return []
    chart = stage_chart(ctx, stage)
    return [chart] if chart is not None else []
