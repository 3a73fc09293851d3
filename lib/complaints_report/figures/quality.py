"""Data-quality notes: records that are valid but odd, counted so the report can say so.

A bad export stops the run (see ``validation.py``); an odd one does not. A blank team, a theme
the council's list does not know, a Stage 1 complaint answered without an outcome: each is
allowed by the data contract, each changes what a figure means, and a reader should be told.
Every note counts the Children's Services records of the report year, as the report does, and
says what the report did with them. Notes never quote a record or a case reference.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from ..data.calendar import FinancialYear
from .engine import JUDGED, Prepared

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QualityNote:
    """One kind of odd record: how many, and what the report did with them."""

    check: str
    records: int
    consequence: str

    def sentence(self) -> str:
        noun = "record" if self.records == 1 else "records"
        return f"{self.records:,} {noun}: {self.check}. {self.consequence}"


def _listing(values: pd.Series, limit: int = 5) -> str:
    """The distinct values, most frequent first, quoted; at most ``limit`` then "and N more"."""
    counts = values.value_counts()
    shown = [f"“{v}”" for v in counts.index[:limit]]
    more = len(counts) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def quality_notes(prep: Prepared, financial_year: str | FinancialYear) -> list[QualityNote]:
    """The data-quality notes for the year's Children's Services records (empty when none)."""
    fy = FinancialYear.parse(financial_year)
    params = prep.params
    c = prep.complaints
    c = c[(c["fy_start"] == fy.start_year) & c["children"]]
    front = c[c["stage"].isin(["Informal", "Stage 1"])]
    s1 = c[c["stage"] == "Stage 1"]
    notes: list[QualityNote] = []

    def add(mask: pd.Series, check: str, consequence: str) -> None:
        n = int(mask.sum())
        if n:
            notes.append(QualityNote(check, n, consequence))

    if params.themes:
        unknown = front["theme"].notna() & ~front["report_theme"].isin(set(params.themes))
        add(
            unknown,
            "complaints with a theme the council's list does not hold "
            f"({_listing(front.loc[unknown, 'report_theme'])})",
            "They are counted under the theme as recorded. If it is a misspelling of a listed "
            "theme, the council's settings can map it to the listed one.",
        )
    add(
        front["theme"].isna(),
        "complaints with no theme recorded",
        "They are counted as “Not recorded” in the themes table.",
    )
    add(
        front["complainant_type"].isna(),
        "complaints with no complainant type recorded",
        "They are counted as “Not recorded” in the complainants table.",
    )
    add(
        c["team"].isna(),
        "records with no team recorded",
        "No figure changes: the report counts by service area, not team; where a table lists "
        "cases, their team is left blank.",
    )
    listed = set(params.service_areas)
    add(
        ~c["service_area"].isin(listed),
        "Children's Services records in a service area the council's settings do not list "
        f"({_listing(c.loc[~c['service_area'].isin(listed), 'service_area'])})",
        "The area is reported on its own after the listed areas; listing it in the council's "
        "settings sets its place.",
    )
    add(
        s1["responded_date"].notna() & s1["outcome"].isna(),
        "Stage 1 complaints with a response date but no outcome",
        "They are left out of the justified shares, whose denominator is the Stage 1 "
        f"complaints with an outcome of {', '.join(JUDGED[:-1]).lower()} or {JUDGED[-1].lower()}.",
    )
    add(
        s1["responded_date"].isna() & (s1["outcome"] != "Withdrawn").fillna(True),
        "Stage 1 complaints with no response date (still awaiting a response when the case "
        "records were taken; withdrawn complaints are not counted here)",
        "They are left out of the overdue share, which counts responded complaints only.",
    )
    if "panel_date" in c:
        add(
            (c["stage"] == "Stage 3") & (c["outcome"] == "Withdrawn") & c["panel_date"].notna(),
            "withdrawn Stage 3 requests with a review panel date",
            "A withdrawn request is not counted as a panel held, nor as one awaiting a panel: "
            "the timescales count it apart, as withdrawn.",
        )
    earlier = set(prep.complaints.loc[prep.complaints["stage"] == "Stage 1", "case_ref"])
    add(
        c["stage"].isin(["Stage 2", "Stage 3"]) & ~c["case_ref"].isin(earlier),
        "Stage 2 or Stage 3 records whose case has no Stage 1 record in the data set",
        "They are counted as escalations all the same; the Stage 1 record may predate the export.",
    )
    return notes


def log_notes(notes: list[QualityNote], financial_year: str) -> None:
    """One warning per note, so the analyst sees them during the run as well as in the report."""
    for note in notes:
        log.warning("data quality, %s: %s", financial_year, note.sentence())
