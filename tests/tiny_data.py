"""Writing a tiny data set for a test: the demo export's headings, a handful of rows."""

from __future__ import annotations

import csv
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


def write_table(folder: Path, table: str, rows: list[dict[str, str]]) -> None:
    """``<folder>/<table>.csv`` with the demo's headings; cells not given are blank."""
    with (DEMO / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows(rows)
