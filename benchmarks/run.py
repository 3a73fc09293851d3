"""Benchmark the yearly run on this machine: medians of repeated runs, against a sequential baseline.

    python benchmarks/run.py [--repeats 5] [--records 1000000]     (or: make bench)

Measures (each ``--repeats`` times, median reported with min and max):
1. a cold full run for 2023-24 on the demo data (validate, figures, all notebooks, publish);
2. a re-run with nothing changed;
3. a re-run after editing one section's commentary in params;
4. the figures engine alone on a synthetic export of ``--records`` complaint records: time and
   the peak resident memory of the process that ran it;
5. the sequential baseline: the same notebooks executed one after another with plain
   ``papermill``, one process each, then the publisher.
Prints a table with ratios against the baseline and writes ``benchmarks/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FY = "2023-24"
sys.path.insert(0, str(ROOT / "lib"))


def _run(cmd: list[str], env: dict | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(
        cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=ROOT
    )
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    return elapsed, proc.stdout + proc.stderr


def _cli(*args: str) -> list[str]:
    return [str(BIN / "complaints-report"), *args]


def summary(times: list[float]) -> dict:
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "runs": times,
    }


def bench_cold(tmp: Path, repeats: int) -> dict:
    times = []
    for i in range(repeats):
        out = tmp / f"cold-{i}"
        t, _ = _run(_cli("run", FY, "--out", str(out), "--no-progress"))
        times.append(t)
        print(f"  cold run {i + 1}/{repeats}: {t:.1f} s", flush=True)
    return summary(times)


def bench_nothing_changed(tmp: Path, repeats: int) -> dict:
    out = tmp / "cold-0"
    times = []
    for i in range(repeats):
        t, text = _run(_cli("run", FY, "--out", str(out), "--no-progress"))
        if "nothing changed" not in text:
            raise SystemExit("the re-run with nothing changed did not say so:\n" + text[-2000:])
        times.append(t)
        print(f"  nothing changed {i + 1}/{repeats}: {t:.2f} s", flush=True)
    return summary(times)


def bench_commentary(tmp: Path, repeats: int) -> dict:
    out = tmp / "cold-0"
    params = tmp / "params"
    shutil.copytree(ROOT / "params", params)
    year = params / f"{FY}.yml"
    original = year.read_text(encoding="utf-8")
    env = {"COMPLAINTS_REPORT_PARAMS": str(params)}
    _run(
        _cli("run", FY, "--out", str(out), "--no-progress"), env
    )  # same params, copied: nothing to do
    times = []
    for i in range(repeats):
        year.write_text(
            original.replace(
                "Most complaints come from parents", f"Most complaints (edit {i}) come from parents"
            ),
            encoding="utf-8",
        )
        t, text = _run(_cli("run", FY, "--out", str(out), "--no-progress"), env)
        if "1 section(s) executed" not in text:
            raise SystemExit(
                "a commentary edit did not re-execute exactly one section:\n" + text[-2000:]
            )
        times.append(t)
        print(f"  one commentary edited {i + 1}/{repeats}: {t:.1f} s", flush=True)
    return summary(times)


_ENGINE = r"""
import json, resource, sys, time
import numpy as np, pandas as pd
sys.path.insert(0, sys.argv[2])
from complaints_report.figures import compute_figures, prepare
from complaints_report.params import Params
from complaints_report.reading import Dataset

n = int(sys.argv[1])
rng = np.random.default_rng(1)
received = pd.Timestamp("2016-04-01") + pd.to_timedelta(rng.integers(0, 2920, n), unit="D")
responded = received + pd.to_timedelta(rng.integers(0, 60, n), unit="D")
responded = responded.where(rng.random(n) > 0.05)
stage = rng.choice(["Informal", "Stage 1", "Stage 2", "Stage 3"], n, p=[0.45, 0.45, 0.07, 0.03])
areas = np.array(["Children's Social Care", "Children's Non-Social Care", "Adult Social Care", "Highways"])
area = areas[rng.integers(0, 4, n)]
directorate = np.where(np.isin(area, areas[:2]), "Children's Services", "Other")
def text(values):
    return pd.array(values, dtype="string")
complaints = pd.DataFrame({
    "case_ref": text([f"COM/{i}" for i in range(n)]), "stage": text(stage),
    "received_date": received, "responded_date": responded,
    "directorate": text(directorate), "service_area": text(area), "team": text(["North"] * n),
    "theme": text(rng.choice(["Communication", "Data", "Other", None], n)),
    "complainant_type": text(rng.choice(["Parent", "Customer", None], n)),
    "child_in_care": rng.random(n) < 0.02, "via_advocate": rng.random(n) < 0.02,
    "outcome": text(rng.choice(["Fully justified", "Partially justified", "Not justified", "Withdrawn", None], n)),
    "extension_agreed": rng.random(n) < 0.05, "learning": text(np.where(rng.random(n) < 0.1, "Learnt", None)),
    "action": text([None] * n), "summary": text([None] * n),
    "investigator_cost": np.where(stage == "Stage 2", 1000.0, np.nan),
    "independent_person_cost": np.nan, "additional_cost": np.nan, "source_row": np.arange(2, n + 2),
})
def empty(cols):
    return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if "date" in c or c == "quarter_start" else "string") for c in cols})
compliments = pd.DataFrame({"date": received[: n // 10], "directorate": text(directorate[: n // 10]),
                            "service_area": text(area[: n // 10]), "team": text(["North"] * (n // 10))})
ombudsman = empty(["lgsco_ref", "decision_date", "case_ref", "directorate", "service_area", "decision",
                   "remedy_note", "summary", "recommendations"])
ombudsman["remedy_amount"] = pd.Series(dtype=float)
advocacy = empty(["quarter_start", "provider"]); advocacy["referrals"] = pd.Series(dtype="int64")
equalities = empty(["received_date", "gender", "age_band", "ethnicity", "religion", "sexuality", "disability"])
member = empty(["received_date", "council"]); member["investigated"] = pd.Series(dtype=bool); member["upheld"] = pd.Series(dtype=bool)
ds = Dataset(complaints, compliments, ombudsman, advocacy, equalities, member, data_dir=None, files={})
params = Params(financial_year="2023-24", council="Benchmark")
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
prep = prepare(ds, params)
figures = compute_figures(prep, "2023-24")
elapsed = time.perf_counter() - t
assert figures["council"]["complaints"] > 0
print(json.dumps({"seconds": elapsed, "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_before_mib": rss_before / 1024, "records": n}))
"""


def bench_engine(records: int, repeats: int) -> dict:
    runs = []
    for i in range(repeats):
        proc = subprocess.run(
            [sys.executable, "-c", _ENGINE, str(records), str(ROOT / "lib")],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if proc.returncode != 0:
            raise SystemExit(f"figures engine benchmark failed:\n{proc.stderr[-3000:]}")
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(
            f"  figures engine, {records:,} records {i + 1}/{repeats}: {runs[-1]['seconds']:.2f} s, "
            f"peak {runs[-1]['peak_rss_mib']:.0f} MiB",
            flush=True,
        )
    out = summary([r["seconds"] for r in runs])
    out["peak_rss_mib_max"] = max(r["peak_rss_mib"] for r in runs)
    out["records"] = records
    return out


def bench_baseline(tmp: Path, repeats: int) -> dict:
    from complaints_report.sections import SECTIONS

    times = []
    for i in range(repeats):
        out = tmp / f"baseline-{i}"
        year = out / FY
        (year / "notebooks").mkdir(parents=True)
        started = time.perf_counter()
        for s in SECTIONS:
            _run(
                [
                    str(BIN / "papermill"),
                    str(s.path),
                    str(year / "notebooks" / s.notebook),
                    "-p",
                    "financial_year",
                    FY,
                    "-p",
                    "output_dir",
                    str(year),
                    "--no-progress-bar",
                ]
            )
        _run(_cli("publish", FY, "--out", str(out)))
        times.append(time.perf_counter() - started)
        print(f"  sequential baseline {i + 1}/{repeats}: {times[-1]:.1f} s", flush=True)
    return summary(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeats", type=int, default=5, help="runs of each measurement (default 5)"
    )
    parser.add_argument(
        "--records", type=int, default=1_000_000, help="records for the engine benchmark"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp_name:
        tmp = Path(tmp_name)
        print("cold full runs", flush=True)
        cold = bench_cold(tmp, args.repeats)
        print("re-runs with nothing changed", flush=True)
        unchanged = bench_nothing_changed(tmp, args.repeats)
        print("re-runs after one commentary edit", flush=True)
        commentary = bench_commentary(tmp, args.repeats)
        print("the figures engine alone", flush=True)
        engine = bench_engine(args.records, args.repeats)
        print(
            "sequential baseline (plain papermill, one process per notebook, then the publisher)",
            flush=True,
        )
        baseline = bench_baseline(tmp, args.repeats)
    base = baseline["median_s"]
    results = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
        },
        "repeats": args.repeats,
        "cold_full_run": {**cold, "ratio_to_baseline": cold["median_s"] / base},
        "rerun_nothing_changed": {**unchanged, "ratio_to_baseline": unchanged["median_s"] / base},
        "rerun_one_commentary_edit": {
            **commentary,
            "ratio_to_baseline": commentary["median_s"] / base,
        },
        "figures_engine": engine,
        "sequential_baseline": baseline,
        "targets": {
            "cold_at_most_0.6_of_baseline": cold["median_s"] <= 0.6 * base,
            "nothing_changed_under_3_s": unchanged["median_s"] < 3,
            "engine_under_10_s": engine["median_s"] < 10,
            "engine_under_2_gib": engine["peak_rss_mib_max"] < 2048,
        },
    }
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    rows = [
        ("cold full run", cold),
        ("re-run, nothing changed", unchanged),
        ("re-run, one commentary edited", commentary),
        ("sequential baseline", baseline),
    ]
    print(f"\n{'measurement':34} {'median':>9} {'min':>8} {'max':>8} {'vs baseline':>12}")
    for name, r in rows:
        print(
            f"{name:34} {r['median_s']:8.2f}s {r['min_s']:7.2f}s {r['max_s']:7.2f}s {r['median_s'] / base:11.2f}x"
        )
    print(
        f"{'figures engine, ' + format(engine['records'], ',') + ' records':34} {engine['median_s']:8.2f}s "
        f"{engine['min_s']:7.2f}s {engine['max_s']:7.2f}s   peak {engine['peak_rss_mib_max']:.0f} MiB"
    )
    print(f"\ntargets: {json.dumps(results['targets'])}\nwritten to {args.out}")
    return 0 if all(results["targets"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
