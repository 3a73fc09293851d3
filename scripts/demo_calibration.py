"""Calibration of the synthetic demo data set: the targets it reproduces, and a small solver.

The targets are the figures the two published reports state (see ``../shared/seeds`` and
``tests/backtest/published_*.yml``) plus plausible values, clearly marked, for the years and
figures the reports do not state. The solver picks whole-record counts whose shares round to
the published percentages where any can, and the nearest possible share where none can.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

CSC = "Children's Social Care"
NSC = "Children's Non-Social Care"
YEARS = list(range(2016, 2024))  # financial years 2016-17 .. 2023-24, by start year


def pct_round(x: float) -> int:
    """Round half up to a whole percent, as a spreadsheet does."""
    return int(math.floor(100 * x + 0.5 + 1e-9))


@dataclass
class ShareSolution:
    denominators: list[int]
    numerators: list[list[int]]  # one list per numerator kind, per quarter


def _cell_cost(k: int, m: int, target: float | None) -> float:
    if target is None:
        return 0.0
    if m == 0:
        return 1000.0 + 100 * target
    value = 100 * k / m
    miss = pct_round(k / m) != round(100 * target)
    return (1000.0 if miss else 0.0) + 0.1 * abs(value - 100 * target)


def solve_shares(
    ns: list[int],
    quarter_targets: list[list[float | None]],
    year_targets: list[float | None],
    complement_year_target: float | None = None,
    upper: list[int] | None = None,
    max_missing: int = 6,
    default_shares: list[float] | None = None,
) -> ShareSolution:
    """Choose denominators m_q <= n_q and numerators k_iq so the shares hit the targets.

    ``quarter_targets[i][q]`` is the published share for numerator kind i in quarter q (None if
    not published); ``year_targets[i]`` the year's. ``complement_year_target`` is the year share of
    what is left (e.g. Not justified). Cost, in order: cells missed, records left out of the
    denominator, distance from the published shares. Dynamic programming over quarters.
    """
    kinds = len(year_targets)
    upper = upper or ns
    if default_shares is None:
        default_shares = [0.2] * kinds
    state: dict[tuple, tuple[float, list]] = {(0,) * (1 + kinds): (0.0, [])}
    for q, n in enumerate(ns):
        hi = min(n, upper[q])
        options = []
        for m in range(max(0, hi - max_missing), hi + 1):
            ranges = []
            for i in range(kinds):
                t = quarter_targets[i][q] if quarter_targets else None
                t = (
                    t
                    if t is not None
                    else (year_targets[i] if year_targets[i] is not None else default_shares[i])
                )
                centre = t * m
                ranges.append(
                    range(max(0, math.floor(centre) - 2), min(m, math.ceil(centre) + 2) + 1)
                )
            for ks in _product(ranges):
                if sum(ks) > m:
                    continue
                cost = (hi - m) * 1.0
                for i, k in enumerate(ks):
                    cost += _cell_cost(k, m, quarter_targets[i][q] if quarter_targets else None)
                options.append((cost, m, ks))
        new: dict[tuple, tuple[float, list]] = {}
        for key, (cost0, path) in state.items():
            for cost, m, ks in options:
                nk = (key[0] + m, *(key[1 + i] + ks[i] for i in range(kinds)))
                total = cost0 + cost
                if nk not in new or total < new[nk][0]:
                    new[nk] = (total, path + [(m, ks)])
        state = new
    best = None
    for key, (cost, path) in state.items():
        m_tot = key[0]
        total = cost
        for i in range(kinds):
            total += _cell_cost(key[1 + i], m_tot, year_targets[i])
        if complement_year_target is not None:
            total += _cell_cost(m_tot - sum(key[1:]), m_tot, complement_year_target)
        if best is None or total < best[0]:
            best = (total, path)
    assert best is not None
    path = best[1]
    return ShareSolution([m for m, _ in path], [[ks[i] for _, ks in path] for i in range(kinds)])


def _product(ranges):
    if not ranges:
        yield ()
        return
    for first in ranges[0]:
        for rest in _product(ranges[1:]):
            yield (first, *rest)


def q(*values):
    return list(values)


# --- targets ------------------------------------------------------------------------------
# Keys per (start year, area). Lists are by quarter Q1..Q4. `published` comments cite the report.
# Values marked PLAUSIBLE are not in either report and are invented for a realistic series.

AREA_TARGETS: dict[tuple[int, str], dict] = {
    # ---------------- Children's Social Care ----------------
    (2016, CSC): dict(
        informal=45,
        formal=70,
        stage2=2,
        stage3=1,
        omb=(6, 1),
        cic=17,  # cic published (2020/21)
        overdue=0.24,
        compliments=60,
        learnings=22,
        stage2_costs=[4200.00, 3850.50, 2100.00],
    ),  # PLAUSIBLE
    (2017, CSC): dict(
        informal=48,
        formal=68,
        stage2=2,
        stage3=0,
        omb=(5, 0),
        cic=12,
        overdue=0.27,
        compliments=58,
        learnings=20,
        stage2_costs=[5120.00, 3300.25],
    ),
    # published (2020/21 statutory table): reps 51, S1 65, S2 2, S3 1, LGSCO 7; CIC 20; timescales 74/26;
    # independent investigators £15,961.75 (executive summary)
    (2018, CSC): dict(
        informal=51,
        formal=65,
        stage2=2,
        stage3=1,
        omb=(7, 1),
        cic=20,
        overdue=0.26,
        compliments=55,
        learnings=24,
        stage2_costs=[7250.00, 5211.75, 3500.00],
    ),
    # published: reps 83, S1 40, S2 0, S3 1, LGSCO 6 none upheld; CIC 10; 75/25; £30 investigator spend
    (2019, CSC): dict(
        informal=83,
        formal=40,
        stage2=0,
        stage3=1,
        omb=(6, 0),
        cic=10,
        overdue=0.25,
        compliments=50,
        learnings=21,
        stage2_costs=[30.00],
    ),
    # published 2020/21 scorecard and statutory tables
    (2020, CSC): dict(
        informal=q(27, 42, 33, 29),
        formal=q(10, 22, 12, 7),
        omb_q=[(0, 0), (0, 0), (2, 0), (2, 0)],  # (decisions, upheld)
        overdue_q=q(0.04, 0.13, 0.22, 0.50),
        overdue=0.22,
        fully_q=q(0.04, 0.08, 0.08, 0.04),
        fully=0.06,
        partly_q=q(0.15, 0.16, 0.11, 0.08),
        partly=0.13,
        not_justified=0.81,
        compliments=q(30, 14, 8, 20),
        learnings=q(5, 10, 7, 4),
        stage2=1,
        stage3=0,
        cic=15,
        stage2_costs=[4334.60],
        theme_counts={  # 100 recorded of 182, so counts are percentages; published sum 110%: QoS 23 not 33
            "Communication": 11,
            "Finance": 1,
            "Policy - Disagreement with Decision": 5,
            "Service Provision - Professional Practice": 40,
            "Service Provision - Quality of Service": 23,
            "Service Provision -Attitude of Staff": 10,
            "Service Provision -Failure to provide service": 5,
            "Service Provision -Inadequate Service": 5,
        },
    ),
    # published (2023/24 statutory table): reps 91, S1 29, S2 1, S3 0, LGSCO 6 with 1 upheld; CIC 8; 77/23
    (2021, CSC): dict(
        informal=91,
        formal=29,
        stage2=1,
        stage3=0,
        omb=(6, 1),
        cic=8,
        overdue=0.23,
        compliments=48,
        learnings=18,
        stage2_costs=[2650.00, 980.00],
    ),
    # published: reps 106, S1 34, S2 1, S3 0, LGSCO 5 with 1 upheld; CIC 10; 85/15; outcomes 7/14/79;
    # learnings 28 ("up from 28 last year")
    (2022, CSC): dict(
        informal=106,
        formal=34,
        stage2=1,
        stage3=0,
        omb=(5, 1),
        cic=10,
        overdue=0.15,
        fully=0.07,
        partly=0.14,
        not_justified=0.79,
        compliments=50,
        learnings=28,
        stage2_costs=[3105.00, 1450.00],
    ),
    # published 2023/24 scorecard and statutory tables
    (2023, CSC): dict(
        informal=q(14, 21, 16, 23),
        formal=q(15, 21, 9, 20),
        omb_q=[(0, 0), (1, 1), (0, 0), (0, 0)],
        overdue_q=q(0.18, 0.14, 0.10, 0.14),
        overdue=0.14,
        fully_q=q(0.08, 0.07, 0.20, 0.08),
        fully=0.11,
        partly_q=q(0.16, 0.07, 0.16, 0.16),
        partly=0.14,
        not_justified=0.75,
        compliments=q(11, 13, 14, 15),
        learnings=q(8, 14, 1, 8),
        stage2=5,
        stage3=1,
        cic_q=q(0, 2, 1, 0),
        complainant_types={
            "Young Person": 5,
            "Grandparent": 3,
            "Group": 1,
            "Individual": 2,
            "Parent": 36,
            "Advocate": 2,
            "Customer": 15,
            "Other Relative": 2,
        },
        theme_counts={
            "Communication": 10,
            "Data": 4,
            "Policy - Disagreement with Decision": 25,
            "Professional Practice/Quality of Service": 90,
            "Misconduct": 7,
            "Other": 3,
        },
    ),
    # ---------------- Children's Non-Social Care ----------------
    (2016, NSC): dict(
        informal=30,
        formal=50,
        omb=(10, 3),
        overdue=0.20,
        compliments=30,
        learnings=12,
        remedies=[500.00, 750.00, 300.00],
    ),  # PLAUSIBLE
    (2017, NSC): dict(
        informal=28,
        formal=55,
        omb=(12, 4),
        overdue=0.22,
        compliments=32,
        learnings=14,
        remedies=[1200.00, 400.00, 650.00, 900.00],
    ),
    # published: reps 31, formal 57, LGSCO 14
    (2018, NSC): dict(
        informal=31,
        formal=57,
        omb=(14, 5),
        overdue=0.21,
        compliments=35,
        learnings=15,
        remedies=[1500.00, 800.00, 2200.00, 450.00, 1000.00],
    ),
    # published: reps 23, formal 37, LGSCO 4 none upheld
    (2019, NSC): dict(
        informal=23, formal=37, omb=(4, 0), overdue=0.18, compliments=30, learnings=12
    ),
    # published: reps 19, formal 37, LGSCO 5 with 3 upheld, £6,750 for SEN delays; themes over 50 recorded
    (2020, NSC): dict(
        informal=19,
        formal=37,
        omb=(5, 3),
        overdue=0.30,
        compliments=40,
        learnings=20,
        remedies=[3000.00, 2250.00, 1500.00],
        theme_counts={
            "Communication": 6,
            "Data": 1,
            "Policy - Disagreement with Decision": 6,
            "Service Provision - Delay": 10,
            "Service Provision - Professional Practice": 3,
            "Service Provision - Quality of Service": 10,
            "Service Provision -Attitude of Staff": 6,
            "Service Provision -Failure to provide service": 5,
            "Service Provision -Inadequate Service": 3,
        },
    ),
    # published: reps 75, formal 98, LGSCO 13 with 6 upheld
    (2021, NSC): dict(
        informal=75,
        formal=98,
        omb=(13, 6),
        overdue=0.25,
        compliments=45,
        learnings=30,
        remedies=[1200.00, 850.00, 2500.00, 400.00, 1800.00, 600.00],
    ),
    # published: reps 129, formal 180, LGSCO 35 with 16 upheld
    (2022, NSC): dict(
        informal=129,
        formal=180,
        omb=(35, 16),
        overdue=0.17,
        compliments=52,
        learnings=44,
        remedies=[
            1500.00,
            600.00,
            3200.00,
            250.00,
            1800.00,
            950.00,
            4100.00,
            700.00,
            2400.00,
            300.00,
            1250.00,
            500.00,
            2000.00,
            1100.00,
            3600.00,
            800.00,
        ],
    ),
    # published 2023/24 scorecard; Ombudsman Q4 3/16 so the year is the published 20/40 (see back-test)
    (2023, NSC): dict(
        informal=q(18, 15, 15, 15),
        formal=q(53, 43, 48, 41),
        omb_q=[(5, 4), (10, 9), (9, 4), (16, 3)],
        overdue_q=q(0.18, 0.14, 0.10, 0.14),
        overdue=0.14,
        fully_q=q(0.23, 0.17, 0.06, 0.08),
        fully=0.14,
        partly_q=q(0.20, 0.17, 0.16, 0.04),
        partly=0.14,
        compliments=q(14, 12, 19, 14),
        learnings=q(20, 27, 3, 8),
    ),
}

# Other directorates (council-wide figures only). Council targets published in the 2020/21
# executive summary: 1268 complaints (644 formal, 624 informal), 76% more than 2019-20 (720);
# 19 Ombudsman decisions, 6 upheld; remedies £6,750 (2019-20: £1,800); 39% overdue (2019-20: 16%);
# 8% fully and 11% partly justified; 119 learnings; 633 compliments, up 112% (2019-20: 299).
# 2023/24: 33 upheld across the council, 21 in children's services, 7 Adults, 5 Place.
COUNCIL_TARGETS: dict[int, dict] = {
    2016: dict(
        formal=640,
        informal=300,
        compliments=380,
        learnings=90,
        omb=(30, 9),
        remedies=[600.0, 250.0],
    ),
    2017: dict(
        formal=600, informal=330, compliments=350, learnings=85, omb=(28, 8), remedies=[900.0]
    ),
    2018: dict(
        formal=590,
        informal=320,
        compliments=320,
        learnings=80,
        omb=(26, 7),
        remedies=[1200.0, 300.0],
    ),
    2019: dict(
        formal=450,
        informal=270,
        overdue=0.16,
        compliments=299,
        learnings=70,
        omb=(18, 4),
        remedies_total=1800.0,
        upheld_split={"Adults and Housing": 3, "Place": 1},
    ),
    2020: dict(
        formal=644,
        informal=624,
        overdue=0.39,
        fully=0.08,
        partly=0.11,
        compliments=633,
        learnings=119,
        omb=(19, 6),
        upheld_split={"Adults and Housing": 2, "Place": 1},
    ),
    2021: dict(
        formal=700, informal=560, compliments=590, learnings=110, omb=(25, 10), remedies=[750.0]
    ),
    2022: dict(
        formal=760,
        informal=540,
        compliments=560,
        learnings=120,
        omb=(55, 22),
        remedies=[500.0, 1500.0],
    ),
    2023: dict(
        formal=780,
        informal=620,
        compliments=610,
        learnings=130,
        omb=(67, 33),
        upheld_split={"Adults and Housing": 7, "Place": 5},
        remedies=[1000.0, 350.0, 500.0],
    ),
}

# 2020/21 member conduct (executive summary); other years PLAUSIBLE
MEMBER_CONDUCT = {
    2016: (38, 5, 2),
    2017: (41, 6, 2),
    2018: (45, 7, 3),
    2019: (47, 6, 2),
    2020: (54, 8, 3),
    2021: (58, 9, 4),
    2022: (51, 7, 3),
    2023: (49, 6, 2),
}

# 2020/21 advocacy referrals by quarter (published); other years PLAUSIBLE
ADVOCACY = {
    2016: (140, 151, 160, 149),
    2017: (150, 158, 171, 155),
    2018: (158, 163, 180, 160),
    2019: (155, 170, 185, 162),
    2020: (161, 176, 197, 166),
    2021: (170, 181, 190, 175),
    2022: (176, 188, 201, 183),
    2023: (182, 190, 205, 188),
}


@dataclass
class JointSolution:
    responded: list[int]
    overdue: list[int]
    judged: list[int]
    fully: list[int]
    partly: list[int]


def solve_stage1(
    ns: list[int],
    overdue_q: list[float | None],
    fully_q: list[float | None],
    partly_q: list[float | None],
    year: dict[str, float | None],
    keep_options: int = 400,
    beam: int = 6000,
) -> JointSolution:
    """Stage 1 response and outcome counts per quarter, chosen jointly.

    Each quarter's records are responded (``r``) or not; ``o`` of the responded are overdue;
    ``j <= r`` of the responded have a justified/not justified outcome, ``f`` fully and ``p``
    partly justified. Cost, in order: published cells missed (quarters and year), records left
    unresponded or withdrawn, distance from the published shares. Beam search over quarters.
    """
    per_q = []
    for qi, n in enumerate(ns):
        od_opts = []
        for r in range(n + 1):
            t = overdue_q[qi] if overdue_q[qi] is not None else (year.get("overdue") or 0.2)
            lo, hi = max(0, math.floor(t * r) - 2), min(r, math.ceil(t * r) + 2)
            for o in range(lo, hi + 1):
                od_opts.append((_cell_cost(o, r, overdue_q[qi]) + (n - r), r, o))
        oc_by_j: dict[int, list] = {}
        for j in range(n + 1):
            tf = fully_q[qi] if fully_q[qi] is not None else (year.get("fully") or 0.1)
            tp = partly_q[qi] if partly_q[qi] is not None else (year.get("partly") or 0.12)
            opts = []
            for f in range(max(0, math.floor(tf * j) - 2), min(j, math.ceil(tf * j) + 2) + 1):
                for p in range(
                    max(0, math.floor(tp * j) - 2), min(j - f, math.ceil(tp * j) + 2) + 1
                ):
                    opts.append(
                        (_cell_cost(f, j, fully_q[qi]) + _cell_cost(p, j, partly_q[qi]), f, p)
                    )
            opts.sort()
            oc_by_j[j] = opts[:6]
        options = []
        for c1, r, o in od_opts:
            for j in range(r + 1):
                for c2, f, p in oc_by_j[j]:
                    options.append((c1 + c2 + (r - j), (r, o, j, f, p)))
        options.sort(key=lambda x: x[0])
        per_q.append(options[:keep_options])
    states: dict[tuple, tuple[float, list]] = {(0, 0, 0, 0, 0): (0.0, [])}
    for options in per_q:
        new: dict[tuple, tuple[float, list]] = {}
        for key, (cost0, path) in states.items():
            for cost, opt in options:
                nk = tuple(a + b for a, b in zip(key, opt, strict=True))
                total = cost0 + cost
                if nk not in new or total < new[nk][0]:
                    new[nk] = (total, path + [opt])
        states = dict(sorted(new.items(), key=lambda kv: kv[1][0])[:beam])
    best = None
    for (r, o, j, f, p), (cost, path) in states.items():
        total = cost + _cell_cost(o, r, year.get("overdue")) + _cell_cost(f, j, year.get("fully"))
        total += _cell_cost(p, j, year.get("partly")) + _cell_cost(
            j - f - p, j, year.get("not_justified")
        )
        if best is None or total < best[0]:
            best = (total, path)
    assert best is not None
    path = best[1]
    return JointSolution(*[[opt[i] for opt in path] for i in range(5)])
