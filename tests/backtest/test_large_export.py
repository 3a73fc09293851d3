"""A large export, as a user has it: about 200,000 complaint records read from CSV, validated and
counted end to end in seconds, every count exactly the demo's times the copies."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from tiny_data import demo_records, scaled_demo

pytestmark = pytest.mark.slow

#: Copies of the demo's complaint records: 23 × 8,778 = 201,894.
COPIES = 23
#: Seconds allowed for reading, validating and computing the figures of the large export: the
#: target is well under 10 s on a 2-core machine; this leaves room for a slow, busy CI runner.
SECONDS = 90
#: Figures from tables the copies leave alone (compliments, Ombudsman decisions, code of conduct
#: complaints, advocacy referrals).
UNSCALED = (
    "compliments",
    "ombudsman",
    "remedy_total",
    "ombudsman_compliance",
    "member_conduct",
    "advocacy_referrals",
)
#: Figures that are ratios or medians: the same however many copies.
UNCHANGED = ("_share", "median_working_days")


def figures(data: Path, out: Path) -> dict:
    from complaints_report.cli import EXIT_OK, main

    assert main(["figures", "2023-24", "--data", str(data), "--out", str(out)]) == EXIT_OK
    return json.loads((out / "2023-24" / "figures.json").read_text(encoding="utf-8"))


def assert_scaled(one: object, many: object, copies: int, path: tuple[str, ...] = ()) -> None:
    """``many`` is ``one`` with every count of complaint records multiplied by ``copies``."""
    where = "/".join(path)
    if isinstance(one, dict):
        assert isinstance(many, dict) and list(many) == list(one), where
        for key in one:
            assert_scaled(one[key], many[key], copies, (*path, key))
        return
    if one is None or isinstance(one, (str, bool)) or path == ("schema",):
        assert many == one, where
        return
    factor = 1 if any(p.startswith(UNSCALED) for p in path) else copies
    if path and path[-1].endswith(UNCHANGED):
        factor = 1
    if isinstance(one, int):
        assert many == one * factor, where
    else:
        assert many == pytest.approx(one * factor, rel=1e-9), where


def test_200k_records_from_csv_count_exactly_and_quickly(tmp_path) -> None:
    records = COPIES * demo_records()
    one = figures(scaled_demo(tmp_path / "one", demo_records()), tmp_path / "out-one")
    large = scaled_demo(tmp_path / "large", records)
    assert (large / "complaints.csv").stat().st_size > 25_000_000
    started = time.perf_counter()
    many = figures(large, tmp_path / "out-large")
    seconds = time.perf_counter() - started
    assert seconds < SECONDS, f"{records:,} records took {seconds:.1f} s"
    assert_scaled(one, many, COPIES)
    assert many["council"]["complaints"] == COPIES * one["council"]["complaints"] > 0
