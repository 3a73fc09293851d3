"""Section 14's account of this edition: what it was made from (its provenance) and the figures
it revises since the last edition (run/editions.py writes both before the notebooks run)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd

from ..data.calendar import long_date
from ..present.cells import SUPPRESSED
from ..present.narrative import setting
from ..present.tables import ReportTable, format_count, format_money, format_percent
from ..report import ReportContext
from .methodology import TABLE_LABELS

FINGERPRINT = 16
"""How many characters of each file's SHA-256 the page shows (provenance.json has all 64)."""
MONEY = ("remedy_total", "investigator", "independent_person", "additional")


def _date(text: str) -> str:
    return long_date(datetime.fromisoformat(text).date())


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:,.0f} KB"
    return f"{n / 1024 / 1024:,.1f} MB"


def edition_sentences(ctx: ReportContext) -> list[str]:
    """Which edition this is, when it was made and with what software."""
    edition, record = ctx.edition, ctx.provenance
    if edition is None or record is None:
        return [
            "This page was not made by the yearly run, so the edition it belongs to and the "
            "files it was made from are not recorded."
        ]
    # An edition's number is no figure of the report: stated as a setting is (see stated.py).
    n, previous = edition["edition"], edition["previous"]
    out = [
        f"This is edition {setting(n)} of the report for {ctx.fy.slash_label}, whose figures "
        f"were computed on {_date(edition.get('computed') or record['started'])}."
    ]
    if previous is None:
        out.append("It is the first edition: no figure has been revised.")
    else:
        revisions = edition["revisions"]
        marked = sum("/quarters/" in r["figure"] for r in revisions)
        if not revisions:
            out.append(f"It replaces edition {setting(previous)}, and no figure has changed since.")
        else:
            count = len(revisions)
            out.append(
                f"It replaces edition {setting(previous)}: {setting(count)} "
                f"{'figure' if count == 1 else 'figures'} changed, each listed under Revisions "
                "below" + (", and marked [r] in the quarterly scorecards." if marked else ".")
            )
    out.append(
        "The table gives every file of the case records it was made from, with its size, when "
        "it last changed and the start of its fingerprint: a file with the same fingerprint is "
        "the same file."
    )
    return out


def _software(record: dict[str, Any]) -> str:
    suite = record["suite"]
    commit = f" (commit {suite['git_commit'][:12]})" if suite.get("git_commit") else ""
    return (
        f"The figures were computed by version {suite['version']} of the council's reporting "
        f"code{commit}. "
    )


def provenance_table(ctx: ReportContext) -> ReportTable | None:
    """The case records' files this edition was made from."""
    record = ctx.provenance
    if record is None:
        return None
    # The case records' files alone: the settings' fingerprints would go stale here when a
    # commentary edit re-executes just its own section (provenance.json has them).
    rows = [(TABLE_LABELS.get(table, table), f) for table, f in record["data_files"].items()]
    frame = pd.DataFrame(
        {
            "File": [label for label, _ in rows],
            "Size": [_size(f["bytes"]) for _, f in rows],
            "Last changed": [_date(f["modified"]) for _, f in rows],
            "Fingerprint (SHA-256)": [f["sha256"][:FINGERPRINT] for _, f in rows],
        }
    )
    return ReportTable(
        name="14-edition-files",
        title=f"Files this edition of the {ctx.fy.slash_label} report was made from",
        frame=frame,
        formats={c: "text" for c in frame.columns},
        note=_software(record)
        + f"Fingerprints are SHA-256, of which the table gives the first {FINGERPRINT} "
        "characters. The full fingerprints, those of the report's settings, the versions of the "
        "software used and when the report was produced are kept with its outputs.",
    )


def _shown(ctx: ReportContext, change: dict[str, Any], value: Any) -> str:
    if value is None:
        return "none"
    key = change["figure"].rsplit("/", 1)[-1]
    if key.endswith("_share"):
        return format_percent(value)
    if key in MONEY:
        return format_money(value)
    if isinstance(value, (int, float)) and float(value).is_integer():
        # A count of people, under the year's disclosure control.
        return SUPPRESSED if ctx.numbers.hidden(int(value)) else format_count(int(value))
    return str(value)


def revisions_sentences(ctx: ReportContext) -> list[str]:
    edition = ctx.edition
    if edition is None:
        return []
    if edition["previous"] is None:
        return ["This is the first edition of the report for the year, so nothing is revised."]
    count = len(edition["revisions"])
    if not count:
        return [f"No figure differs from edition {setting(edition['previous'])}."]
    return [
        f"{setting(count)} {'figure differs' if count == 1 else 'figures differ'} from edition "
        f"{setting(edition['previous'])}; the table gives each, with the reason for the change."
    ]


def revisions_table(ctx: ReportContext) -> ReportTable | None:
    """Each figure revised since the last edition: what, where, when, old and new, and why."""
    edition = ctx.edition
    if not edition or not edition["revisions"]:
        return None
    revisions = edition["revisions"]
    frame = pd.DataFrame(
        {
            "Figure": [r["measure"] for r in revisions],
            "Area": [r["area"] for r in revisions],
            "Period": [r["period"] for r in revisions],
            f"Edition {edition['previous']}": [_shown(ctx, r, r["old"]) for r in revisions],
            f"Edition {edition['edition']}": [_shown(ctx, r, r["new"]) for r in revisions],
            "Reason": [r["reason"] for r in revisions],
        }
    )
    return ReportTable(
        name="14-revisions",
        title=f"Figures revised since edition {edition['previous']}",
        frame=frame,
        formats={c: "text" for c in frame.columns},
    )
