"""The year's headline figures for children's services, each with its change from the year
before, as the report's opening page shows them (read from the year's figures.json)."""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..data.calendar import FinancialYear
from ..data.loading import load_dataset
from ..data.model import DataError
from ..figures.engine import comparison_file, compute_figures, prepare
from ..present.narrative import Numbers
from ..present.tables import format_count, format_money, format_percent
from ..run import cache

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Headline:
    """One headline figure: what it counts, the year's value and its change, in words."""

    key: str
    label: str
    value: str
    change: str


def _areas(figures: dict[str, Any]) -> list[dict[str, Any]]:
    return list((figures.get("service_areas") or {}).values())


def _stage(figures: dict[str, Any], stage: str) -> int:
    return sum(int((a.get("stages") or {}).get(stage) or 0) for a in _areas(figures))


def _stage1_in_time(figures: dict[str, Any]) -> float | None:
    responded = within = 0
    for a in _areas(figures):
        t = (a.get("timescales") or {}).get("Stage 1") or {}
        responded += int(t.get("responded") or 0)
        within += int(t.get("within_limit") or 0)
    return within / responded if responded else None


def _ombudsman(figures: dict[str, Any], key: str) -> float:
    return sum(float((a.get("ombudsman") or {}).get(key) or 0) for a in _areas(figures))


def has_records(figures: dict[str, Any] | None) -> bool:
    """Whether a year's figures count anything at all (a year before the records begin does not)."""
    if not figures:
        return False
    council = figures.get("council") or {}
    if council.get("complaints"):
        return True
    return any(_stage(figures, s) for s in ("Informal", "Stage 1", "Stage 2", "Stage 3"))


def _change_count(now: float, before: float, money: bool = False) -> str:
    shown = format_money if money else format_count
    if round(now, 2) == round(before, 2):
        return "same as"
    word = "up" if now > before else "down"
    return f"{word} from {shown(before)} in"


def headlines(
    figures: dict[str, Any],
    before: dict[str, Any] | None,
    stage1_limit: int,
    threshold: int = 0,
) -> list[Headline]:
    """Children's services' headline figures (every service area together), each with its
    change from ``before``, the year before's figures (None, or a year without records: no
    change is given). With disclosure control on (``threshold`` > 0), a count from 1 to
    ``threshold`` is given as "1 to <threshold>", and no change or share that would reveal one."""
    # The in-year pack's period compares with the same months of the year before.
    fy = FinancialYear.of_period(figures["financial_year"], figures["period"]["end"])
    previous = fy.previous().slash_label
    compare = has_records(before)
    numbers = Numbers(threshold)
    count = numbers.count

    def stage1_counts(f: dict[str, Any]) -> list[int]:
        out = []
        for a in _areas(f):
            t = (a.get("timescales") or {}).get("Stage 1") or {}
            responded, within = int(t.get("responded") or 0), int(t.get("within_limit") or 0)
            out += [within, responded - within]
        return out

    def hidden(value: Callable[[dict[str, Any]], float | None], kind: str) -> bool:
        """Whether this figure (or its change) would reveal a small count."""
        if not threshold or kind == "money":
            return False
        if kind == "percent":
            years = [figures, before] if compare else [figures]
            return numbers.hidden(*(n for f in years for n in stage1_counts(f)))
        now = value(figures)
        then = value(before) if compare else None  # type: ignore[arg-type]
        diff = None if then is None or now is None else abs(now - then)
        return numbers.hidden(now, then, diff)

    def change(value: Callable[[dict[str, Any]], float | None], kind: str = "count") -> str:
        if not compare:
            return f"No figure for {previous} to compare with"
        if hidden(value, kind):
            return f"Change from {previous} not given: small numbers are not published"
        now, then = value(figures), value(before)  # type: ignore[arg-type]
        if kind == "percent":
            if now is None or then is None:
                return f"No figure for {previous} to compare with"
            a, b = format_percent(now), format_percent(then)
            if a == b:
                return f"The same as in {previous} ({b})"
            word = "Up" if now > then else "Down"
            return f"{word} from {b} in {previous}"
        words = _change_count(float(now or 0), float(then or 0), money=kind == "money")
        if words == "same as":
            return f"The same as in {previous}"
        return f"{words[0].upper()}{words[1:]} {previous}"

    in_time = _stage1_in_time(figures)
    return [
        Headline(
            "stage1",
            "Stage 1 complaints received",
            count(_stage(figures, "Stage 1")),
            change(lambda f: _stage(f, "Stage 1")),
        ),
        Headline(
            "stage1_in_time",
            f"Stage 1 complaints answered within {stage1_limit} working days",
            "[c]" if hidden(_stage1_in_time, "percent") else format_percent(in_time),
            change(_stage1_in_time, "percent"),
        ),
        Headline(
            "stage2",
            "Stage 2 investigations",
            count(_stage(figures, "Stage 2")),
            change(lambda f: _stage(f, "Stage 2")),
        ),
        Headline(
            "ombudsman_decisions",
            "Ombudsman decisions",
            count(int(_ombudsman(figures, "decisions"))),
            change(lambda f: _ombudsman(f, "decisions")),
        ),
        Headline(
            "ombudsman_remedies",
            "Ombudsman remedies paid",
            format_money(_ombudsman(figures, "remedy_total")),
            change(lambda f: _ombudsman(f, "remedy_total"), "money"),
        ),
    ]


def year_before(params: Any, year_dir: Path | None = None) -> dict[str, Any] | None:
    """The figures of the year before the report's; None when they cannot be made (the opening
    page then gives no change). They are the ``figures-<year before>.json`` the run wrote in
    ``year_dir``, else they come from the prepared year the run cached there (``.cache/``, used
    only when made from these very inputs), else from the case records read afresh: publishing
    after a run does not read and prepare the export again."""
    try:
        if year_dir is not None:
            written = year_dir / comparison_file(params.fy)
            if written.is_file():
                return json.loads(written.read_text(encoding="utf-8"))
        payload = None
        if year_dir is not None:
            key = cache.year_key(params, cache.Inputs.of(params))
            payload = cache.load_context_payload(year_dir, key)
        if payload is not None:
            prep = payload["prep"]
        else:
            prep = prepare(load_dataset(params.data_dir, params.columns), params)
        return compute_figures(prep, params.fy.previous())
    except (DataError, OSError, ValueError) as exc:
        log.warning("the year before's figures could not be read (%s): no change is given", exc)
        return None


def read_figures(year_dir: Path) -> dict[str, Any] | None:
    """The year's figures.json, or None when it is missing."""
    target = year_dir / "figures.json"
    if not target.is_file():
        return None
    return json.loads(target.read_text(encoding="utf-8"))


INTRO = "Children's services, every service area together:"


def headlines_html(items: list[Headline]) -> str:
    """The headline figures as a labelled list of panels."""
    lines = [
        '<h2 id="headline-figures">Headline figures</h2>',
        f"<p>{html.escape(INTRO)}</p>",
        '<ul class="headline-figures" aria-labelledby="headline-figures">',
    ]
    for h in items:
        lines.append(
            f'<li data-figure="{h.key}"><span class="figure-value">{html.escape(h.value)}</span> '
            f'<span class="figure-label">{html.escape(h.label)}</span> '
            f'<span class="figure-change">{html.escape(h.change)}</span></li>'
        )
    lines.append("</ul>")
    return "\n".join(lines)
