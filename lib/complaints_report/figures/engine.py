"""The figures engine: every counting definition of the data contract, computed once, vectorised."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..data.calendar import (
    QUARTERS,
    FinancialYear,
    financial_year_start,
    quarter_of,
    working_days,
)
from ..data.contract import OUTCOMES, STAGES, TABLES
from ..data.model import Dataset
from ..data.values import TEXT
from ..params import Params

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
JUDGED = OUTCOMES[:3]  # Fully, Partially, Not justified: the denominator of the justified shares
NOT_RECORDED = "Not recorded"
LEFT_BLANK = "Left blank"
WITHDRAWN = "Withdrawn"
#: Ombudsman decisions made after a detailed investigation (the upheld rate's denominator).
INVESTIGATED_DECISIONS = ("Upheld", "Not upheld")
#: A remedy note that says the Ombudsman passed the complaint back for local resolution: such a
#: decision, even one recorded as ``Upheld`` (as the 2023/24 published report counted one), was
#: not investigated in detail.
_PASSED_BACK = r"(?i)\b(?:passed|referred) back\b|local resolution"
EQUALITY_CHARACTERISTICS = tuple(
    c.name for c in TABLES["equalities"].columns if c.name != "received_date"
)


@dataclass
class Prepared:
    """A data set with the derived columns every figure needs, computed once."""

    params: Params
    complaints: pd.DataFrame
    compliments: pd.DataFrame
    ombudsman: pd.DataFrame
    advocacy: pd.DataFrame
    equalities: pd.DataFrame
    member_conduct: pd.DataFrame
    areas: list[str]
    #: The contract columns each table's file has (see :attr:`Dataset.columns`).
    columns: dict[str, frozenset[str]] = field(default_factory=dict)
    #: (table, column) -> (the frame, codes per row, distinct values): see :meth:`is_in`.
    _codes: dict[tuple[str, str], tuple[pd.DataFrame, np.ndarray, pd.Index]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def target(self) -> int:
        return self.params.targets.stage1_working_days

    def has_column(self, table: str, column: str) -> bool:
        """Whether the data set records ``column`` of ``table``."""
        return column in self.columns.get(table, frozenset())

    def is_in(self, table: str, column: str, among: Iterable[str]) -> np.ndarray:
        """Which rows of ``table`` hold one of ``among`` in text ``column`` (a missing value is
        in none), as a numpy mask: ``column.isin(among)`` with missing values False.

        Comparing a million Python-backed strings takes tens of milliseconds, and a year's
        figures compare the same few columns (stage, outcome, directorate, ...) dozens of times;
        so each column is factorized once, kept, and compared per distinct value. The frames
        are not changed after :func:`prepare` (a frame replaced is factorized again).
        """
        codes, uniques = self._factorized(table, column)
        hit = np.append(np.asarray(uniques.isin(list(among)), dtype=bool), False)
        return hit[codes]  # code -1, missing: the False appended

    def has_value(self, table: str, column: str) -> np.ndarray:
        """Which rows of ``table`` have ``column`` recorded (``notna``), as a numpy mask."""
        codes, _ = self._factorized(table, column)
        return codes >= 0

    def _factorized(self, table: str, column: str) -> tuple[np.ndarray, pd.Index]:
        frame = getattr(self, table)
        kept = self._codes.get((table, column))
        if kept is None or kept[0] is not frame:
            codes, uniques = pd.factorize(frame[column], use_na_sentinel=True)
            kept = self._codes[(table, column)] = (frame, codes, pd.Index(uniques))
        return kept[1], kept[2]

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (the run's context for the notebooks) without the codes kept by is_in."""
        return {**self.__dict__, "_codes": {}}


def _with_period(frame: pd.DataFrame, date_col: str) -> pd.DataFrame:
    # A shallow copy: only new columns are added, so the Dataset's frame is left as it was
    # without copying a million records' values.
    out = frame.copy(deep=False)
    out["fy_start"] = financial_year_start(out[date_col])
    out["quarter"] = quarter_of(out[date_col])
    return out


PERIOD_COLUMNS: dict[str, str] = {
    "complaints": "received_date",
    "compliments": "date",
    "ombudsman": "decision_date",
    "advocacy": "quarter_start",
    "equalities": "received_date",
    "member_conduct": "received_date",
}
"""The date that places each table's records in a financial year and quarter."""


def prepare(ds: Dataset, params: Params) -> Prepared:
    """Add financial year, quarter, working days, overdue flag and report theme to each table."""
    frames = {name: _with_period(ds.table(name), PERIOD_COLUMNS[name]) for name in TABLES}
    if params.fy.is_period:
        # The in-year pack: every year is cut to the same months (1 April to the end of the
        # pack's quarter), so that each figure, and each comparison with the year before, is
        # of the same period.
        inside = list(params.fy.quarters)
        frames = {name: f[f["quarter"].isin(inside).to_numpy()] for name, f in frames.items()}
    c = frames["complaints"]
    c["working_days"] = working_days(c["received_date"], c["responded_date"])
    # Stage 3's statutory clock runs from the request to the review panel.
    c["panel_working_days"] = working_days(c["received_date"], c["panel_date"])
    theme = c["theme"].astype(TEXT)
    c["report_theme"] = _per_distinct(theme, lambda t: t.replace(params.theme_map))
    c["report_theme"] = c["report_theme"].fillna(NOT_RECORDED)
    c["complainant"] = c["complainant_type"].astype(TEXT).fillna(NOT_RECORDED)
    c["children"] = c["directorate"] == params.children_directorate

    comp, omb = frames["compliments"], frames["ombudsman"]

    present = set(c.loc[c["children"], "service_area"].dropna().unique())
    present |= set(
        comp.loc[comp["directorate"] == params.children_directorate, "service_area"].dropna()
    )
    present |= set(
        omb.loc[omb["directorate"] == params.children_directorate, "service_area"].dropna()
    )
    ordered = [a for a in params.service_areas if a in present]
    ordered += sorted(present - set(ordered))
    return Prepared(params, **frames, areas=ordered, columns=dict(ds.columns))


# --- helpers ---------------------------------------------------------------------------------


def _per_distinct(values: pd.Series, work: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``work(values)``, for a ``work`` that maps each value alone (as ``replace`` does), done
    once per distinct value (missing included) and spread back over the rows."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    done = work(pd.Series(uniques, dtype=values.dtype))
    return pd.Series(done.array.take(codes), index=values.index, name=values.name)


def share_of(num: float, den: float) -> float | None:
    return None if den == 0 else float(num) / float(den)


def in_year(frame: pd.DataFrame, fy: FinancialYear) -> pd.Series:
    return frame["fy_start"] == fy.start_year


def _flags(mask: pd.Series | np.ndarray) -> np.ndarray:
    """A row mask as a numpy boolean array, a missing verdict (``<NA>``) False, as in ``.loc``."""
    if isinstance(mask, pd.Series):
        return mask.fillna(False).to_numpy(dtype=bool)
    return np.asarray(mask, dtype=bool)


def _count_by_quarter(frame: pd.DataFrame, mask: pd.Series | np.ndarray) -> pd.Series:
    """Counts of ``mask`` by quarter, Q1..Q4 always present."""
    quarter = frame["quarter"]
    if isinstance(quarter.dtype, pd.CategoricalDtype) and tuple(quarter.cat.categories) == QUARTERS:
        # As value_counts, by counting the quarters' codes (-1: no quarter, not counted).
        codes = quarter.cat.codes.to_numpy()[_flags(mask)]
        counts = np.bincount(codes[codes >= 0], minlength=len(QUARTERS))
        return pd.Series(counts, index=pd.Index(list(QUARTERS), name="quarter")).astype(int)
    counts = frame.loc[_flags(mask), "quarter"].value_counts()
    return counts.reindex(list(QUARTERS), fill_value=0).astype(int)


def _ordered_counts(
    values: pd.Series, first: tuple[str, ...] = (), last: str | None = None
) -> dict[str, int]:
    """Value counts as a dict: ``first`` keys always present (in that order), then the rest by
    count descending then name, with ``last`` (e.g. Not recorded) at the end when present."""
    vc = values.value_counts()
    out: dict[str, int] = {k: int(vc.get(k, 0)) for k in first}
    rest = vc.drop(labels=[k for k in list(first) + [last] if k in vc.index], errors="ignore")
    rest = rest.sort_index().sort_values(ascending=False, kind="stable")
    out.update({str(k): int(v) for k, v in rest.items()})
    if last is not None and last in vc.index:
        out[last] = int(vc[last])
    return out


@dataclass
class _Masks:
    complaints: pd.Series
    compliments: pd.Series
    ombudsman: pd.Series


def area_masks(prep: Prepared, area: str | None) -> _Masks:
    """Rows of one Children's Services area, or every row when ``area`` is None (council)."""
    if area is None:
        return _Masks(
            pd.Series(True, index=prep.complaints.index),
            pd.Series(True, index=prep.compliments.index),
            pd.Series(True, index=prep.ombudsman.index),
        )
    d = prep.params.children_directorate

    def rows(table: str) -> pd.Series:
        of_area = prep.is_in(table, "directorate", [d]) & prep.is_in(table, "service_area", [area])
        return pd.Series(of_area, index=getattr(prep, table).index)

    return _Masks(rows("complaints"), rows("compliments"), rows("ombudsman"))


def quarter_frame(prep: Prepared, fy: FinancialYear, masks: _Masks) -> pd.DataFrame:
    """Counts behind the scorecard: one row per quarter plus ``year``."""
    # Numpy masks throughout (a missing value is False, as .loc takes it): the text columns are
    # compared through prep.is_in, once per distinct value.
    c = prep.complaints
    in_c = _flags(masks.complaints) & _flags(in_year(c, fy))
    s1 = in_c & prep.is_in("complaints", "stage", ["Stage 1"])
    responded = s1 & c["responded_date"].notna().to_numpy(dtype=bool)
    overdue = responded & _flags(c["working_days"] > prep.target)
    judged = s1 & prep.is_in("complaints", "outcome", JUDGED)
    o = prep.ombudsman
    in_o = _flags(masks.ombudsman) & _flags(in_year(o, fy))
    comp = prep.compliments
    in_comp = _flags(masks.compliments) & _flags(in_year(comp, fy))
    df = pd.DataFrame(
        {
            "formal": _count_by_quarter(c, s1),
            "informal": _count_by_quarter(
                c, in_c & prep.is_in("complaints", "stage", ["Informal"])
            ),
            "ombudsman_decisions": _count_by_quarter(o, in_o),
            "ombudsman_upheld": _count_by_quarter(
                o, in_o & prep.is_in("ombudsman", "decision", ["Upheld"])
            ),
            "responded": _count_by_quarter(c, responded),
            "overdue": _count_by_quarter(c, overdue),
            "judged": _count_by_quarter(c, judged),
            "fully": _count_by_quarter(
                c, judged & prep.is_in("complaints", "outcome", ["Fully justified"])
            ),
            "partly": _count_by_quarter(
                c, judged & prep.is_in("complaints", "outcome", ["Partially justified"])
            ),
            "compliments": _count_by_quarter(comp, in_comp),
            "learnings": _count_by_quarter(c, in_c & prep.has_value("complaints", "learning")),
        }
    )
    df.loc["year"] = df.sum()
    return df


def _quarter_dict(row: pd.Series) -> dict[str, Any]:
    return {
        "formal": int(row["formal"]),
        "informal": int(row["informal"]),
        "ombudsman_decisions": int(row["ombudsman_decisions"]),
        "ombudsman_upheld": int(row["ombudsman_upheld"]),
        "overdue_share": share_of(row["overdue"], row["responded"]),
        "fully_justified_share": share_of(row["fully"], row["judged"]),
        "partly_justified_share": share_of(row["partly"], row["judged"]),
        "compliments": int(row["compliments"]),
        "learnings": int(row["learnings"]),
    }


def money_total(values: pd.Series | pd.DataFrame) -> float:
    """Sum of money values in pounds, blanks as none, to the penny."""
    total = values.fillna(0).to_numpy(dtype=float).sum()
    return round(float(total), 2)


def _cost(frame: pd.DataFrame, column: str) -> float:
    return money_total(frame[column])


def area_figures(prep: Prepared, fy: FinancialYear, area: str) -> dict[str, Any]:
    """One ``service_areas`` entry of figures.json."""
    m = area_masks(prep, area)
    qf = quarter_frame(prep, fy, m)
    rows = _flags(m.complaints) & _flags(in_year(prep.complaints, fy))
    c = prep.complaints[rows]
    o = prep.ombudsman[m.ombudsman & in_year(prep.ombudsman, fy)]
    at = {s: prep.is_in("complaints", "stage", [s])[rows] for s in STAGES}  # masks over c
    front = c[at["Informal"] | at["Stage 1"]]
    s1 = c[at["Stage 1"]]
    esc = c[at["Stage 2"] | at["Stage 3"]]
    return {
        "quarters": {q: _quarter_dict(qf.loc[q]) for q in [*QUARTERS, "year"]},
        "stages": {s: int(at[s].sum()) for s in STAGES},
        "ombudsman": {
            "decisions": int(len(o)),
            "upheld": int((o["decision"] == "Upheld").sum()),
            "remedy_total": money_total(o["remedy_amount"]),
            **ombudsman_investigations(o),
        },
        "children_in_care": int(c.loc[c["child_in_care"], "case_ref"].nunique()),
        "complainant_types": _ordered_counts(front["complainant"], last=NOT_RECORDED),
        "themes": _ordered_counts(front["report_theme"], last=NOT_RECORDED),
        "outcomes": _ordered_counts(s1["outcome"].dropna(), first=OUTCOMES),
        "stage2_costs": {
            "investigator": _cost(esc, "investigator_cost"),
            "independent_person": _cost(esc, "independent_person_cost"),
            "additional": _cost(esc, "additional_cost"),
        },
        "timescales": timescale_figures(prep, c),
        "ombudsman_compliance": ombudsman_compliance(prep, o),
        "stage1_extensions": stage1_extensions(prep, s1),
        "actions": _actions(c),
    }


def stage1_extensions(prep: Prepared, s1: pd.DataFrame) -> dict[str, int]:
    """Stage 1 records with a longer timescale agreed (``agreed``), those responded to after the
    target (``overdue``) and, of those, the ones with a longer timescale agreed."""
    ext = s1["extension_agreed"].fillna(False).astype(bool)
    late = (s1["responded_date"].notna() & (s1["working_days"] > prep.target)).fillna(False)
    late = late.astype(bool)
    return {
        "agreed": int(ext.sum()),
        "overdue": int(late.sum()),
        "overdue_agreed": int((ext & late).sum()),
    }


def _actions(c: pd.DataFrame) -> int:
    """Records with a learning whose action after the complaint is recorded."""
    action = c["action"].fillna("").astype(str).str.strip() != ""
    return int((c["learning"].notna() & action).sum())


def advocacy_referrals(prep: Prepared, fy: FinancialYear) -> dict[str, int]:
    """New referrals to advocacy by quarter (empty when the data set has no advocacy table)."""
    a = prep.advocacy[in_year(prep.advocacy, fy)]
    if a.empty:
        return {}
    by_q = a.groupby("quarter", observed=False)["referrals"].sum()
    return {q: int(by_q.get(q, 0)) for q in QUARTERS}


def member_conduct(prep: Prepared, fy: FinancialYear) -> dict[str, int]:
    """Code of conduct complaints about councillors: received, investigated, upheld."""
    mc = prep.member_conduct[in_year(prep.member_conduct, fy)]
    return {
        "received": int(len(mc)),
        "investigated": int(mc["investigated"].sum()),
        "upheld": int(mc["upheld"].sum()),
    }


TIMESCALE_STAGES = ("Stage 1", "Stage 2", "Stage 3")
TIMESCALE_KEYS = (
    "withdrawn",
    "responded",
    "within_limit",
    "extended",
    "extended_unagreed",
    "over",
    "open",
    "median_working_days",
)


def _median(days: pd.Series) -> int | float | None:
    """The median of whole working days: an int when whole (9), else a half (9.5); None if none."""
    if days.empty:
        return None
    m = float(days.astype("float64").median())
    return int(m) if m.is_integer() else m


def stage_timescales(prep: Prepared, records: pd.DataFrame, stage: str) -> dict[str, Any]:
    """The statutory-timescale counts of one stage over ``records`` (already cut to a period
    and area), as the contract's **Statutory timescales** define them.

    A count the data set cannot give, because the column it needs is absent, is ``None``.
    """
    first, extended_limit = prep.params.targets.limits(stage)
    rows = records[records["stage"] == stage]
    # A withdrawn record is never a response in time nor a panel held, nor still awaited: it is
    # counted apart (a withdrawn Stage 3 record with a panel date is a data-quality warning).
    withdrawn = (rows["outcome"] == WITHDRAWN).fillna(False).to_numpy(dtype=bool)
    rows = rows[~withdrawn]
    if stage == "Stage 3":
        if not prep.has_column("complaints", "panel_date"):
            return dict.fromkeys(TIMESCALE_KEYS)
        done = rows["panel_date"].notna()
        days = rows.loc[done, "panel_working_days"]
        return {
            "withdrawn": int(withdrawn.sum()),
            "responded": int(done.sum()),
            "within_limit": int((days <= first).sum()),
            "extended": 0,
            "extended_unagreed": 0,
            "over": int((days > first).sum()),
            "open": int((~done).sum()),
            "median_working_days": _median(days),
        }
    if not prep.has_column("complaints", "responded_date"):
        return dict.fromkeys(TIMESCALE_KEYS)
    done = rows["responded_date"].notna()
    days = rows.loc[done, "working_days"]
    extended = (days > first) & (days <= extended_limit)
    agreed = rows.loc[done, "extension_agreed"].astype(bool)
    return {
        "withdrawn": int(withdrawn.sum()),
        "responded": int(done.sum()),
        "within_limit": int((days <= first).sum()),
        "extended": int(extended.sum()),
        "extended_unagreed": (
            int((extended & ~agreed).sum())
            if prep.has_column("complaints", "extension_agreed")
            else None
        ),
        "over": int((days > extended_limit).sum()),
        "open": int((~done).sum()),
        "median_working_days": _median(days),
    }


def timescale_figures(prep: Prepared, records: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """The ``timescales`` entry of figures.json: every statutory stage over ``records``."""
    return {s: stage_timescales(prep, records, s) for s in TIMESCALE_STAGES}


def investigated(decisions: pd.DataFrame) -> pd.Series:
    """Which Ombudsman decisions were made after a detailed investigation: ``Upheld`` or ``Not
    upheld``, and not passed back to the council for local resolution (a remedy note saying so).
    Decisions closed after initial enquiries or referred back were not investigated."""
    made = decisions["decision"].isin(INVESTIGATED_DECISIONS)
    note = decisions["remedy_note"].astype(TEXT) if "remedy_note" in decisions else None
    if note is not None:
        made &= ~note.str.contains(_PASSED_BACK, regex=True, na=False)
    return made.fillna(False).astype(bool)


def ombudsman_investigations(decisions: pd.DataFrame) -> dict[str, int]:
    """Of ``decisions``: those investigated in detail, and those upheld after one (the upheld
    rate, as the Ombudsman publishes it, is the second over the first)."""
    inv = investigated(decisions)
    return {
        "investigated": int(inv.sum()),
        "upheld_after_investigation": int((inv & (decisions["decision"] == "Upheld")).sum()),
    }


def ombudsman_compliance(prep: Prepared, decisions: pd.DataFrame) -> dict[str, int | None]:
    """The ``ombudsman_compliance`` entry: of the upheld decisions in ``decisions``, those the
    council had remedied before, and those whose recommendations were due and complied with.
    A count whose column the data set lacks is ``None``."""
    upheld = decisions[decisions["decision"] == "Upheld"]
    out: dict[str, int | None] = dict.fromkeys(
        ("remedied_before", "recommendations_due", "recommendations_complied")
    )
    if prep.has_column("ombudsman", "remedied_before"):
        out["remedied_before"] = int(upheld["remedied_before"].astype(bool).sum())
    if prep.has_column("ombudsman", "recommendations_complied"):
        complied = upheld["recommendations_complied"]
        out["recommendations_due"] = int(complied.notna().sum())
        out["recommendations_complied"] = int(complied.eq(True).fillna(False).sum())
    return out


def council_figures(prep: Prepared, fy: FinancialYear) -> dict[str, Any]:
    """The ``council`` entry of figures.json: every directorate."""
    m = area_masks(prep, None)
    year = _quarter_dict(quarter_frame(prep, fy, m).loc["year"])
    o = prep.ombudsman[in_year(prep.ombudsman, fy)]
    return {
        "complaints": year["formal"] + year["informal"],
        "formal": year["formal"],
        "informal": year["informal"],
        "compliments": year["compliments"],
        "learnings": year["learnings"],
        "ombudsman_decisions": year["ombudsman_decisions"],
        "ombudsman_upheld": year["ombudsman_upheld"],
        "remedy_total": money_total(o["remedy_amount"]),
        **{f"ombudsman_{k}": v for k, v in ombudsman_investigations(o).items()},
        "overdue_share": year["overdue_share"],
        "fully_justified_share": year["fully_justified_share"],
        "partly_justified_share": year["partly_justified_share"],
        "timescales": timescale_figures(prep, prep.complaints[in_year(prep.complaints, fy)]),
        "ombudsman_compliance": ombudsman_compliance(prep, o),
        "member_conduct": member_conduct(prep, fy),
        "advocacy_referrals": advocacy_referrals(prep, fy),
    }


def has_records(prep: Prepared, financial_year: str | FinancialYear) -> bool:
    """Whether the data set holds any record of that year.

    Before an export begins every count would be zero; a reader must see "no figure", not
    "none", for such a year.
    """
    start = FinancialYear.parse(financial_year).start_year
    tables = (prep.complaints, prep.compliments, prep.ombudsman)
    return any(bool((t["fy_start"] == start).any()) for t in tables)


def comparison_file(financial_year: FinancialYear) -> str:
    """The name of the figures of the year before that a year's output folder keeps beside its
    figures.json (``figures-2022-23.json``), which its sentences compare with."""
    return f"figures-{financial_year.previous().label}.json"


def compute_figures(prep: Prepared, financial_year: str | FinancialYear) -> dict[str, Any]:
    """figures.json for one financial year, exactly as the data contract specifies; for the
    in-year pack's period (the params' ``to_quarter``), 1 April to that quarter's end, with
    the quarters inside it and ``year`` their total."""
    fy = FinancialYear.parse(financial_year)
    fy = FinancialYear(fy.start_year, prep.params.fy.last_quarter)  # prep holds that period only
    areas = {a: area_figures(prep, fy, a) for a in prep.areas}
    if fy.is_period:
        for entry in areas.values():
            entry["quarters"] = {
                q: v for q, v in entry["quarters"].items() if q in fy.quarters or q == "year"
            }
    return {
        "schema": SCHEMA_VERSION,
        "financial_year": fy.label,
        "period": {"start": fy.start.isoformat(), "end": fy.end.isoformat()},
        "service_areas": areas,
        "council": council_figures(prep, fy),
    }
