"""Statistical disclosure control for published tables: small counts shown as ``[c]``.

As UK official statistics do it (the GSS ``[c]`` "confidential" shorthand):

* **Primary suppression**: every cell of a ``"count"`` column holding 1 to ``threshold``
  is replaced by :data:`SUPPRESSED`. A true zero is shown: it discloses nothing about a person.
* **Secondary suppression**: a total must not reveal a hidden cell. Each total is a sum
  ``total = part + part + ...``; while any such sum has exactly one unknown cell, the smallest
  non-zero shown part of that sum is hidden too, and this is repeated to a fixed point. Then a
  linear audit checks that no hidden cell can be worked out by combining several totals (for
  example, a hidden cell that bridges two otherwise protected blocks) and hides more if so.
* **Shares**: a ``"percent"`` cell is hidden when the count it is taken from is hidden (see
  ``derived``); a share with no declared count is hidden when any count in its row is hidden.

What it does not do (the caller's job): composite text cells such as ``"1/1"``, money columns
(e.g. remedies paid on one complaint), shares whose denominator is a hidden count in another
table, bounds attacks (a hidden cell narrowed to a range by non-negativity), and consistency
across tables or years. Totals are taken to be the sum of the table's other count columns
(row totals) or other rows (column totals); a total that is not such a sum only makes the
suppression more cautious than needed.
Totals are shown unless they are themselves 1 to ``threshold``, or (a last resort, only when
a sum is not the plain total of its parts) no part is left to hide. A margin total (a column's
total in the total row) is a part of the grand total and may be hidden to protect another.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from .tables import _FORMATTERS, ReportTable, _is_missing

SUPPRESSED = "[c]"
"""What a reader (and the CSV) sees in place of a hidden figure."""

EXPLANATION = (
    "[c] = a number from 1 to {threshold} (or a figure that would reveal one) is not shown, "
    "to protect the people it counts."
)
"""Appended to the table's note, formatted with the threshold, when anything is hidden."""

Cell = tuple[int, str]  # (row position, column name)
Relation = tuple[Cell, tuple[Cell, ...]]  # total cell, the cells it sums


def _is_suppressed(x: Any) -> bool:
    return isinstance(x, str) and x == SUPPRESSED


class SuppressedTable(ReportTable):
    """A ReportTable whose numeric columns may hold :data:`SUPPRESSED` in place of a value.

    Readers and the CSV both see ``[c]`` for such cells, so the hidden value is never
    published; every other cell is formatted and written exactly as by :class:`ReportTable`.
    """

    def display_frame(self) -> pd.DataFrame:
        out = pd.DataFrame(
            {
                c: [
                    SUPPRESSED if _is_suppressed(v) else _FORMATTERS[self._kind(c)](v)
                    for v in self.frame[c]
                ]
                for c in self.frame.columns
            },
            columns=list(self.frame.columns),
            dtype=object,
        )
        return out.reset_index(drop=True)

    def _csv_value(self, value: Any, kind: str) -> str:
        """A hidden cell is published as ``[c]``, never its value."""
        return SUPPRESSED if _is_suppressed(value) else super()._csv_value(value, kind)


def _relations(
    n_rows: int,
    part_rows: list[int],
    total_rows: list[int],
    part_cols: list[str],
    total_cols: list[str],
) -> list[Relation]:
    """Every sum the table shows: row totals (incl. the total row's) and column totals."""
    relations: list[Relation] = []
    if part_cols:
        for i in range(n_rows):
            for t in total_cols:
                relations.append(((i, t), tuple((i, p) for p in part_cols)))
    if part_rows:
        for r in total_rows:
            for c in [*part_cols, *total_cols]:
                relations.append(((r, c), tuple((i, c) for i in part_rows)))
    return relations


def _determined(relations: list[Relation], hidden: set[Cell], known: set[Cell]) -> list[Cell]:
    """Hidden cells a reader could work out exactly by combining the shown totals."""
    unknowns = sorted(c for c in hidden if c in known)
    if not unknowns or not relations:
        return []
    index = {c: k for k, c in enumerate(unknowns)}
    matrix = np.zeros((len(relations), len(unknowns)))
    for row, (total, parts) in enumerate(relations):
        if total in index:
            matrix[row, index[total]] += 1.0
        for p in parts:
            if p in index:
                matrix[row, index[p]] -= 1.0
    matrix = matrix[np.any(matrix != 0, axis=1)]
    if not len(matrix):
        return []
    rank = np.linalg.matrix_rank(matrix)
    found = []
    for cell, k in index.items():
        unit = np.zeros((1, len(unknowns)))
        unit[0, k] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append(cell)
    return found


def _protect(
    relation: Relation, hidden: set[Cell], values: dict[Cell, float | None]
) -> Cell | None:
    """The cell to hide so ``relation`` no longer gives a hidden cell away, or None."""
    total, parts = relation
    candidates = [
        (values[p], n, p)
        for n, p in enumerate(parts)
        if p not in hidden and values[p] is not None and values[p] > 0
    ]
    if candidates:
        return min(candidates)[2]
    # Only when no part can be hidden (a total that is not the plain sum of its parts).
    if total not in hidden and values[total] is not None and values[total] != 0:
        return total
    return None


def suppress(
    table: ReportTable,
    threshold: int = 5,
    *,
    total_columns: Iterable[str] = ("Total",),
    total_rows: Iterable[str] = ("Total",),
    derived: Mapping[str, str] | None = None,
    enabled: bool = True,
) -> ReportTable:
    """A new table with small counts, and anything that would reveal them, shown as ``[c]``.

    Parameters
    ----------
    table
        The table to publish. Only its ``"count"`` and ``"percent"`` columns are changed.
    threshold
        Counts from 1 to ``threshold`` (inclusive) are hidden. 0 turns suppression off.
    total_columns
        Names of count columns that are row totals (the sum of the row's other count columns),
        e.g. ``("Year", "Total")``. Names the table lacks are ignored.
    total_rows
        Row labels (first column) of rows that are column totals (the sum of the other rows).
    derived
        Percent column to the count column its shares are taken from, e.g.
        ``{"% of complaints": "Complaints"}``. A percent column not named here is hidden in
        any row where a count is hidden.
    enabled
        False returns ``table`` itself, unchanged.

    Returns
    -------
    ReportTable
        ``table`` itself when disabled; a copy when nothing needed hiding; otherwise a
        :class:`SuppressedTable` whose frame holds ``"[c]"`` in the hidden cells and whose note
        ends with :data:`EXPLANATION`. Extra attributes of a ReportTable subclass are not kept.
    """
    if not enabled or threshold <= 0:
        return table
    frame = table.frame.reset_index(drop=True)
    formats = dict(table.formats)
    columns = list(frame.columns)
    counts = [c for c in columns if formats.get(c) == "count"]
    percents = [c for c in columns if formats.get(c) == "percent"]
    derived = dict(derived or {})
    for share, count in derived.items():
        if formats.get(share) != "percent" or formats.get(count) != "count":
            raise ValueError(
                f"table {table.name!r}: derived maps {share!r} -> {count!r}; expected a percent "
                "column of the table -> a count column of the table"
            )
    total_col_names = set(total_columns)
    total_row_names = {str(x) for x in total_rows}
    total_cols = [c for c in counts if c in total_col_names]
    part_cols = [c for c in counts if c not in total_col_names]
    labels = [str(x) for x in frame.iloc[:, 0]]
    total_row_pos = [i for i, lab in enumerate(labels) if lab in total_row_names]
    part_row_pos = [i for i, lab in enumerate(labels) if lab not in total_row_names]

    values: dict[Cell, float | None] = {}
    for c in counts:
        for i, v in enumerate(frame[c]):
            values[(i, c)] = None if _is_missing(v) else float(v)
    # A missing cell is treated as known: counting it as an unknown could hide nothing.
    known = {cell for cell, v in values.items() if v is not None}

    hidden: set[Cell] = {cell for cell in known if 1 <= values[cell] <= threshold}  # type: ignore[operator]
    relations = _relations(len(frame), part_row_pos, total_row_pos, part_cols, total_cols)

    while True:
        changed = True
        while changed:  # one-unknown rule, to a fixed point
            changed = False
            for relation in relations:
                total, parts = relation
                unknown = [c for c in (total, *parts) if c in hidden]
                if len(unknown) == 1:
                    cell = _protect(relation, hidden, values)
                    if cell is not None:
                        hidden.add(cell)
                        changed = True
        exposed = _determined(relations, hidden, known)
        added = False
        for cell in exposed:
            for relation in relations:
                if cell == relation[0] or cell in relation[1]:
                    extra = _protect(relation, hidden, values)
                    if extra is not None:
                        hidden.add(extra)
                        added = True
                        break
            if added:
                break  # re-run the cheap rule before auditing again
        if not added:
            break

    hidden_shares: set[Cell] = set()
    for p in percents:
        for i, v in enumerate(frame[p]):
            if _is_missing(v):
                continue
            if p in derived:
                if (i, derived[p]) in hidden:
                    hidden_shares.add((i, p))
            elif any((i, c) in hidden for c in counts):
                hidden_shares.add((i, p))

    if not hidden and not hidden_shares:
        return replace(table, frame=table.frame.copy())

    out = frame.copy()
    for cell_set in (hidden, hidden_shares):
        for i, c in cell_set:
            if out[c].dtype != object:
                out[c] = out[c].astype(object)
            out.at[i, c] = SUPPRESSED
    explanation = EXPLANATION.format(threshold=threshold)
    note = f"{table.note} {explanation}" if table.note else explanation
    return SuppressedTable(
        name=table.name, title=table.title, frame=out, formats=formats, note=note
    )
