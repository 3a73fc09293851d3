"""Narrative sentences generated from the figures, so no number is ever typed into the report."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from ..data.calendar import FinancialYear
from . import stated, tables

# How sentences state figures: the tables' formats, each number marked with its place in
# figures.json, so that the published page records what its sentences state (see stated.py).
format_count = stated.stating(tables.format_count, "count")
format_percent = stated.stating(tables.format_percent, "percent")
format_money = stated.stating(tables.format_money, "money")


def setting(value: float, kind: str = "count") -> str:
    """A number from the council's settings (a time limit, a target, a national average), as a
    sentence states it: recorded as a setting, not a figure (see stated.py)."""
    text = {"count": tables.format_count, "percent": tables.format_percent}[kind](value)
    return stated.mark(value, text, "setting")


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
    return (
        f"{stated.mark(pct, f'{pct}%', 'change')} {more if ratio > 0 else fewer} than in {previous}"
    )


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
    numbers: Numbers | None = None,
) -> list[str]:
    """The executive summary's key messages from two years' council-wide figures.

    ``now`` and ``before`` are the ``council`` entries of figures.json for the report year and
    the year before (``before`` None when there is no previous year in the data set).
    ``numbers`` states counts under the year's disclosure control (default: in full).
    """
    n = numbers or Numbers()
    prev = FinancialYear.parse(financial_year).previous().label
    b = before or {}

    def get(key):
        return b.get(key) if before is not None else None

    lines = [
        f"There {n.was_were(now['complaints'])} "
        f"{n.plural(now['complaints'], 'complaint')} across the council in {financial_year}, "
        f"{n.change(now['complaints'], get('complaints'), prev)}.",
        f"{n.plural(now['formal'], 'complaint')} went through the formal process (Stage 1) and "
        f"{n.count(now['informal'])} {n.was_were(now['informal'])} resolved informally.",
    ]
    decided, upheld = now["ombudsman_decisions"], now["ombudsman_upheld"]
    lines.append(
        f"The Ombudsman decided {n.plural(decided, 'complaint')} "
        + (
            f"and upheld {n.count(upheld)}"
            if not n.hidden_rest(upheld, decided)
            else f"({NOT_STATED.format(what='how many it upheld')})"
        )
        + f", with remedies of {format_money(now['remedy_total'])} "
        f"({change_phrase(now['remedy_total'], get('remedy_total'), prev, more='higher', fewer='lower')})."
    )
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
        f"{n.plural(now['learnings'], 'learning point')} {n.was_were(now['learnings'])} recorded."
    )
    lines.append(
        f"The council received {n.plural(now['compliments'], 'compliment')}, "
        f"{n.change(now['compliments'], get('compliments'), prev)}."
    )
    if member_conduct and member_conduct.get("received"):
        received = member_conduct["received"]
        lines.append(
            f"There {n.was_were(received)} "
            f"{n.plural(received, 'code of conduct complaint')} about councillors; "
            + (
                f"{n.count(member_conduct['investigated'])} investigated and "
                f"{n.count(member_conduct['upheld'])} upheld."
                if not n.hidden(received) or not n.threshold
                else f"{NOT_STATED.format(what='how many were investigated and upheld')}."
            )
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


NOT_STATED = "{what} is not stated, to protect small numbers"
"""What a sentence says where stating a figure would reveal a small count."""


@dataclass(frozen=True)
class Numbers:
    """How generated sentences state counts under disclosure control.

    With ``threshold`` 0 (suppression off) every count is stated in full, exactly as
    :func:`plural`, :func:`format_count` and :func:`change_phrase` state it. Otherwise a count
    from 1 to ``threshold`` is stated as the band ``1 to 5``, never its value, and nothing that
    would give it away (a change against it, a share of it) is stated either. Zero is stated:
    it discloses nothing about a person. ``ReportContext.numbers`` gives the year's settings.
    """

    threshold: int = 0

    @property
    def band(self) -> str:
        """What a sentence says in place of a hidden count: ``1 to 5``."""
        return f"1 to {self.threshold}"

    def hidden(self, *counts: float | None) -> bool:
        """Whether any of ``counts`` is one a sentence must not state (1 to ``threshold``)."""
        return self.threshold > 0 and any(
            n is not None and 1 <= n <= self.threshold for n in counts
        )

    def hidden_rest(self, part: int, total: int) -> bool:
        """Whether stating ``part`` of a shown ``total`` would reveal a hidden count: the rest
        (``total - part``) is 1 to ``threshold`` while ``total`` itself is stated in full."""
        return self.hidden(total - part) and not self.hidden(total)

    def count(self, n: int) -> str:
        """``139``, or ``1 to 5`` for a hidden count."""
        return self.band if self.hidden(n) else format_count(n)

    def plural(self, n: int, singular: str, plural_form: str | None = None) -> str:
        """``139 complaints``, ``1 complaint``, or ``1 to 5 complaints`` for a hidden count."""
        if self.hidden(n):
            return f"{self.band} {plural_form or f'{singular}s'}"
        return plural(n, singular, plural_form)

    def total(self, parts: list[int]) -> str:
        """The sum of ``parts`` (e.g. each area's count), stated so that it gives no hidden
        part away: in full when no part is hidden, else the band the hidden parts allow
        (``41 to 45`` for 40 and a hidden count), or ``1 to 5`` when the sum itself is small."""
        whole = sum(parts)
        if self.hidden(whole) or not self.hidden(*parts):
            return self.count(whole)
        low = sum(1 if self.hidden(p) else p for p in parts)
        high = sum(self.threshold if self.hidden(p) else p for p in parts)
        return f"{format_count(low)} to {format_count(high)}"

    def plural_total(self, parts: list[int], singular: str, plural_form: str | None = None) -> str:
        """:meth:`total` with its noun: ``41 to 45 complaints``."""
        whole = sum(parts)
        if whole == 1 and not self.hidden(whole):
            return plural(whole, singular, plural_form)
        return f"{self.total(parts)} {plural_form or f'{singular}s'}"

    def split(self, total: int, parts: list[int]) -> list[str]:
        """How to state ``parts`` of a ``total`` that is stated in full elsewhere, so that
        none is given away: a hidden part as ``1 to 5``; and when only one part is hidden,
        the smallest other non-zero part as ``some`` (the total minus the rest would give the
        hidden one away), as tables do it."""
        hidden = [self.hidden(p) for p in parts]
        if not self.hidden(total) and sum(hidden) == 1:
            others = [(p, i) for i, p in enumerate(parts) if not hidden[i] and p > 0]
            if others:
                hidden[min(others)[1]] = True
        return [
            (self.band if self.hidden(p) else "some") if h else format_count(p)
            for p, h in zip(parts, hidden, strict=True)
        ]

    def was_were(self, n: int) -> str:
        """The verb agreeing with what :meth:`count` says (a band is plural)."""
        return "were" if self.hidden(n) else was_were(n)

    def change(
        self,
        now: float,
        before: float | None,
        previous: str,
        *,
        more: str = "more",
        fewer: str = "fewer",
    ) -> str:
        """:func:`change_phrase`; when either count is hidden, ``against 1 to 5 in 2022-23``
        (or the last year's count in full), since a percentage change would reveal it."""
        if before is not None and before != 0 and self.hidden(now, before):
            return f"against {self.count(before)} in {previous}"
        return change_phrase(now, before, previous, more=more, fewer=fewer)

    def against(self, now: int, before: int | None, previous: str, *, zero: str = "none") -> str:
        """``up from 28 in 2022-23``: a change stated against last year's count, as small
        counts read better than as percentages; ``zero`` is how last year's 0 reads.

        When either count is hidden, last year's is stated as the band (or in full) and no
        direction is given: "the same as" or "up"/"down" would narrow the band.
        """
        if before is None:
            return f"with no figure for {previous} to compare"
        if self.hidden(now, before):
            return f"against {self.count(before) if before else 'none'} in {previous}"
        if now == before:
            return f"the same as in {previous}"
        was = format_count(before) if before else zero
        return f"{'up' if now > before else 'down'} from {was} in {previous}"

    def share(self, n: int, total: int) -> str:
        """``30%`` of ``total``; ``a small share`` when ``n`` is hidden (the share would reveal
        it), ``–`` when ``total`` is 0."""
        if self.hidden(n):
            return "a small share"
        return format_percent(None if total == 0 else n / total)


# --- the children's services key messages -----------------------------------------------------

_STAGE_WORDS = {
    "Informal": ("complaint resolved informally", "complaints resolved informally"),
    "Stage 1": ("Stage 1 complaint", "Stage 1 complaints"),
    "Stage 2": ("Stage 2 complaint", "Stage 2 complaints"),
    "Stage 3": ("Stage 3 complaint", "Stage 3 complaints"),
}


def _sum(entries: list[dict[str, Any]], *keys: str) -> float:
    """The sum over ``entries`` of the value at the path ``keys`` (None counts as 0)."""
    total = 0
    for e in entries:
        v: Any = e
        for k in keys:
            v = v.get(k) if isinstance(v, dict) else None
        total += v or 0
    return total


def movements(
    now: dict[str, Any], before: dict[str, Any] | None, *, top: int = 3
) -> list[tuple[str, str, int, int]]:
    """The largest movements against last year in each area's complaints by stage.

    Returns up to ``top`` (area, stage, this year, last year), the largest relative change
    first (last year's 0 counts as 1, so that 0 to 4 ranks like 1 to 5), ties broken by the
    larger absolute change. A change of fewer than 3 complaints is not a movement.
    """
    if before is None:
        return []
    found = []
    for area, entry in now["service_areas"].items():
        then = before["service_areas"].get(area, {}).get("stages", {})
        for stage in _STAGE_WORDS:
            a, b = entry["stages"].get(stage, 0), then.get(stage, 0)
            if abs(a - b) < 3:
                continue
            found.append((abs(a - b) / max(b, 1), abs(a - b), area, stage, a, b))
    found.sort(key=lambda f: (-f[0], -f[1]))
    return [(area, stage, a, b) for _, _, area, stage, a, b in found[:top]]


def childrens_key_messages(
    now: dict[str, Any],
    before: dict[str, Any] | None,
    *,
    directorate: str,
    limits: dict[str, tuple[int, int | None]],
    national_compliance: float | None = None,
    numbers: Numbers | None = None,
) -> list[str]:
    """The executive summary's key messages for children's services, ranked by what matters.

    In order: the largest movements against last year (:func:`movements`); timeliness at each
    statutory stage, each area against the stage's time limit; the Ombudsman (decisions,
    upheld, remedies, compliance with its recommendations against the national average);
    independent investigation costs; learning and compliments.

    ``now`` and ``before`` are whole figures.json of the report year and the year before
    (``before`` None when the data set has no previous year). ``limits`` maps each stage
    (``Stage 1``…``Stage 3``) to its time limit and extended limit in working days.
    ``numbers`` states counts under the year's disclosure control (default: in full).
    """
    n = numbers or Numbers()
    fy = now["financial_year"]
    prev = FinancialYear.parse(fy).previous().label
    areas = list(now["service_areas"])
    entries = [now["service_areas"][a] for a in areas]
    then = (
        [before["service_areas"][a] for a in areas if a in before["service_areas"]]
        if before
        else []
    )
    lines: list[str] = []

    # 1. The largest movements against last year.
    # A movement of a hidden count would only say "against 1 to 5": not a key message.
    shown = [m for m in movements(now, before, top=99) if not n.hidden(m[2], m[3])]
    for area, stage, a, b in shown[:3]:
        one, many = _STAGE_WORDS[stage]
        lines.append(f"{area} had {n.plural(a, one, many)} in {fy}, {n.against(a, b, prev)}.")

    # 2. Timeliness at each statutory stage.
    for stage in ("Stage 1", "Stage 2", "Stage 3"):
        first, extended = limits[stage]
        for area in areas:
            t = now["service_areas"][area]["timescales"][stage]
            done = t["responded"]
            if not done:
                # Every Stage 3 request of the year withdrawn: no panel was held, and that is
                # the stage's news (a withdrawn request is never a panel held).
                requests = now["service_areas"][area]["stages"].get(stage, 0)
                if stage == "Stage 3" and requests and t["open"] == 0 and not n.hidden(requests):
                    which = (
                        "its one Stage 3 request"
                        if requests == 1
                        else f"all {requests} of its Stage 3 requests"
                    )
                    lines.append(
                        f"{area} had no review panel in {fy}: {which} "
                        f"{'was' if requests == 1 else 'were'} withdrawn."
                    )
                continue
            within = t["within_limit"]
            if stage == "Stage 3":
                held = n.plural(done, "review panel")
                part = (
                    "all" if within == done and done > 1 else n.count(within) if within else "none"
                )
                head = (
                    f"{area} held its {held}"
                    if within == done and done == 1
                    else f"{area} held {part} of its {held}"
                ) + f" within {setting(first)} working days of the request in {fy}"
            elif done == 1 and not n.threshold:
                head = (
                    f"The one {stage} complaint to {area} answered in {fy} and not withdrawn "
                    f"was {'' if within else 'not '}answered within {setting(first)} working days"
                )
            else:
                # A share of a hidden count, or one that leaves a hidden rest, would reveal it.
                share = (
                    "none was"
                    if not within
                    else "some were"
                    if n.hidden(done, done - within)
                    else f"{n.share(within, done)} were"
                )
                # The base is the timescales section's: answered, and not withdrawn.
                head = (
                    f"Of the {n.plural(done, f'{stage} complaint')} to {area} answered in {fy} "
                    f"and not withdrawn, {share} answered within {setting(first)} working days"
                )
            before_t = (
                before["service_areas"].get(area, {}).get("timescales", {}).get(stage)
                if before
                else None
            )
            compare = ""
            if (
                before_t
                and before_t["responded"]
                and not n.hidden(
                    within,
                    before_t["within_limit"],
                    done - within,
                    before_t["responded"] - before_t["within_limit"],
                )
            ):
                compare = ", " + points_phrase(
                    within / done, before_t["within_limit"] / before_t["responded"], prev
                )
                if not within and not before_t["within_limit"]:
                    compare = f", as in {prev}"
            extra = ""
            if extended and stage != "Stage 3" and t["extended"] and not n.hidden(t["extended"]):
                extra = (
                    f"; {format_count(t['extended'])}{' more' if within else ''} "
                    f"{was_were(t['extended'])} answered within the extended limit of "
                    f"{setting(extended)} working days"
                )
            lines.append(f"{head}{compare}{extra}.")

    # 3. The Ombudsman: decisions, remedies, compliance against the national average.
    decided = [e["ombudsman"]["decisions"] for e in entries]
    upheld = [e["ombudsman"]["upheld"] for e in entries]
    remedies = _sum(entries, "ombudsman", "remedy_total")
    d = sum(decided)
    if d:
        was_remedies = _sum(then, "ombudsman", "remedy_total") if before else None
        upheld_part = (
            f" and upheld {n.total(upheld)}"
            if not n.hidden(*upheld, *[a - b for a, b in zip(decided, upheld, strict=True)])
            else f" ({NOT_STATED.format(what='how many it upheld')})"
        )
        money = (
            f", with remedies of {format_money(remedies)} "
            f"({'against nothing in ' + prev if was_remedies == 0 and remedies else change_phrase(remedies, was_remedies, prev, more='higher', fewer='lower')})"
            if remedies
            else ", with no financial remedy"
        )
        lines.append(
            f"The Ombudsman decided {n.plural_total(decided, 'complaint')} about "
            f"{directorate} in {fy}{upheld_part}{money}."
        )
    else:
        lines.append(f"The Ombudsman made no decision on a complaint about {directorate} in {fy}.")
    due = _sum(entries, "ombudsman_compliance", "recommendations_due")
    complied = _sum(entries, "ombudsman_compliance", "recommendations_complied")
    if due and not n.hidden(due, complied, due - complied):
        average = (
            f", against a national average of {setting(national_compliance, 'percent')}"
            if national_compliance is not None
            else ""
        )
        lines.append(
            f"The council complied with {format_count(complied)} of the Ombudsman's "
            f"{plural(due, 'recommendation')} for {directorate} due in {fy} "
            f"({format_percent(complied / due)}){average}."
        )

    # 4. Costs of independent investigation.
    def cost(es: list[dict[str, Any]]) -> float:
        return sum(
            _sum(es, "stage2_costs", k)
            for k in ("investigator", "independent_person", "additional")
        )

    spent = cost(entries)
    was_spent = cost(then) if before else None
    if spent:
        compare = (
            f"against nothing in {prev}"
            if was_spent == 0
            else change_phrase(spent, was_spent, prev, more="higher", fewer="lower")
            if was_spent is None
            else f"against {format_money(was_spent)} in {prev}"
        )
        lines.append(
            f"Independent investigation of Stage 2 and Stage 3 complaints about {directorate} "
            f"cost {format_money(spent)} in {fy}, {compare}."
        )

    # 5. Learning and compliments.
    learn = [e["quarters"]["year"]["learnings"] for e in entries]
    praise = [e["quarters"]["year"]["compliments"] for e in entries]
    sentence = (
        f"{directorate} recorded {n.plural_total(learn, 'learning point')} from complaints and "
        f"received {n.plural_total(praise, 'compliment')} in {fy}"
    )
    if before is not None and not n.threshold:
        was_learn = _sum(then, "quarters", "year", "learnings")
        was_praise = _sum(then, "quarters", "year", "compliments")
        sentence += f", against {format_count(was_learn)} and {format_count(was_praise)} in {prev}"
    lines.append(sentence + ".")
    return lines
