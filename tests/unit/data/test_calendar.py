"""Financial years, quarters and working days (complaints_report.calendar)."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaints_report.data.calendar import (
    QUARTERS,
    FinancialYear,
    bank_holidays,
    financial_year_label,
    financial_year_start,
    quarter_of,
    working_days,
)


def wd(received, responded) -> int:
    """Working days for one pair of dates, through the vectorised function."""
    out = working_days(pd.Series([received]), pd.Series([responded]))
    return int(out.iloc[0])


# --- FinancialYear --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2023-24", "2023/24", "2023-2024", "2023/2024", " 2023 - 24 "])
def test_parse_accepts_the_usual_forms(text):
    assert FinancialYear.parse(text) == FinancialYear(2023)


def test_parse_passes_a_financial_year_through():
    fy = FinancialYear(2020)
    assert FinancialYear.parse(fy) is fy


def test_parse_across_a_century():
    assert FinancialYear.parse("1999-00") == FinancialYear(1999)
    assert FinancialYear(1999).label == "1999-00"
    assert FinancialYear(2009).label == "2009-10"


@pytest.mark.parametrize(
    "text", ["2023-25", "2023-23", "2023-2025", "2023", "23-24", "2023-4", "FY2023-24", "", "abc"]
)
def test_parse_rejects_anything_else(text):
    with pytest.raises(ValueError, match="financial year"):
        FinancialYear.parse(text)


def test_labels_and_bounds():
    fy = FinancialYear.parse("2023-24")
    assert fy.label == "2023-24" == str(fy)
    assert fy.slash_label == "2023/24"
    assert fy.start == date(2023, 4, 1)
    assert fy.end == date(2024, 3, 31)


def test_previous_and_next():
    fy = FinancialYear(2023)
    assert fy.previous() == FinancialYear(2022)
    assert fy.previous(3).label == "2020-21"
    assert fy.next().label == "2024-25"
    assert FinancialYear(2022) < fy


@pytest.mark.parametrize(
    ("quarter", "first", "last"),
    [
        ("Q1", date(2023, 4, 1), date(2023, 6, 30)),
        ("Q2", date(2023, 7, 1), date(2023, 9, 30)),
        ("Q3", date(2023, 10, 1), date(2023, 12, 31)),
        ("Q4", date(2024, 1, 1), date(2024, 3, 31)),
    ],
)
def test_quarter_bounds(quarter, first, last):
    assert FinancialYear(2023).quarter_bounds(quarter) == (first, last)


def test_quarter_bounds_rejects_an_unknown_quarter():
    with pytest.raises(ValueError):
        FinancialYear(2023).quarter_bounds("Q5")


def test_contains():
    dates = pd.Series(
        pd.to_datetime(["2023-03-31", "2023-04-01", "2024-03-31", "2024-04-01", None])
    )
    assert FinancialYear(2023).contains(dates).tolist() == [False, True, True, False, False]


def test_contains_a_time_on_the_last_day():
    dates = pd.Series(pd.to_datetime(["2023-04-01 09:00", "2024-03-31 12:00"]))
    assert FinancialYear(2023).contains(dates).tolist() == [True, True]


# --- quarter_of, financial_year_label ----------------------------------------------------


def test_quarter_of_boundaries_and_missing():
    dates = pd.Series(
        pd.to_datetime(
            [
                "2023-04-01",
                "2023-06-30",
                "2023-07-01",
                "2023-09-30",
                "2023-10-01",
                "2023-12-31",
                "2024-01-01",
                "2024-03-31",
                None,
            ]
        ),
        index=range(10, 19),
    )
    q = quarter_of(dates)
    assert list(q.index) == list(range(10, 19))
    assert list(q.cat.categories) == list(QUARTERS)
    assert q.iloc[:8].tolist() == ["Q1", "Q1", "Q2", "Q2", "Q3", "Q3", "Q4", "Q4"]
    assert pd.isna(q.iloc[8])


def test_financial_year_label_and_start():
    dates = pd.Series(
        pd.to_datetime(["2024-03-31", "2024-04-01", "2000-01-05", "1999-12-31", None])
    )
    assert financial_year_label(dates).iloc[:4].tolist() == [
        "2023-24",
        "2024-25",
        "1999-00",
        "1999-00",
    ]
    assert pd.isna(financial_year_label(dates).iloc[4])
    start = financial_year_start(dates)
    assert start.iloc[:4].tolist() == [2023, 2024, 1999, 1999]
    assert pd.isna(start.iloc[4])


# --- working days: the contract's definition on known dates ------------------------------


def test_bank_holidays_are_weekdays_with_the_one_offs():
    days = bank_holidays(2022, 2023)
    assert all(d.weekday() < 5 for d in days)
    for one_off in (date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19), date(2023, 5, 8)):
        assert one_off in days
    assert date(2022, 12, 25) not in days  # a Sunday: its substitute is listed instead
    assert date(2022, 12, 27) in days


@pytest.mark.parametrize(
    ("received", "responded", "expected", "why"),
    [
        ("2023-03-06", "2023-03-06", 0, "answered on the day of receipt"),
        ("2023-03-03", "2023-03-06", 1, "Friday to Monday"),
        ("2023-03-03", "2023-03-04", 0, "Friday to Saturday"),
        ("2023-03-04", "2023-03-06", 1, "Saturday to Monday"),
        ("2023-03-06", "2023-03-07", 1, "Monday to Tuesday"),
        ("2023-03-06", "2023-03-13", 5, "a full week"),
        ("2023-04-06", "2023-04-11", 1, "Easter 2023: Good Friday 7 Apr and Easter Monday 10 Apr"),
        ("2023-04-05", "2023-04-13", 4, "across Easter 2023"),
        ("2022-06-01", "2022-06-06", 1, "Platinum Jubilee: Thu 2 and Fri 3 June 2022"),
        ("2022-05-31", "2022-06-07", 3, "across the Platinum Jubilee"),
        ("2022-09-16", "2022-09-20", 1, "State Funeral, Mon 19 Sep 2022"),
        ("2023-05-05", "2023-05-09", 1, "Coronation, Mon 8 May 2023"),
        ("2023-04-28", "2023-05-09", 5, "Early May bank holiday 1 May and the Coronation 8 May"),
        ("2021-12-24", "2021-12-29", 1, "Christmas 2021: substitutes Mon 27 and Tue 28 Dec"),
        ("2022-12-23", "2022-12-28", 1, "Christmas 2022: Boxing Day 26 and substitute 27 Dec"),
        ("2022-12-23", "2023-01-03", 4, "Christmas 2022 and the New Year substitute 2 Jan 2023"),
        ("2023-03-31", "2023-04-28", 18, "20 weekdays less Good Friday and Easter Monday"),
    ],
)
def test_working_days_known_spans(received, responded, expected, why):
    assert wd(received, responded) == expected, why


def test_working_days_counts_each_row_and_keeps_the_index():
    rec = pd.Series(["2023-03-03", "2023-04-06", "2022-09-16"], index=["a", "b", "c"])
    resp = pd.Series(["2023-03-06", "2023-04-11", "2022-09-20"], index=["a", "b", "c"])
    out = working_days(rec, resp)
    assert out.dtype == "Int64"
    assert list(out.index) == ["a", "b", "c"]
    assert out.tolist() == [1, 1, 1]


def test_working_days_uses_the_date_not_the_time():
    rec = pd.Series(pd.to_datetime(["2023-03-03 17:45"]))
    resp = pd.Series(pd.to_datetime(["2023-03-06 08:30"]))
    assert working_days(rec, resp).tolist() == [1]


def test_working_days_missing_dates_give_na():
    rec = pd.Series(["2023-03-03", None, "2023-03-03", None])
    resp = pd.Series(["2023-03-06", "2023-03-06", None, None])
    out = working_days(rec, resp)
    assert out.dtype == "Int64"
    assert out.iloc[0] == 1
    assert out.iloc[1:].isna().all()


def test_working_days_all_missing_or_empty():
    out = working_days(pd.Series([None, None]), pd.Series([None, "2023-01-01"]))
    assert out.dtype == "Int64" and out.isna().all() and len(out) == 2
    empty = working_days(
        pd.Series([], dtype="datetime64[ns]"), pd.Series([], dtype="datetime64[ns]")
    )
    assert len(empty) == 0


# --- working days: properties --------------------------------------------------------------

ENG = holidays.country_holidays("GB", subdiv="ENG")
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31))


def brute_force(received: date, responded: date) -> int:
    """Day by day: d with received < d <= responded, not Sat/Sun, not an English bank holiday."""
    n, d = 0, received + timedelta(days=1)
    while d <= responded:
        if d.weekday() < 5 and d not in ENG:
            n += 1
        d += timedelta(days=1)
    return n


pairs = st.lists(
    st.tuples(DAYS, st.integers(min_value=0, max_value=400)).map(
        lambda t: (t[0], t[0] + timedelta(days=t[1]))
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(pairs)
def test_working_days_equals_brute_force(spans):
    rec = pd.Series([a for a, _ in spans])
    resp = pd.Series([b for _, b in spans])
    assert working_days(rec, resp).tolist() == [brute_force(a, b) for a, b in spans]


@settings(deadline=None)
@given(DAYS)
def test_working_days_zero_when_equal(d):
    assert wd(d, d) == 0


@settings(deadline=None)
@given(pairs)
def test_working_days_never_negative_nor_more_than_calendar_days(spans):
    out = working_days(pd.Series([a for a, _ in spans]), pd.Series([b for _, b in spans]))
    for n, (a, b) in zip(out.tolist(), spans, strict=True):
        assert 0 <= n <= (b - a).days


@settings(deadline=None)
@given(st.lists(DAYS, min_size=3, max_size=3).map(sorted))
def test_working_days_is_additive(abc):
    a, b, c = abc
    assert wd(a, c) == wd(a, b) + wd(b, c)
