"""Sections 7, 8 and 9: who complained, what the complaints were about, and their outcomes."""

from __future__ import annotations

import pandas as pd

from ..calendar import FinancialYear
from ..charts import Chart, grouped_bars
from ..figures import JUDGED, NOT_RECORDED, area_figures
from ..narrative import and_list, plural, points_phrase, slug, was_were
from ..report import ReportContext
from ..tables import ReportTable, format_count, format_percent
from ..views import outcome_shares, theme_shares
from . import area_entry, view_for

COUNCIL = "Whole council"


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
    return ReportTable(
        name=f"07-complainants-{slug(area)}",
        title=f"{area}: who made the informal and Stage 1 complaints, {ctx.fy.label}",
        frame=pd.DataFrame(rows, columns=["Complainant", "Complaints", "Share of those recorded"]),
        formats={"Complaints": "count", "Share of those recorded": "percent"},
        note="Shares are of the complaints whose complainant type was recorded.",
    )


def complainant_sentences(ctx: ReportContext, area: str) -> list[str]:
    """How many complaints recorded who made them, and the largest groups."""
    fy = ctx.fy.label
    types, missing = _types(ctx, area)
    recorded = sum(types.values())
    total = recorded + missing
    if total == 0:
        return [f"{area} received no informal or Stage 1 complaints in {fy}."]
    if recorded == 0:
        return [
            f"{area} received {plural(total, 'informal or Stage 1 complaint')} in {fy}; "
            "none recorded who made the complaint."
        ]
    lines = [
        f"Of the {plural(total, 'informal and Stage 1 complaint')} about {area} in {fy}, "
        f"{format_count(recorded)} recorded who made the complaint"
        + (f" and {format_count(missing)} did not." if missing else ".")
    ]
    top = list(types.items())[:3]
    first, *rest = top
    line = (
        f"The largest group was {first[0]}: {plural(first[1], 'complaint')}, "
        f"{format_percent(first[1] / recorded)} of those recorded"
    )
    if rest:
        line += ", followed by " + and_list(
            [f"{t} ({format_count(n)}, {format_percent(n / recorded)})" for t, n in rest]
        )
    lines.append(line + ".")
    return lines


def complainant_chart(ctx: ReportContext) -> Chart:
    """Horizontal bars: each complainant type's share of the recorded complaints, one bar per area."""
    fy = ctx.fy.label
    per_area = {a: _types(ctx, a) for a in ctx.areas}
    totals: dict[str, int] = {}
    for types, _ in per_area.values():
        for t, n in types.items():
            totals[t] = totals.get(t, 0) + n
    categories = sorted(totals, key=lambda t: (-totals[t], t))
    series, described, missing = {}, [], []
    for a, (types, not_recorded) in per_area.items():
        recorded = sum(types.values())
        series[a] = [_share(types.get(t, 0), recorded) for t in categories]
        if recorded:
            parts = ", ".join(
                f"{t} {format_percent(s)}" for t, s in zip(categories, series[a], strict=True)
            )
            described.append(f"{a} ({format_count(recorded)} recorded): {parts}")
        else:
            described.append(f"{a}: none recorded")
        missing.append(f"{a} {format_count(not_recorded)}")
    if not categories:
        described = ["No complainant type was recorded"]
    return grouped_bars(
        "07-complainant-types",
        categories or [NOT_RECORDED],
        series if categories else {"Complaints": [0]},
        title=f"Who complained, {fy}",
        ylabel="Share of complaints whose complainant was recorded (%)",
        alt=(
            f"Horizontal bar chart: who made the informal and Stage 1 complaints in {fy}, as "
            f"shares of the complaints whose complainant was recorded. {'; '.join(described)}."
        ),
        caption=(
            f"Complainant types, {fy}: shares of the complaints where the complainant was recorded. "
            f"Not recorded: {and_list(missing) if missing else 'none'}."
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
    for label in years:
        fy = FinancialYear.parse(label)
        f = area_entry(ctx, area) if fy == ctx.fy else area_figures(ctx.prep, fy, area)
        recorded = sum(n for t, n in f["themes"].items() if t != NOT_RECORDED)
        counts.append(f"{format_count(recorded)} in {label}")
    return ReportTable(
        name=f"08-themes-{slug(area)}",
        title=f"{area}: what the informal and Stage 1 complaints were about, {' and '.join(years)}",
        frame=pd.DataFrame(data, columns=["Theme", *years]),
        formats={label: "percent" for label in years},
        note="Shares of the complaints whose theme was recorded ("
        + and_list(counts)
        + "). A theme absent in a year shows 0%.",
    )


def theme_sentences(ctx: ReportContext, area: str) -> list[str]:
    """The most common theme, the largest rise and fall against last year, and themes not recorded."""
    fy, prev = ctx.fy.label, ctx.previous.label
    years = _theme_years(ctx, area)
    now, before = years.get(fy), years.get(prev)
    themes = dict(area_entry(ctx, area)["themes"])
    missing = themes.pop(NOT_RECORDED, 0)
    total = sum(themes.values()) + missing
    if total == 0:
        return [f"{area} received no informal or Stage 1 complaints in {fy}."]
    if not now:
        return [
            f"{area} received {plural(total, 'informal or Stage 1 complaint')} in {fy}; "
            "none recorded a theme."
        ]
    order = _ordered_themes(years)
    top = order[0]
    lines = [
        f"The most common theme of complaints about {area} in {fy} was {top}: "
        f"{format_percent(now[top])} of the complaints whose theme was recorded, "
        f"{points_phrase(now[top], before.get(top) if before else None, prev)}."
    ]
    if before:
        moves = {
            t: now[t] - before[t] for t in order if now[t] is not None and before[t] is not None
        }
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
                f"{format_percent(before[up])} in {prev}"
            )
        if down is not None and moves[down] < 0:
            parts.append(
                f"{down} fell the most, to {format_percent(now[down])} from "
                f"{format_percent(before[down])} in {prev}"
            )
        if parts:
            lines.append("; ".join(parts) + ".")
    elif not ctx.has_year(prev):
        lines.append(f"The data set holds no records for {prev} to compare.")
    if missing:
        lines.append(
            f"The theme was not recorded for {format_count(missing)} of the "
            f"{plural(total, 'complaint')}."
        )
    return lines


def theme_chart(ctx: ReportContext, area: str) -> Chart:
    """Horizontal bars: each theme's share this year against last, for one area."""
    years = _theme_years(ctx, area)
    themes = _ordered_themes(years)
    series = {label: [s[t] for t in themes] for label, s in years.items() if s is not None}
    labels = list(series)
    if themes and series:
        described = "; ".join(
            f"{t} "
            + " and ".join(f"{format_percent(series[label][i])} in {label}" for label in labels)
            for i, t in enumerate(themes)
        )
    else:
        described = "No theme was recorded"
    fy = ctx.fy.label
    return grouped_bars(
        f"08-themes-{slug(area)}",
        themes or [NOT_RECORDED],
        series if themes and series else {fy: [0]},
        title=f"{area}: themes, {' and '.join(labels) or fy}",
        ylabel="Share of complaints whose theme was recorded (%)",
        alt=(
            f"Horizontal bar chart: themes of the informal and Stage 1 complaints about {area}, "
            f"as shares of those whose theme was recorded, {' against '.join(labels) or fy}. "
            f"{described}."
        ),
        caption=f"{area}: what complaints were about, {' and '.join(labels) or fy}; shares of "
        "the complaints whose theme was recorded.",
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
    rows = []
    for label, s in years.items():
        if s is None:
            rows.append([label, None, None, None, None])
        else:
            rows.append([label, s["judged"], *(s[o] for o in JUDGED)])
    judged = "Stage 1 complaints judged"
    name = area or COUNCIL
    return ReportTable(
        name=f"09-outcomes-{slug(area)}",
        title=f"{name}: outcomes of Stage 1 complaints, {list(years)[-1]} to {list(years)[0]}",
        frame=pd.DataFrame(rows, columns=["Year", judged, *JUDGED]),
        formats={judged: "count", **{o: "percent" for o in JUDGED}},
        note="Shares of the Stage 1 complaints found fully, partially or not justified; "
        "withdrawn and open complaints are not counted.",
    )


def _stage1_counts(ctx: ReportContext, area: str | None) -> tuple[int, int]:
    """Stage 1 complaints of the year and how many were withdrawn."""
    if area is None:
        c = ctx.prep.complaints
        s1 = c[(c["fy_start"] == ctx.fy.start_year) & (c["stage"] == "Stage 1")]
        return int(len(s1)), int((s1["outcome"] == "Withdrawn").sum())
    f = area_entry(ctx, area)
    return f["stages"]["Stage 1"], f["outcomes"].get("Withdrawn", 0)


def outcome_sentences(ctx: ReportContext, area: str | None) -> list[str]:
    """How many Stage 1 complaints were judged, withdrawn or still open (``area`` None: the whole
    council); :func:`outcome_points` gives the shares."""
    fy = ctx.fy.label
    where = "across the council" if area is None else f"about {area}"
    s = _outcome_years(ctx, area).get(fy)
    total, withdrawn = _stage1_counts(ctx, area)
    if s is None or total == 0:
        return [f"No Stage 1 complaints {where} were received in {fy}."]
    judged = s["judged"]
    still_open = total - judged - withdrawn
    others = []
    if withdrawn:
        others.append(f"{format_count(withdrawn)} {was_were(withdrawn)} withdrawn")
    if still_open:
        others.append(f"{format_count(still_open)} had no outcome yet")
    if judged == 0:
        return [
            f"{plural(total, 'Stage 1 complaint')} {where} {was_were(total)} received in {fy}, "
            "but none was found fully, partially or not justified"
            + (f" ({and_list(others)})." if others else ".")
        ]
    how_many = "all" if judged == total else format_count(judged)
    return [
        f"Of the {plural(total, 'Stage 1 complaint')} {where} in {fy}, "
        f"{how_many} {was_were(judged)} found fully, partially or not justified"
        + (f"; {and_list(others)}." if others else ".")
    ]


def outcome_points(ctx: ReportContext, area: str | None) -> list[str]:
    """One line per outcome: ``Fully justified: 11%, up from 7% in 2022-23``."""
    fy, prev = ctx.fy.label, ctx.previous.label
    years = _outcome_years(ctx, area)
    now, before = years.get(fy), years.get(prev)
    if not now or not now["judged"]:
        return []
    has_before = bool(before and before["judged"])
    lines = []
    for o in JUDGED:
        b = before[o] if has_before else None
        lines.append(f"{o}: {format_percent(now[o])}, {points_phrase(now[o], b, prev)}.")
    return lines
