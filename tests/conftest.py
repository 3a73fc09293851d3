"""Fixtures shared by every test tier."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Charts render off-screen, here and in the kernels that executed notebooks inherit this from.
os.environ["MPLBACKEND"] = "Agg"

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder (the one holding pyproject.toml)."""
    return REPO_ROOT


# Years the small fixture keeps: the report year and the two before, so multi-year views work.
SMALL_YEARS = ("2021", "2022", "2023", "2024")


def _keep_small(table: str, row: dict[str, str], index: int) -> bool:
    """A deterministic thin slice of the demo set: recent years, one complaint record in ten."""
    date = next(
        (row[k] for k in ("Received Date", "Date", "Decision Date", "Quarter Start") if k in row),
        "",
    )
    if not date.endswith(SMALL_YEARS):
        return False
    if table in ("complaints", "compliments", "equalities", "member_conduct"):
        return index % 10 == 0
    return True


@pytest.fixture(scope="session")
def small_data_dir(tmp_path_factory) -> Path:
    """A small data set (about a tenth of the demo's recent records) for fast notebook runs."""
    import csv

    out = tmp_path_factory.mktemp("small-data")
    for src in sorted((REPO_ROOT / "data" / "demo").glob("*.csv")):
        with src.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = [r for i, r in enumerate(reader) if _keep_small(src.stem, r, i)]
            fields = reader.fieldnames
        with (out / src.name).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return out


@pytest.fixture(scope="session")
def demo_runs(tmp_path_factory) -> dict[str, Path]:
    """The yearly run for both published years on the demo data set, done once per session.

    It stops short of publishing: the published-report tests publish these executed notebooks
    with each publisher in turn (tests/publish/conftest.py).
    """
    from complaints_report.run.year import run_year

    out = tmp_path_factory.mktemp("outputs")
    return {
        fy: run_year(fy, out=str(out), progress=False, publish=False).year_dir
        for fy in ("2023-24", "2020-21")
    }
