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

:func:`protect` applies the structure a :class:`~complaints_report.present.tables.ReportTable` declares
(its totals and derived shares, or :class:`~complaints_report.present.tables.CountBlock` blocks giving the
counts behind shares, composite text cells such as ``"5 with 1 upheld"`` and complements such
as "not upheld"), so that percent-only tables and text cells are protected by the same rules.

What :func:`suppress` alone does not do (the caller's job, or :func:`protect`'s given count
blocks): composite text cells such as ``"1/1"``, money columns
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
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .cells import SUPPRESSED, is_missing, is_suppressed

if TYPE_CHECKING:
    from .tables import ReportTable

__all__ = ["EXPLANATION", "protect", "suppress", "hidden_count"]

EXPLANATION = (
    "[c] = a number from 1 to {threshold} (or a figure that would reveal one) is not shown, "
    "to protect the people it counts."
)
"""Appended to the table's note, formatted with the threshold, when anything is hidden."""

Cell = tuple[int, str]  # (row position, column name)
Relation = tuple[Cell, tuple[Cell, ...]]  # total cell, the cells it sums


def hidden_count(n: Any, threshold: int) -> bool:
    """Whether a count is one disclosure control hides: 1 to ``threshold`` (0 = never)."""
    if threshold <= 0 or n is None or is_missing(n) or isinstance(n, bool):
        return False
    return 1 <= float(n) <= threshold


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
    relation: Relation,
    hidden: set[Cell],
    values: dict[Cell, float | None],
    prefer: frozenset[Cell] = frozenset(),
) -> Cell | None:
    """The cell to hide so ``relation`` no longer gives a hidden cell away, or None.

    The smallest non-zero part, unless the total is one of ``prefer`` (a total shown nowhere
    else, whose parts are): then the total.
    """
    total, parts = relation
    if total in prefer and total not in hidden and values[total]:
        return total
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


def _hidden_counts(
    frame: pd.DataFrame,
    counts: list[str],
    threshold: int,
    total_columns: Iterable[str],
    total_rows: Iterable[str],
    force: Iterable[Cell] = (),
    prefer_rows: Iterable[str] = (),
) -> set[Cell]:
    """The count cells to hide: primary (1 to ``threshold``) and ``force`` (hidden elsewhere),
    then secondary to a fixed point."""
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
            values[(i, c)] = None if is_missing(v) else float(v)
    # A missing cell is treated as known: counting it as an unknown could hide nothing.
    known = {cell for cell, v in values.items() if v is not None}

    hidden: set[Cell] = {cell for cell in known if 1 <= values[cell] <= threshold}  # type: ignore[operator]
    hidden |= {cell for cell in force if cell in known}
    relations = _relations(len(frame), part_row_pos, total_row_pos, part_cols, total_cols)
    prefer_names = {str(x) for x in prefer_rows}
    prefer = frozenset(cell for cell in values if labels[cell[0]] in prefer_names)

    while True:
        changed = True
        while changed:  # one-unknown rule, to a fixed point
            changed = False
            for relation in relations:
                total, parts = relation
                unknown = [c for c in (total, *parts) if c in hidden]
                if len(unknown) == 1:
                    cell = _protect(relation, hidden, values, prefer)
                    if cell is not None:
                        hidden.add(cell)
                        changed = True
        exposed = _determined(relations, hidden, known)
        added = False
        for cell in exposed:
            for relation in relations:
                if cell == relation[0] or cell in relation[1]:
                    extra = _protect(relation, hidden, values, prefer)
                    if extra is not None:
                        hidden.add(extra)
                        added = True
                        break
            if added:
                break  # re-run the cheap rule before auditing again
        if not added:
            break
    return hidden


def _with_hidden(
    table: ReportTable, frame: pd.DataFrame, hidden: set[Cell], threshold: int
) -> ReportTable:
    """``table`` with the ``hidden`` cells as ``[c]`` and the explanation under it."""
    if not hidden:
        return replace(table, frame=table.frame.copy())
    out = frame.copy()
    for i, c in sorted(hidden):
        if out[c].dtype != object:
            out[c] = out[c].astype(object)
        out.at[i, c] = SUPPRESSED
    explanation = EXPLANATION.format(threshold=threshold)
    note = f"{table.note} {explanation}" if table.note else explanation
    return replace(table, frame=out, note=note)


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
        ``table`` itself when disabled; a copy when nothing needed hiding; otherwise a copy of
        the same class (free-text columns and other attributes kept) whose frame holds
        ``"[c]"`` in the hidden cells and whose note ends with :data:`EXPLANATION`.
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
    hidden = _hidden_counts(frame, counts, threshold, total_columns, total_rows)

    hidden_shares: set[Cell] = set()
    for p in percents:
        for i, v in enumerate(frame[p]):
            if is_missing(v):
                continue
            if p in derived:
                if (i, derived[p]) in hidden:
                    hidden_shares.add((i, p))
            elif any((i, c) in hidden for c in counts):
                hidden_shares.add((i, p))
    return _with_hidden(table, frame, hidden | hidden_shares, threshold)


def protect(table: ReportTable, threshold: int) -> ReportTable:
    """``table`` under disclosure control, as its own structure declares.

    Without :attr:`~complaints_report.present.tables.ReportTable.counts`, this is :func:`suppress` with
    the table's ``total_columns``, ``total_rows`` and ``derived``. With count blocks, each block
    is suppressed as a table of counts (primary and secondary suppression, with its totals);
    blocks naming the same (row label, column) share that count, so a count hidden by one block
    is hidden in the others, which are suppressed again until nothing changes. Then every cell
    of the table that a hidden block cell stands for is hidden: a count, a share
    whose numerator is hidden, a text cell one of whose counts is hidden. As a safety net, a
    count cell that no block describes is still hidden when it is 1 to ``threshold``, and a share
    that no block describes is hidden when anything else in its row is.

    ``threshold`` 0 returns ``table`` itself.
    """
    if threshold <= 0:
        return table
    if not table.counts:
        return suppress(
            table,
            threshold,
            total_columns=table.total_columns,
            total_rows=table.total_rows,
            derived=table.derived,
        )
    frame = table.frame.reset_index(drop=True)
    labels = [str(x) for x in frame.iloc[:, 0]]
    if len(set(labels)) != len(labels):
        raise ValueError(f"table {table.name!r}: count blocks need unique row labels: {labels!r}")
    position = {label: i for i, label in enumerate(labels)}
    columns = list(frame.columns[1:])
    # Blocks share a count when they name the same (row label, column): hidden in one block,
    # it is hidden in every other, and each block is suppressed again until nothing changes.
    blocks = []
    for block in table.counts:
        bframe = block.frame.reset_index(drop=True)
        bcols = [str(c) for c in bframe.columns[1:]]
        blabels = [str(x) for x in bframe.iloc[:, 0]]
        blocks.append((block, bframe, bcols, blabels))
    hidden_keys: set[tuple[str, str]] = set()
    changed = True
    while changed:
        changed = False
        for block, bframe, bcols, blabels in blocks:
            force = [
                (i, c)
                for i, label in enumerate(blabels)
                for c in bcols
                if (label, c) in hidden_keys
            ]
            found = _hidden_counts(
                bframe,
                bcols,
                threshold,
                block.total_columns,
                block.total_rows,
                force,
                block.hide_totals_first,
            )
            new = {(blabels[i], c) for i, c in found} - hidden_keys
            if new:
                hidden_keys |= new
                changed = True
    hidden: set[Cell] = set()
    covered: set[Cell] = set()
    for block, _, bcols, blabels in blocks:
        for label in blabels:
            shown = block.rows.get(label, label)
            if shown not in position:
                continue
            for c in bcols:
                if c not in columns:
                    continue
                cell = (position[shown], c)
                covered.add(cell)
                if (label, c) in hidden_keys:
                    hidden.add(cell)
    kinds = {c: table.formats.get(c, "text") for c in columns}
    for c in (c for c in columns if kinds[c] == "count"):
        for i, v in enumerate(frame[c]):
            if (i, c) not in covered and not is_suppressed(v) and hidden_count(v, threshold):
                hidden.add((i, c))
    for p in (c for c in columns if kinds[c] == "percent"):
        for i, v in enumerate(frame[p]):
            if (i, p) in covered or is_missing(v):
                continue
            if any((i, c) in hidden for c in columns if c != p):
                hidden.add((i, p))
    return _with_hidden(table, frame, hidden, threshold)
