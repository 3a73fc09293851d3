"""Sections 5 and 6: the statutory overview (stages, Stage 2 and 3 cases) and the Ombudsman."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..figures.views import (
    ombudsman_upheld,
    remedy_history,
    stage2_cases,
    stage2_cost_history,
    statutory,
)
from ..present.narrative import NOT_STATED, and_list, format_count, format_money, slug
from ..present.tables import CountBlock, ReportTable
from ..report import ReportContext
from . import area_entry, council_blocks, list_withheld, view_for, withhold_rows

ESCALATIONS = ("Stage 2", "Stage 3")
COST_COLUMNS = {
    "investigator": "Investigating Officer cost",
    "independent_person": "Independent Person cost",
    "additional": "Additional cost",
}


# --- helpers ---------------------------------------------------------------------------------


def _money_against(now: float, before: float | None, previous: str) -> str:
    """``up from £3,105.00 in 2022-23``: amounts, since a percentage of a small sum misleads."""
    if before is None:
        return f"with no figure for {previous} to compare"
    if round(now, 2) == round(before, 2):
        return f"the same as in {previous}"
    was = format_money(before) if before else "nothing"
    return f"{'up' if now > before else 'down'} from {was} in {previous}"


# --- section 5: statutory overview -----------------------------------------------------------


def statutory_years(ctx: ReportContext, area: str) -> dict[str, dict[str, int] | None]:
    """The statutory view of an area by year, newest first; None for a year the data set lacks."""
    rows = view_for(ctx, "statutory", area, statutory)
    return {label: (row if ctx.has_year(label) else None) for label, row in rows.items()}


def _approaches(row: dict[str, int]) -> str:
    """``5 with 1 upheld``, as the published table puts it."""
    n, upheld = row["ombudsman_decisions"], row["ombudsman_upheld"]
    if n == 0:
        return "0"
    if upheld == 0:
        return f"{format_count(n)}, none upheld"
    return f"{format_count(n)} with {format_count(upheld)} upheld"


def _has_escalations(years: dict[str, dict[str, int] | None]) -> bool:
    return any(r and (r["Stage 2"] or r["Stage 3"]) for r in years.values())


def statutory_table(ctx: ReportContext, area: str) -> ReportTable:
    """Representations, Stage 1, 2 and 3 and Ombudsman approaches for the year and the two before.

    The Stage 2 and Stage 3 rows appear for an area that had an escalation in any of the three
    years (the statutory social care procedure); otherwise the table stops at Stage 1.
    """
    years = statutory_years(ctx, area)
    stages = [("Representations (informal)", "Informal"), ("Stage 1 (formal)", "Stage 1")]
    if _has_escalations(years):
        stages += [("Stage 2", "Stage 2"), ("Stage 3", "Stage 3")]
    data: dict[str, list] = {"Complaints": [label for label, _ in stages]}
    data["Complaints"].append("Ombudsman (LGSCO) approaches")
    for label, row in years.items():
        cells = [None if row is None else format_count(row[key]) for _, key in stages]
        cells.append(None if row is None else _approaches(row))
        data[label] = cells
    missing = [label for label, row in years.items() if row is None]
    note = "Representations are complaints resolved informally, outside the statutory process."
    if missing:
        note += f" The data set holds no records for {', '.join(missing)} (shown as –)."
    # The counts the text cells show, for disclosure control: each stage on its own, and the
    # Ombudsman's decisions as upheld plus not upheld (the upheld count is in the same cell).
    approaches = data["Complaints"][-1]

    def counts(rows: dict[str, str]) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "Complaints": list(rows),
                **{
                    label: [None if row is None else _count(row, key) for key in rows.values()]
                    for label, row in years.items()
                },
            }
        )

    stage_block = CountBlock(counts(dict(stages)))
    ombudsman_block = CountBlock(
        counts(
            {
                approaches: "ombudsman_decisions",
                "upheld": "ombudsman_upheld",
                "not upheld": "ombudsman_not_upheld",
            }
        ),
        total_rows=(approaches,),
        rows={"upheld": approaches},
    )
    return ReportTable(
        name=f"05-statutory-{slug(area)}",
        title=f"{area}: complaints by stage and approaches to the Ombudsman, "
        f"{' to '.join([list(years)[-1], list(years)[0]])}",
        frame=pd.DataFrame(data),
        note=note,
        counts=(stage_block, ombudsman_block),
    )


def _count(row: dict[str, int], key: str) -> int:
    if key == "ombudsman_not_upheld":
        return row["ombudsman_decisions"] - row["ombudsman_upheld"]
    return row[key]


def _as_figures(
    ctx: ReportContext, area: str, fy: str, row: dict[str, int] | None
) -> dict[str, int] | None:
    """A year's row of :func:`statutory_years` with figures.json's own counts (traced, see
    stated.py) where that year's figures.json holds the area."""
    f = ctx.area_figures(area, fy) if row is not None else None
    if f is None:
        return row
    return {
        **row,
        **f["stages"],
        "ombudsman_decisions": f["ombudsman"]["decisions"],
        "ombudsman_upheld": f["ombudsman"]["upheld"],
    }


def statutory_sentences(ctx: ReportContext, area: str) -> list[str]:
    """How the area's representations, Stage 1 complaints and escalations compare with last year."""
    fy, prev = ctx.fy.label, ctx.previous.label
    fy_words = str(ctx.fy)
    prev_words = str(ctx.previous)  # how the report writes them
    years = statutory_years(ctx, area)
    now, before = years[fy], years.get(prev)
    if now is None:
        return [f"The data set holds no complaint records for {fy_words}."]
    # The same counts as figures.json holds them, so that each sentence records its figures.
    now, before = _as_figures(ctx, area, fy, now), _as_figures(ctx, area, prev, before)

    def b(key: str) -> int | None:
        return None if before is None else before[key]

    num = ctx.numbers
    if now["Informal"] == 0 and now["Stage 1"] == 0:
        lines = [
            f"{area} had no representations (informal complaints) or Stage 1 complaints in {fy_words}."
        ]
    else:
        lines = [
            f"In {fy_words} {area} had {num.plural(now['Informal'], 'representation')} (informal "
            f"complaints), {num.change(now['Informal'], b('Informal'), prev_words)}, and "
            f"{num.plural(now['Stage 1'], 'Stage 1 complaint')}, "
            f"{num.change(now['Stage 1'], b('Stage 1'), prev_words)}."
        ]
    s2, s3 = now["Stage 2"], now["Stage 3"]
    if s2 or s3:
        lines.append(
            f"{num.plural(s2, 'complaint') if s2 else 'No complaint'} went to Stage 2 and "
            f"{num.count(s3) if s3 else 'none'} to Stage 3."
        )
    else:
        lines.append(f"No complaint went to Stage 2 or Stage 3 in {fy_words}.")
    n, upheld = now["ombudsman_decisions"], now["ombudsman_upheld"]
    if n:
        lines.append(
            f"The Ombudsman decided {num.plural(n, 'complaint')} about {area} and upheld "
            f"{num.count(upheld) if upheld else 'none'}."
            if not num.hidden_rest(upheld, n)
            else f"The Ombudsman decided {num.plural(n, 'complaint')} about {area} "
            f"({NOT_STATED.format(what='how many it upheld')})."
        )
    else:
        lines.append(f"The Ombudsman made no decisions about {area} in {fy_words}.")
    return lines


def escalation_areas(ctx: ReportContext) -> list[str]:
    """The areas whose Stage 2 and 3 cases the report lists: those with an escalation this year or
    last, else the first area (so that the report still says there were none)."""
    labels = (ctx.fy.label, ctx.previous.label)
    found = [
        a
        for a in ctx.areas
        if any((statutory_years(ctx, a).get(y) or {}).get(s) for y in labels for s in ESCALATIONS)
    ]
    return found or ctx.areas[:1]


def _case_outcome(case: dict[str, Any]) -> str:
    """The latest outcome, saying at which stage a case was withdrawn or is still open."""
    stage, outcome = case["latest_stage"], case["outcome"]
    if outcome is None:
        return f"Open at {stage}"
    if outcome == "Withdrawn" or stage == "Stage 3":
        return f"{outcome} at {stage}"
    return outcome


def stage2_table(ctx: ReportContext, area: str) -> ReportTable:
    """The year's Stage 2 and 3 cases: reference, team, subject, outcome and costs, with totals.

    An open case's costs that are still blank show as not yet known rather than £0.00.
    """
    cases = view_for(ctx, "stage2_cases", area, stage2_cases)
    rows = []
    for c in cases:
        open_case = c["outcome"] is None
        row = {
            "Case reference": c["case_ref"],
            "Team": c["team"],
            "Brief subject": c["subject"],
            "Outcome": _case_outcome(c),
        }
        for key, column in COST_COLUMNS.items():
            row[column] = None if open_case and not c[key] else c[key]
        rows.append(row)
    costs = area_entry(ctx, area)["stage2_costs"]
    total = {"Case reference": "Total", "Team": "", "Brief subject": "", "Outcome": ""}
    total.update({column: costs[key] for key, column in COST_COLUMNS.items()})
    rows.append(total)
    columns = ["Case reference", "Team", "Brief subject", "Outcome", *COST_COLUMNS.values()]
    note = "Costs are the fees of the Investigating Officer and the Independent Person and any other cost."
    if any(c["outcome"] is None for c in cases):
        note += " – : not yet known (the case is still open)."
    if not cases:
        note = f"No complaint about {area} went to Stage 2 or Stage 3 in {ctx.fy}."
    table = ReportTable(
        name=f"05-stage2-cases-{slug(area)}",
        title=f"{area}: Stage 2 and Stage 3 cases, {ctx.fy}",
        frame=pd.DataFrame(rows, columns=columns),
        formats={column: "money" for column in COST_COLUMNS.values()},
        note=note,
        free_text=("Brief subject",),
    )
    cells = tuple((stage, ctx.fy.label) for stage in ESCALATIONS)
    if list_withheld(ctx, len(cases), statutory_table(ctx, area), cells):
        return withhold_rows(table, f"{area} Stage 2 and Stage 3 cases")  # the cost total stays
    return table


def stage2_sentences(ctx: ReportContext, area: str) -> list[str]:
    """Cases accepted at Stage 2 against last year, those still open, and what they cost."""
    fy, prev = ctx.fy.label, ctx.previous.label
    fy_words = str(ctx.fy)
    prev_words = str(ctx.previous)  # how the report writes them
    years = statutory_years(ctx, area)
    now, before = years[fy], years.get(prev)
    if now is None:
        return [f"The data set holds no complaint records for {fy_words}."]
    # The same counts as figures.json holds them, so that each sentence records its figures.
    now, before = _as_figures(ctx, area, fy, now), _as_figures(ctx, area, prev, before)
    num = ctx.numbers
    s2 = now["Stage 2"]
    s2_before = None if before is None else before["Stage 2"]
    if s2 == 0 and s2_before == 0:
        lines = [f"No case was accepted at Stage 2 in {fy_words}, as in {prev_words}."]
    elif s2 == 0:
        lines = [
            f"No case was accepted at Stage 2 in {fy_words}, {num.against(0, s2_before, prev_words)}."
        ]
    else:
        lines = [
            f"{num.plural(s2, 'case')} {num.was_were(s2)} accepted at Stage 2 in {fy_words}, "
            f"{num.against(s2, s2_before, prev_words)}."
        ]
    if now["Stage 3"]:
        lines.append(
            f"{num.plural(now['Stage 3'], 'case')} went on to Stage 3 (a request for a review panel)."
        )
    cases = view_for(ctx, "stage2_cases", area, stage2_cases)
    still_open = sum(c["outcome"] is None for c in cases)
    if still_open:
        lines.append(
            f"{num.plural(still_open, 'case')} {num.was_were(still_open)} still open, with no "
            "final outcome, when the case records were taken."
        )
    costs = area_entry(ctx, area)["stage2_costs"]
    total = round(sum(costs.values()), 2)
    history = view_for(ctx, "stage2_cost_history", area, stage2_cost_history)
    before_total = history.get(prev) if ctx.has_year(prev) else None
    then = ctx.area_figures(area, prev)  # the same sum from figures.json, traced (stated.py)
    if then is not None and before_total is not None:
        before_total = round(sum(then["stage2_costs"].values()), 2)
    if total == 0 and not cases:
        lines.append(f"There were no Stage 2 or Stage 3 costs in {fy_words}.")
        return lines
    compare = "" if before_total is None else f", {_money_against(total, before_total, prev_words)}"
    lines.append(
        f"The overall cost of the Stage 2 and Stage 3 investigations in {fy_words} was "
        f"{format_money(total)}{compare}."
    )
    lines.append(
        f"Investigating Officers cost {format_money(costs['investigator'])}, Independent Persons "
        f"{format_money(costs['independent_person'])} and additional costs came to "
        f"{format_money(costs['additional'])}."
    )
    return lines


# --- section 6: the Ombudsman ----------------------------------------------------------------


def ombudsman_table(ctx: ReportContext) -> ReportTable:
    """Ombudsman decisions, upheld decisions and remedies: each children's area, children's
    services together, and the whole council."""
    rows = []
    for area in ctx.areas:
        o = area_entry(ctx, area)["ombudsman"]
        rows.append([area, o["decisions"], o["upheld"], o["remedy_total"]])
    if len(ctx.areas) > 1:
        rows.append(
            [
                "Children's services",
                sum(r[1] for r in rows),
                sum(r[2] for r in rows),
                round(sum(r[3] for r in rows), 2),
            ]
        )
    council = ctx.figures["council"]
    rows.append(
        [
            "Whole council",
            council["ombudsman_decisions"],
            council["ombudsman_upheld"],
            council["remedy_total"],
        ]
    )
    frame = pd.DataFrame(rows, columns=["Area", "Decisions", "Upheld", "Remedies"])
    frame.insert(
        3,
        "Share of decisions upheld",
        [
            None if d == 0 else u / d
            for d, u in zip(frame["Decisions"], frame["Upheld"], strict=True)
        ],
    )
    # Decisions are upheld plus the rest: the share of decisions upheld gives the "not upheld" count away.
    counts = {
        str(r[0]): {"Decisions": r[1], "Upheld": r[2], "not upheld": r[1] - r[2]} for r in rows
    }
    return ReportTable(
        name="06-ombudsman-decisions",
        title=f"Ombudsman decisions and remedies, {ctx.fy}",
        frame=frame,
        formats={
            "Decisions": "count",
            "Upheld": "count",
            "Share of decisions upheld": "percent",
            "Remedies": "money",
        },
        note="Decisions are counted in the year the Ombudsman made them. The share of decisions "
        "upheld is of all its decisions, including those it did not investigate; the "
        "Ombudsman's upheld rate, a share of its detailed investigations only, is in the "
        "section on the Complaint Handling Code. Remedies are the financial remedies the "
        "council was asked to pay.",
        counts=council_blocks(
            ctx.areas,
            "Children's services" if len(ctx.areas) > 1 else None,
            "Whole council",
            counts,
            total_columns=("Decisions",),
        ),
    )


def _children_remedies(ctx: ReportContext, label: str) -> float:
    """The areas' Ombudsman remedies in a year, from that year's figures.json where it holds them."""
    return round(
        sum(
            e["ombudsman"]["remedy_total"]
            if (e := ctx.area_figures(a, label)) is not None
            else view_for(ctx, "remedy_history", a, remedy_history).get(label, 0.0)
            for a in ctx.areas
        ),
        2,
    )


def ombudsman_sentences(ctx: ReportContext) -> list[str]:
    """Council-wide decisions and upheld, children's services' share and remedy total."""
    fy, prev = ctx.fy.label, ctx.previous.label
    fy_words = str(ctx.fy)
    prev_words = str(ctx.previous)  # how the report writes them
    council = ctx.figures["council"]
    n, upheld = council["ombudsman_decisions"], council["ombudsman_upheld"]
    if n == 0:
        return [f"The Ombudsman made no decisions about the council in {fy_words}."]
    num = ctx.numbers
    # Upheld is stated only when it and the decisions not upheld (the rest) are not hidden.
    stated = not num.hidden_rest(upheld, n)
    lines = [
        f"Across the council, the Ombudsman decided {num.plural(n, 'complaint')} in {fy_words}"
        + (
            f" and upheld {num.count(upheld) if upheld else 'none'}."
            if stated
            else f" ({NOT_STATED.format(what='how many it upheld')})."
        )
    ]
    per_area = {a: area_entry(ctx, a)["ombudsman"]["upheld"] for a in ctx.areas}
    children = sum(per_area.values())
    if upheld:
        of_the = f" of the {num.count(upheld)}" if stated and not num.hidden(upheld) else " of the"
        if len(per_area) > 1 and num.hidden(*per_area.values()) and not num.hidden(children):
            # The total beside the other area's figure would give a hidden one away.
            first, *rest = per_area.items()
            parts = [
                f"{num.count(first[1]) if first[1] else 'none'} "
                f"{num.was_were(first[1])} about {first[0]}",
                *(f"{num.count(k) if k else 'none'} about {a}" for a, k in rest),
            ]
            total = f" {num.count(upheld)}" if stated and not num.hidden(upheld) else ""
            lines.append(f"Of the{total} upheld decisions, {and_list(parts)}.")
        else:
            detail = and_list(
                [f"{num.count(k) if k else 'none'} about {a}" for a, k in per_area.items()]
            )
            share = num.count(children) if children else "None"
            lines.append(
                f"{share}{of_the} upheld decisions {num.was_were(children)} "
                "about children's services"
                + (f" ({detail})." if children and len(per_area) > 1 else ".")
            )
    remedies = _children_remedies(ctx, fy)
    before = _children_remedies(ctx, prev) if ctx.has_year(prev) else None
    if remedies or before:
        compare = "" if before is None else f", {_money_against(remedies, before, prev_words)}"
        lines.append(
            f"Remedies for children's services decisions came to {format_money(remedies)}{compare}."
        )
    else:
        lines.append(
            f"The Ombudsman asked for no financial remedy for children's services in {fy_words}."
        )
    return lines


def ombudsman_area_sentences(ctx: ReportContext, area: str) -> list[str]:
    """An area's decisions and upheld decisions against last year, and its remedies."""
    prev = ctx.previous.label
    fy_words = str(ctx.fy)
    prev_words = str(ctx.previous)  # how the report writes them
    o = area_entry(ctx, area)["ombudsman"]
    n, upheld = o["decisions"], o["upheld"]
    if n == 0:
        return [f"The Ombudsman made no decisions about {area} in {fy_words}."]
    num = ctx.numbers
    line = f"The Ombudsman decided {num.plural(n, 'complaint')} about {area} in {fy_words}" + (
        f" and upheld {num.count(upheld) if upheld else 'none'}"
        if not num.hidden_rest(upheld, n)
        else f" ({NOT_STATED.format(what='how many it upheld')})"
    )
    if ctx.has_year(prev):
        b = area_entry(ctx, area, ctx.previous)["ombudsman"]
        line += f" ({num.count(b['decisions'])} decided" + (
            f" and {num.count(b['upheld'])} upheld in {prev_words})"
            if not num.hidden_rest(b["upheld"], b["decisions"])
            else f" in {prev_words})"
        )
    lines = [line + "."]
    if upheld:
        lines.append(
            f"Remedies came to {format_money(o['remedy_total'])}."
            if o["remedy_total"]
            else "The upheld decision carried no financial remedy."
            if upheld == 1 and not num.hidden(upheld)
            else "None of the upheld decisions carried a financial remedy."
        )
    return lines


def upheld_areas(ctx: ReportContext) -> list[str]:
    """The areas with at least one upheld Ombudsman decision in the year, in report order."""
    return [a for a in ctx.areas if view_for(ctx, "ombudsman_upheld", a, ombudsman_upheld)]


def upheld_intro(ctx: ReportContext) -> list[str]:
    """What the tables of upheld decisions show, or that there are none."""
    areas = upheld_areas(ctx)
    if not areas:
        return [f"The Ombudsman upheld no complaints about children's services in {ctx.fy}."]
    parts = [len(view_for(ctx, "ombudsman_upheld", a, ombudsman_upheld)) for a in areas]
    lines = [
        f"The {'table lists' if len(areas) == 1 else 'tables list'} the "
        f"{ctx.numbers.plural_total(parts, 'upheld decision')} about children's services in "
        f"{ctx.fy}: the "
        "remedy, the complaint in brief and the service improvements the Ombudsman recommended."
    ]
    withheld = [a for a in areas if _upheld_withheld(ctx, a)]
    if len(withheld) == len(areas):
        lines = [
            f"The Ombudsman upheld {ctx.numbers.plural_total(parts, 'complaint')} about "
            f"children's services in {ctx.fy}. The decisions are not listed: there are too "
            "few to publish without risk of identifying the people involved."
        ]
    elif withheld:
        lines.append(
            f"The decisions about {and_list(withheld)} are not listed: there are too few to "
            "publish without risk of identifying the people involved."
        )
    return lines


def _remedy(rec: dict[str, Any]) -> str:
    """``£31,200.00 + rolling cost``, ``None: apology only``: the amount and its note."""
    amount = "None" if not rec["remedy_amount"] else format_money(rec["remedy_amount"])
    note = (rec["remedy_note"] or "").strip()
    if not note:
        return amount
    return f"{amount} {note}" if note.startswith("+") else f"{amount}: {note}"


def upheld_table(ctx: ReportContext, area: str) -> ReportTable:
    """Each upheld Ombudsman decision of the year: reference, remedy, summary, recommendations."""
    recs = view_for(ctx, "ombudsman_upheld", area, ombudsman_upheld)
    columns = [
        "Ombudsman reference",
        "Remedy",
        "Complaint in brief",
        "Service improvement recommendations",
    ]
    frame = pd.DataFrame(
        [[r["lgsco_ref"], _remedy(r), r["summary"], r["recommendations"]] for r in recs],
        columns=columns,
    )
    total = round(sum(r["remedy_amount"] or 0.0 for r in recs), 2)
    note = (
        f"Total of financial remedies: {format_money(total)}."
        if recs
        else f"The Ombudsman upheld no complaints about {area} in {ctx.fy}."
    )
    table = ReportTable(
        name=f"06-ombudsman-upheld-{slug(area)}",
        title=f"{area}: upheld Ombudsman decisions, {ctx.fy}",
        frame=frame,
        note=note,
        free_text=("Remedy", "Complaint in brief", "Service improvement recommendations"),
    )
    if _upheld_withheld(ctx, area):
        return withhold_rows(table, f"upheld Ombudsman decisions about {area}")
    return table


def _upheld_withheld(ctx: ReportContext, area: str) -> bool:
    recs = view_for(ctx, "ombudsman_upheld", area, ombudsman_upheld)
    return list_withheld(ctx, len(recs), ombudsman_table(ctx), ((area, "Upheld"),))
