"""The committed demo data set is exactly what its deterministic generator writes, and says it is synthetic."""

from __future__ import annotations

import subprocess
import sys

import pytest

from complaints_report.data.validation import validate_dataset


@pytest.mark.slow
def test_committed_demo_data_matches_the_generator(repo_root, tmp_path):
    out = tmp_path / "demo"
    subprocess.run(
        [sys.executable, str(repo_root / "scripts" / "generate_demo_data.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    committed = sorted(p.name for p in (repo_root / "data" / "demo").glob("*.csv"))
    generated = sorted(p.name for p in out.glob("*.csv"))
    assert generated == committed
    stale = [
        name
        for name in committed
        if (out / name).read_bytes() != (repo_root / "data" / "demo" / name).read_bytes()
    ]
    assert not stale, (
        f"data/demo is out of date with scripts/generate_demo_data.py: {stale}; run make demo-data"
    )


def test_demo_data_follows_the_contract(repo_root):
    assert validate_dataset(repo_root / "data" / "demo") == []


def test_demo_data_says_it_is_synthetic(repo_root):
    readme = (repo_root / "data" / "demo" / "README.md").read_text(encoding="utf-8")
    assert "synthetic" in readme.lower() and "invented" in readme.lower()
