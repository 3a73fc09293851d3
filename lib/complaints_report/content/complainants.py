"""Sections 7, 8 and 9: who complained, what the complaints were about, and their outcomes."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..data.calendar import FinancialYear
from ..figures.engine import JUDGED, NOT_RECORDED, area_figures
from ..figures.views import outcome_shares, theme_shares
from ..present.cells import SUPPRESSED
from ..present.charts import Chart, grouped_bars
from ..present.narrative import (
    NOT_STATED,
    and_list,
    format_count,
    format_percent,
    points_phrase,
    slug,
)
from ..present.tables import CountBlock, ReportTable
from ..report import ReportContext
from . import area_entry, hidden_note, shown_percent, view_for

COUNCIL = "Whole council"
RECORDED = "(recorded)"  # a count block's total row: never shown, but the shares give it away


# --- helpers ---------------------------------------------------------------------------------


def _share(n: int, total: int) -> float | None:
    return None if total == 0 else n / total


# --- section 7: who complained ---------------------------------------------------------------


def _types(ctx: ReportContext, area: str) -> tuple[dict[str, int], int]:
    """The recorded complainant types (count by type) and the number not recorded."""
    types = dict(area_entry(ctx, area)["complainant_types"])
    missing = types.pop(NOT_RECORDED, 0)
    return types, missing


def complainant_table(ctx: ReportContext, area: str) -> ReportTable:
    """Complainant types of an area's informal and Stage 1 complaints, counts and shares of those
    recorded, with the number not recorded last."""
    types, missing = _types(ctx, area)
    recorded = sum(types.values())
    rows = [[t, n, _share(n, recorded)] for t, n in types.items()]
    rows.append([NOT_RECORDED, missing, None])
    columns = ["Complainant", "Complaints", "Share of those recorded"]
    # For disclosure control: the recorded types add up to the number recorded, which the
    # shares give away (a count over its share); a share is hidden with its count.
    recorded_block = pd.DataFrame(
        [[t, n, n] for t, n in types.items()] + [[RECORDED, recorded, recorded]],
        columns=columns,
    )
    return ReportTable(
        name=f"07-complainants-{slug(area)}",
        title=f"{area}: who made the informal and Stage 1 complaints, {ctx.fy}",
        frame=pd.DataFrame(rows, columns=columns),
        formats={"Complaints": "count", "Share of those recorded": "percent"},
        note="Shares are of the complaints whose complainant type was recorded.",
        counts=(
            CountBlock(recorded_block, total_rows=(RECORDED,)),
            CountBlock(pd.DataFrame([[NOT_RECORDED, missing]], columns=columns[:2])),
        ),
    )


def complainant_sentences(ctx: ReportContext, area: str) -> list[str]:
    """How many complaints recorded who made them, and the largest groups."""
    fy_words = str(ctx.fy)  # how the report writes them
    num = ctx.numbers
    types, missing = _types(ctx, area)
    recorded = sum(types.values())
    total = recorded + missing
    if total == 0:
        return [f"{area} received no informal or Stage 1 complaints in {fy_words}."]
    if recorded == 0:
        return [
            f"{area} received {num.plural(total, 'informal or Stage 1 complaint')} in {fy_words}; "
            "none recorded who made the complaint."
        ]
    said_recorded, said_missing = num.split(total, [recorded, missing])
    lines = [
        f"Of the {num.plural(total, 'informal and Stage 1 complaint')} "
        f"about {area} in {fy_words}, {said_recorded} recorded who made the complaint"
        + (f" and {said_missing} did not." if missing else ".")
    ]
    # The figures as the table shows them, so that no sentence states what it hides.
    shown = {
        row[0]: (row[1], row[2])
        for row in ctx.suppress(complainant_table(ctx, area)).frame.itertuples(index=False)
    }

    def figures(t: str, n: int, long: bool) -> str:
        count, share = shown[t]
        if count == SUPPRESSED or share == SUPPRESSED:
            return " (its figures are not stated, to protect small numbers)"
        if long:
            return f": {num.plural(n, 'complaint')}, {format_percent(share)} of those recorded"
        return f" ({format_count(n)}, {format_percent(share)})"

    top = list(types.items())[:3]
    first, *rest = top
    line = f"The largest group was {first[0]}{figures(*first, True)}"
    if rest:
        line += ", followed by " + and_list([f"{t}{figures(t, n, False)}" for t, n in rest])
    lines.append(line + ".")
    return lines


def complainant_chart(ctx: ReportContext) -> Chart:
    """Horizontal bars: each complainant type's share of the recorded complaints, one bar per area."""
    fy_words = str(ctx.fy)  # how the report writes them
    per_area = {a: _types(ctx, a) for a in ctx.areas}
    totals: dict[str, int] = {}
    for types, _ in per_area.values():
        for t, n in types.items():
            totals[t] = totals.get(t, 0) + n
    categories = sorted(totals, key=lambda t: (-totals[t], t))
    series, described, missing = {}, [], []
    for a, (types, _) in per_area.items():
        recorded = sum(types.values())
        # The shares and counts the area's table shows, so the chart hides what it hides.
        shown = {
            row[0]: (row[1], row[2])
            for row in ctx.suppress(complainant_table(ctx, a)).frame.itertuples(index=False)
        }
        series[a] = [shown[t][1] if t in types else 0.0 for t in categories]
        if recorded:
            parts = ", ".join(
                f"{t} {shown_percent(v)}" for t, v in zip(categories, series[a], strict=True)
            )
            described.append(f"{a} ({ctx.numbers.count(recorded)} recorded): {parts}")
        else:
            described.append(f"{a}: none recorded")
        not_recorded = shown[NOT_RECORDED][0]
        missing.append(
            f"{a} {SUPPRESSED if not_recorded == SUPPRESSED else format_count(not_recorded)}"
        )
    if not categories:
        described = ["No complainant type was recorded"]
    hidden = hidden_note(ctx, *series.values(), missing and [m.rsplit(" ", 1)[1] for m in missing])
    return grouped_bars(
        "07-complainant-types",
        categories or [NOT_RECORDED],
        series if categories else {"Complaints": [0]},
        title=f"Who complained, {fy_words}",
        ylabel="Share of complaints whose complainant was recorded (%)",
        alt=(
            f"Horizontal bar chart: who made the informal and Stage 1 complaints in {fy_words}, as "
            f"shares of the complaints whose complainant was recorded. {'; '.join(described)}."
            f"{hidden}"
        ),
        caption=(
            f"Complainant types, {fy_words}: shares of the complaints where the complainant was recorded. "
            f"Not recorded: {and_list(missing) if missing else 'none'}.{hidden}"
        ),
        percent=True,
        horizontal=True,
    )


# --- section 8: what complaints were about ---------------------------------------------------


def _theme_years(ctx: ReportContext, area: str) -> dict[str, dict[str, float | None] | None]:
    """Each theme's share of the recorded themes, this year and last; a year with no recorded
    theme (or no records at all) is None, and a theme absent from a year with records is 0."""
    shares = view_for(ctx, "theme_shares", area, theme_shares)
    out: dict[str, dict[str, float | None] | None] = {}
    themes: list[str] = []
    for year_shares in shares.values():
        themes += [t for t in year_shares if t not in themes]
    for label, year_shares in shares.items():
        out[label] = {t: year_shares.get(t, 0.0) for t in themes} if year_shares else None
    return out


def _ordered_themes(years: dict[str, dict[str, float | None] | None]) -> list[str]:
    """Themes by this year's share, then last year's, then name."""
    labels = list(years)
    themes = sorted({t for y in years.values() if y for t in y})

    def key(t: str):
        return tuple(-((years[label] or {}).get(t) or 0.0) for label in labels) + (t,)

    return sorted(themes, key=key)


def theme_table(ctx: ReportContext, area: str) -> ReportTable:
    """Each theme's share of an area's recorded themes, this year against last."""
    years = _theme_years(ctx, area)
    themes = _ordered_themes(years)
    data: dict[str, list] = {"Theme": themes}
    for label, shares in years.items():
        data[label] = [None if shares is None else shares[t] for t in themes]
    counts = []
    # For disclosure control: each share's count, and the number recorded (in the note, and
    # 100% minus the other shares) as the total each year's counts add up to.
    numerators: dict[str, list] = {"Theme": [*themes, RECORDED]}
    for label in years:
        fy = FinancialYear.parse(label)
        f = area_entry(ctx, area) if fy == ctx.fy else area_figures(ctx.prep, fy, area)
        recorded = sum(n for t, n in f["themes"].items() if t != NOT_RECORDED)
        # The number recorded beside the complaints in all (stated across the report) would
        # give a hidden number of complaints with no theme recorded away.
        if not ctx.numbers.hidden(f["themes"].get(NOT_RECORDED, 0)):
            counts.append(f"{ctx.numbers.count(recorded)} in {label}")
        numerators[label] = [
            *(None if years[label] is None else f["themes"].get(t, 0) for t in themes),
            None if years[label] is None else recorded,
        ]
    return ReportTable(
        name=f"08-themes-{slug(area)}",
        title=f"{area}: what the informal and Stage 1 complaints were about, {' and '.join(years)}",
        frame=pd.DataFrame(data, columns=["Theme", *years]),
        formats={label: "percent" for label in years},
        note="Shares of the complaints whose theme was recorded"
        + (f" ({and_list(counts)})" if counts else "")
        + ". A theme absent in a year shows 0%.",
        counts=(CountBlock(pd.DataFrame(numerators), total_rows=(RECORDED,)),),
    )


def _shown_theme_years(ctx: ReportContext, area: str) -> dict[str, dict[str, Any] | None]:
    """:func:`_theme_years` as the published table shows them: a hidden share is ``[c]``."""
    years = _theme_years(ctx, area)
    frame = ctx.suppress(theme_table(ctx, area)).frame
    return {
        label: None if shares is None else dict(zip(frame["Theme"], frame[label], strict=True))
        for label, shares in years.items()
    }


def theme_sentences(ctx: ReportContext, area: str) -> list[str]:
    """The most common theme, the largest rise and fall against last year, and themes not recorded.

    Shares are stated as the published table shows them: one it hides is not stated.
    """
    fy, prev = ctx.fy.label, ctx.previous.label
    fy_words = str(ctx.fy)
    prev_words = str(ctx.previous)  # how the report writes them
    num = ctx.numbers
    years = _theme_years(ctx, area)
    shown = _shown_theme_years(ctx, area)
    now, before = shown.get(fy), shown.get(prev)
    themes = dict(area_entry(ctx, area)["themes"])
    missing = themes.pop(NOT_RECORDED, 0)
    recorded = sum(themes.values())
    total = recorded + missing
    if total == 0:
        return [f"{area} received no informal or Stage 1 complaints in {fy_words}."]
    if not now:
        return [
            f"{area} received {num.plural(total, 'informal or Stage 1 complaint')} in {fy_words}; "
            "none recorded a theme."
        ]

    def ok(v: Any) -> bool:
        return v is not None and not (isinstance(v, str) and v == SUPPRESSED)

    order = _ordered_themes(years)
    top = order[0]
    if ok(now[top]):
        b = before.get(top) if before else None
        lines = [
            f"The most common theme of complaints about {area} in {fy_words} was {top}: "
            f"{format_percent(now[top])} of the complaints whose theme was recorded, "
            f"{points_phrase(now[top], b if ok(b) else None, prev_words)}."
        ]
    else:
        lines = [
            f"The most common theme of complaints about {area} in {fy_words} was {top} "
            f"({NOT_STATED.format(what='its share')})."
        ]
    if before:
        moves = {t: now[t] - before[t] for t in order if ok(now[t]) and ok(before[t])}
        # Compare what readers see: a change that rounds to the same percent is no change.
        moves = {
            t: d for t, d in moves.items() if format_percent(now[t]) != format_percent(before[t])
        }
        up = max(moves, key=lambda t: moves[t], default=None)
        down = min(moves, key=lambda t: moves[t], default=None)
        parts = []
        if up is not None and moves[up] > 0 and up != top:
            parts.append(
                f"{up} rose the most, to {format_percent(now[up])} from "
                f"{format_percent(before[up])} in {prev_words}"
            )
        if down is not None and moves[down] < 0:
            parts.append(
                f"{down} fell the most, to {format_percent(now[down])} from "
                f"{format_percent(before[down])} in {prev_words}"
            )
        if parts:
            lines.append("; ".join(parts) + ".")
    elif not ctx.has_year(prev):
        lines.append(f"The data set holds no records for {prev_words} to compare.")
    if missing:
        lines.append(
            f"The theme was not recorded for {num.count(missing)} of the "
            f"{num.plural(total, 'complaint')}."
        )
    return lines


def theme_chart(ctx: ReportContext, area: str) -> Chart:
    """Horizontal bars: each theme's share this year against last, for one area."""
    themes = _ordered_themes(_theme_years(ctx, area))
    # The shares the published table shows, so the chart hides what it hides.
    years = _shown_theme_years(ctx, area)
    # Each year as the report names it (in the in-year pack, its months: see relabel).
    series = {
        ctx.fy.relabel(label): [s[t] for t in themes] for label, s in years.items() if s is not None
    }
    labels = list(series)
    if themes and series:
        described = "; ".join(
            f"{t} "
            + " and ".join(f"{shown_percent(series[label][i])} in {label}" for label in labels)
            for i, t in enumerate(themes)
        )
    else:
        described = "No theme was recorded"
    hidden = hidden_note(ctx, *series.values())
    described += "." + hidden if hidden else ""
    fy = str(ctx.fy)
    return grouped_bars(
        f"08-themes-{slug(area)}",
        themes or [NOT_RECORDED],
        series if themes and series else {fy: [0]},
        title=f"{area}: themes, {' and '.join(labels) or fy}",
        ylabel="Share of complaints whose theme was recorded (%)",
        alt=(
            f"Horizontal bar chart: themes of the informal and Stage 1 complaints about {area}, "
            f"as shares of those whose theme was recorded, {' against '.join(labels) or fy}. "
            f"{described}{'' if hidden else '.'}"
        ),
        caption=f"{area}: what complaints were about, {' and '.join(labels) or fy}; shares of "
        f"the complaints whose theme was recorded.{hidden}",
        percent=True,
        horizontal=True,
    )


# --- section 9: outcomes ---------------------------------------------------------------------


def _outcome_years(ctx: ReportContext, area: str | None) -> dict[str, dict | None]:
    """Outcome shares by year, newest first; None for a year the data set lacks."""
    shares = view_for(ctx, "outcome_shares", area, outcome_shares)
    return {label: (s if ctx.has_year(label) else None) for label, s in shares.items()}


def outcome_table(ctx: ReportContext, area: str | None) -> ReportTable:
    """Fully, partly and not justified as shares of the judged Stage 1 complaints, by year.

    Parameters
    ----------
    area
        A Children's Services area, or None for the whole council.
    """
    years = _outcome_years(ctx, area)
    rows, counts = [], []
    for label, s in years.items():
        if s is None:
            rows.append([label, None, None, None, None])
            counts.append([label, None, None, None, None])
        else:
            rows.append([label, s["judged"], *(s[o] for o in JUDGED)])
            # Each share's count (the shares are of a whole number of complaints).
            counts.append(
                [label, s["judged"], *(round((s[o] or 0.0) * s["judged"]) for o in JUDGED)]
            )
    judged = "Stage 1 complaints judged"
    name = area or COUNCIL
    columns = ["Year", judged, *JUDGED]
    return ReportTable(
        name=f"09-outcomes-{slug(area)}",
        title=f"{name}: outcomes of Stage 1 complaints, {list(years)[-1]} to {list(years)[0]}",
        frame=pd.DataFrame(rows, columns=columns),
        formats={judged: "count", **{o: "percent" for o in JUDGED}},
        note="Shares of the Stage 1 complaints found fully, partially or not justified; "
        "withdrawn and open complaints are not counted.",
        # The three outcomes add up to the complaints judged.
        counts=(CountBlock(pd.DataFrame(counts, columns=columns), total_columns=(judged,)),),
    )


def _stage1_counts(ctx: ReportContext, area: str | None) -> tuple[int, int]:
    """Stage 1 complaints of the year and how many were withdrawn."""
    if area is None:
        c = ctx.prep.complaints
        s1 = c[(c["fy_start"] == ctx.fy.start_year) & (c["stage"] == "Stage 1")]
        total, withdrawn = int(len(s1)), int((s1["outcome"] == "Withdrawn").sum())
        # The council's figures.json holds the same counts (traced, see stated.py).
        council = ctx.figures["council"]
        if council["formal"] == total:
            total = council["formal"]
        if council["timescales"]["Stage 1"]["withdrawn"] == withdrawn:
            withdrawn = council["timescales"]["Stage 1"]["withdrawn"]
        return total, withdrawn
    f = area_entry(ctx, area)
    return f["stages"]["Stage 1"], f["outcomes"].get("Withdrawn", 0)


def outcome_sentences(ctx: ReportContext, area: str | None) -> list[str]:
    """How many Stage 1 complaints were judged, withdrawn or still open (``area`` None: the whole
    council); :func:`outcome_points` gives the shares."""
    fy = ctx.fy.label
    fy_words = str(ctx.fy)  # how the report writes them
    where = "across the council" if area is None else f"about {area}"
    s = _outcome_years(ctx, area).get(fy)
    total, withdrawn = _stage1_counts(ctx, area)
    if s is None or total == 0:
        return [f"No Stage 1 complaints {where} were received in {fy_words}."]
    judged = s["judged"]
    still_open = total - judged - withdrawn
    num = ctx.numbers
    # The Stage 1 total is stated across the report: no part may give another away.
    said_judged, said_withdrawn, said_open = num.split(total, [judged, withdrawn, still_open])
    others = []
    if withdrawn:
        verb = "were" if said_withdrawn in ("some", num.band) else num.was_were(withdrawn)
        others.append(f"{said_withdrawn} {verb} withdrawn")
    if still_open:
        others.append(f"{said_open} had no outcome recorded")
    if judged == 0:
        return [
            f"{num.plural(total, 'Stage 1 complaint')} {where} "
            f"{num.was_were(total)} received in {fy_words}, "
            "but none was found fully, partially or not justified"
            + (f" ({and_list(others)})." if others else ".")
        ]
    how_many = "all" if judged == total else said_judged
    return [
        f"Of the {num.plural(total, 'Stage 1 complaint')} {where} in {fy_words}, "
        f"{how_many} {'were' if how_many in ('some', num.band) else num.was_were(judged)} "
        "found fully, partially or not justified" + (f"; {and_list(others)}." if others else ".")
    ]


def outcome_points(ctx: ReportContext, area: str | None) -> list[str]:
    """One line per outcome: ``Fully justified: 11%, up from 7% in 2022-23``."""
    fy, prev = ctx.fy.label, ctx.previous.label
    prev_words = str(ctx.previous)  # how the report writes them
    years = _outcome_years(ctx, area)
    now, before = years.get(fy), years.get(prev)
    if not now or not now["judged"]:
        return []
    has_before = bool(before and before["judged"])
    # The shares as the published table shows them: one it hides is not stated.
    shown = ctx.suppress(outcome_table(ctx, area)).frame.set_index("Year")
    lines = []
    for o in JUDGED:
        if shown.at[fy, o] == SUPPRESSED:
            lines.append(f"{o}: {NOT_STATED.format(what='the share')}.")
            continue
        b = before[o] if has_before and shown.at[prev, o] != SUPPRESSED else None
        lines.append(f"{o}: {format_percent(now[o])}, {points_phrase(now[o], b, prev_words)}.")
    return lines
