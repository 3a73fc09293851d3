"""How much of a financial year the export covers: none of it (refused), part of it (warned and
said in the methodology), or all of it.

An export runs from the month of its first complaint record to the month of its last: a month
with records is taken as covered whole (an export taken on 2 April holds March's complaints even
when none came in on 31 March).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from .calendar import QUARTER_MONTHS, QUARTERS, FinancialYear, long_date
from .model import Problem


@dataclass(frozen=True)
class Coverage:
    """The export's span of complaint records against one financial year."""

    fy: FinancialYear
    first: date | None
    last: date | None
    in_year: int

    @property
    def covered_from(self) -> date | None:
        """The first day of the first record's month."""
        return self.first.replace(day=1) if self.first else None

    @property
    def covered_to(self) -> date | None:
        """The last day of the last record's month."""
        if self.last is None:
            return None
        return (pd.Timestamp(self.last) + pd.offsets.MonthEnd(0)).date()

    @property
    def empty(self) -> bool:
        """No complaint record was received in the year."""
        return self.in_year == 0

    @property
    def incomplete_quarters(self) -> list[str]:
        """Quarters of the year that lie partly or wholly outside the export's span."""
        if self.first is None:
            return list(QUARTERS)
        out = []
        for q in self.fy.quarters:
            start, end = self.fy.quarter_bounds(q)
            if start < self.covered_from or end > self.covered_to:
                out.append(q)
        return out

    def span(self) -> str:
        """The export's span in words: ``3 April 2016 to 28 March 2024``."""
        if self.first is None:
            return "no complaint records at all"
        return f"{long_date(self.first)} to {long_date(self.last)}"

    def problem(self) -> Problem:
        """Why a year without records is refused, as one line of the usual kind."""
        return Problem(
            file="complaints",
            row=None,
            column="received_date",
            value=None,
            issue=(
                f"no complaint was received in {self.fy} ({long_date(self.fy.start)} to "
                f"{long_date(self.fy.end)}); the export's complaints run from {self.span()}"
            ),
            expected=f"an export that covers {self.fy}, or a year it covers",
        )

    def warning(self) -> str | None:
        """What the run warns, and the methodology says, when the export covers part of the
        year; None when it covers all of it."""
        quarters = self.incomplete_quarters
        if self.empty or not quarters:
            return None
        named = ", ".join(f"{q} ({QUARTER_MONTHS[q]})" for q in quarters)
        return (
            f"The export's complaint records run from {self.span()}, so it covers only part of "
            f"{self.fy}: {named} {'is' if len(quarters) == 1 else 'are'} incomplete, and the "
            f"{'period' if self.fy.is_period else 'year'}'s counts are lower than a full "
            f"{'period' if self.fy.is_period else 'year'}'s would be."
        )


def year_coverage(received: pd.Series, fy: FinancialYear | str) -> Coverage:
    """The coverage of ``fy`` by complaint records received on the dates ``received``."""
    fy = FinancialYear.parse(fy)
    dates = pd.to_datetime(received, errors="coerce").dropna()
    if dates.empty:
        return Coverage(fy, None, None, 0)
    in_year = int(fy.contains(dates).sum())
    return Coverage(fy, dates.min().date(), dates.max().date(), in_year)
