"""Narrative sentences generated from the figures, so no number is ever typed into the report."""

from __future__ import annotations

import math
import re
from typing import Any

from .calendar import FinancialYear
from .tables import format_count, format_money, format_percent


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``1 complaint``, ``139 complaints`` (thousands separated)."""
    word = singular if n == 1 else (plural_form or f"{singular}s")
    return f"{format_count(n)} {word}"


def change_phrase(
    now: float, before: float | None, previous: str, *, more: str = "more", fewer: str = "fewer"
) -> str:
    """How ``now`` compares with ``before``: ``7% fewer than in 2022-23``.

    Parameters
    ----------
    now, before
        This year's and the previous year's values; ``before`` None means no figure to compare.
    previous
        The previous year's label, as the sentence names it.
    more, fewer
        The words for a rise and a fall (``higher``/``lower`` for money).
    """
    if before is None:
        return f"with no figure for {previous} to compare"
    if before == 0:
        return f"none in {previous}" if now else f"none in {previous} either"
    ratio = (now - before) / before
    pct = math.floor(abs(ratio) * 100 + 0.5 + 1e-9)
    if pct == 0:
        return f"about the same as in {previous}"
    return f"{pct}% {more if ratio > 0 else fewer} than in {previous}"


def points_phrase(now: float | None, before: float | None, previous: str) -> str:
    """A share's change in percentage points: ``up from 16% in 2019-20``."""
    if now is None or before is None:
        return f"with no figure for {previous} to compare"
    a, b = format_percent(now), format_percent(before)
    if a == b:
        return f"the same as in {previous}"
    return f"{'up' if now > before else 'down'} from {b} in {previous}"


def key_messages(
    now: dict[str, Any],
    before: dict[str, Any] | None,
    financial_year: str,
    member_conduct: dict[str, int] | None = None,
) -> list[str]:
    """The executive summary's key messages from two years' council-wide figures.

    ``now`` and ``before`` are the ``council`` entries of figures.json for the report year and
    the year before (``before`` None when there is no previous year in the data set).
    """
    prev = FinancialYear.parse(financial_year).previous().label
    b = before or {}

    def get(key):
        return b.get(key) if before is not None else None

    lines = [
        f"There {'was' if now['complaints'] == 1 else 'were'} "
        f"{plural(now['complaints'], 'complaint')} across the council in {financial_year}, "
        f"{change_phrase(now['complaints'], get('complaints'), prev)}.",
        f"{plural(now['formal'], 'complaint')} went through the formal process (Stage 1) and "
        f"{format_count(now['informal'])} {'was' if now['informal'] == 1 else 'were'} resolved informally.",
        f"The Ombudsman decided {plural(now['ombudsman_decisions'], 'complaint')} and upheld "
        f"{format_count(now['ombudsman_upheld'])}, with remedies of "
        f"{format_money(now['remedy_total'])} "
        f"({change_phrase(now['remedy_total'], get('remedy_total'), prev, more='higher', fewer='lower')}).",
    ]
    if now["overdue_share"] is not None:
        lines.append(
            f"{format_percent(now['overdue_share'])} of Stage 1 responses took longer than the "
            f"target, {points_phrase(now['overdue_share'], get('overdue_share'), prev)}."
        )
    if now["fully_justified_share"] is not None:
        lines.append(
            f"{format_percent(now['fully_justified_share'])} of Stage 1 complaints were found fully "
            f"justified and {format_percent(now['partly_justified_share'])} partly justified."
        )
    lines.append(
        f"{plural(now['learnings'], 'learning point')} {'was' if now['learnings'] == 1 else 'were'} recorded."
    )
    lines.append(
        f"The council received {plural(now['compliments'], 'compliment')}, "
        f"{change_phrase(now['compliments'], get('compliments'), prev)}."
    )
    if member_conduct and member_conduct.get("received"):
        lines.append(
            f"There {'was' if member_conduct['received'] == 1 else 'were'} "
            f"{plural(member_conduct['received'], 'code of conduct complaint')} about councillors; "
            f"{format_count(member_conduct['investigated'])} investigated and "
            f"{format_count(member_conduct['upheld'])} upheld."
        )
    return lines


def and_list(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def was_were(n: int) -> str:
    return "was" if n == 1 else "were"


def slug(text: str | None) -> str:
    """``Children's Social Care`` -> ``childrens-social-care``, for table and chart names.

    None, which the content modules use for council-wide figures, is ``council``.
    """
    if text is None:
        return "council"
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-") or "x"
