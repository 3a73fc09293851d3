"""Back-test of the yearly run's own outputs: its figures.json holds every published figure.

The same published figures as ``test_backtest.py``, read from the ``figures.json`` that
``complaints-report run`` wrote for the report year (not recomputed), with the same known
differences.
"""

from __future__ import annotations

import json

import pytest
from test_backtest import FILES, AbsentKey, Suite, evaluate, matches, show

RUN_CASES = [
    (report_fy, entry, {k["id"]: k for k in doc.get("known_differences") or []}.get(entry["id"]))
    for _, report_fy, doc in FILES
    for entry in doc["figures"]
    if entry["metric"].startswith(f"figures/{report_fy}/")
]


class RunSuite(Suite):
    """Figures of the report year come from the run's figures.json."""

    def __init__(self, runs):
        super().__init__()
        self.runs = runs

    def figures(self, report_fy: str, fy: str):
        if fy == report_fy:
            return json.loads((self.runs[report_fy] / "figures.json").read_text(encoding="utf-8"))
        return super().figures(report_fy, fy)


@pytest.fixture(scope="module")
def run_suite(demo_runs):
    return RunSuite(demo_runs)


def test_there_are_run_figures_to_check():
    assert len(RUN_CASES) > 150


@pytest.mark.slow
@pytest.mark.parametrize(
    "report_fy,entry,known", RUN_CASES, ids=[f"{fy}:{e['id']}" for fy, e, _ in RUN_CASES]
)
def test_run_output_matches_published(report_fy, entry, known, run_suite):
    kind = entry["kind"]
    target = entry.get("means", entry["published"]) if kind == "text" else entry["published"]
    try:
        computed = evaluate(entry["metric"], run_suite, report_fy)
    except AbsentKey:
        assert entry["published"] == 0, (
            f"{entry['id']}: {entry['metric']} not in the run's figures.json"
        )
        computed = 0  # a category with no records (as test_backtest reads it)
    if known is None:
        assert matches(kind, computed, target), (
            f"{entry['id']}: published {show(kind, target)}, run wrote {show(kind, computed)}"
        )
    else:
        assert matches(kind, computed, known["computed"]) and not matches(kind, computed, target), (
            f"{entry['id']}: known difference says {show(kind, known['computed'])}, run wrote {show(kind, computed)}"
        )
