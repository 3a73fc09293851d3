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
    to_quarter: str | None = None,
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
        to_quarter=to_quarter,
    )


def shown_rows(table) -> dict[str, list[str]]:
    """A report table as a reader sees it: row label -> the other cells, formatted."""
    shown = table.display_frame()
    return {row[0]: list(row[1:]) for row in shown.itertuples(index=False, name=None)}


def demo_records() -> int:
    """How many complaint records the demo export holds."""
    with (DEMO / "complaints.csv").open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def scaled_demo(folder: Path, records: int, fmt: str = "csv") -> Path:
    """The demo export in ``folder`` with ``records`` complaint records.

    The demo's complaint records are repeated in order, copy ``k`` (from 1) with ``-k`` after
    each case reference, so every copy is a set of cases of its own and a whole number of copies
    multiplies every complaint count by that number. The other tables are the demo's own.
    ``fmt`` is ``"csv"`` or ``"xlsx"`` (complaints only; real date cells for the dates).
    """
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for src in DEMO.glob("*.csv"):
        if src.stem != "complaints":
            shutil.copy(src, folder / src.name)
    with (DEMO / "complaints.csv").open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    ref = header.index("Case Ref")

    def replicated():
        for i in range(records):
            copy, row = divmod(i, len(rows))
            row = list(rows[row])
            if copy:
                row[ref] = f"{row[ref]}-{copy}"
            yield row

    if fmt == "csv":
        with (folder / "complaints.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(replicated())
    elif fmt == "xlsx":
        _write_xlsx(folder / "complaints.xlsx", header, replicated())
    else:
        raise ValueError(f"fmt is csv or xlsx, not {fmt!r}")
    return folder


def _write_xlsx(path: Path, header: list[str], rows) -> None:
    """A one-sheet workbook of ``rows`` under ``header``: UK date text as date cells."""
    from datetime import datetime

    from openpyxl import Workbook

    dates = [i for i, h in enumerate(header) if h.lower().endswith("date")]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("complaints")
    sheet.append(header)
    for row in rows:
        cells: list[object] = list(row)
        for i in dates:
            if row[i]:
                cells[i] = datetime.strptime(row[i], "%d/%m/%Y")
        sheet.append(cells)
    book.save(path)


def cover_notebook(folder: Path, *cells: str) -> Path:
    """A stand-in for section 01's notebook in ``folder/notebooks/``: its heading, its
    ``parameters`` cell, then ``cells``; returns the notebooks folder (for ``paths.NOTEBOOKS_DIR``)."""
    import nbformat

    from complaints_report.sections import SECTIONS

    nb_dir = folder / "notebooks"
    nb_dir.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Cover and recommendation"),
        nbformat.v4.new_code_cell(
            'financial_year = "2023-24"\ndata_dir = None\noutput_dir = None',
            metadata={"tags": ["parameters"]},
        ),
        *(nbformat.v4.new_code_cell(c) for c in cells),
    ]
    nbformat.write(nb, nb_dir / SECTIONS[0].notebook)
    return nb_dir
