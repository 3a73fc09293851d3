"""Generate the synthetic demo data set in ``data/demo/`` (deterministic: same output every run).

The records are invented. Their counts are calibrated (``demo_calibration.py``) so that the
suite, run on them, reproduces the figures stated in the two published reports the project is
modelled on; ``tests/backtest/`` checks that, figure by figure. Run: ``make demo-data``.
"""

from __future__ import annotations

import argparse
import csv
import logging
import random
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import demo_text as T  # noqa: E402
from demo_calibration import (  # noqa: E402
    ADVOCACY,
    AREA_TARGETS,
    COUNCIL_TARGETS,
    CSC,
    MEMBER_CONDUCT,
    NSC,
    YEARS,
    solve_shares,
    solve_stage1,
)

from complaints_report.data.calendar import bank_holidays

log = logging.getLogger("generate_demo_data")
SEED = 20240331
CHILDREN = "Children's Services"
TARGET_DAYS = 20
HOLS = np.array(bank_holidays(2015, 2026), dtype="datetime64[D]")


class Gen:
    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.complaints: list[dict] = []
        self.compliments: list[dict] = []
        self.ombudsman: list[dict] = []
        self.next_ref = 10001
        self.lgsco_refs: set[str] = set()
        self.learning_i = 0

    # --- dates ------------------------------------------------------------------------------
    def quarter_bounds(self, year: int, q: int) -> tuple[date, date]:
        start_month = 4 + 3 * q
        y = year + (start_month - 1) // 12
        m = (start_month - 1) % 12 + 1
        first = date(y, m, 1)
        nm = m + 3
        last = date(y + (nm - 1) // 12, (nm - 1) % 12 + 1, 1) - timedelta(days=1)
        return first, last

    def workday_in(self, first: date, last: date) -> date:
        while True:
            d = first + timedelta(days=self.rng.randrange((last - first).days + 1))
            if np.is_busday(np.datetime64(d), holidays=HOLS):
                return d

    def plus_workdays(self, d: date, n: int) -> date:
        return np.busday_offset(np.datetime64(d), n, roll="forward", holidays=HOLS).astype(date)

    def split(self, total: int, parts: int = 4) -> list[int]:
        """Split a year's count into quarters, deterministically and roughly evenly."""
        base = [total // parts] * parts
        for i in self.rng.sample(range(parts), total % parts):
            base[i] += 1
        # a little seasonal variation that keeps the total
        for _ in range(parts):
            a, b = self.rng.sample(range(parts), 2)
            shift = min(base[a] // 6, self.rng.randrange(0, 3))
            base[a] -= shift
            base[b] += shift
        return base

    def ref(self) -> str:
        r = f"COM/{self.next_ref}"
        self.next_ref += 1
        return r

    def lgsco_ref(self, year: int) -> str:
        while True:
            r = f"{(year - 1) % 100:02d}{self.rng.randrange(1000, 19999):06d}"[:8]
            if r not in self.lgsco_refs:
                self.lgsco_refs.add(r)
                return r

    def learning(self, children: bool = True) -> tuple[str, str]:
        """The next learning and action pair for a children's or another directorate's record."""
        pool = T.LEARNING_CHILDREN if children else T.LEARNING_OTHER
        self.learning_i = (self.learning_i + 7) % len(pool)
        return pool[self.learning_i]

    # --- records ----------------------------------------------------------------------------
    def complaint(self, year, q, stage, directorate, area, team, **kw) -> dict:
        first, last = self.quarter_bounds(year, q)
        rec = dict(
            case_ref=self.ref(),
            stage=stage,
            received_date=self.workday_in(first, last),
            responded_date=None,
            directorate=directorate,
            service_area=area,
            team=team,
            theme=None,
            complainant_type=None,
            child_in_care=False,
            via_advocate=False,
            outcome=None,
            extension_agreed=False,
            learning=None,
            action=None,
            summary=None,
            investigator_cost=None,
            independent_person_cost=None,
            additional_cost=None,
            _year=year,
            _q=q,
        )
        rec.update(kw)
        self.complaints.append(rec)
        return rec

    def respond(self, rec: dict, overdue: bool) -> None:
        days = (
            self.rng.randint(TARGET_DAYS + 1, TARGET_DAYS + 30)
            if overdue
            else self.rng.randint(2, TARGET_DAYS)
        )
        rec["responded_date"] = self.plus_workdays(rec["received_date"], days)
        if overdue and self.rng.random() < 0.4:
            rec["extension_agreed"] = True


def _stage1_flags(
    g: Gen,
    recs: list[dict],
    responded: int,
    overdue: int,
    judged: int,
    fully: int,
    partly: int,
    open_ok: bool,
) -> None:
    """Give ``recs`` (Stage 1, one bucket) response dates and outcomes with exactly these counts."""
    order = recs[:]
    g.rng.shuffle(order)
    resp, unresp = order[:responded], order[responded:]
    for i, r in enumerate(resp):
        g.respond(r, overdue=i < overdue)
    g.rng.shuffle(resp)
    outcomes = (
        ["Fully justified"] * fully
        + ["Partially justified"] * partly
        + ["Not justified"] * (judged - fully - partly)
        + ["Withdrawn"] * (responded - judged)
    )
    for r, o in zip(resp, outcomes, strict=True):
        r["outcome"] = o
    for r in unresp:
        # withdrawn before a response was due, or (in the newest quarter) still open
        r["outcome"] = None if open_ok and g.rng.random() < 0.5 else "Withdrawn"


def _as_quarters(value, g: Gen) -> list[int]:
    return list(value) if isinstance(value, list) else g.split(int(value))


def _weighted(g: Gen, weights: dict[str, int], n: int) -> list[str]:
    keys = list(weights)
    return g.rng.choices(keys, weights=[weights[k] for k in keys], k=n)


def _assign_counts(g: Gen, recs: list[dict], field: str, counts: dict, fill=None) -> None:
    values = [k for k, v in counts.items() for _ in range(v)]
    if len(values) > len(recs):
        raise ValueError(f"{field}: {len(values)} values for {len(recs)} records")
    values += [fill] * (len(recs) - len(values))
    g.rng.shuffle(values)
    for r, v in zip(recs, values, strict=True):
        r[field] = v


def build_area(g: Gen, year: int, area: str, t: dict) -> dict:
    teams = T.CSC_TEAMS if area == CSC else T.NSC_TEAMS
    formal = _as_quarters(t["formal"], g)
    informal = _as_quarters(t["informal"], g)
    final_year = year == YEARS[-1]
    by_q_s1: list[list[dict]] = [[] for _ in range(4)]
    front: list[dict] = []
    for q in range(4):
        for _ in range(formal[q]):
            by_q_s1[q].append(g.complaint(year, q, "Stage 1", CHILDREN, area, g.rng.choice(teams)))
        for _ in range(informal[q]):
            rec = g.complaint(year, q, "Informal", CHILDREN, area, g.rng.choice(teams))
            rec["responded_date"] = g.plus_workdays(rec["received_date"], g.rng.randint(0, 12))
            rec["outcome"] = g.rng.choice(
                ["Not justified", "Partially justified", "Not justified", None]
            )
            front.append(rec)
        front.extend(by_q_s1[q])

    # response times and outcomes: calibrated shares
    quarterly = "overdue_q" in t
    if quarterly:
        sol = solve_stage1(
            formal,
            t["overdue_q"],
            t["fully_q"],
            t["partly_q"],
            {k: t.get(k) for k in ("overdue", "fully", "partly", "not_justified")},
        )
        for q in range(4):
            _stage1_flags(
                g,
                by_q_s1[q],
                sol.responded[q],
                sol.overdue[q],
                sol.judged[q],
                sol.fully[q],
                sol.partly[q],
                open_ok=final_year and q == 3,
            )
        solution = sol
    else:
        n = sum(formal)
        od = solve_shares([n], None, [t.get("overdue")], max_missing=8, default_shares=[0.22])
        oc = solve_shares(
            [n],
            None,
            [t.get("fully", 0.08), t.get("partly", 0.13)],
            complement_year_target=t.get("not_justified"),
            upper=od.denominators,
            max_missing=8,
        )
        allrecs = [r for qq in by_q_s1 for r in qq]
        _stage1_flags(
            g,
            allrecs,
            od.denominators[0],
            od.numerators[0][0],
            oc.denominators[0],
            oc.numerators[0][0],
            oc.numerators[1][0],
            open_ok=False,
        )
        solution = {"overdue": od, "outcomes": oc}

    # themes and complainant types over the Informal and Stage 1 records
    if "theme_counts" in t:
        _assign_counts(g, front, "theme", t["theme_counts"])
    else:
        pool = T.THEMES_OLD if year <= 2020 else T.THEMES_DEFAULT
        for r in front:
            r["theme"] = None if g.rng.random() < 0.04 else _weighted(g, pool, 1)[0]
    if "complainant_types" in t:
        _assign_counts(g, front, "complainant_type", t["complainant_types"])
    else:
        blank = 0.45 if year <= 2020 else 0.3
        for r in front:
            r["complainant_type"] = (
                None if g.rng.random() < blank else _weighted(g, T.COMPLAINANT_TYPES, 1)[0]
            )
            if area == NSC and r["complainant_type"] in ("Young Person", "Advocate"):
                r["complainant_type"] = "Parent"

    # children in care: distinct cases, social care only
    if area == CSC:
        cic_q = t.get("cic_q") or g.split(t["cic"])
        for q in range(4):
            pool = [r for r in front if r["_q"] == q]
            for r in g.rng.sample(pool, cic_q[q]):
                r["child_in_care"] = True
                r["via_advocate"] = g.rng.random() < 0.85
                if "complainant_types" not in t:
                    r["complainant_type"] = g.rng.choice(["Young Person", "Advocate"])

    # escalations
    esc = build_escalations(g, year, area, t, by_q_s1)

    # learnings: any stage, by quarter
    learn_q = _as_quarters(t["learnings"], g)
    for q in range(4):
        pool = [r for r in front + esc if r["_q"] == q]
        for r in g.rng.sample(pool, learn_q[q]):
            r["learning"], r["action"] = g.learning()

    # compliments
    for q, n in enumerate(_as_quarters(t["compliments"], g)):
        first, last = g.quarter_bounds(year, q)
        for _ in range(n):
            g.compliments.append(
                dict(
                    date=g.workday_in(first, last),
                    directorate=CHILDREN,
                    service_area=area,
                    team=g.rng.choice(teams),
                )
            )

    build_ombudsman(g, year, area, t)
    return solution


def build_escalations(g: Gen, year: int, area: str, t: dict, by_q_s1) -> list[dict]:
    out: list[dict] = []
    if year == 2023 and area == CSC:
        spec = T.PUBLISHED_CSC_2023_STAGE2
    else:
        costs = list(t.get("stage2_costs", []))
        spec = []
        for _ in range(t.get("stage2", 0)):
            cost = costs.pop(0) if costs else None
            spec.append(
                (
                    None,
                    g.rng.choice(T.CSC_TEAMS),
                    g.rng.randrange(len(T.STAGE2_SUBJECTS)),
                    g.rng.choice(["Partially justified", "Not justified", "Fully justified"]),
                    None,
                    cost,
                    None,
                )
            )
        for _ in range(t.get("stage3", 0)):
            cost = costs.pop(0) if costs else None
            spec.append(
                (
                    None,
                    g.rng.choice(T.CSC_TEAMS),
                    g.rng.randrange(len(T.STAGE2_SUBJECTS)),
                    "stage3-only",
                    g.rng.choice(["Not justified", "Partially justified"]),
                    cost,
                    None,
                )
            )
    # the Stage 1 records that escalate: responded ones from the first half of the year
    candidates = [r for q in (0, 1) for r in by_q_s1[q] if r["responded_date"] is not None]
    g.rng.shuffle(candidates)
    if len(candidates) < len(spec):
        raise ValueError(
            f"{year} {area}: {len(spec)} escalations but {len(candidates)} Stage 1 records"
        )
    for (ref, team, subj, s2_outcome, s3_outcome, inv, ip), s1 in zip(
        spec, candidates[: len(spec)], strict=True
    ):
        if ref:
            s1["case_ref"] = ref
        s1["team"] = team
        subject = T.STAGE2_SUBJECTS[subj]
        start = max(
            s1["responded_date"] + timedelta(days=g.rng.randint(5, 20)),
            g.quarter_bounds(year, 1)[0],
        )
        q2 = 1 if start <= g.quarter_bounds(year, 1)[1] else 2
        if s2_outcome != "stage3-only":
            s2 = g.complaint(
                year, q2, "Stage 2", CHILDREN, area, team, case_ref=s1["case_ref"], summary=subject
            )
            s2["received_date"] = start
            if s2_outcome is not None:
                s2["responded_date"] = g.plus_workdays(start, g.rng.randint(30, 65))
                s2["outcome"] = s2_outcome
            s2["investigator_cost"], s2["independent_person_cost"] = inv, ip
            if inv is not None and ip is None and year != 2023:
                s2["investigator_cost"] = inv
            out.append(s2)
        if s3_outcome is not None:
            s3 = g.complaint(
                year, 2, "Stage 3", CHILDREN, area, team, case_ref=s1["case_ref"], summary=subject
            )
            s3["received_date"] = g.workday_in(*g.quarter_bounds(year, 2))
            s3["responded_date"] = g.plus_workdays(s3["received_date"], g.rng.randint(20, 40))
            s3["outcome"] = s3_outcome
            if s2_outcome == "stage3-only":
                s3["investigator_cost"] = inv
            out.append(s3)
    return out


def build_ombudsman(g: Gen, year: int, area: str, t: dict) -> None:
    if "omb_q" in t:
        per_q = t["omb_q"]
    else:
        d, u = t["omb"]
        dq, uq = g.split(d), [0, 0, 0, 0]
        for _ in range(u):
            choices = [q for q in range(4) if uq[q] < dq[q]]
            uq[g.rng.choice(choices)] += 1
        per_q = list(zip(dq, uq, strict=True))
    if year == 2023:
        published = list(
            T.PUBLISHED_CSC_2023_UPHELD if area == CSC else T.PUBLISHED_NSC_2023_UPHELD
        )
    else:
        published = [(None, amount, None) for amount in t.get("remedies", [])]
    kind = "csc" if area == CSC else "nsc"
    for q, (decisions, upheld) in enumerate(per_q):
        first, last = g.quarter_bounds(year, q)
        for i in range(decisions):
            is_up = i < upheld
            summary, recs = g.rng.choice(T.OMBUDSMAN_SUMMARIES[kind])
            ref, amount, note = published.pop(0) if (is_up and published) else (None, None, None)
            g.ombudsman.append(
                dict(
                    lgsco_ref=ref or g.lgsco_ref(year),
                    decision_date=g.workday_in(first, last),
                    case_ref=None,
                    directorate=CHILDREN,
                    service_area=area,
                    decision="Upheld"
                    if is_up
                    else g.rng.choice(
                        [
                            "Not upheld",
                            "Closed after initial enquiries",
                            "Closed after initial enquiries",
                            "Referred back",
                        ]
                    ),
                    remedy_amount=amount,
                    remedy_note=note,
                    summary=summary,
                    recommendations=recs if is_up else None,
                )
            )
    if published:
        raise ValueError(
            f"{year} {area}: {len(published)} published upheld decisions left unplaced"
        )


def build_others(g: Gen, year: int, children: dict) -> None:
    """Adults and Housing, Place and Corporate: what the council-wide figures need beyond children's."""
    ct = COUNCIL_TARGETS[year]
    formal = ct["formal"] - children["formal"]
    informal = ct["informal"] - children["informal"]
    directorates = [("Adults and Housing", 45), ("Place", 35), ("Corporate", 20)]

    def pick_area(directorate):
        svc, teams = g.rng.choice(T.OTHER_SERVICES[directorate])
        return svc, g.rng.choice(teams)

    s1: list[dict] = []
    front: list[dict] = []
    for stage, n in (("Stage 1", formal), ("Informal", informal)):
        for q, k in enumerate(g.split(n)):
            for _ in range(k):
                d = _weighted(g, dict(directorates), 1)[0]
                svc, team = pick_area(d)
                rec = g.complaint(year, q, stage, d, svc, team)
                rec["theme"] = _weighted(g, T.THEMES_DEFAULT, 1)[0]
                rec["complainant_type"] = g.rng.choice(["Customer", "Individual", None])
                front.append(rec)
                if stage == "Stage 1":
                    s1.append(rec)
                else:
                    rec["responded_date"] = g.plus_workdays(
                        rec["received_date"], g.rng.randint(0, 10)
                    )
    n = len(s1)
    # council-wide shares: others' counts make the council figure round to the published one
    if "overdue" in ct:
        o = round(ct["overdue"] * (children["responded"] + n)) - children["overdue"]
    else:
        o = round(0.2 * n)
    if "fully" in ct:
        f = round(ct["fully"] * (children["judged"] + n)) - children["fully"]
        p = round(ct["partly"] * (children["judged"] + n)) - children["partly"]
    else:
        f, p = round(0.1 * n), round(0.12 * n)
    _stage1_flags(g, s1, n, o, n, f, p, open_ok=False)
    # a few corporate Stage 2 reviews, no external cost
    for rec in g.rng.sample(s1, 4):
        s2 = g.complaint(
            year,
            rec["_q"],
            "Stage 2",
            rec["directorate"],
            rec["service_area"],
            rec["team"],
            case_ref=rec["case_ref"],
            summary="Review of the Stage 1 response.",
        )
        s2["received_date"] = rec["responded_date"] + timedelta(days=7)
        s2["responded_date"] = g.plus_workdays(s2["received_date"], 20)
        s2["outcome"] = "Not justified"
    learn = ct["learnings"] - children["learnings"]
    for r in g.rng.sample(front, learn):
        r["learning"], r["action"] = g.learning(children=False)
    for q, k in enumerate(g.split(ct["compliments"] - children["compliments"])):
        for _ in range(k):
            d = _weighted(g, dict(directorates), 1)[0]
            svc, team = pick_area(d)
            g.compliments.append(
                dict(
                    date=g.workday_in(*g.quarter_bounds(year, q)),
                    directorate=d,
                    service_area=svc,
                    team=team,
                )
            )
    decisions = ct["omb"][0] - children["omb_decisions"]
    upheld = ct["omb"][1] - children["omb_upheld"]
    split = ct.get("upheld_split") or {
        "Adults and Housing": upheld - upheld // 2,
        "Place": upheld // 2,
    }
    assert sum(split.values()) == upheld, (year, split, upheld)
    remedies = list(ct.get("remedies", []))
    if "remedies_total" in ct:
        remedies = [ct["remedies_total"]]
    rows = [(d, True) for d, k in split.items() for _ in range(k)]
    rows += [
        (g.rng.choice(["Adults and Housing", "Place", "Corporate"]), False)
        for _ in range(decisions - upheld)
    ]
    for d, is_up in rows:
        svc, _ = pick_area(d)
        summary, recs = g.rng.choice(T.OMBUDSMAN_SUMMARIES["other"])
        g.ombudsman.append(
            dict(
                lgsco_ref=g.lgsco_ref(year),
                decision_date=g.workday_in(*g.quarter_bounds(year, g.rng.randrange(4))),
                case_ref=None,
                directorate=d,
                service_area=svc,
                decision="Upheld"
                if is_up
                else g.rng.choice(["Not upheld", "Closed after initial enquiries"]),
                remedy_amount=remedies.pop(0) if (is_up and remedies) else None,
                remedy_note=None if is_up else None,
                summary=summary,
                recommendations=recs if is_up else None,
            )
        )


def children_totals(g: Gen, year: int) -> dict:
    recs = [r for r in g.complaints if r["_year"] == year and r["directorate"] == CHILDREN]
    s1 = [r for r in recs if r["stage"] == "Stage 1"]
    resp = [r for r in s1 if r["responded_date"] is not None]
    over = [
        r
        for r in resp
        if np.busday_count(
            np.datetime64(r["received_date"]) + 1,
            np.datetime64(r["responded_date"]) + 1,
            holidays=HOLS,
        )
        > TARGET_DAYS
    ]
    judged = [
        r for r in s1 if r["outcome"] in ("Fully justified", "Partially justified", "Not justified")
    ]
    omb = [
        o for o in g.ombudsman if o["directorate"] == CHILDREN and _fy(o["decision_date"]) == year
    ]
    return dict(
        formal=len(s1),
        informal=sum(r["stage"] == "Informal" for r in recs),
        responded=len(resp),
        overdue=len(over),
        judged=len(judged),
        fully=sum(r["outcome"] == "Fully justified" for r in judged),
        partly=sum(r["outcome"] == "Partially justified" for r in judged),
        learnings=sum(r["learning"] is not None for r in recs),
        compliments=sum(
            1 for c in g.compliments if c["directorate"] == CHILDREN and _fy(c["date"]) == year
        ),
        omb_decisions=len(omb),
        omb_upheld=sum(o["decision"] == "Upheld" for o in omb),
    )


def _fy(d: date) -> int:
    return d.year if d.month >= 4 else d.year - 1


def _counts_from_percent(pcts: dict, n: int) -> dict:
    """Whole counts summing to ``n`` whose shares are as close as possible to ``pcts`` (largest remainder)."""
    total = sum(pcts.values())
    raw = {k: v * n / total for k, v in pcts.items()}
    counts = {k: int(v) for k, v in raw.items()}
    left = n - sum(counts.values())
    for k in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True)[:left]:
        counts[k] += 1
    return counts


def build_equalities(g: Gen, council_complaints: dict[int, int]) -> list[dict]:
    rows = []
    for year in YEARS:
        if year == 2020:
            dist, n = T.EQUALITIES_2020, 100
        elif year == 2023:
            dist, n = T.EQUALITIES_2023, round(0.70 * council_complaints[year])
        else:
            dist, n = (
                T.EQUALITIES_2022,
                round((0.62 if year == 2022 else 0.35) * council_complaints[year]),
            )
        forms = [
            dict(received_date=g.workday_in(date(year, 4, 1), date(year + 1, 3, 31)))
            for _ in range(n)
        ]
        for ch, pcts in dist.items():
            _assign_counts(g, forms, ch, _counts_from_percent(pcts, n))
        rows.extend(forms)
    rows.sort(key=lambda r: r["received_date"])
    return rows


# --- writing -----------------------------------------------------------------------------------

HEADINGS = {
    "case_ref": "Case Ref",
    "stage": "Stage",
    "received_date": "Received Date",
    "responded_date": "Responded Date",
    "directorate": "Directorate",
    "service_area": "Service Area",
    "team": "Team",
    "theme": "Theme",
    "complainant_type": "Complainant Type",
    "child_in_care": "Child In Care",
    "via_advocate": "Via Advocate",
    "outcome": "Outcome",
    "extension_agreed": "Extension Agreed",
    "panel_date": "Panel Date",
    "learning": "Learning",
    "action": "Action",
    "summary": "Summary",
    "investigator_cost": "Investigator Cost",
    "independent_person_cost": "Independent Person Cost",
    "additional_cost": "Additional Cost",
}


def _fmt(value, key: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"£{value:,.2f}"
    return str(value)


def write_csv(
    path: Path, rows: list[dict], columns: list[str], headings: dict[str, str] | None = None
) -> None:
    headings = headings or {}
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow([headings.get(c, c) for c in columns])
        for r in rows:
            w.writerow([_fmt(r.get(c), c) for c in columns])


def add_panels_and_compliance(g: Gen) -> None:
    """Review panel dates on the Stage 3 records and the Ombudsman compliance columns.

    Drawn after everything else, from a random stream of their own, so that adding them
    changed no figure the back-tests check. Most responses between the first and the extended
    statutory limit had an extension agreed. Most panels meet within the 30 working day limit,
    never after the Stage 3 response; the council had put some upheld cases right before the
    Ombudsman's decision; recommendations were complied with on nearly every upheld decision,
    and those of the last two months of the data are not due yet (blank).
    """
    rng = random.Random(SEED + 12)
    for r in g.complaints:
        # Most responses past the first statutory limit (Stage 1: 10 working days, Stage 2:
        # 25) but within the extended one had the longer timescale agreed, as the Regulations
        # expect; the overdue ones keep the flags the calibrated draw gave them.
        first, extended = {"Stage 1": (10, 20), "Stage One": (10, 20), "Stage 2": (25, 65)}.get(
            r["stage"], (None, None)
        )
        if first is not None and r["responded_date"] is not None and not r["extension_agreed"]:
            days = int(
                np.busday_count(
                    np.datetime64(r["received_date"]) + 1,
                    np.datetime64(r["responded_date"]) + 1,
                    holidays=HOLS,
                )
            )
            if first < days <= extended:
                r["extension_agreed"] = rng.random() < 0.7
        if r["stage"] != "Stage 3":
            continue
        panel = g.plus_workdays(r["received_date"], rng.choice([16, 19, 22, 24, 27, 29, 30, 34]))
        if r["responded_date"] is not None:
            panel = min(panel, r["responded_date"])
        r["panel_date"] = panel
    not_due_from = date(2024, 2, 1)
    for o in g.ombudsman:
        upheld = o["decision"] == "Upheld"
        o["remedied_before"] = upheld and rng.random() < 0.2
        due = upheld and o["decision_date"] < not_due_from
        o["recommendations_complied"] = (rng.random() < 0.9) if due else None


def _expand(bases: list[tuple[str, str, list[str]]]) -> list[tuple[str, str]]:
    """Every (learning, action) pair of the bases, one detail of each base in turn, so that
    consecutive pairs come from different bases."""
    out = []
    for v in range(max(len(b[2]) for b in bases)):
        for learning, action, details in bases:
            if v < len(details):
                d = details[v]
                fill = dict(d=d, d_lower=d[0].lower() + d[1:], d_cap=d[0].upper() + d[1:])
                out.append((learning.format(**fill), action.format(**fill)))
    return out


def _nth(templates: list[str], details: list[str], i: int) -> str:
    """The ``i``-th distinct text of templates x details (template first, then detail)."""
    t = templates[i % len(templates)]
    return t.format(d=details[(i // len(templates)) % len(details)])


def _remedy_band(amount: float | None) -> str:
    if amount is None:
        return "none"
    return "small" if amount < 1000 else "medium" if amount < 5000 else "large"


def rewrite_free_text(g: Gen) -> None:
    """Give children's services records free text that fits them, and no year a repeated text.

    Only the learning, action, Ombudsman summary and recommendation texts change (where the
    record has one): no structured field, and no random draw, so every count, date and amount
    stays as calibrated. Learning and action pairs come from the area's own pool, in date order
    (a complaint not upheld or withdrawn says so); an Ombudsman summary fits its decision and
    the size of its remedy. Two records each year keep the planted personal data that the
    redaction tests look for.

    The records were first built with placeholder text drawn from ``T.LEARNING_CHILDREN`` and
    ``T.OMBUDSMAN_SUMMARIES``; those lists stay as they are, since the draws that chose from
    them are part of the random stream every structured field comes from.
    """
    pools = {CSC: _expand(T.LEARNING_CSC), NSC: _expand(T.LEARNING_NSC)}
    used = {CSC: 0, NSC: 0}
    planted: dict[int, int] = {}
    records = sorted(
        (r for r in g.complaints if r["learning"] is not None and r["directorate"] == CHILDREN),
        key=lambda r: (r["received_date"], r["case_ref"], r["stage"]),
    )
    for r in records:
        area, fy = r["service_area"], _fy(r["received_date"])
        if area == CSC and fy in (2020, 2023) and planted.get(fy, 0) < 2:
            r["learning"], r["action"] = T.PLANTED_LEARNING[planted.get(fy, 0)]
            planted[fy] = planted.get(fy, 0) + 1
            continue
        pool = pools[area]
        learning, action = pool[used[area] % len(pool)]
        used[area] += 1
        if r["outcome"] == "Not justified":
            learning = "The complaint was not upheld, but " + learning[0].lower() + learning[1:]
        elif r["outcome"] == "Withdrawn":
            learning = "The complaint was withdrawn, but " + learning[0].lower() + learning[1:]
        r["learning"], r["action"] = learning, action
    counters: dict[tuple[str, int], int] = {}

    def nth(key: str, templates: list[str], details: list[str]) -> str:
        # Counted afresh each year (from a different start), so that a year repeats no text.
        i = counters.get((key, year), 3 * year)
        counters[(key, year)] = i + 1
        return _nth(templates, details, i)

    closed = {
        "nsc": [d for d in T.OMBUDSMAN_CLOSED_DETAILS if "court" not in d],
        "csc": T.OMBUDSMAN_CLOSED_DETAILS_CSC,
    }
    back = {"nsc": T.OMBUDSMAN_REFERRED_BACK_DETAILS, "csc": T.OMBUDSMAN_REFERRED_BACK_DETAILS_CSC}
    for o in sorted(g.ombudsman, key=lambda o: (o["decision_date"], o["lgsco_ref"])):
        if o["directorate"] != CHILDREN:
            continue
        kind = "csc" if o["service_area"] == CSC else "nsc"
        year = _fy(o["decision_date"])
        decision = o["decision"]
        if decision == "Upheld":
            if kind == "csc":
                # The published decision: an apology, and the complaint to go on to Stage 2.
                to_stage2 = "stage 2" in (o["remedy_note"] or "").lower()
                o["summary"] = (
                    T.OMBUDSMAN_UPHELD_CSC_STAGE2
                    if to_stage2
                    else nth("csc-upheld", T.OMBUDSMAN_UPHELD_CSC, ["{d}"])
                )
                band = "csc"
            else:
                band = _remedy_band(o["remedy_amount"])
                o["summary"] = nth(
                    f"nsc-{band}", T.OMBUDSMAN_UPHELD_NSC[band], T.OMBUDSMAN_DETAILS[band]
                )
            if o["recommendations"] is not None:
                o["recommendations"] = T.OMBUDSMAN_RECOMMENDATIONS[band]
        elif decision == "Not upheld":
            o["summary"] = nth(
                f"{kind}-not", T.OMBUDSMAN_NOT_UPHELD, T.OMBUDSMAN_NOT_UPHELD_DETAILS[kind]
            )
        elif decision == "Closed after initial enquiries":
            o["summary"] = nth(f"{kind}-closed", T.OMBUDSMAN_CLOSED, closed[kind])
        elif decision == "Referred back":
            o["summary"] = nth(f"{kind}-back", T.OMBUDSMAN_REFERRED_BACK, back[kind])


def generate(out: Path) -> None:
    g = Gen()
    council_complaints = {}
    for year in YEARS:
        for area in (CSC, NSC):
            build_area(g, year, area, AREA_TARGETS[(year, area)])
        build_others(g, year, children_totals(g, year))
        ct = COUNCIL_TARGETS[year]
        council_complaints[year] = ct["formal"] + ct["informal"]
    add_panels_and_compliance(g)
    rewrite_free_text(g)
    out.mkdir(parents=True, exist_ok=True)
    # stage labels as older and newer case systems export them (the contract's aliases)
    for r in g.complaints:
        if r["_year"] <= 2019 and r["stage"] == "Informal":
            r["stage"] = "Informal Representation"
        if r["_year"] <= 2019 and r["stage"] == "Stage 1":
            r["stage"] = "Stage One"
    complaints = sorted(g.complaints, key=lambda r: (r["received_date"], r["case_ref"], r["stage"]))
    write_csv(out / "complaints.csv", complaints, list(HEADINGS), HEADINGS)
    write_csv(
        out / "compliments.csv",
        sorted(g.compliments, key=lambda r: r["date"]),
        ["date", "directorate", "service_area", "team"],
        {
            "date": "Date",
            "directorate": "Directorate",
            "service_area": "Service Area",
            "team": "Team",
        },
    )
    omb_cols = [
        "lgsco_ref",
        "decision_date",
        "case_ref",
        "directorate",
        "service_area",
        "decision",
        "remedy_amount",
        "remedy_note",
        "summary",
        "recommendations",
        "remedied_before",
        "recommendations_complied",
    ]
    write_csv(
        out / "ombudsman.csv",
        sorted(g.ombudsman, key=lambda r: (r["decision_date"], r["lgsco_ref"])),
        omb_cols,
        {c: c.replace("_", " ").title().replace("Lgsco", "LGSCO") for c in omb_cols},
    )
    adv = []
    for year, quarters in ADVOCACY.items():
        for q, n in enumerate(quarters):
            first, _ = g.quarter_bounds(year, q)
            provider = (
                "Action for Children"
                if first < date(2021, 8, 1)
                else "National Youth Advocacy Service"
            )
            adv.append(dict(quarter_start=first, referrals=n, provider=provider))
    write_csv(
        out / "advocacy.csv",
        adv,
        ["quarter_start", "referrals", "provider"],
        {"quarter_start": "Quarter Start", "referrals": "Referrals", "provider": "Provider"},
    )
    eq = build_equalities(g, council_complaints)
    eq_cols = [
        "received_date",
        "gender",
        "age_band",
        "ethnicity",
        "religion",
        "sexuality",
        "disability",
    ]
    write_csv(
        out / "equalities.csv", eq, eq_cols, {c: c.replace("_", " ").title() for c in eq_cols}
    )
    mc = []
    for year, (n, inv, up) in MEMBER_CONDUCT.items():
        for i in range(n):
            mc.append(
                dict(
                    received_date=g.workday_in(date(year, 4, 1), date(year + 1, 3, 31)),
                    council=g.rng.choice(T.TOWN_COUNCILS),
                    investigated=i < inv,
                    upheld=i < up,
                )
            )
    mc.sort(key=lambda r: r["received_date"])
    write_csv(
        out / "member_conduct.csv",
        mc,
        ["received_date", "council", "investigated", "upheld"],
        {
            "received_date": "Received Date",
            "council": "Council",
            "investigated": "Investigated",
            "upheld": "Upheld",
        },
    )
    log.info(
        "wrote %d complaint records, %d compliments, %d Ombudsman decisions, %d equality forms to %s",
        len(complaints),
        len(g.compliments),
        len(g.ombudsman),
        len(eq),
        out,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "data" / "demo",
        help="folder to write (default: data/demo)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    generate(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
