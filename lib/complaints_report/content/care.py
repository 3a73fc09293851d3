"""Sections 10 and 11: children in care complaints, advocacy referrals and Stage 1 timescales."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..data.calendar import QUARTERS
from ..figures.engine import stage1_extensions
from ..figures.views import advocacy as advocacy_by_quarter
from ..present import stated
from ..present.cells import SUPPRESSED
from ..present.charts import Chart, grouped_bars, lines
from ..present.narrative import (
    NOT_STATED,
    and_list,
    format_count,
    format_percent,
    plural,
    points_phrase,
    setting,
    slug,
)
from ..present.tables import CountBlock, ReportTable
from ..report import ReportContext
from . import (
    by_quarter,
    hidden_note,
    quarter_counts,
    quarter_rows,
    said,
    shown_count,
    shown_percent,
)

SOCIAL_CARE = "Children's Social Care"


# --- small helpers ---------------------------------------------------------------------------


def _area_rows(ctx: ReportContext, area: str) -> pd.DataFrame:
    """The complaint records of the report year in one Children's Services area."""
    c = ctx.prep.complaints
    keep = (
        (c["directorate"] == ctx.params.children_directorate)
        & (c["service_area"] == area)
        & (c["fy_start"] == ctx.fy.start_year)
    )
    return c[keep.fillna(False)]


def _quarter_counts(
    values: dict[str, Any], none: str = "none", ctx: ReportContext | None = None, shown=None
) -> str:
    """``none in Q1, 2 in Q2, 1 in Q3 and none in Q4``; with ``ctx`` and ``shown`` (each
    quarter's figure as a disclosure-controlled table shows it), as :func:`said` states them."""
    if ctx is not None and shown is not None:
        return and_list(
            [f"{said(ctx, values[q], shown[q], none)} in {q}" for q in QUARTERS if q in values]
        )
    return and_list(
        [
            f"{none if not values[q] else format_count(values[q])} in {q}"
            for q in QUARTERS
            if q in values
        ]
    )


def _shown_by_quarter(table: ReportTable, column: str) -> dict[str, Any]:
    """A quarterly table's column as shown, by quarter (``Q1``..``Q4``, ``year``)."""
    values = list(table.frame[column])  # the quarters (of the pack's period), then the year
    return {**dict(zip(QUARTERS, values[:-1], strict=False)), "year": values[-1]}


# --- section 10: children in care ------------------------------------------------------------


def children_in_care_history(ctx: ReportContext, area: str = SOCIAL_CARE) -> dict[str, int | None]:
    """Children in care complaints for the report year and the four before, oldest first.

    A year the data set does not reach is None, so that it reads "–" rather than 0.
    """
    counts = ctx.views["children_in_care"].get(area, {})
    out: dict[str, int | None] = {}
    for i in range(4, -1, -1):
        y = ctx.fy.previous(i)
        entry = ctx.area_figures(area, y)  # figures.json's count, traced (see stated.py)
        if entry is not None:
            out[y.label] = entry["children_in_care"]
        else:
            out[y.label] = counts.get(y.label, 0) if ctx.has_year(y) else None
    return out


def children_in_care_table(ctx: ReportContext, area: str = SOCIAL_CARE) -> ReportTable:
    """Children in care complaints over five years, newest first as the published report shows."""
    history = children_in_care_history(ctx, area)
    years = list(history)[::-1]
    frame = pd.DataFrame(
        {
            "Financial year": years,
            "Children in care complaints": [history[y] for y in years],
        }
    )
    return ReportTable(
        name=f"10-children-in-care-{slug(area)}",
        title=f"Children in care complaints, {area}, {years[-1]} to {years[0]}",
        frame=frame,
        formats={"Children in care complaints": "count"},
        note="Distinct cases with a record from or about a child in care, at any stage.",
    )


def children_in_care_chart(ctx: ReportContext, area: str = SOCIAL_CARE) -> Chart:
    """Line chart of children in care complaints over five years."""
    # The figures the published table shows, so the chart never shows what it hides.
    shown = ctx.suppress(children_in_care_table(ctx, area)).frame
    history = dict(zip(shown["Financial year"], shown["Children in care complaints"], strict=True))
    history = dict(reversed(list(history.items())))  # oldest first
    history = {y: (None if v is None or pd.isna(v) else v) for y, v in history.items()}
    # Years before the data set starts would be an empty stretch of axis; the report year stays.
    while len(history) > 1 and next(iter(history.values())) is None:
        history.pop(next(iter(history)))
    years = list(history)
    told = and_list(
        [f"{y} {'no figure' if v is None else shown_count(v)}" for y, v in history.items()]
    )
    hidden = hidden_note(ctx, list(history.values()))
    return lines(
        f"10-children-in-care-trend-{slug(area)}",
        years,
        {"Children in care complaints": list(history.values())},
        title="Children in care complaints",
        ylabel="Complaints (cases)",
        alt=f"Line chart: children in care complaints to {area} by financial year: {told}.{hidden}",
        caption=f"Children in care complaints, {area}, "
        + (f"{years[0]} to {years[-1]}." if len(years) > 1 else f"{years[0]}.")
        + hidden,
    )


def children_in_care_by_quarter(
    ctx: ReportContext, area: str = SOCIAL_CARE
) -> dict[str, dict[str, int]]:
    """Children in care cases by quarter of the report year, and how many came via an advocate.

    Each quarter counts the distinct cases with a children in care record received in it, so a
    case with records in two quarters counts in both; ``year`` counts each case once.

    Returns
    -------
    ``{"Q1": {"cases": n, "via_advocate": m}, ..., "year": {...}}``.
    """
    rows = _area_rows(ctx, area)
    cic = rows[rows["child_in_care"].fillna(False).astype(bool)]
    adv = cic[cic["via_advocate"].fillna(False).astype(bool)]
    out: dict[str, dict[str, int]] = {}
    for q in ctx.fy.quarters:
        out[q] = {
            "cases": int(cic.loc[cic["quarter"] == q, "case_ref"].nunique()),
            "via_advocate": int(adv.loc[adv["quarter"] == q, "case_ref"].nunique()),
        }
    out["year"] = {
        "cases": int(cic["case_ref"].nunique()),
        "via_advocate": int(adv["case_ref"].nunique()),
    }
    return out


def children_in_care_quarter_table(ctx: ReportContext, area: str = SOCIAL_CARE) -> ReportTable:
    """Children in care complaints by quarter of the report year, with those via an advocate."""
    by_q = children_in_care_by_quarter(ctx, area)
    keys = [*ctx.fy.quarters, "year"]
    frame = pd.DataFrame(
        {
            "Quarter": quarter_rows(ctx),
            "Children in care complaints": [by_q[k]["cases"] for k in keys],
            "Made through an advocate": [by_q[k]["via_advocate"] for k in keys],
        }
    )
    # For disclosure control: cases are those made through an advocate plus the others, and
    # the whole year is taken as the sum of the quarters (cautious: it can be less).
    counts = frame.copy()
    counts["not through an advocate"] = counts.iloc[:, 1] - counts.iloc[:, 2]
    return ReportTable(
        name=f"10-children-in-care-by-quarter-{slug(area)}",
        title=f"Children in care complaints by quarter, {area}, {ctx.fy}",
        frame=frame,
        formats={"Children in care complaints": "count", "Made through an advocate": "count"},
        note=(
            "Distinct cases by the quarter their records were received; a case with records "
            "in two quarters counts in each, and once in the whole year."
        ),
        counts=(
            CountBlock(
                counts,
                total_columns=("Children in care complaints",),
                total_rows=(frame["Quarter"].iloc[-1],),
            ),
        ),
    )


def children_in_care_sentences(ctx: ReportContext, area: str = SOCIAL_CARE) -> list[str]:
    """The year's children in care complaints, the change, how many came via an advocate, by quarter."""
    if area not in ctx.views["children_in_care"]:
        return [f"The data set holds no {area} records, so there are no children in care figures."]
    num = ctx.numbers
    history = children_in_care_history(ctx, area)
    n = history[ctx.fy.label] or 0
    before = history[ctx.previous.label]
    prev_words = str(ctx.previous)  # how the report writes them
    if n == 0:
        if before is None:
            since = f"with no figure for {prev_words} to compare"
        else:
            since = (
                f"against {num.count(before)} in {prev_words}"
                if before
                else f"and none in {prev_words} either"
            )
        return [
            f"In {ctx.fy} there were no complaints from or about children in care in {area}, "
            f"{since}."
        ]
    out = [
        f"In {ctx.fy} there {num.was_were(n)} {num.plural(n, 'complaint')} from or about "
        f"children in care in {area}, {num.change(n, before, prev_words)}."
    ]
    by_q = children_in_care_by_quarter(ctx, area)
    via = by_q["year"]["via_advocate"]
    said_via, _ = num.split(n, [via, n - via])
    if n == 1 and not num.hidden(n):
        out.append(
            "It came through an advocate." if via else "It did not come through an advocate."
        )
    elif via == n:
        out.append(
            f"All {'of them' if num.hidden(n) else format_count(n)} came through an advocate."
        )
    elif via == 0:
        out.append("None came through an advocate.")
    elif num.hidden(n):
        out.append(f"{NOT_STATED.format(what='How many came through an advocate')}.")
    else:
        out.append(f"{said_via.capitalize()} of the {format_count(n)} came through an advocate.")
    cases = {q: by_q[q]["cases"] for q in ctx.fy.quarters}
    # Each quarter as the published quarterly table shows it.
    shown = _shown_by_quarter(
        ctx.suppress(children_in_care_quarter_table(ctx, area)), "Children in care complaints"
    )
    out.append(f"By quarter of receipt: {_quarter_counts(cases, ctx=ctx, shown=shown)}.")
    if sum(cases.values()) > n:
        out.append("A case with records in more than one quarter is counted in each.")
    return out


# --- section 10: advocacy --------------------------------------------------------------------


def advocacy_providers(ctx: ReportContext) -> dict[str, list[str]]:
    """Each advocacy provider of the report year with the quarters it provided, in order of start."""
    a = ctx.prep.advocacy
    a = a[(a["fy_start"] == ctx.fy.start_year).fillna(False)]
    if a.empty or "provider" not in a:
        return {}
    a = a.dropna(subset=["provider"]).sort_values("quarter_start")
    out: dict[str, list[str]] = {}
    for provider, q in zip(a["provider"], a["quarter"], strict=True):
        quarters = out.setdefault(str(provider), [])
        if str(q) not in quarters:
            quarters.append(str(q))
    return out


def advocacy_table(ctx: ReportContext) -> ReportTable:
    """New referrals to advocacy by quarter of the report year (dashes when there are none)."""
    refs = ctx.figures["council"]["advocacy_referrals"]  # traced, see stated.py
    values = [refs.get(q) for q in ctx.fy.quarters]
    total = sum(values) if refs else None
    frame = pd.DataFrame(
        {
            "Quarter": quarter_rows(ctx),
            "New referrals to advocacy": [*values, total],
        }
    )
    note = None
    if not refs:
        note = f"The data set has no advocacy referrals for {ctx.fy}."
    return ReportTable(
        name="10-advocacy-referrals",
        title=f"New referrals to advocacy by quarter, {ctx.fy}",
        frame=frame,
        formats={"New referrals to advocacy": "count"},
        note=note,
        total_rows=(frame["Quarter"].iloc[-1],),  # the whole year is the sum of the quarters
    )


def advocacy_sentences(ctx: ReportContext) -> list[str]:
    """Referrals to advocacy in the year, the change, by quarter, and who provided the service."""
    if ctx.prep.advocacy.empty:
        return ["The data set has no advocacy table, so referrals to advocacy are not reported."]
    refs = ctx.figures["council"]["advocacy_referrals"]  # traced, see stated.py
    if not refs:
        return [f"The advocacy table has no referrals for {ctx.fy}."]
    total = sum(refs.values())
    then = ctx.year_figures(ctx.previous)
    prev_refs = (
        then["council"]["advocacy_referrals"]
        if then is not None
        else advocacy_by_quarter(ctx.prep, ctx.previous)
    )
    before = sum(prev_refs.values()) if prev_refs else None
    num = ctx.numbers
    shown = _shown_by_quarter(ctx.suppress(advocacy_table(ctx)), "New referrals to advocacy")
    out = [
        f"There {num.was_were(total)} {num.plural(total, 'new referral')} to advocacy in "
        f"{ctx.fy}, {num.change(total, before, ctx.previous.label)}: "
        f"{_quarter_counts(refs, ctx=ctx, shown=shown)}."
    ]
    providers = advocacy_providers(ctx)
    if not providers:
        out.append("The advocacy provider is not recorded.")
    elif len(providers) == 1:
        out.append(f"Advocacy was provided by {next(iter(providers))}.")
    else:
        named = [f"{p} ({and_list(qs)})" for p, qs in providers.items()]
        out.append(f"Advocacy was provided by {and_list(named)}.")
    return out


# --- section 11: timescales ------------------------------------------------------------------


def _target(ctx: ReportContext) -> int:
    return ctx.params.targets.stage1_working_days


def timescales_history(ctx: ReportContext, area: str) -> dict[str, dict[str, Any]]:
    """Responded Stage 1 complaints and the shares within / over the target, newest year first.

    A year the data set does not reach has None for every value.
    """
    rows = ctx.views["timescales"].get(area, {})
    none = {"responded": None, "overdue": None, "overdue_share": None, "within_target_share": None}
    nothing = {"responded": 0, "overdue": 0, "overdue_share": None, "within_target_share": None}
    out = {}
    for i in range(3):
        y = ctx.fy.previous(i)
        out[y.label] = rows.get(y.label, nothing) if ctx.has_year(y) else none
    return {label: _from_table(ctx, area, label, row) for label, row in out.items()}


def _from_table(ctx: ReportContext, area: str, label: str, row: dict[str, Any]) -> dict[str, Any]:
    """A year's target timescales traced to the cells of the area's published table that show
    them (see stated.py): figures.json holds the share over the target, not the counts."""
    if row["responded"] is None:
        return row
    t = _target(ctx)
    table = f"11-timescales-{slug(area)}"
    cell = {
        "responded": "Stage 1 complaints responded to",
        "within_target_share": f"Within {t} working days",
        "overdue_share": f"Over {t} working days",
    }
    traced = {k: stated.from_table(row[k], table, label, c) for k, c in cell.items()}
    if row["overdue_share"] is not None:
        traced["overdue"] = stated.traced(
            row["overdue"], f"round({traced['responded'].of} * {traced['overdue_share'].of})"
        )
    return {**row, **traced}


def timescales_table(ctx: ReportContext, area: str) -> ReportTable:
    """Share of responded Stage 1 complaints within and over the target over three years."""
    t = _target(ctx)
    history = timescales_history(ctx, area)
    within, over = f"Within {t} working days", f"Over {t} working days"
    frame = pd.DataFrame(
        {
            "Financial year": list(history),
            "Stage 1 complaints responded to": [r["responded"] for r in history.values()],
            within: [r["within_target_share"] for r in history.values()],
            over: [r["overdue_share"] for r in history.values()],
        }
    )
    years = list(history)
    # For disclosure control: each share's count; responses are within plus over the target.
    counts = pd.DataFrame(
        {
            "Financial year": years,
            "Stage 1 complaints responded to": [r["responded"] for r in history.values()],
            within: [
                None if r["responded"] is None else r["responded"] - r["overdue"]
                for r in history.values()
            ],
            over: [r["overdue"] for r in history.values()],
        }
    )
    return ReportTable(
        name=f"11-timescales-{slug(area)}",
        title=f"Stage 1 response times, {area}, {years[-1]} to {years[0]}",
        frame=frame,
        formats={
            "Stage 1 complaints responded to": "count",
            within: "percent",
            over: "percent",
        },
        note=(
            f"Shares of the Stage 1 complaints responded to in the year; the target is {t} "
            "working days. Complaints still awaiting a response are not counted; those withdrawn "
            "after a response are, as in earlier reports (the statutory timescales below leave "
            "them out)."
        ),
        counts=(CountBlock(counts, total_columns=("Stage 1 complaints responded to",)),),
    )


def timescales_sentences(ctx: ReportContext, area: str) -> list[str]:
    """How many Stage 1 responses met the target this year, against last year."""
    t = _target(ctx)
    history = timescales_history(ctx, area)
    now = history[ctx.fy.label]
    before = history[ctx.previous.label]
    if not now["responded"]:
        return [f"No Stage 1 complaints to {area} were responded to in {ctx.fy}."]
    n, over = now["responded"], now["overdue"]
    within = n - over
    num = ctx.numbers
    # The shares as the published table shows them: one it hides is not stated, nor its trend.
    shown = ctx.suppress(timescales_table(ctx, area)).frame.set_index("Financial year")
    over_col = f"Over {t} working days"
    now_shown = shown.at[ctx.fy.label, over_col] != SUPPRESSED
    before_share = (
        before["overdue_share"] if shown.at[ctx.previous.label, over_col] != SUPPRESSED else None
    )
    trend = (
        points_phrase(now["overdue_share"], before_share, ctx.previous.label)
        if before_share is not None or before["overdue_share"] is None
        else f"against a {ctx.previous} share that is not stated, to protect small numbers"
    )
    if num.hidden(n) or not now_shown:
        said_within, said_over = num.split(n, [within, over])
        split = (
            f"all were answered within the {setting(t)} working day target"
            if over == 0
            else f"none was answered within the {setting(t)} working day target"
            if within == 0
            else f"{said_within} {num.was_were(within) if said_within[0].isdigit() else 'were'} "
            f"answered within the {setting(t)} working day target and {said_over} took longer"
        )
        return [
            f"Of the {num.plural(n, 'Stage 1 complaint')} to {area} responded to in {ctx.fy}, "
            f"{split} ({NOT_STATED.format(what='the share over the target')})."
        ]
    if n == 1:
        done = "was answered within" if within else "took longer than"
        return [
            f"The one Stage 1 complaint to {area} responded to in {ctx.fy} {done} the {setting(t)} "
            f"working day target; the share over the target was "
            f"{format_percent(now['overdue_share'])}, {trend}."
        ]
    if over == 0:
        split = f"all were answered within the {setting(t)} working day target"
    elif within == 0:
        split = f"none was answered within the {setting(t)} working day target"
    else:
        split = (
            f"{format_count(within)} ({format_percent(now['within_target_share'])}) "
            f"{num.was_were(within)} answered within the {setting(t)} working day target and "
            f"{format_count(over)} ({format_percent(now['overdue_share'])}) took longer"
        )
    share = (
        ""
        if 0 < over < n
        else f" (the share over the target was {format_percent(now['overdue_share'])})"
    )
    return [
        f"Of the {num.plural(n, 'Stage 1 complaint')} to {area} responded to in {ctx.fy}, "
        f"{split}{share}, {trend}."
    ]


def overdue_blocks(ctx: ReportContext, area: str, labels: list[str], column: str) -> CountBlock:
    """The counts behind an area's overdue shares by quarter and for the year (rows
    ``labels``, the last the year): overdue (as ``column``), within the target and responded.

    The scorecard and the table of overdue shares by quarter use the same counts, so they hide
    the same shares.
    """
    q = quarter_counts(ctx, area)
    frame = pd.DataFrame(
        {
            "Period": labels,
            column: [int(v) for v in q["overdue"]],
            f"{area}: within target": [int(v) for v in q["responded"] - q["overdue"]],
            f"{area}: responded": [int(v) for v in q["responded"]],
        }
    )
    return CountBlock(frame, total_columns=(f"{area}: responded",), total_rows=(labels[-1],))


def overdue_quarter_table(ctx: ReportContext) -> ReportTable:
    """The scorecards' overdue share by quarter of the report year, one column per area."""
    t = _target(ctx)
    data: dict[str, list] = {"Quarter": quarter_rows(ctx), **by_quarter(ctx, "overdue_share")}
    return ReportTable(
        name="11-overdue-by-quarter",
        title=f"Stage 1 responses over {t} working days, by quarter, {ctx.fy}",
        frame=pd.DataFrame(data),
        formats={a: "percent" for a in ctx.areas},
        counts=tuple(overdue_blocks(ctx, a, data["Quarter"], a) for a in ctx.areas),
        note=(
            "Share of the Stage 1 complaints received in the quarter and responded to that "
            f"took more than {t} working days; a dash means none was responded to."
        ),
    )


def overdue_quarter_chart(ctx: ReportContext) -> Chart:
    """Bars of the overdue share by quarter, one series per area."""
    t = _target(ctx)
    # The shares the published table shows, so the chart hides what it hides.
    shown = ctx.suppress(overdue_quarter_table(ctx)).frame
    series = {a: list(shown[a][: len(ctx.fy.quarters)]) for a in ctx.areas}
    series = {a: [None if _missing(v) else v for v in vals] for a, vals in series.items()}
    told = "; ".join(
        f"{a} " + and_list([("no responses" if v is None else shown_percent(v)) for v in vals])
        for a, vals in series.items()
    )
    hidden = hidden_note(ctx, *series.values())
    return grouped_bars(
        "11-overdue-by-quarter",
        list(ctx.fy.quarters),
        series,
        title=f"Stage 1 responses over {t} working days",
        ylabel="Share of responses",
        percent=True,
        alt=(
            f"Bar chart: share of Stage 1 responses that took more than {t} working days, "
            f"by quarter ({ctx.fy.quarters[0]} to {ctx.fy.quarters[-1]}) in {ctx.fy}: {told or 'no service areas in the data set'}."
            f"{hidden}"
        ),
        caption=f"Stage 1 responses over {t} working days, by quarter, {ctx.fy}.{hidden}",
    )


def _missing(v: Any) -> bool:
    return v is None or (not isinstance(v, str) and pd.isna(v))


def overdue_quarter_sentences(ctx: ReportContext, area: str) -> list[str]:
    """The overdue share of one area by quarter, in words, as the published table shows it."""
    if area not in ctx.areas:
        return [f"The data set holds no {area} records."]
    t = _target(ctx)
    column = ctx.suppress(overdue_quarter_table(ctx)).frame[area]
    shares = {
        q: (None if _missing(v) else v) for q, v in zip(ctx.fy.quarters, column, strict=False)
    }
    known = [
        f"{format_percent(v)} in {q}" for q, v in shares.items() if v not in (None, SUPPRESSED)
    ]
    hidden = [q for q, v in shares.items() if v == SUPPRESSED]
    empty = [q for q, v in shares.items() if v is None]
    if not known and not hidden:
        return [f"No Stage 1 complaints to {area} were responded to in any quarter of {ctx.fy}."]
    if known:
        sentence = (
            f"By quarter, the share of {area} Stage 1 responses that took more than {t} working "
            f"days was {and_list(known)}"
        )
        if hidden:
            sentence += f"; {NOT_STATED.format(what=f'the share in {and_list(hidden)}')}"
    else:
        sentence = (
            f"The share of {area} Stage 1 responses that took more than {setting(t)} working days in each "
            f"quarter {NOT_STATED.format(what='')[1:]}"
        )
    if empty:
        sentence += f"; there were no responses to complaints received in {and_list(empty)}"
    return [sentence + "."]


def extensions(ctx: ReportContext, area: str) -> dict[str, int]:
    """Stage 1 records of the year with a longer timescale agreed, and how many of the overdue had one.

    Returns
    -------
    ``stage1`` (records), ``extended`` (of those, with an extension agreed), ``overdue``
    (responded after the target) and ``overdue_extended`` (of those, with an extension agreed).
    """
    if area in ctx.areas:  # figures.json's counts (traced, see stated.py)
        held = ctx.area(area)
        e, stage1 = held["stage1_extensions"], held["stages"]["Stage 1"]
    else:  # an area with no records this year: the same counts, all zero
        rows = _area_rows(ctx, area)
        s1 = rows[rows["stage"] == "Stage 1"]
        e, stage1 = stage1_extensions(ctx.prep, s1), len(s1)
    return {
        "stage1": stage1,
        "extended": e["agreed"],
        "overdue": e["overdue"],
        "overdue_extended": e["overdue_agreed"],
    }


def extension_sentences(ctx: ReportContext, area: str) -> list[str]:
    """Extensions agreed with complainants, and how many of the late responses had one."""
    e = extensions(ctx, area)
    t = _target(ctx)
    if e["stage1"] == 0:
        return [f"{area} had no Stage 1 complaints in {ctx.fy}."]
    ext = e["extended"]
    num = ctx.numbers
    first = (
        f"A longer timescale was agreed with the complainant for "
        f"{num.plural(ext, 'Stage 1 complaint')} to {area} in {ctx.fy}."
        if ext
        else f"No longer timescale was agreed with any complainant at Stage 1 in {area} in {ctx.fy}."
    )
    late, late_ext = e["overdue"], e["overdue_extended"]
    # The number of late responses is the count behind the timescales table's share over the
    # target: stated only where that table shows the share.
    shown = ctx.suppress(timescales_table(ctx, area)).frame.set_index("Financial year")
    stated = num.threshold == 0 or shown.at[ctx.fy.label, f"Over {t} working days"] != SUPPRESSED
    if late == 0:
        second = f"No response took more than {setting(t)} working days."
    elif not stated:
        second = (
            f"None of the responses that took more than {setting(t)} working days had an agreed extension."
            if late_ext == 0
            else f"All the responses that took more than {setting(t)} working days had an agreed extension."
            if late_ext == late
            else f"Some of the responses that took more than {setting(t)} working days had an agreed "
            f"extension ({NOT_STATED.format(what='how many')})."
        )
    elif late_ext == 0:
        second = (
            f"None of the {plural(late, 'response')} that took more than {setting(t)} working days "
            "had an agreed extension."
            if late > 1
            else f"The one response that took more than {setting(t)} working days had no agreed extension."
        )
    elif late == 1:
        second = f"The one response that took more than {setting(t)} working days had an agreed extension."
    elif late_ext == late:
        every = "Both" if late == 2 else f"All {format_count(late)}"
        second = f"{every} responses that took more than {setting(t)} working days had an agreed extension."
    else:
        said_ext, _ = num.split(late, [late_ext, late - late_ext])
        second = (
            f"{said_ext.capitalize()} of the {format_count(late)} responses that "
            f"took more than {setting(t)} working days had an agreed extension."
        )
    return [first, second]
