"""Parsing an export's values: dates, yes/no, money, whole numbers, choices and text, and
normalising a table's columns by the contract's column types."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .contract import (
    CHOICES,
    NO_VALUES,
    YES_VALUES,
    Choices,
    ColumnSpec,
)

#: The dtype of every text column the reader gives: pandas strings backed by Python objects,
#: whatever else is installed. (pandas 3 backs plain ``"string"`` with pyarrow when pyarrow is
#: installed, and those compare to a boolean dtype the figures engine does not expect.)
TEXT = pd.StringDtype("python")

logger = logging.getLogger(__name__)


#: What Python's ``str.strip()`` strips: every character for which ``str.isspace()`` is true.
#: Arrow's own idea of whitespace differs (it keeps ``\x1c``–``\x1f`` and ``\x85``), so text held
#: by Arrow is trimmed of exactly these.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def text_array(values: object) -> pa.Array:
    """Values as one Arrow string array: missing values are ``""``, anything else its ``str``."""
    arr = values.array if isinstance(values, (pd.Index, pd.Series)) else values
    if hasattr(arr, "__arrow_array__"):
        out = pa.array(arr)
    else:
        objects = np.asarray(arr, dtype=object)
        try:
            out = pa.array(objects, type=pa.string(), from_pandas=True)
        except (pa.ArrowTypeError, pa.ArrowInvalid):  # not all text: as astype(str) would
            out = pa.array([None if _missing(v) else str(v) for v in objects], type=pa.string())
    if isinstance(out, pa.ChunkedArray):
        out = out.combine_chunks()
    if out.type != pa.string():
        out = out.cast(pa.string())
    return out.fill_null("")


def _missing(value: object) -> bool:
    missing = pd.isna(value)
    return bool(missing) if isinstance(missing, (bool, np.bool_)) else False


class Values:
    """A raw text column as its distinct values, and which of them each row holds.

    Every rule and conversion of a raw value depends on that value alone, so each is worked out
    once per distinct value and spread back over the rows (:meth:`spread`): a column of a million
    dates holds a few thousand distinct ones. Missing values count as ``""``.
    """

    def __init__(self, s: pd.Series) -> None:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        raw = text_array(uniques)
        #: Whether ``""`` was added for missing values (so the raw values may not be distinct).
        self.blank_added = bool(len(codes) and codes.min() < 0)
        if self.blank_added:
            codes = np.where(codes < 0, len(raw), codes)
            raw = pa.concat_arrays([raw, pa.array([""], type=pa.string())])
        self.index = s.index
        self.codes = codes.astype(np.int32 if len(raw) < 2**31 - 1 else np.int64, copy=False)
        self.raw_arrow = raw
        self.stripped_arrow = pc.utf8_trim(raw, characters=WHITESPACE)
        self.stripped = pd.Series(self.stripped_arrow.to_numpy(zero_copy_only=False), dtype=object)

    @functools.cached_property
    def raw(self) -> pd.Series:
        """The distinct raw values as Python strings: made only to name the values of problems
        (a column of case references holds about as many as it has rows)."""
        return pd.Series(self.raw_arrow.to_numpy(zero_copy_only=False), dtype=object)

    @functools.cached_property
    def dates(self) -> pd.Series:
        """The stripped distinct values as dates (:func:`parse_dates`), worked out once: a date
        column is checked, compared with received_date and normalised."""
        return dates_from_text(self.stripped)

    @classmethod
    def blank(cls, index: pd.Index) -> Values:
        """A column of ``index`` blank cells (a contract column the file does not have)."""
        return cls._of(pd.Series([""], dtype=object), index)

    @classmethod
    def _of(cls, uniques: pd.Series, index: pd.Index) -> Values:
        values = cls(uniques)
        values.index = index
        values.codes = np.zeros(len(index), dtype=np.int32)
        return values

    def __len__(self) -> int:
        return len(self.codes)

    def spread(self, per_value: pd.Series | np.ndarray) -> pd.Series:
        """A result worked out per distinct value, as a Series over the rows (dtype kept)."""
        array = per_value.array if isinstance(per_value, pd.Series) else per_value
        return pd.Series(array.take(self.codes), index=self.index)

    def rows(self, per_value: pd.Series | np.ndarray) -> np.ndarray:
        """Positions of the rows whose value is True in a boolean result per distinct value."""
        flags = np.asarray(per_value, dtype=bool)
        return np.flatnonzero(flags[self.codes])

    def raw_at(self, positions: np.ndarray) -> list[str]:
        """The raw values (as found, unstripped) of the rows at ``positions``."""
        return self.raw.to_numpy()[self.codes[positions]].tolist()


def _per_value(s: pd.Series, parse: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``parse`` applied to the stripped distinct values of ``s``, spread over its rows."""
    values = Values(s)
    return values.spread(parse(values.stripped))


def blank_mask(s: pd.Series) -> pd.Series:
    """True where a raw text value is blank or only whitespace."""
    return _per_value(s, blank_text)


def blank_text(t: pd.Series) -> pd.Series:
    return t.eq("").astype(bool)


# Digits are ASCII digits: Python's \d would take any script's, which pandas cannot turn into
# numbers (a date in Arabic-Indic digits stopped validation with a traceback).
_ISO_DATE = (
    r"^(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
    r"(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$"
)
_UK_DATE = (
    r"^(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})/(?P<y>[0-9]{4})(?: [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?$"
)
#: From this many distinct values on, dates are matched by Arrow (RE2) rather than Python's re:
#: the same patterns, which mean the same in both (ASCII classes, no trailing line break).
_ARROW_DATES_FROM = 5_000


def parse_dates(s: pd.Series) -> pd.Series:
    """Parse raw text dates: ISO ``2023-04-03`` or UK day-first ``03/04/2023`` (or ``3/4/2023``).

    A time of day after the date (as a datetime export writes it) is dropped. Blank and
    unparseable values, including impossible dates such as ``31/02/2023``, are ``NaT``.
    """
    return _per_value(s, dates_from_text)


def date_parts_python(t: pd.Series) -> pd.DataFrame:
    return t.str.extract(_ISO_DATE).fillna(t.str.extract(_UK_DATE))


def date_parts_arrow(t: pd.Series) -> pd.DataFrame:
    """As :func:`date_parts_python`, by Arrow's RE2, vectorised in C++."""
    text = pa.array(t.to_numpy(dtype=object), type=pa.string())

    def parts(pattern: str) -> pd.DataFrame:
        found = pc.extract_regex(text, pattern)  # null where it does not match
        matched = found.is_valid().to_numpy(zero_copy_only=False)
        return pd.DataFrame(
            {k: found.field(k).to_numpy(zero_copy_only=False) for k in ("y", "m", "d")},
            index=t.index,
        ).where(pd.Series(matched, index=t.index), axis=0)

    iso = parts(_ISO_DATE)
    return iso.where(iso["y"].notna(), parts(_UK_DATE))


def dates_from_text(t: pd.Series) -> pd.Series:
    parts = (date_parts_arrow if len(t) >= _ARROW_DATES_FROM else date_parts_python)(t)
    nums = parts.apply(pd.to_numeric)
    assembled = pd.DataFrame(
        {"year": nums["y"], "month": nums["m"], "day": nums["d"]}, index=t.index
    )
    return pd.to_datetime(assembled, errors="coerce").astype("datetime64[ns]")


def parse_yesno(s: pd.Series, blank_is_no: bool = True) -> pd.Series:
    """Parse Yes/No (Y/N, Yes/No, TRUE/FALSE, 1/0, any case); unknown is ``NA``.

    Blank is No, or ``NA`` with ``blank_is_no=False`` (a column where blank means not recorded).
    """
    return _per_value(s, lambda t: yesno_from_text(t, blank_is_no))


def yesno_from_text(t: pd.Series, blank_is_no: bool = True) -> pd.Series:
    mapping = {v: True for v in YES_VALUES} | {v: False for v in NO_VALUES}
    if not blank_is_no:
        mapping[""] = None
    return t.str.lower().map(mapping).astype("boolean")


_MONEY = (
    r"^(?P<sign>-)?\s*£?\s*(?P<sign2>-)?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)$"
)


def parse_money(s: pd.Series) -> pd.Series:
    """Parse pounds with optional ``£`` and thousands commas (``£1,754.96``); blank or bad is NaN.

    Negative amounts parse as negative so that validation can name them.
    """
    return _per_value(s, money_from_text)


def money_from_text(t: pd.Series) -> pd.Series:
    parts = t.str.extract(_MONEY)
    amount = pd.to_numeric(parts["num"].str.replace(",", "", regex=False), errors="coerce")
    negative = parts["sign"].notna() | parts["sign2"].notna()
    return amount.where(~negative, -amount).astype("float64")


def parse_whole(s: pd.Series) -> pd.Series:
    """Parse a whole number of 0 or more (thousands commas allowed); blank or bad is ``NA``."""
    return _per_value(s, whole_from_text)


def whole_from_text(t: pd.Series) -> pd.Series:
    ok = t.str.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+")
    return pd.to_numeric(t.where(ok).str.replace(",", "", regex=False), errors="coerce").astype(
        "Int64"
    )


def parse_choice(s: pd.Series, choices: Choices) -> pd.Series:
    """Map raw text to the canonical listed value (case and spacing ignored, aliases applied).

    Blank and unknown values are ``NA``.
    """
    return _per_value(s, lambda t: choice_from_text(t, choices))


def choice_from_text(t: pd.Series, choices: Choices) -> pd.Series:
    key = t.str.lower().str.replace(r"\s+", " ", regex=True)
    return key.map(choices.lookup()).astype(TEXT)


def clean_text(s: pd.Series) -> pd.Series:
    """Strip text; blank or whitespace-only is ``NA``; pandas ``string`` dtype."""
    return _per_value(s, _text)


def _text(t: pd.Series) -> pd.Series:
    return t.where(t.ne(""), None).astype(TEXT)


def convert_column(t: pd.Series, spec: ColumnSpec) -> pd.Series:
    """The typed values of column ``spec`` for stripped raw values ``t`` (one per value)."""
    if spec.kind == "date":
        return dates_from_text(t)
    if spec.kind == "yesno":
        if not spec.blank_is_no:
            return yesno_from_text(t, blank_is_no=False)
        return yesno_from_text(t).fillna(False).astype(bool)
    if spec.kind == "money":
        return money_from_text(t)
    if spec.kind == "int":
        return whole_from_text(t).fillna(0).astype("int64")
    if spec.kind == "choice":
        return choice_from_text(t, CHOICES[spec.choices or spec.name])
    return _text(t)
