"""Benchmark the yearly run on this machine: medians of repeated runs, against a sequential baseline.

    python benchmarks/run.py [--repeats 5] [--records 1000000] [--only PART ...]   (or: make bench)

Measures (each ``--repeats`` times, median reported with min and max):
1. a cold full run for 2023-24 on the demo data (validate, figures, all notebooks, publish);
2. a re-run with nothing changed;
3. a re-run after editing one section's commentary in params;
4. the figures engine only, on frames already in memory: a synthetic export of ``--records``
   complaint records; time and the peak resident memory of the process that ran it;
5. the sequential baseline: the same notebooks executed one after another with plain
   ``papermill``, one process each, then the publisher;
6. reading from files, end to end as a user runs it: ``complaints-report figures 2023-24
   --data DIR`` on the demo export with its complaint records repeated (new case references)
   to 10,000, 100,000 and 1,000,000 records as CSV and 100,000 as XLSX; time and the peak
   resident memory of that command's process.
``--only reading`` (say) runs part 6 alone; its results are merged into ``results.json``,
which keeps the other parts' last results. Prints a table and writes ``benchmarks/results.json``.
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
    from complaints_report.sections import SECTIONS

    one_page = f"1 of {len(SECTIONS)} page(s) changed"  # Quarto renders the edited page alone
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
        if "publishing with Quarto" in text and one_page not in text:
            raise SystemExit(
                "a commentary edit did not have Quarto render its one page alone:\n" + text[-2000:]
            )
        if "Typst PDF by Quarto" in text and "compiling the PDF again" not in text:
            raise SystemExit(
                "a commentary edit did not compile the PDF from the last Typst:\n" + text[-2000:]
            )
        times.append(t)
        print(f"  one commentary edited {i + 1}/{repeats}: {t:.1f} s", flush=True)
    return summary(times)


_ENGINE = r"""
import json, resource, sys, time
import numpy as np, pandas as pd
sys.path.insert(0, sys.argv[2])
from complaints_report.data.contract import TABLES
from complaints_report.data.loading import normalise_table
from complaints_report.data.model import Dataset, RawTable
from complaints_report.data.values import TEXT
from complaints_report.figures.engine import compute_figures, prepare
from complaints_report.params import Params

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
    return pd.array(values, dtype=TEXT)
def blank(table, rows):
    # Every contract column, blank and typed as the reader types it.
    frame = pd.DataFrame(index=pd.Index(np.arange(2, rows + 2), name="source_row"))
    return normalise_table(RawTable(TABLES[table], None, frame))
complaints = blank("complaints", n)
complaints = complaints.assign(**{
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
    "independent_person_cost": np.nan, "additional_cost": np.nan,
    "panel_date": (received + pd.Timedelta(days=20)).where(stage == "Stage 3"),
})
compliments = blank("compliments", n // 10).assign(
    date=received[: n // 10], directorate=text(directorate[: n // 10]),
    service_area=text(area[: n // 10]), team=text(["North"] * (n // 10)))
ombudsman, advocacy, equalities, member = (
    blank(t, 0) for t in ("ombudsman", "advocacy", "equalities", "member_conduct"))
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


#: The exports read from files: (label, format, complaint records).
READING = (
    ("CSV, 10,000 records", "csv", 10_000),
    ("CSV, 100,000 records", "csv", 100_000),
    ("CSV, 1,000,000 records", "csv", 1_000_000),
    ("XLSX, 100,000 records", "xlsx", 100_000),
)


def _peak_run(cmd: list[str], log: Path) -> tuple[float, float]:
    """Run ``cmd``; its wall time in seconds and its process's peak resident memory in MiB."""
    with log.open("w", encoding="utf-8") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(cmd)}\n{log.read_text()[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024  # Linux reports kilobytes


def bench_reading(tmp: Path, repeats: int) -> dict:
    """``complaints-report figures`` from files: the demo export scaled up, CSV and XLSX."""
    sys.path.insert(0, str(ROOT / "tests"))
    from tiny_data import scaled_demo

    results = {}
    for label, fmt, records in READING:
        data = tmp / f"reading-{fmt}-{records}"
        started = time.perf_counter()
        scaled_demo(data, records, fmt)
        print(f"  wrote {label} in {time.perf_counter() - started:.0f} s", flush=True)
        times, peaks = [], []
        for i in range(repeats):
            t, peak = _peak_run(
                _cli("figures", FY, "--data", str(data), "--out", str(tmp / "reading-out")),
                tmp / "reading.log",
            )
            times.append(t)
            peaks.append(peak)
            print(f"  {label} {i + 1}/{repeats}: {t:.2f} s, peak {peak:.0f} MiB", flush=True)
        shutil.rmtree(data)
        results[label] = {
            **summary(times),
            "peak_rss_mib_median": statistics.median(peaks),
            "peak_rss_mib_max": max(peaks),
            "format": fmt,
            "records": records,
        }
    return results


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


PARTS = ("cold", "unchanged", "commentary", "engine", "baseline", "reading")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeats", type=int, default=5, help="runs of each measurement (default 5)"
    )
    parser.add_argument(
        "--records", type=int, default=1_000_000, help="records for the engine-only benchmark"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=PARTS,
        default=PARTS,
        metavar="PART",
        help=f"measure only these parts ({', '.join(PARTS)}); the cold run, nothing changed "
        "and the commentary edit need each other's outputs and are run together",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args(argv)
    only = set(args.only)
    if only & {"unchanged", "commentary"}:
        only.add("cold")
    results = {}
    if args.out.is_file():  # a partial run keeps the last results of the other parts
        results = json.loads(args.out.read_text(encoding="utf-8"))
    results["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
    }
    results["repeats"] = args.repeats
    # Publishing is part of every end-to-end figure: say which publisher made them.
    from complaints_report.publish.build import choose_publisher

    results["publisher"] = choose_publisher().kind
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp_name:
        tmp = Path(tmp_name)
        if "cold" in only:
            print("cold full runs", flush=True)
            results["cold_full_run"] = bench_cold(tmp, args.repeats)
        if "unchanged" in only:
            print("re-runs with nothing changed", flush=True)
            results["rerun_nothing_changed"] = bench_nothing_changed(tmp, args.repeats)
        if "commentary" in only:
            print("re-runs after one commentary edit", flush=True)
            results["rerun_one_commentary_edit"] = bench_commentary(tmp, args.repeats)
        if "engine" in only:
            print("the figures engine only (frames in memory)", flush=True)
            results["figures_engine"] = bench_engine(args.records, args.repeats)
        if "baseline" in only:
            print(
                "sequential baseline (plain papermill, one process per notebook, then the "
                "publisher)",
                flush=True,
            )
            results["sequential_baseline"] = bench_baseline(tmp, args.repeats)
        if "reading" in only:
            print("reading from files: complaints-report figures on scaled exports", flush=True)
            results["reading_from_files"] = bench_reading(tmp, args.repeats)
    base = results.get("sequential_baseline", {}).get("median_s")
    for key in ("cold_full_run", "rerun_nothing_changed", "rerun_one_commentary_edit"):
        if key in results and base:
            results[key]["ratio_to_baseline"] = results[key]["median_s"] / base
    results["targets"] = _targets(results)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    _print_table(results)
    print(f"\ntargets: {json.dumps(results['targets'])}\nwritten to {args.out}")
    return 0 if all(results["targets"].values()) else 1


def _targets(results: dict) -> dict[str, bool]:
    targets = {}
    base = results.get("sequential_baseline", {}).get("median_s")
    if base and "cold_full_run" in results:
        targets["cold_at_most_0.3_of_baseline"] = results["cold_full_run"]["median_s"] <= 0.3 * base
    if "rerun_nothing_changed" in results:
        targets["nothing_changed_under_3_s"] = results["rerun_nothing_changed"]["median_s"] < 3
    if "rerun_one_commentary_edit" in results:
        edit = results["rerun_one_commentary_edit"]["median_s"]
        targets["one_commentary_edit_under_10_s"] = edit < 10
    if "figures_engine" in results:
        engine = results["figures_engine"]
        targets["engine_only_under_10_s"] = engine["median_s"] < 10
        targets["engine_only_under_2_gib"] = engine["peak_rss_mib_max"] < 2048
    reading = results.get("reading_from_files", {})
    csv_1m, xlsx_100k = reading.get("CSV, 1,000,000 records"), reading.get("XLSX, 100,000 records")
    if csv_1m:
        targets["csv_1m_from_files_under_10_s"] = csv_1m["median_s"] < 10
        targets["csv_1m_from_files_under_2_gib"] = csv_1m["peak_rss_mib_max"] < 2048
    if xlsx_100k:
        targets["xlsx_100k_from_files_under_10_s"] = xlsx_100k["median_s"] < 10
    return targets


def _print_table(results: dict) -> None:
    base = results.get("sequential_baseline", {}).get("median_s")
    rows = [
        ("cold full run", "cold_full_run"),
        ("re-run, nothing changed", "rerun_nothing_changed"),
        ("re-run, one commentary edited", "rerun_one_commentary_edit"),
        ("sequential baseline", "sequential_baseline"),
    ]
    print(f"\n{'measurement':42} {'median':>9} {'min':>8} {'max':>8} {'':>14}")
    for name, key in rows:
        if key in results:
            r = results[key]
            ratio = f"{r['median_s'] / base:11.2f}x" if base else ""
            print(f"{name:42} {r['median_s']:8.2f}s {r['min_s']:7.2f}s {r['max_s']:7.2f}s {ratio}")
    if "figures_engine" in results:
        engine = results["figures_engine"]
        name = f"engine only (frames in memory), {engine['records']:,}"
        print(
            f"{name:42} {engine['median_s']:8.2f}s {engine['min_s']:7.2f}s "
            f"{engine['max_s']:7.2f}s   peak {engine['peak_rss_mib_max']:.0f} MiB"
        )
    for label, r in results.get("reading_from_files", {}).items():
        name = f"from files, {label}"
        print(
            f"{name:42} {r['median_s']:8.2f}s {r['min_s']:7.2f}s {r['max_s']:7.2f}s   "
            f"peak {r['peak_rss_mib_median']:.0f} MiB (max {r['peak_rss_mib_max']:.0f})"
        )


if __name__ == "__main__":
    raise SystemExit(main())
