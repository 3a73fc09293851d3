"""Sections 1-3: the cover and recommendation, the executive summary and the financial implications."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..data.calendar import FinancialYear, long_date
from ..present.narrative import (
    change_phrase,
    childrens_key_messages,
    format_money,
    key_messages,
)
from ..present.tables import ReportTable
from ..report import ReportContext


def _previous_figures(ctx: ReportContext) -> dict[str, Any] | None:
    """figures.json of the year before the report year, or None when the data set lacks it."""
    return ctx.figures_for(ctx.previous) if ctx.has_year(ctx.previous) else None


# --- 1. Cover and recommendation --------------------------------------------------------------


def cover_table(ctx: ReportContext) -> ReportTable:
    """Who the report is for and what it asks of them, from params; missing items are left out."""
    r = ctx.params.report
    fy = ctx.fy
    items: list[tuple[str, str | None]] = [
        ("Report", r.title),
        ("Council", ctx.params.council),
        (
            "Period covered",
            f"{long_date(fy.start)} to {long_date(fy.end)}, the year to date of financial year "
            f"{fy.label}"
            if fy.is_period
            else f"{fy.label}: {long_date(fy.start)} to {long_date(fy.end)}",
        ),
        ("Committee", r.committee),
        ("Meeting date", long_date(r.meeting_date, weekday=True) if r.meeting_date else None),
        ("Portfolio holder", r.portfolio_holder),
        ("Executive director", r.executive_director),
        ("Report author", r.author),
        ("Author's role", r.author_title),
        ("Report status", r.status),
        ("Recommendation", r.recommendation),
        ("Reason for recommendation", r.reason),
    ]
    rows = [(k, v.strip()) for k, v in items if v is not None and v.strip()]
    frame = pd.DataFrame(rows, columns=["Item", "Detail"])
    return ReportTable("01-cover", "About this report", frame)


# --- 2. Executive summary ---------------------------------------------------------------------


def introduction(ctx: ReportContext) -> list[str]:
    """What the report covers, in the words of the published reports' opening paragraph."""
    fy = ctx.fy
    if fy.is_period:
        return [
            "This year-to-date report gives the numbers, types and outcomes of the complaints "
            f"made about {ctx.params.council}'s services from {long_date(fy.start)} to "
            f"{long_date(fy.end)}, the first {('quarter', 'two quarters', 'three quarters')[fy.last_quarter - 1]} "
            f"of financial year {fy.label}, each against the same months of the year before.",
            f"The key messages below are for {ctx.params.children_directorate}, whose complaints "
            "the statutory procedure covers; the council-wide figures follow them for context.",
        ]
    return [
        f"This annual report gives the numbers, types and outcomes of the complaints made about "
        f"{ctx.params.council}'s services from {long_date(fy.start)} to {long_date(fy.end)} "
        f"(financial year {fy.label}).",
        f"The key messages below are for {ctx.params.children_directorate}, whose complaints the "
        "statutory procedure covers; the council-wide figures follow them for context.",
    ]


def executive_key_messages(ctx: ReportContext) -> list[str]:
    """The key messages for children's services, ranked by what matters (see
    :func:`narrative.childrens_key_messages`), against the year before when the data set has it."""
    t = ctx.params.targets
    national = ctx.params.complaint_handling_code.national_averages
    return childrens_key_messages(
        ctx.figures,
        _previous_figures(ctx),
        directorate=ctx.params.children_directorate,
        limits={
            "Stage 1": (t.stage1_limit, t.stage1_extended_limit),
            "Stage 2": (t.stage2_limit, t.stage2_extended_limit),
            "Stage 3": (t.stage3_panel_limit, None),
        },
        national_compliance=national.compliance_rate,
        numbers=ctx.numbers,
    )


def council_context(ctx: ReportContext) -> list[str]:
    """The council-wide context after the key messages: every directorate's figures against
    the year before (if the data set has it), and code of conduct complaints about councillors."""
    before = _previous_figures(ctx)
    return key_messages(
        ctx.figures["council"],
        before["council"] if before else None,
        ctx.fy.label,
        ctx.figures["council"]["member_conduct"],
        numbers=ctx.numbers,
    )


def _area_counts(figures: dict[str, Any] | None, area: str) -> tuple[int, int] | None:
    """(formal, informal) of an area for a year, or None when the area has no figures then."""
    if figures is None or area not in figures["service_areas"]:
        return None
    year = figures["service_areas"][area]["quarters"]["year"]
    return year["formal"], year["informal"]


def childrens_services(ctx: ReportContext) -> list[str]:
    """One sentence per Children's Services area: complaints this year against last year."""
    fy_words = str(ctx.fy)
    prev_words = str(ctx.previous)  # how the report writes them
    before = _previous_figures(ctx)
    if not ctx.areas:
        return [f"No {ctx.params.children_directorate} complaints were recorded in {fy_words}."]
    lines = []
    num = ctx.numbers
    for area in ctx.areas:
        formal, informal = _area_counts(ctx.figures, area)
        total = formal + informal
        then = _area_counts(before, area)
        if before is None:
            compare = change_phrase(total, None, prev_words)
        else:
            # An area present in the data set but with no records last year had none then.
            was = sum(then) if then else 0
            compare = (
                f"against {num.count(was)} in {prev_words}"  # a change would reveal a hidden part
                if was and num.hidden(formal, informal)
                else num.change(total, was, prev_words)
            )
        if total == 0:
            lines.append(f"{area} received no complaints in {fy_words} ({compare}).")
            continue
        lines.append(
            f"{area} received {num.plural_total([formal, informal], 'complaint')} in {fy_words} "
            f"({num.count(formal)} formal and {num.count(informal)} informal), {compare}."
        )
    return lines


# --- 3. Financial implications ----------------------------------------------------------------


def _money_history(ctx: ReportContext, view: str) -> dict[str, float | None]:
    """A council-wide money view by year, None for years the data set does not cover."""
    history = ctx.views[view]["council"]
    return {
        label: (amount if ctx.has_year(FinancialYear.parse(label)) else None)
        for label, amount in history.items()
    }


def financial_table(ctx: ReportContext) -> ReportTable:
    """Ombudsman remedies and Stage 2/3 investigation costs, council-wide, this year and two before."""
    remedies = _money_history(ctx, "remedy_history")
    costs = _money_history(ctx, "stage2_cost_history")
    frame = pd.DataFrame(
        {
            "Financial year": list(remedies),
            "Ombudsman remedies paid": [remedies[y] for y in remedies],
            "Stage 2 and 3 investigation costs": [costs.get(y) for y in remedies],
        }
    )
    return ReportTable(
        "03-financial-implications",
        f"Ombudsman remedies and independent investigation costs, council-wide, "
        f"{list(remedies)[-1]} to {ctx.fy}",
        frame,
        formats={
            "Ombudsman remedies paid": "money",
            "Stage 2 and 3 investigation costs": "money",
        },
        note=(
            "Remedies: the financial remedies the Local Government and Social Care Ombudsman "
            "asked the council to pay in its decisions of the year. Investigation costs: the "
            "Investigating Officers', Independent Persons' and any other fees of Stage 2 and "
            "Stage 3 complaints received in the year. A dash means the council's records do not "
            "reach that year."
        ),
    )


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"


def earlier_years(history: dict[str, float | None], this_year: str) -> str:
    """``, against £1,800.00 in 2019-20 and nothing in 2018-19`` (years with figures only).

    When this year and every earlier year are nothing, ``, nor in 2019-20 and 2018-19``.
    """
    known = {y: v for y, v in history.items() if y != this_year and v is not None}
    if not known:
        return ""
    if not history[this_year] and not any(known.values()):
        return f", nor in {_and(list(known))}"
    return ", against " + _and(
        [f"{format_money(v) if v else 'nothing'} in {y}" for y, v in known.items()]
    )


def financial_sentences(ctx: ReportContext) -> list[str]:
    """Remedies and investigation costs this year against the two years before."""
    fy = ctx.fy.label
    fy_words = str(ctx.fy)  # how the report writes them
    remedies = _money_history(ctx, "remedy_history")
    costs = _money_history(ctx, "stage2_cost_history")
    paid = remedies[fy] or 0.0
    spent = costs[fy] or 0.0
    lines = [
        (
            f"The council paid {format_money(paid)} in Ombudsman remedies in {fy_words}"
            if paid
            else f"The council paid no Ombudsman remedies in {fy_words}"
        )
        + earlier_years(remedies, fy)
        + ".",
    ]
    children = sum(ctx.area(a)["ombudsman"]["remedy_total"] for a in ctx.areas)
    if paid and children:
        lines.append(
            f"Of this, {format_money(children)} related to {ctx.params.children_directorate}."
        )
    lines.append(
        (
            f"Independent investigation of Stage 2 and Stage 3 complaints cost "
            f"{format_money(spent)} in {fy_words}"
            if spent
            else f"No independent investigation costs were recorded for Stage 2 and Stage 3 "
            f"complaints in {fy_words}"
        )
        + earlier_years(costs, fy)
        + "."
    )
    return lines
