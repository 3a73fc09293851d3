"""Back-test: the figures of the published reports against what the suite computes on data/demo.

Each ``published_<FY>.yml`` beside this file lists the figures of one published report, once, as
data (see README.md). Every figure is one test case, ``<FY>:<id>``. A figure passes when the suite's
value matches the published one under its kind's rule; a figure listed under ``known_differences``
passes only when the suite computes exactly the value written there (and not the published one).
"""

from __future__ import annotations

import contextlib
import math
import re
import traceback
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
DEMO_DIR = REPO_ROOT / "data" / "demo"

KINDS = ("count", "percent", "money", "text")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FY_PATTERN = re.compile(r"^\d{4}-\d{2}$")
DERIVED = re.compile(r"^\s*(sum|share|diff|sub1)\((.*)\)\s*$", re.DOTALL)
# Arguments of a derived form are separated by commas that start a new path; keys may hold commas.
ARG_SPLIT = re.compile(r",\s*(?=(?:figures|views)/)")
ARITY = {"sum": None, "share": 2, "diff": 2, "sub1": 1}

# A published 0 whose last key is absent from a resolved dict (a category nobody chose, which the
# suite does not list) is read as 0 only when the file lists that metric path under
# `absent_categories`, with the reason the data set legitimately lacks the category. Any other
# absent key fails as an unresolved path: a renamed label or a misspelt path cannot pass as a 0.

# The contract's aliases: a text figure in the report's words matches the suite's canonical value.
TEXT_ALIASES = {
    "upheld": "fully justified",
    "justified": "fully justified",
    "fully upheld": "fully justified",
    "partially upheld": "partially justified",
    "part upheld": "partially justified",
    "part justified": "partially justified",
    "partly justified": "partially justified",
    "not upheld": "not justified",
}


# --------------------------------------------------------------------------------------------
# Loading the YAML files


def _report_year(path: Path, doc: dict) -> str:
    fy = doc.get("financial_year")
    if fy:
        return str(fy)
    m = re.search(r"(\d{4}-\d{2})", path.stem)
    if not m:
        raise ValueError(f"{path.name}: no financial_year and none in the file name")
    return m.group(1)


def _load_files() -> list[tuple[Path, str, dict]]:
    out = []
    for path in sorted(HERE.glob("published_*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        out.append((path, _report_year(path, doc), doc))
    return out


FILES = _load_files()


def _absent_allowed(doc: dict) -> set[str]:
    """The metric paths a file lists under ``absent_categories`` (categories the data set lacks)."""
    return {
        str(m).strip()
        for group in doc.get("absent_categories") or []
        if isinstance(group, Mapping)
        for m in group.get("metrics") or []
    }


def _cases():
    for path, fy, doc in FILES:
        known = {}
        for kd in doc.get("known_differences") or []:
            if isinstance(kd, Mapping) and "id" in kd:
                known.setdefault(kd["id"], kd)
        absent = _absent_allowed(doc)
        for entry in doc.get("figures") or []:
            yield pytest.param(
                (path.name, fy, entry, known.get(entry.get("id")), absent),
                id=f"{fy}:{entry.get('id')}",
            )


# --------------------------------------------------------------------------------------------
# The suite, computed once per report year


class Suite:
    """Lazily prepares the demo data set for a report year and caches figures and views."""

    def __init__(self) -> None:
        self._cache: dict[tuple, object] = {}

    def _get(self, key: tuple, make):
        if key not in self._cache:
            try:
                self._cache[key] = ("ok", make())
            except Exception as exc:  # cached: one broken step is reported, not redone per case
                where = traceback.extract_tb(exc.__traceback__)[-1]
                self._cache[key] = (
                    "error",
                    f"{type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno})",
                )
        status, value = self._cache[key]
        if status == "error":
            pytest.fail(
                f"the suite could not compute {key[0]} for {'/'.join(key[1:])}: {value}",
                pytrace=False,
            )
        return value

    def prep(self, report_fy: str):
        def make():
            from complaints_report.data.loading import load_dataset
            from complaints_report.figures.engine import prepare
            from complaints_report.params import load_params

            params = load_params(report_fy)
            ds = load_dataset(DEMO_DIR, params.columns)
            return prepare(ds, params)

        return self._get(("prep", report_fy), make)

    def figures(self, report_fy: str, fy: str):
        def make():
            from complaints_report.figures.engine import compute_figures

            return compute_figures(self.prep(report_fy), fy)

        return self._get(("figures", report_fy, fy), make)

    def views(self, report_fy: str, fy: str):
        def make():
            from complaints_report.figures.views import report_views

            return report_views(self.prep(report_fy), fy)

        return self._get(("views", report_fy, fy), make)


@pytest.fixture(scope="module")
def suite() -> Suite:
    return Suite()


# --------------------------------------------------------------------------------------------
# Metric paths


class Unresolved(Exception):
    pass


class AbsentKey(Unresolved):
    """The path resolved up to a dict that lacks the last key."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


_NO_KEY = object()


def _key_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _walk(node, segs: list[str], trail: list[str], best: list):
    """Follow ``segs`` from ``node``; a key may itself contain '/', so segments join as needed."""
    if not segs:
        return node
    if len(trail) >= len(best[0]):
        best[0], best[1] = list(trail), node
    if isinstance(node, Mapping):
        keys = {_key_text(k): k for k in node}
        folded: dict[str, list] = {}
        for text, k in keys.items():
            folded.setdefault(text.casefold(), []).append(k)
        for n in range(1, len(segs) + 1):
            cand = "/".join(segs[:n])
            # exact key first, else the one key differing only in case ("Left Blank"/"Left blank")
            key = keys.get(cand, _NO_KEY)
            if key is _NO_KEY and len(folded.get(cand.casefold(), ())) == 1:
                key = folded[cand.casefold()][0]
            if key is not _NO_KEY:
                try:
                    return _walk(node[key], segs[n:], trail + [cand], best)
                except Unresolved:
                    continue
        raise Unresolved
    if isinstance(node, (list, tuple)):
        if segs[0].isdigit():
            i = int(segs[0])
            if i < len(node):
                return _walk(node[i], segs[1:], trail + [segs[0]], best)
            raise Unresolved
        for n in range(1, len(segs) + 1):
            cand = "/".join(segs[:n])
            if "=" not in cand:
                continue
            field, value = (s.strip() for s in cand.split("=", 1))
            hits = [
                e
                for e in node
                if isinstance(e, Mapping) and field in e and _key_text(e[field]) == value
            ]
            if len(hits) > 1:
                best[0], best[1] = trail + [f"{cand} (matches {len(hits)} elements)"], None
                raise Unresolved
            if hits:
                try:
                    return _walk(hits[0], segs[n:], trail + [cand], best)
                except Unresolved:
                    continue
        raise Unresolved
    raise Unresolved


def _describe(node) -> str:
    if isinstance(node, Mapping):
        keys = [_key_text(k) for k in node]
        more = f", … ({len(keys)} keys)" if len(keys) > 12 else ""
        return "keys there: " + ", ".join(repr(k) for k in keys[:12]) + more
    if isinstance(node, (list, tuple)):
        return f"a list of {len(node)} there"
    return f"a {type(node).__name__} there, not a dict or list"


def path_problem(path: str) -> str | None:
    """Why ``path`` is not a metric path (None when it is one)."""
    segs = path.strip().split("/")
    if len(segs) < 3 or segs[0] not in ("figures", "views") or not FY_PATTERN.match(segs[1]):
        return f"metric path {path!r} must start with figures/<FY>/ or views/<FY>/"
    return None


def resolve_path(path: str, suite: Suite, report_fy: str):
    problem = path_problem(path)
    if problem:
        raise Unresolved(problem)
    segs = path.strip().split("/")
    compute = suite.figures if segs[0] == "figures" else suite.views
    root = compute(report_fy, segs[1])
    best: list = [[], root]
    try:
        return _walk(root, segs[2:], [], best)
    except Unresolved:
        done = "/".join(segs[:2] + best[0])
        # "absent": stopped at a dict of plain values (category -> number); the rest is its key
        absent = isinstance(best[1], Mapping) and not any(
            isinstance(v, (Mapping, list, tuple)) for v in best[1].values()
        )
        message = (
            f"metric path does not resolve: {path!r}; resolved as far as {done!r}; "
            f"{_describe(best[1])}"
        )
        if absent:  # what is left of the path is a key (it may hold '/') of plain values
            raise AbsentKey(message, path.strip()) from None
        raise Unresolved(message) from None


def _number(v):
    """A plain Python number from what the suite returns (numpy scalars, NaN/NA as None)."""
    if v is None:
        return None
    if hasattr(v, "item") and not isinstance(v, (list, tuple, dict, str)):
        try:
            v = v.item()
        except (TypeError, ValueError):
            pass
    try:
        if v != v:  # NaN, pd.NA raises TypeError
            return None
    except TypeError:
        return None
    return v


def evaluate(metric: str, suite: Suite, report_fy: str):
    m = DERIVED.match(metric)
    if not m:
        return resolve_path(metric, suite, report_fy)
    fn, inner = m.groups()
    args = [a.strip() for a in ARG_SPLIT.split(inner)]
    if ARITY[fn] is not None and len(args) != ARITY[fn]:
        raise Unresolved(f"{fn}() takes {ARITY[fn]} path(s), got {len(args)}: {metric!r}")
    vals = [_number(resolve_path(a, suite, report_fy)) for a in args]
    if any(v is None for v in vals):
        return None
    if fn == "sum":
        return sum(vals)
    if fn == "diff":
        return vals[0] - vals[1]
    if fn == "sub1":
        return 1 - vals[0]
    return None if vals[1] == 0 else vals[0] / vals[1]  # share


# --------------------------------------------------------------------------------------------
# Comparison rules


def whole_percent(share) -> int | None:
    """``share`` (0.125) as a whole percent rounded half up (13); None for a null share."""
    share = _number(share)
    if share is None or isinstance(share, (str, bool)):
        return None
    d = Decimal(repr(float(share))) * 100
    return int(d.quantize(Decimal("1e-9")).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def pennies(amount) -> Decimal | None:
    amount = _number(amount)
    if amount is None:
        return Decimal("0.00")  # contract: blank money means none
    if isinstance(amount, (str, bool)):
        return None
    return Decimal(repr(float(amount))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def canonical_text(v):
    v = _number(v) if not isinstance(v, str) else v
    if v is None:
        return None
    t = " ".join(str(v).split()).casefold()
    if not t:
        return None
    return TEXT_ALIASES.get(t, t)


def normalise(kind: str, value):
    """The value in the form the comparison rule compares."""
    if kind == "percent":
        return whole_percent(value)
    if kind == "money":
        return pennies(value)
    if kind == "text":
        return canonical_text(value)
    v = _number(value)
    if v is None or isinstance(v, (str, bool)):
        return None
    if isinstance(v, float):
        return int(v) if v.is_integer() else v
    return v


def matches(kind: str, computed, target) -> bool:
    c = normalise(kind, computed)
    if kind == "percent" and c is None:
        return False  # a null share matches nothing
    if kind == "count" and c is None:
        return False
    return c == normalise(kind, target)


def show(kind: str, value) -> str:
    if value is None:
        return "null"
    if isinstance(value, str) and kind != "text":
        return value
    try:
        if kind == "percent":
            raw = float(_number(value))
            return f"{whole_percent(raw)}% ({raw:.4g})"
        if kind == "money":
            return f"£{pennies(value):,.2f}"
        if kind == "count":
            return str(normalise(kind, value))
    except (TypeError, ValueError):
        pass
    return repr(value)


# --------------------------------------------------------------------------------------------
# The failure table

FAILURES: list[tuple[str, str, str, str, str, str]] = []
COLUMNS = ("id", "where", "published", "computed", "problem")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def table(rows, width_where: int = 60, width_problem: int = 90) -> str:
    """Rows (report, id, where, published, computed, problem) as an aligned text table."""
    rows = [(*r[:2], _cut(r[2], width_where), *r[3:5], _cut(r[5], width_problem)) for r in rows]
    head = ("report",) + COLUMNS
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=True)]
    fmt = " | ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*head), "-+-".join("-" * w for w in widths)]
    lines += [fmt.format(*map(str, r)) for r in rows]
    return "\n".join(lines)


@pytest.fixture(scope="module", autouse=True)
def _failure_table(request):
    yield
    if not FAILURES:
        return
    plugins = request.config.pluginmanager
    tr = plugins.get_plugin("terminalreporter")
    cap = plugins.get_plugin("capturemanager")
    text = table(sorted(FAILURES))
    if tr is None:
        print(text)
        return
    with cap.global_and_fixture_disabled() if cap is not None else contextlib.nullcontext():
        tr.write_line("")
        tr.write_sep("=", f"back-test: {len(FAILURES)} published figure(s) not reproduced")
        for line in text.splitlines():
            tr.write_line(line)


# --------------------------------------------------------------------------------------------
# Tests


@pytest.mark.slow
@pytest.mark.parametrize("case", list(_cases()))
def test_published_figure(case, suite):
    filename, report_fy, entry, known, absent_allowed = case
    fid, kind, published = entry["id"], entry["kind"], entry["published"]
    target = entry["means"] if kind == "text" and "means" in entry else published

    def fail(computed_shown: str, problem: str):
        where = entry.get("where", "")
        row = (report_fy, fid, where, show(kind, published), computed_shown, problem)
        FAILURES.append(row)
        pytest.fail(
            f"{fid}: {problem}\n  where:     {where}\n  metric:    {entry.get('metric')}\n"
            f"  published: {row[3]}\n  computed:  {computed_shown}",
            pytrace=False,
        )

    unresolved = None
    try:
        computed = evaluate(entry["metric"], suite, report_fy)
    except AbsentKey as exc:
        computed = 0
        if exc.path not in absent_allowed:
            unresolved = f"{exc} (not listed under absent_categories in {filename})"
        elif not (kind in ("count", "percent") and published == 0):
            unresolved = (
                f"{exc} (listed under absent_categories, but published {published!r}, not 0)"
            )
    except Unresolved as exc:
        unresolved = str(exc)
    if unresolved is not None:
        fail("—", unresolved)
    if entry["metric"].strip() in absent_allowed and computed != 0:
        fail(
            show(kind, computed),
            f"stale absent category: the data set now has {entry['metric']!r} "
            f"(remove it from absent_categories in {filename})",
        )

    shown = show(kind, computed)
    ok = matches(kind, computed, target)
    if known is None:
        if not ok:
            fail(shown, "differs from the published figure")
        return
    if ok:
        fail(
            shown,
            f"stale known difference: the suite now reproduces the published figure "
            f"(remove it from known_differences in {filename})",
        )
    expected = known.get("computed")
    if expected is None or (isinstance(expected, str) and expected.strip().upper() == "TBD"):
        fail(shown, f"known difference has computed: {expected!r}: fill in the computed value")
    if not matches(kind, computed, expected):
        fail(shown, f"known difference says computed {show(kind, expected)}, the suite differs")


@pytest.mark.parametrize("path,report_fy,doc", FILES, ids=[f.name for f, _, _ in FILES])
def test_published_file_is_well_formed(path, report_fy, doc):
    problems = []
    if not FY_PATTERN.match(report_fy):
        problems.append(f"financial_year {report_fy!r} is not like 2023-24")
    for key in ("report", "source", "figures"):
        if not doc.get(key):
            problems.append(f"missing top-level {key!r}")
    seen: set[str] = set()
    for i, e in enumerate(doc.get("figures") or []):
        fid = e.get("id") if isinstance(e, Mapping) else None
        label = fid or f"figures[{i}]"
        if not isinstance(e, Mapping):
            problems.append(f"{label}: not a mapping")
            continue
        if not fid or not ID_PATTERN.match(str(fid)):
            problems.append(f"{label}: id must be kebab-case")
        elif fid in seen:
            problems.append(f"{fid}: id repeats")
        seen.add(fid)
        for key in ("where", "published", "kind", "metric"):
            if key not in e:
                problems.append(f"{label}: missing {key!r}")
        kind, pub = e.get("kind"), e.get("published")
        if kind not in KINDS:
            problems.append(f"{label}: kind {kind!r} is not one of {KINDS}")
        elif kind == "count" and (not isinstance(pub, int) or isinstance(pub, bool)):
            problems.append(f"{label}: a count must be a whole number, got {pub!r}")
        elif kind in ("percent", "money") and (
            not isinstance(pub, (int, float)) or isinstance(pub, bool) or math.isnan(pub)
        ):
            problems.append(f"{label}: a {kind} must be a number, got {pub!r}")
        elif kind == "percent" and Decimal(repr(float(pub))) * 100 % 1 != 0:
            problems.append(f"{label}: percent {pub!r} is not a whole percent (write 18% as 0.18)")
        elif kind == "money" and Decimal(repr(float(pub))) % Decimal("0.01") != 0:
            problems.append(f"{label}: money {pub!r} has fractions of a penny")
        if "means" in e and kind != "text":
            problems.append(f"{label}: 'means' is only for text figures")
        metric = e.get("metric")
        if isinstance(metric, str):
            m = DERIVED.match(metric)
            paths = [a.strip() for a in ARG_SPLIT.split(m.group(2))] if m else [metric]
            if m and ARITY[m.group(1)] is not None and len(paths) != ARITY[m.group(1)]:
                problems.append(f"{label}: {m.group(1)}() takes {ARITY[m.group(1)]} path(s)")
            problems += [f"{label}: {path_problem(p)}" for p in paths if path_problem(p)]
        else:
            problems.append(f"{label}: metric must be a string")
    kd_seen: set[str] = set()
    for i, kd in enumerate(doc.get("known_differences") or []):
        kid = kd.get("id") if isinstance(kd, Mapping) else None
        label = kid or f"known_differences[{i}]"
        if not kid:
            problems.append(f"{label}: no id")
            continue
        if kid in kd_seen:
            problems.append(f"{kid}: listed twice in known_differences")
        kd_seen.add(kid)
        if kid not in seen:
            problems.append(f"{kid}: known difference names no figure entry")
        if "computed" not in kd:
            problems.append(f"{kid}: known difference without 'computed'")
        if not str(kd.get("reason") or "").strip():
            problems.append(f"{kid}: known difference without a reason")
    metrics_of_zeros = {
        str(e.get("metric")).strip()
        for e in doc.get("figures") or []
        if isinstance(e, Mapping) and e.get("published") == 0
    }
    for i, group in enumerate(doc.get("absent_categories") or []):
        label = f"absent_categories[{i}]"
        if not isinstance(group, Mapping) or not group.get("metrics"):
            problems.append(f"{label}: needs metrics (a list of metric paths)")
            continue
        if not str(group.get("reason") or "").strip():
            problems.append(f"{label}: no reason why the data set lacks these categories")
        for m in group["metrics"]:
            if str(m).strip() not in metrics_of_zeros:
                problems.append(f"{label}: {m!r} is the metric of no figure published as 0")
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)
