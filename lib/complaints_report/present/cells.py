"""What a table's cell shows in place of a figure: the marks for a missing value and for a figure
hidden by disclosure control, and how to tell them. Tables and disclosure control both use them."""

from __future__ import annotations

from typing import Any

import pandas as pd

MISSING = "\N{EN DASH}"
"""What a reader sees for a missing value."""

SUPPRESSED = "[c]"
# A published figure revised since the last edition of the report (see run/editions.py).
REVISED = "[r]"
"""What a reader (and the CSV) sees in place of a figure hidden by disclosure control."""


def is_missing(x: Any) -> bool:
    """True for None, NaN, NA and NaT."""
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def is_suppressed(x: Any) -> bool:
    """Whether a cell holds a figure hidden by disclosure control (``[c]``)."""
    return isinstance(x, str) and x == SUPPRESSED
