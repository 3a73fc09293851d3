"""Section 14: effectiveness of the procedure, compliments, and how the figures are made."""

from __future__ import annotations

import pandas as pd

from ..data.calendar import QUARTER_MONTHS, QUARTERS, FinancialYear, long_date
from ..data.coverage import year_coverage
from ..present import tables
from ..present.narrative import (
    Numbers,
    and_list,
    change_phrase,
    format_count,
    format_percent,
    plural,
    setting,
)
from ..present.tables import CountBlock, ReportTable
from ..report import ReportContext
from . import council_blocks
from .care import timescales_history
from .timescales import limits_sentence

COUNCIL_ROW = "Whole council"

# The data set's tables as readers know them, in the data contract's order.
TABLE_LABELS = {
    "complaints": "Complaints (one record per stage)",
    "compliments": "Compliments",
    "ombudsman": "Ombudsman decisions",
    "advocacy": "Advocacy referrals (one row per quarter)",
    "equalities": "Equality monitoring forms",
    "member_conduct": "Code of conduct complaints about councillors",
}


def _has_compliments(ctx: ReportContext, fy: FinancialYear) -> bool:
    """Whether the data set reaches ``fy``: before it starts there is no figure, not zero."""
    return bool((ctx.prep.compliments["fy_start"] == fy.start_year).any())


def _compared(
    now: int,
    before: int | None,
    previous: str,
    n: Numbers = Numbers(0),  # noqa: B008
) -> str:
    """``10% more than in 2022-23``; ``against 50 in 2022-23`` when there were none this year.

    Under disclosure control (``n``) a change against a hidden count is not given as a share.
    """
    if now == 0 and before:
        return f"against {n.count(before)} in {previous}"
    return n.change(now, before, previous) if n.threshold else change_phrase(now, before, previous)


def _change(now: int, before: int | None) -> float | None:
    return None if before in (None, 0) else (now - before) / before


# --- compliments -----------------------------------------------------------------------------


def compliments(ctx: ReportContext) -> dict[str, dict[str, int | None]]:
    """Compliments this year and last, per area, for Children's Services and council-wide.

    Returns
    -------
    ``{row label: {"now": n, "before": m or None}}``, areas first, then the Children's Services
    total (when there is more than one area) and the whole council.
    """
    has_before = _has_compliments(ctx, ctx.previous)
    changes = ctx.views["changes"]
    out: dict[str, dict[str, int | None]] = {}
    for a in ctx.areas:
        out[a] = {
            "now": ctx.area(a)["quarters"]["year"]["compliments"],
            "before": changes[a]["previous"]["compliments"] if has_before else None,
        }
    if len(ctx.areas) > 1:
        out[f"{ctx.params.children_directorate} (total)"] = {
            "now": sum(out[a]["now"] for a in ctx.areas),
            "before": sum(out[a]["before"] for a in ctx.areas) if has_before else None,
        }
    out[COUNCIL_ROW] = {
        "now": ctx.figures["council"]["compliments"],
        "before": changes["council"]["previous"]["compliments"] if has_before else None,
    }
    return out


def compliments_table(ctx: ReportContext) -> ReportTable:
    """Compliments per area and council-wide, this year against last, with the change."""
    rows = compliments(ctx)
    now, before = ctx.fy.label, ctx.previous.label
    frame = pd.DataFrame(
        {
            "Service area": list(rows),
            now: [r["now"] for r in rows.values()],
            before: [r["before"] for r in rows.values()],
            "Change": [_change(r["now"], r["before"]) for r in rows.values()],
        }
    )
    return ReportTable(
        name="14-compliments",
        title=f"Compliments received, {now} and {before}",
        frame=frame,
        formats={now: "count", before: "count", "Change": "percent"},
        note="Change: the rise (or, when negative, the fall) as a share of last year's figure.",
        # The areas add up to children's services; a change beside a hidden count is hidden.
        counts=council_blocks(
            ctx.areas,
            f"{ctx.params.children_directorate} (total)" if len(ctx.areas) > 1 else None,
            COUNCIL_ROW,
            {label: {now: r["now"], before: r["before"]} for label, r in rows.items()},
        ),
    )


def compliments_sentences(ctx: ReportContext) -> list[str]:
    """Compliments to Children's Services and the whole council, against last year."""
    rows = compliments(ctx)
    prev = ctx.previous.label
    prev_words = str(ctx.previous)  # how the report writes them
    directorate = ctx.params.children_directorate
    num = ctx.numbers
    out = []
    if ctx.areas:
        parts_now = [rows[a]["now"] for a in ctx.areas]
        total = sum(parts_now)
        key = f"{directorate} (total)" if len(ctx.areas) > 1 else ctx.areas[0]
        received = num.plural_total(parts_now, "compliment") if total else "no compliments"
        before = rows[key]["before"]
        # A change against the total would give a hidden area's count away.
        hidden_part = num.hidden(*parts_now) and not num.hidden(total)
        compared = (
            f"against {num.count(before)} in {prev_words}"
            if hidden_part and before
            else _compared(total, before, prev, num)
        )
        sentence = f"{directorate} received {received} in {ctx.fy}, {compared}"
        if len(ctx.areas) > 1:
            parts = [f"{num.count(rows[a]['now'])} for {a}" for a in ctx.areas]
            sentence += f": {and_list(parts)}"
        out.append(sentence + ".")
    else:
        out.append(f"The data set holds no {directorate} records.")
    council = rows[COUNCIL_ROW]
    n = council["now"]
    out.append(
        f"Across the council there {num.was_were(n) if n else 'were'} "
        f"{num.plural(n, 'compliment') if n else 'no compliments'}, "
        f"{_compared(n, council['before'], prev, num)}."
    )
    return out


# --- effectiveness ---------------------------------------------------------------------------


def effectiveness_sentences(ctx: ReportContext) -> list[str]:
    """What the records say about how well the procedure works: timeliness, escalation, Ombudsman."""
    t = ctx.params.targets.stage1_working_days
    directorate = ctx.params.children_directorate
    out = [
        "The data set holds no survey of complainants' experience of the procedure, so its "
        f"effectiveness is judged here by three things the records show for {directorate}."
    ]
    if not ctx.areas:
        out.append(f"The data set holds no {directorate} records.")
        return out
    num = ctx.numbers
    times = [timescales_history(ctx, a)[ctx.fy.label] for a in ctx.areas]
    responded = sum(r["responded"] for r in times)
    within = responded - sum(r["overdue"] for r in times)
    within_parts = [r["responded"] - r["overdue"] for r in times]
    over_parts = [r["overdue"] for r in times]
    if responded and num.hidden(*within_parts, *over_parts):
        # Each area's timescales give the figures; their totals here would narrow hidden ones.
        out.append(
            f"Timeliness: of the {num.plural_total([r['responded'] for r in times], 'Stage 1 complaint')} "
            f"responded to in {ctx.fy}, {num.total(within_parts)} were answered within {setting(t)} "
            "working days (the share is in each area's timescales above)."
        )
    elif responded:
        out.append(
            f"Timeliness: {format_count(within)} of the {plural(responded, 'Stage 1 complaint')} "
            f"responded to in {ctx.fy} ({format_percent(within / responded)}) "
            f"{'was' if within == 1 else 'were'} answered within {setting(t)} working days."
        )
    else:
        out.append(f"Timeliness: no Stage 1 complaints were responded to in {ctx.fy}.")
    stages = {
        s: [ctx.area(a)["stages"][s] for a in ctx.areas] for s in ("Stage 1", "Stage 2", "Stage 3")
    }
    s1, s2, s3 = (sum(stages[s]) for s in ("Stage 1", "Stage 2", "Stage 3"))
    out.append(
        f"Escalation: {num.plural_total(stages['Stage 2'], 'complaint') if s2 else 'no complaints'} "
        f"reached Stage 2 and {num.total(stages['Stage 3']) if s3 else 'none'} reached Stage 3 in "
        f"{ctx.fy}, against {num.total(stages['Stage 1'])} at Stage 1."
    )
    decided = [ctx.area(a)["ombudsman"]["decisions"] for a in ctx.areas]
    upheld = [ctx.area(a)["ombudsman"]["upheld"] for a in ctx.areas]
    out.append(
        f"The Ombudsman: it decided {num.plural_total(decided, 'complaint')} about {directorate} "
        f"in {ctx.fy} and upheld {num.total(upheld) if sum(upheld) else 'none'}."
        if sum(decided)
        else f"The Ombudsman: it made no decisions about {directorate} in {ctx.fy}."
    )
    return out


# --- methodology -----------------------------------------------------------------------------


def definitions(ctx: ReportContext) -> list[str]:
    """The data contract's definitions in plain English, with this year's dates and target."""
    fy, t = ctx.fy, ctx.params.targets.stage1_working_days
    directorate = ctx.params.children_directorate
    quarters = and_list([f"{q} {QUARTER_MONTHS[q].replace('–', ' to ')}" for q in QUARTERS])
    if fy.is_period:
        year = f"{fy.label} runs from {long_date(fy.start)} to 31 March {fy.start_year + 1}"
        opening = (
            f"The period covered: this year-to-date report covers {long_date(fy.start)} to "
            f"{long_date(fy.end)}, part of financial year {fy.label}; every year it compares "
            f"with is cut to the same months. Financial year {year}. The quarters are {quarters}."
        )
    else:
        opening = (
            f"Financial year: {fy} runs from {long_date(fy.start)} to {long_date(fy.end)}. The "
            f"quarters are {quarters}."
        )
    out = [
        opening,
        "Period: a complaint record belongs to the period in which it was received; a compliment "
        "to the date it was received; an Ombudsman decision to the date of the decision; an "
        "equality monitoring form to the date it was received.",
        "Formal and informal complaints: formal complaints are those at Stage 1 of the statutory "
        "procedure; informal complaints (representations) are resolved without it. Stage 2 "
        "(independent investigation) and Stage 3 (review panel) records are escalations and are "
        "counted on their own. 'Complaints' means informal plus Stage 1, so an escalated "
        "complaint is not counted twice.",
        "Working days: the days after a complaint was received, up to and including the day the "
        "response was sent, leaving out Saturdays, Sundays and bank holidays in England and "
        "Wales (one-off bank holidays included). A response on the day of receipt takes no "
        "working days.",
        f"Timescales (overdue share): of the Stage 1 complaints responded to in the period, the "
        f"share that took more than {setting(t)} working day{'' if t == 1 else 's'}, the Stage 1 target. Complaints "
        "still awaiting a response are not counted.",
        "Statutory timescales: for each stage, the records of that stage in the period, by "
        "working days to the response (Stage 3: from the request to the review panel). "
        + limits_sentence(ctx)
        + " 'Within the extended limit' counts responses over the first limit and within the "
        "extended one, and of those, how many had no longer timescale agreed with the "
        "complainant. Records still awaiting a response when the case records were taken "
        "(Stage 3: awaiting a panel) are counted apart, and so are withdrawn records: a "
        "withdrawn record is never counted as a response in time or a panel held. Where the "
        "case records lack a date or flag these need, the report says so rather than showing "
        "a zero.",
        "Fully and partly justified shares: of the Stage 1 complaints found fully justified, "
        "partially justified or not justified, the share fully justified and the share partially "
        "justified. Withdrawn complaints and those with no outcome recorded are not counted.",
        "Outcomes: counted over the Stage 1 complaints of the period.",
        "Learnings: complaint records of any stage on which the service recorded what it learned.",
        "Children in care complaints: the number of different cases with at least one record, at "
        "any stage, from or about a child in care.",
        "Complainant types and themes: counted over the informal and Stage 1 complaints; a blank "
        "is shown as 'Not recorded'. A theme's share is of the complaints whose theme was "
        "recorded."
        + (
            " A few recorded categories are grouped under the report's themes as the council's "
            "settings list them; all others are reported as recorded."
            if ctx.params.theme_map
            else ""
        ),
        "Ombudsman: the decisions of the Local Government and Social Care Ombudsman made in the "
        "period. 'Upheld' means the Ombudsman upheld the complaint; 'referred back' means it "
        "passed the complaint back to the council to resolve locally. Remedies are the sum of "
        "the financial remedies the council was asked to pay. The upheld rate is the share "
        "upheld of the decisions made after a detailed investigation (upheld or not upheld); a "
        "decision closed after initial enquiries or passed back to the council was not "
        "investigated and is counted in neither. Any other share of the decisions, such as the "
        "share of all decisions upheld, is named as such. "
        "Compliance is over the upheld decisions whose recommendations were due; 'put right "
        "before' counts the upheld decisions where the council had already offered a "
        "satisfactory remedy before the complaint reached the Ombudsman.",
        "Stage 2 costs: the Investigating Officer's fees, the Independent Person's fees and any "
        "other cost, summed over the Stage 2 and Stage 3 records of the period.",
        f"Service areas: an area's figures use the records of that area in {directorate} "
        f"({and_list(ctx.areas) or 'none in this data set'}); council-wide figures use every "
        "record of every directorate.",
        "Equality monitoring: forms are anonymous and council-wide; each share is of the forms "
        "returned in the period, blank answers included.",
        "Rounding: percentages are whole numbers rounded half up (a share of 1 in 8 shows as "
        f"{tables.format_percent(1 / 8)}), so they may "
        "not add to 100%. A dash (–) means there is nothing to divide by or no figure for "
        "that year.",
        disclosure_sentence(ctx),
        "Personal data: staff-written text (what we learned, what we did, case subjects and "
        "Ombudsman summaries) is checked before publication; names, email addresses, phone "
        "numbers, postcodes, National Insurance numbers, dates of birth and street addresses "
        "are replaced by a label such as [name]. The Ombudsman's own anonymised forms, such as "
        "Mrs X, are kept.",
    ]
    return out


def disclosure_sentence(ctx: ReportContext) -> str:
    """How small numbers are treated in this report, from the year's params."""
    t = ctx.disclosure_threshold
    if not t:
        return (
            "Small numbers: every figure is shown in full; no statistical disclosure control "
            "was applied to this report."
        )
    return (
        f"Small numbers: to protect the children and families behind the figures, a count from "
        f"1 to {t} is not published. In tables and charts it is shown as [c], as is any other "
        "figure that would let it be worked out: a total or another count it adds up with, a "
        "percentage of it, or a percentage of what is left. Sentences say '1 to "
        f"{t}' instead, or do not state the figure. A true zero is shown. Money (remedies "
        "and investigation costs) is shown in full. The lists of Stage 2 cases, upheld "
        "Ombudsman decisions and learning are lists of cases, not counts, and are published "
        "after personal data is removed."
    )


def records_read(ctx: ReportContext) -> dict[str, dict[str, int]]:
    """Records read from each table of the data set, and how many fall in the report year."""
    out = {}
    for table in TABLE_LABELS:
        frame = getattr(ctx.prep, table)
        in_year = (frame["fy_start"] == ctx.fy.start_year).fillna(False)
        out[table] = {"read": int(len(frame)), "in_year": int(in_year.sum())}
    return out


def records_table(ctx: ReportContext) -> ReportTable:
    """Records read per table of the data set, and those in the report year."""
    counts = records_read(ctx)
    in_year = f"Records in {ctx.fy}"
    frame = pd.DataFrame(
        {
            "Table": [TABLE_LABELS[t] for t in counts],
            "Records read": [c["read"] for c in counts.values()],
            in_year: [c["in_year"] for c in counts.values()],
        }
    )
    # Disclosure control: each count on its own (no totals), except the advocacy table's rows,
    # which are quarters, not people: a count block with no value for them hides nothing.
    people = frame.copy()
    people.loc[people["Table"] == TABLE_LABELS["advocacy"], ["Records read", in_year]] = None
    return ReportTable(
        name="14-records-read",
        title="Case records read",
        frame=frame,
        formats={"Records read": "count", in_year: "count"},
        note=(
            "Advocacy, equality monitoring and code of conduct tables are optional; 0 records "
            "read means the table was absent or empty."
        ),
        counts=(CountBlock(people.astype(object).where(people.notna(), None)),),
    )


def data_set_sentences(ctx: ReportContext) -> list[str]:
    """Which data set and year the report was made from, and what was read."""
    fy = ctx.fy
    counts = records_read(ctx)
    n, in_year = counts["complaints"]["read"], counts["complaints"]["in_year"]
    num = ctx.numbers
    return [
        f"This report for {ctx.params.council} covers the financial year {fy} "
        f"({long_date(fy.start)} to {long_date(fy.end)}). It was made from the council's case "
        f"records, with a Stage 1 target of "
        f"{setting(ctx.params.targets.stage1_working_days)} working "
        f"day{'' if ctx.params.targets.stage1_working_days == 1 else 's'}.",
        f"The report counts {num.plural(n, 'complaint record')}, of which "
        f"{num.count(in_year)} {'falls' if in_year == 1 and not num.hidden(1) else 'fall'} in "
        f"{fy}; the table shows the "
        "records read from every table.",
        *filter(None, [year_coverage(ctx.prep.complaints["received_date"], fy).warning()]),
    ]
