"""Loading a data set: read its tables, check them, normalise them (reading, then
validation, then values)."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from .model import ColumnMap, DataError, Dataset, RawTable
from .reading import read_raw_tables
from .validation import check_tables
from .values import Values, convert_column

logger = logging.getLogger(__name__)


def load_dataset(data_dir: Path, columns: ColumnMap | None = None) -> Dataset:
    """Read, validate and normalise a data set.

    Parameters
    ----------
    data_dir
        The data set folder, holding one file per table (``complaints.csv`` or ``.xlsx``, …).
    columns
        The params column map, ``{table: {"Their Heading": "contract_column"}}``.

    Raises
    ------
    DataError
        If the data set breaks the contract in any way; it lists every problem.
    """
    data_dir = Path(data_dir)
    logger.info("Loading data set %s", data_dir)
    tables, problems = read_raw_tables(data_dir, columns)
    problems = check_tables(tables, problems)
    if problems:
        raise DataError(problems, data_dir)
    frames = {name: normalise_table(raw) for name, raw in tables.items()}
    files = {name: raw.path for name, raw in tables.items() if raw.path is not None}
    columns = {name: frozenset(raw.frame.columns) for name, raw in tables.items()}
    return Dataset(**frames, data_dir=data_dir, files=files, columns=columns)


def normalise_table(raw: RawTable) -> pd.DataFrame:
    """The normalised frame of a raw table: every contract column, typed, plus ``source_row``.

    Values are assumed valid (validation runs first); any that are not become blank.
    """
    frame = raw.frame
    out = {}
    for spec in raw.spec.columns:
        values = raw.values(spec.name) if spec.name in frame else Values.blank(frame.index)
        per_value = values.dates if spec.kind == "date" else convert_column(values.stripped, spec)
        out[spec.name] = values.spread(per_value).reset_index(drop=True)
    result = pd.DataFrame(out, index=pd.RangeIndex(len(frame)))
    result["source_row"] = pd.Series(frame.index, dtype="int64")
    return result
