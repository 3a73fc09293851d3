"""Financial years, quarters and working days (England and Wales bank holidays), vectorised."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

from .values import TEXT

QUARTERS = ("Q1", "Q2", "Q3", "Q4")
QUARTER_MONTHS = {
    "Q1": "April–June",
    "Q2": "July–September",
    "Q3": "October–December",
    "Q4": "January–March",
}

_FY_PATTERN = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*$")
_LABEL = re.compile(r"(?<![Ff]inancial year )(?<![\d/-])(\d{4})[-/](\d{2})(?![\d/-])")


@dataclass(frozen=True, order=True)
class FinancialYear:
    """An English local-government financial year, 1 April to 31 March, labelled ``2023-24``;
    or, with ``last_quarter`` below 4, the part of it from 1 April to the end of that quarter
    (the in-year pack's period: ``run FY --to Q2``).

    ``label`` names the year whatever the period (it keys figures and files); ``str()`` and
    ``slash_label`` are how the report writes the period: ``2023-24`` and ``2023/24`` for a
    whole year, ``April to September 2023`` for the year to the end of Q2. The year before is
    the same period of the year before, so every comparison is like for like.
    """

    start_year: int
    last_quarter: int = 4

    def __post_init__(self) -> None:
        if not 1 <= self.last_quarter <= 4:
            raise ValueError(f"a period ends at the end of Q1 to Q4, not Q{self.last_quarter}")

    @classmethod
    def parse(cls, text: str | FinancialYear) -> FinancialYear:
        """Read ``2023-24`` (also ``2023/24`` or ``2023-2024``); anything else is a ``ValueError``."""
        if isinstance(text, FinancialYear):
            return text
        m = _FY_PATTERN.match(str(text))
        if not m:
            raise ValueError(f"financial year {text!r} is not of the form YYYY-YY, e.g. 2023-24")
        first, second = int(m.group(1)), m.group(2)
        expected = (first + 1) % 100 if len(second) == 2 else first + 1
        if int(second) != expected:
            raise ValueError(
                f"financial year {text!r}: the second year must follow the first, "
                f"e.g. {first}-{(first + 1) % 100:02d}"
            )
        return cls(first)

    def to(self, quarter: str | None) -> FinancialYear:
        """The period from 1 April to the end of ``quarter`` (``Q1``..``Q4``); None: the year."""
        if quarter is None:
            return FinancialYear(self.start_year)
        if quarter not in QUARTERS:
            raise ValueError(f"quarter {quarter!r} is not one of {', '.join(QUARTERS)}")
        return FinancialYear(self.start_year, QUARTERS.index(quarter) + 1)

    @classmethod
    def of_period(cls, label: str, end: str | date) -> FinancialYear:
        """The year ``label``, or its part that ends on ``end`` (figures.json's ``period``)."""
        year = cls.parse(label)
        end = date.fromisoformat(end) if isinstance(end, str) else end
        for quarter in QUARTERS:
            if year.quarter_bounds(quarter)[1] == end:
                return year.to(quarter)
        raise ValueError(f"{label}: a period ends at a quarter's end, not on {end}")

    @property
    def is_period(self) -> bool:
        """Whether this is part of the year (Q1 to Q3) rather than all of it."""
        return self.last_quarter < 4

    @property
    def quarters(self) -> tuple[str, ...]:
        """The quarters inside the period: ``("Q1", "Q2")`` to Q2; all four for the year."""
        return QUARTERS[: self.last_quarter]

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def slash_label(self) -> str:
        """``2023/24``, the form the published reports use in prose (the period's months for
        part of a year: ``April to September 2023``)."""
        if self.is_period:
            return self.months
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def months(self) -> str:
        """``April to September 2023``; ``April 2023 to March 2024`` for a whole year."""
        end = self.end
        if end.year == self.start_year:
            return f"April to {end:%B %Y}"
        return f"April {self.start_year} to {end:%B %Y}"

    @property
    def start(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        if self.is_period:
            return self.quarter_bounds(QUARTERS[self.last_quarter - 1])[1]
        return date(self.start_year + 1, 3, 31)

    def previous(self, n: int = 1) -> FinancialYear:
        return FinancialYear(self.start_year - n, self.last_quarter)

    def next(self, n: int = 1) -> FinancialYear:
        return FinancialYear(self.start_year + n, self.last_quarter)

    def quarter_bounds(self, quarter: str) -> tuple[date, date]:
        """First and last day of ``Q1``..``Q4`` of this year."""
        i = QUARTERS.index(quarter)
        first = pd.Timestamp(self.start) + pd.DateOffset(months=3 * i)
        last = first + pd.DateOffset(months=3) - pd.Timedelta(days=1)
        return first.date(), last.date()

    def contains(self, dates: pd.Series) -> pd.Series:
        """Boolean mask: which of ``dates`` fall in this year, or period (NaT is False)."""
        d = pd.to_datetime(dates).dt.normalize()
        return (d >= pd.Timestamp(self.start)) & (d <= pd.Timestamp(self.end))

    def __str__(self) -> str:
        return self.slash_label if self.is_period else self.label

    def relabel(self, text: str) -> str:
        """``text`` as the in-year pack writes it: each year's label (``2022-23``, ``2022/23``)
        becomes the pack's months of that year (``April to September 2022``), since every
        figure of the pack is for those months; "financial year 2023-24" stays as it is.
        Unchanged for a whole year."""
        if not self.is_period:
            return text

        def months(m: re.Match) -> str:
            first = int(m.group(1))
            if int(m.group(2)) != (first + 1) % 100:
                return m.group(0)  # not a year's label (a date such as 2023-09-30)
            return FinancialYear(first, self.last_quarter).months

        return _LABEL.sub(months, text)


def long_date(d: date, weekday: bool = False) -> str:
    """A date as the report writes it: ``1 April 2023``, or ``Thursday 10 March 2022`` with
    the weekday."""
    text = f"{d.day} {d:%B %Y}"
    return f"{d:%A} {text}" if weekday else text


def financial_year_start(dates: pd.Series) -> pd.Series:
    """The start year of the financial year each date falls in (2023 for 2024-03-31); NaT gives <NA>."""
    d = pd.to_datetime(dates)
    year = d.dt.year - (d.dt.month < 4).astype("Int64")
    return year.astype("Int64")


def financial_year_label(dates: pd.Series) -> pd.Series:
    """``2023-24`` style label of each date's financial year."""
    start = financial_year_start(dates)
    out = start.astype(TEXT) + "-" + ((start + 1) % 100).astype(TEXT).str.zfill(2)
    return out.where(start.notna())


def quarter_of(dates: pd.Series) -> pd.Series:
    """``Q1``..``Q4`` of each date within its financial year (April–June is Q1)."""
    d = pd.to_datetime(dates)
    idx = ((d.dt.month - 4) % 12) // 3
    labels = pd.Series(
        pd.Categorical.from_codes(idx.fillna(-1).astype(int), categories=list(QUARTERS)),
        index=d.index,
    )
    return labels


@lru_cache(maxsize=64)
def _bank_holidays(first_year: int, last_year: int) -> np.ndarray:
    cal = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    days = sorted(d for d in cal.keys() if d.weekday() < 5)
    return np.array(days, dtype="datetime64[D]")


def bank_holidays(first_year: int, last_year: int) -> list[date]:
    """Weekday bank holidays in England and Wales, substitute and one-off days included."""
    return [d.astype(date) for d in _bank_holidays(first_year, last_year)]


def working_days(received: pd.Series, responded: pd.Series) -> pd.Series:
    """Working days from received to responded, as the contract defines them.

    The days ``d`` with ``received < d <= responded`` that are neither weekends nor bank
    holidays in England and Wales. A response on the day of receipt takes 0. Where either
    date is missing the result is ``<NA>``.
    """
    rec = pd.to_datetime(received)
    resp = pd.to_datetime(responded)
    ok = (rec.notna() & resp.notna()).to_numpy(dtype=bool)
    counts = np.zeros(len(ok), dtype="int64")
    if ok.any():
        r0 = rec.to_numpy(dtype="datetime64[D]")[ok]
        r1 = resp.to_numpy(dtype="datetime64[D]")[ok]
        # The years spanned, from the earliest and latest days (not the year of every date).
        first = min(r0.min(), r1.min()).astype(date).year
        last = max(r0.max(), r1.max()).astype(date).year
        hols = _bank_holidays(first - 1, last + 1)
        counts[ok] = np.busday_count(r0 + 1, r1 + 1, holidays=hols)
    # Built whole, missing where a date is: setting the counts into an all-<NA> column costs
    # as much again as counting them.
    return pd.Series(pd.arrays.IntegerArray(counts, ~ok), index=rec.index)
