"""Tiny data sets for tests (the demo export's headings, a handful of rows), and tables as read."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


def write_table(
    folder: Path, table: str, rows: list[dict[str, str]], drop: Sequence[str] = ()
) -> None:
    """``<folder>/<table>.csv`` with the demo's headings less ``drop``; cells not given are blank."""
    with (DEMO / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        header = [h for h in next(csv.reader(fh)) if h not in drop]
    with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows([{k: v for k, v in row.items() if k not in drop} for row in rows])


def tiny_context(
    base: Path,
    complaints: Sequence[dict[str, str]],
    compliments: Sequence[dict[str, str]] = (),
    ombudsman: Sequence[dict[str, str]] = (),
    *,
    params: str | None = None,
    financial_year: str = "2023-24",
    drop: dict[str, tuple[str, ...]] | None = None,
    **optional: Sequence[dict[str, str]],
):
    """The report context of a tiny data set written under ``base``.

    The three required tables (and any ``optional`` ones, e.g. ``advocacy=[...]``) go to
    ``base/data``; ``params``, when given, is the text of a ``defaults.yml`` of its own
    (otherwise the repository's params apply); outputs go to ``base/out``. ``drop`` names demo
    headings to leave out of a table's file (``{"complaints": ("Panel Date",)}``), for an
    export that lacks an optional column.
    """
    from complaints_report.report import load_context

    data = base / "data"
    data.mkdir(parents=True)
    tables = {"complaints": complaints, "compliments": compliments, "ombudsman": ombudsman}
    for table, rows in {**tables, **optional}.items():
        write_table(data, table, list(rows), drop=(drop or {}).get(table, ()))
    params_dir = None
    if params is not None:
        params_dir = base / "params"
        params_dir.mkdir()
        (params_dir / "defaults.yml").write_text(params, encoding="utf-8")
    return load_context(
        financial_year,
        data_dir=str(data),
        output_dir=str(base / "out"),
        params_dir=str(params_dir) if params_dir else None,
    )


def shown_rows(table) -> dict[str, list[str]]:
    """A report table as a reader sees it: row label -> the other cells, formatted."""
    shown = table.display_frame()
    return {row[0]: list(row[1:]) for row in shown.itertuples(index=False, name=None)}
