"""Every table of the report in one accessible spreadsheet (``<slug>-tables.xlsx``), as the
Government Analysis Function's "Releasing statistics in spreadsheets" asks: a cover sheet, a
contents sheet linking every table, a notes sheet, and one titled table per sheet, starting at
A1, with no merged cells or blank rows, numbers stored as numbers and ``[c]``, ``[x]`` and
``[z]`` for figures not shown. Written by gptables from the published CSVs (redaction and
disclosure control already applied, exactly as on the site) and the tables' descriptions.
"""

from __future__ import annotations

import csv
import json
import logging
import re
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from ..params import Params
from ..present.cells import SUPPRESSED
from ..present.display import CSV_DIR, SYNTHETIC_NOTICE
from .book import Chapter, PublishError, content_time

log = logging.getLogger(__name__)

NOT_AVAILABLE = "[x]"
NOT_APPLICABLE = "[z]"
SHORTHAND = {
    SUPPRESSED: "a figure not shown, to protect the people it counts (disclosure control): a "
    "number from 1 to the council's threshold, or a figure that would reveal one",
    NOT_AVAILABLE: "not available: the case records do not give it (for example, the cost of "
    "an investigation still open)",
    NOT_APPLICABLE: "not applicable: there is nothing to show (for example, a share of no "
    "complaints, or an action where none is needed)",
}
_FORMATS = {"percent": "0%", "money": "£#,##0.00", "count": "#,##0"}
# The table links of a section's executed notebook, in the order its tables are shown.
_CSV_LINK = re.compile(rf'href=\\?"{CSV_DIR}/([a-z0-9][a-z0-9-]*)\.csv\\?"')
_FORMULA = re.compile(r"^'[=+\-@\t\r]")


@dataclass(frozen=True)
class PublishedTable:
    """A table as published: its section, description and CSV."""

    section: int
    title: str
    note: str | None
    columns: list[tuple[str, str]]  # (heading, format)
    csv: Path


def published_tables(chapters: list[Chapter], year_dir: Path) -> list[PublishedTable]:
    """Every table the report shows, in the report's order: the tables each section's page
    links, each with the description the run wrote beside its CSV."""
    tables: list[PublishedTable] = []
    seen: set[str] = set()
    for ch in chapters:
        executed = year_dir / "notebooks" / ch.section.notebook
        text = executed.read_text(encoding="utf-8")
        for name in _CSV_LINK.findall(text):
            if name in seen:
                continue
            seen.add(name)
            csv_path = year_dir / CSV_DIR / f"{name}.csv"
            described = csv_path.with_suffix(".json")
            if not csv_path.is_file() or not described.is_file():
                raise PublishError(
                    f"the table {name} has no {'CSV' if not csv_path.is_file() else 'description'} "
                    "among the year's tables; run the year again"
                )
            info = json.loads(described.read_text(encoding="utf-8"))
            tables.append(
                PublishedTable(
                    ch.number,
                    info["title"],
                    info.get("note"),
                    [(c["name"], c["format"]) for c in info["columns"]],
                    csv_path,
                )
            )
    return tables


def _cell(text: str, kind: str):
    """A published CSV cell as the spreadsheet holds it: a number as a number, a figure not
    shown as its shorthand, text as text (a formula-like text as it was written)."""
    if text == SUPPRESSED:
        return SUPPRESSED
    if text == "":
        return NOT_APPLICABLE if kind in ("percent", "text") else NOT_AVAILABLE
    if kind == "count":
        return int(text)
    if kind in ("percent", "money"):
        return float(text)
    # The CSV guards text a spreadsheet would run as a formula with an apostrophe; the workbook
    # stores every text as text, so it is given back as written.
    return text[1:] if _FORMULA.match(text) else text


def table_frame(table: PublishedTable) -> pd.DataFrame:
    """The table's values from its published CSV, typed by its description."""
    with table.csv.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    headings = [h for h, _ in table.columns]
    if not rows or len(rows[0]) != len(headings):
        raise PublishError(f"{table.csv.name}: its columns differ from its description")
    kinds = [k for _, k in table.columns]
    data = [[_cell(v, k) for v, k in zip(row, kinds, strict=True)] for row in rows[1:]]
    return pd.DataFrame(data, columns=headings, dtype=object)


def write_spreadsheet(
    params: Params, chapters: list[Chapter], year_dir: Path, target: Path
) -> Path:
    """Write every published table of the year into ``target`` (an .xlsx workbook)."""
    import gptables as gpt

    tables = published_tables(chapters, year_dir)
    if not tables:
        raise PublishError("the report shows no table, so there is no spreadsheet to write")
    notes: list[tuple[str, str]] = []
    sheets = {}
    for i, table in enumerate(tables, start=1):
        frame = table_frame(table)
        title = f"Table {i}: {table.title}"
        instructions = "This worksheet contains one table."
        if table.note:
            instructions += " Its title refers to a note, on the Notes sheet."
            ref = f"n{len(notes) + 1}"
            notes.append((ref, table.note))
            title += f" $${ref}$$"
        formatting = [
            {
                "column": {
                    "columns": [h for h, k in table.columns if k == kind],
                    "format": {"num_format": fmt},
                    "include_names": False,
                }
            }
            for kind, fmt in _FORMATS.items()
            if any(k == kind for _, k in table.columns)
        ]
        sheets[f"Table_{i}"] = gpt.GPTable(
            table=frame,
            table_name=f"table_{i}",
            title=title,
            subtitles=[f"Section {table.section} of the report, {params.fy.slash_label}"],
            instructions=instructions,
            source=f"Source: {params.council}'s complaints case records",
            index_columns={2: 0},
            additional_formatting=formatting,
        )
    r = params.report
    intro = [
        f"The tables of {params.council}'s annual report on children's services complaints "
        f"for the financial year {params.fy.slash_label} (1 April {params.fy.start_year} to "
        f"31 March {params.fy.start_year + 1}), one table on each sheet, as the report shows them.",
    ]
    if params.synthetic_data:
        intro.append(f"Synthetic data. {SYNTHETIC_NOTICE}")
    about = ["Shorthand in the tables:"] + [f"{k} = {v}" for k, v in SHORTHAND.items()]
    about.append("Shares are shown as percentages and stored as fractions (0.25 is 25%).")
    contact = [f"{r.author + ', ' if r.author else ''}{params.council}"]
    cover = gpt.Cover(
        title=f"{r.title}, {params.council}: the report's tables",
        intro=intro,
        about=about,
        contact=contact,
    )
    notes_table = pd.DataFrame(
        {"Note number": [ref for ref, _ in notes], "Note text": [text for _, text in notes]}
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # gptables 2.0 uses pandas options that pandas 3 deprecates; its output is unaffected.
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        made = datetime.fromtimestamp(content_time(year_dir), tz=timezone.utc)
        _write(gpt, target, sheets, cover, notes_table if notes else None, cover.title, made)
    log.info("%s: %d tables in %s", params.financial_year, len(tables), target.name)
    return target


def _write(gpt, target: Path, sheets: dict, cover, notes_table, title: str, made) -> None:
    workbook = gpt.produce_workbook(
        filename=str(target),
        sheets=sheets,
        cover=cover,
        contentsheet_options={"title": "Contents"},
        notes_table=notes_table,
        workbook_options={
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    # The time the content was made, not the time of writing: the same tables give the same file.
    workbook.set_properties({"title": title, "created": made})
    workbook.close()
