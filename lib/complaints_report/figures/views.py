"""Report views: the multi-year tables, case lists and shares the report sections show."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..data.calendar import QUARTERS, FinancialYear
from ..data.values import TEXT
from .engine import (
    EQUALITY_CHARACTERISTICS,
    JUDGED,
    LEFT_BLANK,
    NOT_RECORDED,
    STAGES,
    TIMESCALE_STAGES,
    Prepared,
    advocacy_referrals,
    area_figures,
    area_masks,
    council_figures,
    in_year,
    member_conduct,
    money_total,
    ombudsman_compliance,
    ombudsman_investigations,
    quarter_frame,
    share_of,
    stage_timescales,
)


def _years(fy: FinancialYear, n: int) -> list[FinancialYear]:
    """The report year and the ``n - 1`` before it, newest first."""
    return [fy.previous(i) for i in range(n)]


def statutory(
    prep: Prepared, fy: FinancialYear, area: str, years: int = 3
) -> dict[str, dict[str, int]]:
    """Representations, Stage 1/2/3 and Ombudsman approaches for the report year and two before."""
    out = {}
    for y in _years(fy, years):
        f = area_figures(prep, y, area)
        row = {s: f["stages"][s] for s in STAGES}
        row["ombudsman_decisions"] = f["ombudsman"]["decisions"]
        row["ombudsman_upheld"] = f["ombudsman"]["upheld"]
        out[y.label] = row
    return out


def timescales(
    prep: Prepared, fy: FinancialYear, area: str | None, years: int = 3
) -> dict[str, dict]:
    """Share of responded Stage 1 records within / over the target, by year."""
    out = {}
    for y in _years(fy, years):
        row = quarter_frame(prep, y, area_masks(prep, area)).loc["year"]
        over = share_of(row["overdue"], row["responded"])
        out[y.label] = {
            "responded": int(row["responded"]),
            "overdue": int(row["overdue"]),
            "overdue_share": over,
            "within_target_share": None if over is None else 1 - over,
        }
    return out


def statutory_timescales(
    prep: Prepared, fy: FinancialYear, area: str | None, years: int = 3
) -> dict[str, dict[str, dict[str, Any]]]:
    """The statutory-timescale counts of each stage by quarter of the report year (``Q1``..
    ``Q4``) and for the report year and the ``years - 1`` before it (by label), newest first."""
    m = area_masks(prep, area).complaints.fillna(False)
    c = prep.complaints
    this_year = c[m & in_year(c, fy)]
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for stage in TIMESCALE_STAGES:
        rows = {
            q: stage_timescales(prep, this_year[this_year["quarter"] == q], stage) for q in QUARTERS
        }
        for y in _years(fy, years):
            rows[y.label] = stage_timescales(prep, c[m & in_year(c, y)], stage)
        out[stage] = rows
    return out


def ombudsman_history(
    prep: Prepared, fy: FinancialYear, area: str | None, years: int = 3
) -> dict[str, dict[str, Any]]:
    """Ombudsman decisions, upheld, investigated in detail (upheld or not upheld, not passed
    back to the council), upheld after that investigation, and the compliance counts, for the report year and the ``years - 1`` before it."""
    o = prep.ombudsman
    m = area_masks(prep, area).ombudsman.fillna(False)
    out = {}
    for y in _years(fy, years):
        rows = o[m & in_year(o, y)]
        out[y.label] = {
            "decisions": int(len(rows)),
            "upheld": int((rows["decision"] == "Upheld").sum()),
            # investigated, upheld_after_investigation: the upheld rate's parts
            **ombudsman_investigations(rows),
            **ombudsman_compliance(prep, rows),
        }
    return out


def outcome_shares(
    prep: Prepared, fy: FinancialYear, area: str | None, years: int = 3
) -> dict[str, dict]:
    """Fully / partially / not justified as shares of the judged Stage 1 records, by year."""
    out = {}
    m = area_masks(prep, area).complaints
    c = prep.complaints
    for y in _years(fy, years):
        s1 = c[m & in_year(c, y) & (c["stage"] == "Stage 1")]
        judged = s1["outcome"][s1["outcome"].isin(JUDGED)]
        out[y.label] = {o: share_of((judged == o).sum(), len(judged)) for o in JUDGED}
        out[y.label]["judged"] = int(len(judged))
    return out


def children_in_care(
    prep: Prepared, fy: FinancialYear, area: str, years: int = 5
) -> dict[str, int]:
    """Children in care complaints (distinct cases) for the report year and the four before."""
    return {y.label: area_figures(prep, y, area)["children_in_care"] for y in _years(fy, years)}


def theme_shares(prep: Prepared, fy: FinancialYear, area: str, years: int = 2) -> dict[str, dict]:
    """Each theme's share of the Informal and Stage 1 records whose theme was recorded."""
    out = {}
    for y in _years(fy, years):
        themes = area_figures(prep, y, area)["themes"]
        recorded = {k: v for k, v in themes.items() if k != NOT_RECORDED}
        total = sum(recorded.values())
        out[y.label] = {k: share_of(v, total) for k, v in recorded.items()}
    return out


def stage2_cases(prep: Prepared, fy: FinancialYear, area: str) -> list[dict[str, Any]]:
    """One row per case with a Stage 2 or 3 record in the year: subject, latest outcome, costs."""
    m = area_masks(prep, area).complaints
    c = prep.complaints
    esc = c[m & in_year(c, fy) & c["stage"].isin(["Stage 2", "Stage 3"])].sort_values(
        ["case_ref", "stage"]
    )
    rows = []
    for ref, g in esc.groupby("case_ref", sort=True):
        latest = g.iloc[-1]
        teams = g["team"].dropna()
        subject = g["summary"].dropna() if "summary" in g else pd.Series(dtype=TEXT)
        outcome = latest["outcome"]
        rows.append(
            {
                "case_ref": str(ref),
                "team": str(teams.iloc[0]) if len(teams) else None,
                "subject": str(subject.iloc[0]) if len(subject) else None,
                "stages": ", ".join(g["stage"].astype(str)),
                "latest_stage": str(latest["stage"]),
                "outcome": None if pd.isna(outcome) else str(outcome),
                "investigator": money_total(g["investigator_cost"]),
                "independent_person": money_total(g["independent_person_cost"]),
                "additional": money_total(g["additional_cost"]),
            }
        )
    return rows


def stage2_cost_history(
    prep: Prepared, fy: FinancialYear, area: str | None, years: int = 3
) -> dict:
    """Total Stage 2 and 3 costs (all three cost columns), by year."""
    m = area_masks(prep, area).complaints
    c = prep.complaints
    out = {}
    for y in _years(fy, years):
        esc = c[m & in_year(c, y) & c["stage"].isin(["Stage 2", "Stage 3"])]
        out[y.label] = money_total(
            esc[["investigator_cost", "independent_person_cost", "additional_cost"]]
        )
    return out


def ombudsman_upheld(prep: Prepared, fy: FinancialYear, area: str | None) -> list[dict[str, Any]]:
    """Each upheld Ombudsman decision of the year, with its remedy and recommendations."""
    m = area_masks(prep, area).ombudsman
    o = prep.ombudsman
    up = o[m & in_year(o, fy) & (o["decision"] == "Upheld")].sort_values(
        ["decision_date", "lgsco_ref"]
    )
    cols = [
        "lgsco_ref",
        "decision_date",
        "remedy_amount",
        "remedy_note",
        "summary",
        "recommendations",
    ]
    rows = []
    for rec in up[cols].to_dict("records"):
        rec["decision_date"] = rec["decision_date"].date().isoformat()
        rec["remedy_amount"] = (
            None if pd.isna(rec["remedy_amount"]) else round(float(rec["remedy_amount"]), 2)
        )
        for k in ("lgsco_ref", "remedy_note", "summary", "recommendations"):
            rec[k] = None if pd.isna(rec[k]) else str(rec[k])
        rows.append(rec)
    return rows


def remedy_history(
    prep: Prepared, fy: FinancialYear, area: str | None, years: int = 3
) -> dict[str, float]:
    """Ombudsman remedy totals by year."""
    m = area_masks(prep, area).ombudsman
    o = prep.ombudsman
    return {
        y.label: money_total(o.loc[m & in_year(o, y), "remedy_amount"]) for y in _years(fy, years)
    }


def advocacy(prep: Prepared, fy: FinancialYear) -> dict[str, int]:
    """New referrals to advocacy by quarter (see :func:`figures.advocacy_referrals`)."""
    return advocacy_referrals(prep, fy)


def equalities(prep: Prepared, fy: FinancialYear, years: int = 2) -> dict[str, dict]:
    """Share of returned monitoring forms giving each answer, per characteristic and year."""
    e = prep.equalities
    out: dict[str, dict] = {ch: {} for ch in EQUALITY_CHARACTERISTICS}
    for y in _years(fy, years):
        forms = e[in_year(e, y)]
        for ch in EQUALITY_CHARACTERISTICS:
            vals = forms[ch].astype(TEXT).fillna(LEFT_BLANK)
            vc = vals.value_counts()
            out[ch][y.label] = (
                {str(k): float(v) / len(forms) for k, v in vc.items()} if len(forms) else {}
            )
    return out


def equalities_response(prep: Prepared, fy: FinancialYear, years: int = 2) -> dict[str, dict]:
    """Forms returned, council-wide complaints, and the response rate, by year."""
    e = prep.equalities
    out = {}
    for y in _years(fy, years):
        forms = int(in_year(e, y).sum())
        complaints = council_figures(prep, y)["complaints"]
        out[y.label] = {
            "forms": forms,
            "complaints": complaints,
            "rate": share_of(forms, complaints),
        }
    return out


def _change(now: float | None, before: float | None) -> float | None:
    if now is None or before is None or before == 0:
        return None
    return (now - before) / before


def _area_totals(f: dict[str, Any]) -> dict[str, Any]:
    """An area's year figures in the shape of the council entry, for comparisons."""
    year = f["quarters"]["year"]
    return {
        **year,
        "complaints": year["formal"] + year["informal"],
        "remedy_total": f["ombudsman"]["remedy_total"],
    }


def changes(prep: Prepared, fy: FinancialYear, area: str | None = None) -> dict[str, float | None]:
    """Year-on-year changes for the executive summary (relative; shares in points)."""
    if area is None:
        now, before = council_figures(prep, fy), council_figures(prep, fy.previous())
    else:
        now, before = (_area_totals(area_figures(prep, y, area)) for y in (fy, fy.previous()))
    out: dict[str, float | None] = {}
    for key in (
        "complaints",
        "formal",
        "informal",
        "compliments",
        "learnings",
        "remedy_total",
        "ombudsman_decisions",
        "ombudsman_upheld",
    ):
        out[key] = _change(now[key], before[key])
    for key in ("overdue_share", "fully_justified_share", "partly_justified_share"):
        n, b = now[key], before[key]
        out[f"{key}_points"] = None if n is None or b is None else n - b
    out["previous"] = before  # type: ignore[assignment]
    return out


def report_views(prep: Prepared, financial_year: str | FinancialYear) -> dict[str, Any]:
    """Everything beyond figures.json that the report shows, for one report year."""
    fy = FinancialYear.parse(financial_year)
    areas = prep.areas
    return {
        "statutory": {a: statutory(prep, fy, a) for a in areas},
        "timescales": {
            **{a: timescales(prep, fy, a) for a in areas},
            "council": timescales(prep, fy, None),
        },
        "statutory_timescales": {
            **{a: statutory_timescales(prep, fy, a) for a in areas},
            "council": statutory_timescales(prep, fy, None),
        },
        "ombudsman_history": {
            **{a: ombudsman_history(prep, fy, a) for a in areas},
            "council": ombudsman_history(prep, fy, None),
        },
        "outcome_shares": {
            **{a: outcome_shares(prep, fy, a) for a in areas},
            "council": outcome_shares(prep, fy, None),
        },
        "children_in_care": {a: children_in_care(prep, fy, a) for a in areas},
        "theme_shares": {a: theme_shares(prep, fy, a) for a in areas},
        "stage2_cases": {a: stage2_cases(prep, fy, a) for a in areas},
        "stage2_cost_history": {
            **{a: stage2_cost_history(prep, fy, a) for a in areas},
            "council": stage2_cost_history(prep, fy, None),
        },
        "ombudsman_upheld": {
            **{a: ombudsman_upheld(prep, fy, a) for a in areas},
            "council": ombudsman_upheld(prep, fy, None),
        },
        "remedy_history": {
            **{a: remedy_history(prep, fy, a) for a in areas},
            "council": remedy_history(prep, fy, None),
        },
        "advocacy": advocacy(prep, fy),
        "equalities": equalities(prep, fy),
        "equalities_response": equalities_response(prep, fy),
        "member_conduct": member_conduct(prep, fy),
        "changes": {"council": changes(prep, fy), **{a: changes(prep, fy, a) for a in areas}},
    }
