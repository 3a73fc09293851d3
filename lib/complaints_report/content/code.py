"""Section 15: the Ombudsman's Complaint Handling Code.

The council's self-assessment against each section of the Code (from params), the Ombudsman's
annual-letter figures from the case records (upheld rate, compliance with recommendations,
cases the council had already put right) beside the national averages params give, and the
actions taken after complaints that the learning section records.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..data.calendar import long_date
from ..figures.views import ombudsman_history
from ..params import CODE_SECTIONS, CodeAssessment
from ..present.cells import SUPPRESSED
from ..present.narrative import and_list, format_percent, plural, setting
from ..present.tables import CountBlock, ReportTable
from ..report import ReportContext
from . import said, view_for
from .learning import learning_records, withheld

COMPLIES = {"yes": "Yes", "partly": "Partly", "no": "No"}
NOT_ASSESSED = "Not assessed"


def intro_sentences(ctx: ReportContext) -> list[str]:
    """What the Code is and what this section holds."""
    return [
        "The Local Government and Social Care Ombudsman's Complaint Handling Code sets out how "
        "councils should handle complaints, and from April 2026 expects each council's annual "
        "complaints report to carry its self-assessment against the Code, the Ombudsman's "
        "figures for the council and what the council will do about them.",
    ]


def _assessments(ctx: ReportContext) -> dict[str, CodeAssessment]:
    return {a.section: a for a in ctx.params.complaint_handling_code.self_assessment}


def self_assessment_gaps(ctx: ReportContext) -> list[str]:
    """What the year's self-assessment lacks, one line per Code section (empty when complete)."""
    return ctx.params.complaint_handling_code.gaps()


def self_assessment_table(ctx: ReportContext) -> ReportTable:
    """One row per section of the Code: whether the council complies, its evidence, and the
    action with its owner and date."""
    by_section = _assessments(ctx)
    rows = []
    for i, name in enumerate(CODE_SECTIONS, start=1):
        a = by_section.get(name)
        rows.append(
            {
                "Code section": f"{i}. {name}",
                "Complies": NOT_ASSESSED
                if a is None or a.complies is None
                else COMPLIES[a.complies],
                "Evidence": None if a is None else a.evidence,
                "Action": None if a is None else a.action,
                "Owner": None if a is None else a.owner,
                "By": None if a is None or a.due is None else long_date(a.due),
            }
        )
    frame = pd.DataFrame(rows)
    frame = frame.where(frame.notna(), None)
    return ReportTable(
        name="15-code-self-assessment",
        title=f"Self-assessment against the Complaint Handling Code, {ctx.fy}",
        frame=frame,
        note=(
            "The council's own assessment. Where it complies only in "
            "part, or not, the action says what it will do, who owns it and by when."
        ),
        free_text=("Evidence", "Action", "Owner"),
        total_columns=(),
        total_rows=(),
    )


def self_assessment_sentences(ctx: ReportContext) -> list[str]:
    """How many Code sections the council says it complies with, and what is not yet assessed."""
    by_section = _assessments(ctx)
    if not by_section:
        return ["The council has not recorded a self-assessment against the Code for this report."]
    counts = {k: 0 for k in COMPLIES}
    for a in by_section.values():
        if a.complies is not None:
            counts[a.complies] += 1
    total = len(CODE_SECTIONS)
    # The council's own assessment, from its settings (not a figure of the records).
    parts = [f"in full with {setting(counts['yes'])} of the Code's {setting(total)} sections"]
    if counts["partly"]:
        parts.append(f"in part with {setting(counts['partly'])}")
    if counts["no"]:
        parts.append(f"not at all with {setting(counts['no'])}")
    out = [f"The council assesses itself as complying {and_list(parts)}."]
    missing = [f"{i}" for i, s in enumerate(CODE_SECTIONS, start=1) if s not in by_section]
    if missing:
        out.append(
            f"{'Section' if len(missing) == 1 else 'Sections'} {and_list(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not assessed yet."
        )
    review = [
        f"{i}"
        for i, s in enumerate(CODE_SECTIONS, start=1)
        if s in by_section and by_section[s].review
    ]
    if review:
        out.append(
            f"The assessment of {'section' if len(review) == 1 else 'sections'} "
            f"{and_list(review)} is carried forward from last year and awaits review."
        )
    return out


# --- the Ombudsman's figures -----------------------------------------------------------------

_COLUMNS = {
    "decisions": "Decisions",
    "investigated": "Investigated",
    "upheld": "Upheld",
    "upheld_after_investigation": "Upheld after investigation",
    "upheld_rate": "Upheld rate",
    "recommendations_due": "Recommendations due",
    "recommendations_complied": "Complied with",
    "compliance_rate": "Compliance rate",
    "remedied_before": "Put right before the Ombudsman",
    "remedied_before_rate": "Share of upheld put right before",
}


def _rates(c: dict[str, Any]) -> dict[str, float | None]:
    def share(num: int | None, den: int | None) -> float | None:
        return None if num is None or not den else num / den

    return {
        "upheld_rate": share(c["upheld_after_investigation"], c["investigated"]),
        "compliance_rate": share(c["recommendations_complied"], c["recommendations_due"]),
        "remedied_before_rate": share(c["remedied_before"], c["upheld"]),
    }


def ombudsman_counts(ctx: ReportContext, area: str | None) -> dict[str, Any]:
    """The report year's Ombudsman counts for an area (None: the council)."""
    rows = view_for(ctx, "ombudsman_history", area, ombudsman_history)
    return rows[ctx.fy.label]


def _block(
    label: str, parts: list[tuple[str, int | None]], total: tuple[str, int | None]
) -> CountBlock:
    frame = pd.DataFrame({"Row": [label], **{k: [v] for k, v in parts}, total[0]: [total[1]]})
    return CountBlock(frame, total_columns=(total[0],))


#: The two published tables of the Ombudsman's figures, narrow enough for a page each: the
#: figure keys each shows. Both carry every count block, so what one hides the other hides too.
PARTS = {
    "investigations": ("decisions", "investigated", "upheld_after_investigation", "upheld_rate"),
    "recommendations": (
        "recommendations_due",
        "recommendations_complied",
        "compliance_rate",
        "remedied_before",
        "remedied_before_rate",
    ),
}


def compliance_tables(ctx: ReportContext) -> list[ReportTable]:
    """The Ombudsman's figures in two tables: its decisions and upheld rate; then compliance
    with its recommendations and the cases put right before it."""
    return [compliance_table(ctx, part) for part in PARTS]


def compliance_table(ctx: ReportContext, part: str | None = None) -> ReportTable:
    """The Ombudsman's figures for each Children's Services area and the council, with the
    national averages params give: every column, or one of :data:`PARTS`."""
    labels = [*ctx.areas, f"{ctx.params.council} (all services)"]
    counts = [ombudsman_counts(ctx, a) for a in ctx.areas] + [ombudsman_counts(ctx, None)]
    records = []
    blocks: list[CountBlock] = []
    for label, c in zip(labels, counts, strict=True):
        rates = _rates(c)
        records.append({"Service": label, **{h: {**c, **rates}[k] for k, h in _COLUMNS.items()}})
        col = _COLUMNS
        upheld_inv = c["upheld_after_investigation"]
        not_upheld = c["investigated"] - upheld_inv
        # investigated = upheld after investigation + not upheld; the upheld rate is a share of
        # the first. A decision passed back to the council is neither, even one recorded upheld.
        blocks.append(
            _block(
                label,
                [(col["upheld_after_investigation"], upheld_inv), ("not upheld", not_upheld)],
                (col["investigated"], c["investigated"]),
            )
        )
        blocks.append(
            _block(
                label,
                [(col["upheld_rate"], upheld_inv), ("not upheld", not_upheld)],
                (col["investigated"], c["investigated"]),
            )
        )
        blocks.append(
            _block(
                label,
                [
                    (col["investigated"], c["investigated"]),
                    ("not investigated", c["decisions"] - c["investigated"]),
                ],
                (col["decisions"], c["decisions"]),
            )
        )
        if c["recommendations_due"] is not None:
            not_complied = c["recommendations_due"] - c["recommendations_complied"]
            for shown in ("recommendations_complied", "compliance_rate"):
                blocks.append(
                    _block(
                        label,
                        [
                            (col[shown], c["recommendations_complied"]),
                            ("not complied", not_complied),
                        ],
                        (col["recommendations_due"], c["recommendations_due"]),
                    )
                )
        if c["remedied_before"] is not None:
            not_before = c["upheld"] - c["remedied_before"]
            for shown in ("remedied_before", "remedied_before_rate"):
                blocks.append(
                    _block(
                        label,
                        [(col[shown], c["remedied_before"]), ("not put right before", not_before)],
                        (col["upheld"], c["upheld"]),
                    )
                )
    national = ctx.params.complaint_handling_code.national_averages
    given = {
        k: getattr(national, k) for k in ("upheld_rate", "compliance_rate", "remedied_before_rate")
    }
    if any(v is not None for v in given.values()):
        records.append(
            {
                "Service": f"National average, {ctx.fy}",
                **{h: given.get(k) for k, h in _COLUMNS.items()},
            }
        )
    frame = pd.DataFrame(records)
    formats = {h: ("percent" if k.endswith("rate") else "count") for k, h in _COLUMNS.items()}
    notes = [
        "Decisions of the Local Government and Social Care Ombudsman in the year. The upheld "
        "rate is the share upheld of the decisions made after a detailed investigation (upheld "
        "or not upheld), as the Ombudsman's annual letters give it; a decision closed after "
        "initial enquiries or passed back to the council for local resolution was not "
        "investigated, and is counted in neither; compliance is over the upheld "
        "decisions whose recommendations were due; put right before counts the upheld "
        "decisions where the council had already offered a satisfactory remedy."
    ]
    if not ctx.prep.has_column("ombudsman", "recommendations_complied"):
        notes.append(
            "The case records do not say whether the council complied with the Ombudsman's "
            "recommendations."
        )
    if not ctx.prep.has_column("ombudsman", "remedied_before"):
        notes.append(
            "The case records do not say which cases the council had put right before the "
            "Ombudsman's decision."
        )
    if not any(v is not None for v in given.values()):
        notes.append("No national averages are given for this year.")
    name, title = "15-ombudsman-figures", f"The Ombudsman's figures for the council, {ctx.fy}"
    if part is not None:
        keep = [_COLUMNS[k] for k in PARTS[part]]
        frame = frame[["Service", *keep]]
        formats = {h: f for h, f in formats.items() if h in keep}
        name = f"15-ombudsman-{part}"
        title = (
            f"Ombudsman decisions and upheld rate, {ctx.fy}"
            if part == "investigations"
            else f"Compliance with the Ombudsman's recommendations and remedies before it, {ctx.fy}"
        )
        if part == "investigations":
            notes = [n for n in notes if "do not say" not in n]
    return ReportTable(
        name=name,
        title=title,
        frame=frame,
        formats=formats,
        note=" ".join(notes),
        counts=tuple(blocks),
    )


def compliance_sentences(ctx: ReportContext) -> list[str]:
    """The council's upheld rate, compliance and remedies before the Ombudsman, in words, as the
    table shows them, against the national averages where given."""
    c = ombudsman_counts(ctx, None)
    if c["decisions"] == 0:
        return [f"The Ombudsman made no decisions on the council's complaints in {ctx.fy}."]
    shown = ctx.suppress(compliance_table(ctx)).frame.set_index("Service")  # both parts' cells
    row = shown.loc[f"{ctx.params.council} (all services)"]
    national = ctx.params.complaint_handling_code.national_averages
    rates = _rates(c)

    def against(value: float | None, cell: Any, average: float | None) -> str:
        if value is None or cell == SUPPRESSED:
            return ""
        text = format_percent(value)
        if average is not None:
            text += f"; national average {format_percent(average)}"
        return text

    out = []
    investigated = c["investigated"]
    upheld_rate = against(rates["upheld_rate"], row[_COLUMNS["upheld_rate"]], national.upheld_rate)
    if investigated == 0:
        out.append(
            f"The Ombudsman made {plural(c['decisions'], 'decision')} on the council's complaints "
            f"in {ctx.fy}, none after a detailed investigation."
        )
    else:
        out.append(
            f"The Ombudsman investigated {said(ctx, investigated, row[_COLUMNS['investigated']])} "
            f"of the council's complaints in detail in {ctx.fy} and upheld "
            f"{said(ctx, c['upheld_after_investigation'], row[_COLUMNS['upheld_after_investigation']])}"
            + (f" (an upheld rate of {upheld_rate})." if upheld_rate else ".")
        )
    if c["recommendations_due"] is None:
        out.append(
            "The case records do not say whether the council complied with the Ombudsman's "
            "recommendations."
        )
    elif c["recommendations_due"]:
        rate = against(
            rates["compliance_rate"], row[_COLUMNS["compliance_rate"]], national.compliance_rate
        )
        out.append(
            f"The council complied with the recommendations on "
            f"{said(ctx, c['recommendations_complied'], row[_COLUMNS['recommendations_complied']])}"
            f" of the {said(ctx, c['recommendations_due'], row[_COLUMNS['recommendations_due']])} "
            "upheld decisions whose recommendations were due" + (f" ({rate})." if rate else ".")
        )
    else:
        out.append("No recommendations of the Ombudsman fell due in the year.")
    if c["remedied_before"] is None:
        out.append(
            "The case records do not say which cases the council had put right before the "
            "Ombudsman's decision."
        )
    elif c["upheld"]:
        rate = against(
            rates["remedied_before_rate"],
            row[_COLUMNS["remedied_before_rate"]],
            national.remedied_before_rate,
        )
        out.append(
            "In "
            f"{said(ctx, c['remedied_before'], row[_COLUMNS['remedied_before']])} of the upheld "
            "cases the council had already offered a satisfactory remedy before the complaint "
            "reached the Ombudsman" + (f" ({rate})." if rate else ".")
        )
    return out


# --- actions ---------------------------------------------------------------------------------


def actions_count(ctx: ReportContext) -> int:
    """The actions services recorded after complaints, as the learning section lists them: the
    areas' ``actions`` in figures.json (traced, see stated.py)."""
    return sum(ctx.area(a)["actions"] for a in ctx.areas)


def actions_withheld(ctx: ReportContext) -> bool:
    """Whether the list of actions must be withheld, as the learning list is."""
    return withheld(ctx, len(learning_records(ctx)), None)


def actions_sentences(ctx: ReportContext) -> list[str]:
    """How many actions the learning section records, pointing to it (the actions are listed
    once, there, beside what was learned: never reprinted here), or why they are not listed."""
    n = actions_count(ctx)
    if n == 0:
        return [f"No action after a complaint was recorded on complaints received in {ctx.fy}."]
    if actions_withheld(ctx):
        return [
            "The actions taken after complaints are not listed: the learning section withholds "
            "them, as there are too few to publish without risk of identifying the people involved."
        ]
    return [
        f"Services recorded {ctx.numbers.plural(n, 'action')} after complaints received in "
        f"{ctx.fy}. The section on learning and service improvement lists each with what was "
        "learned."
    ]
