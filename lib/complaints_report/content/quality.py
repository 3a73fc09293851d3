"""Section 14's data-quality note: odd but valid records, and what the report did with them."""

from __future__ import annotations

import pandas as pd

from ..figures.quality import QualityNote, quality_notes
from ..present.tables import ReportTable
from ..report import ReportContext


def notes(ctx: ReportContext) -> list[QualityNote]:
    return quality_notes(ctx.prep, ctx.fy)


def quality_sentences(ctx: ReportContext) -> list[str]:
    """One paragraph saying whether the year's records hold anything odd."""
    found = notes(ctx)
    if not found:
        return [
            f"The Children's Services records of {ctx.fy} hold nothing odd: every complaint has "
            "a team, a theme and a complainant type, every answered Stage 1 complaint has an "
            "outcome, and every escalation has its Stage 1 record."
        ]
    return [
        f"The case records passed every check, but some of the Children's "
        f"Services records of {ctx.fy} are incomplete or unusual. The table says how many, and "
        "what the report did with them; the complaints team can correct them in the case "
        "management system before the next export."
    ]


def quality_table(ctx: ReportContext) -> ReportTable:
    """The notes as a table (one row saying so when there are none)."""
    found = notes(ctx) or [QualityNote("nothing odd was found", 0, "Nothing to do.")]
    frame = pd.DataFrame(
        {
            "What was found": [n.check[0].upper() + n.check[1:] for n in found],
            "Records": [n.records for n in found],
            "What the report did": [n.consequence for n in found],
        }
    )
    return ReportTable(
        name="14-data-quality",
        title=f"Data quality: odd but valid records, Children's Services, {ctx.fy}",
        frame=frame,
        formats={"Records": "count"},
    )
