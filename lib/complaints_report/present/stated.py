"""Where each number in a generated sentence comes from.

The figures a notebook's sentences are built from are *traced*: every number in the year's
figures.json (and in the year before's) becomes a :class:`TracedInt` or :class:`TracedFloat` that
remembers its place there (``F["2023-24"]["stages"]["Stage 1"]``), and arithmetic on them keeps
the formula (a total, a share, a change). When a sentence states such a number through the
narrative's formatters (:func:`stating`), the words carry an invisible marker naming the
formula; :meth:`ReportContext.say` takes the markers out and publishes, beside the sentence, a
machine-readable record of every figure it states::

    <span class="stated" data-figures='[{"text": "65", "of": "F[\\"2023-24\\"][…]", "as": "count"}]'>

so that a test (``tests/publish/published_sentences.py``), or anyone holding the published
folder, can check each stated number against figures.json and against the sentence's own words.

Tables and charts never see a marker: they format with :mod:`tables`' own formatters, which
know nothing of this, and :func:`strip` clears any marker that strays into them.
"""

from __future__ import annotations

import json
import math
import numbers
import re
from typing import Any

_OPEN, _MID, _CLOSE = "\ue000", "\ue001", "\ue002"
_DIGIT0 = 0xE010  # the marker's id, one private-use character per decimal digit
_MARKED = re.compile(f"{_OPEN}([\ue010-\ue019]+){_MID}([^{_OPEN}]*?){_CLOSE}", re.S)
_ANY_MARK = re.compile("[\ue000-\ue002\ue010-\ue019]")

_recording = False
"""Whether the formatters mark what they state: on in a notebook's kernel (see
:func:`report.load_context`), off elsewhere, where sentences are plain text."""

_formulas: list[tuple[str | None, str]] = []
"""Every stated figure's (formula, format) so far in this process, indexed by marker id."""


def record(on: bool = True) -> bool:
    """Mark stated figures from now on (or stop, ``on`` False); returns the previous setting."""
    global _recording
    before, _recording = _recording, on
    return before


def recording() -> bool:
    """Whether stated figures are being marked (see :func:`record`)."""
    return _recording


def path_of(year: str, keys: list[Any]) -> str:
    """``F["2023-24"]["stages"]["Stage 1"]``: where a figure sits in that year's figures.json."""
    return "F" + "".join(f"[{json.dumps(k)}]" for k in [year, *keys])


def _of(x: Any) -> str:
    if is_traced(x):
        return x.of
    return repr(_plain(x))  # a plain literal, never numpy's repr


def traced(value: Any, of: str) -> Any:
    """``value`` traced to the formula ``of`` (over ``F`` and ``T``, see above); anything but a
    number is returned as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if isinstance(value, int):
        return TracedInt(value, of)
    return TracedFloat(value, of)


def _plain(x: int | float) -> int | float:
    return float(x) if isinstance(x, float) else int(x)


def _binary(op: str, reflected: bool = False):
    def apply(self, other):
        if isinstance(other, bool) or not isinstance(other, (int, float)):
            return NotImplemented
        a, b = (other, self) if reflected else (self, other)
        result = _OPS[op](_plain(a), _plain(b))
        return traced(result, f"({_of(a)} {op} {_of(b)})")

    return apply


_OPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "//": lambda a, b: a // b,
}


class _Traced:
    """A number with the formula it comes from (``of``), and arithmetic that keeps it."""

    of: str
    _base: type

    def __new__(cls, value, of: str):
        obj = cls._base.__new__(cls, value)
        obj.of = of
        return obj

    def _raw(self):
        return self._base(self)

    __add__ = _binary("+")
    __radd__ = _binary("+", reflected=True)
    __sub__ = _binary("-")
    __rsub__ = _binary("-", reflected=True)
    __mul__ = _binary("*")
    __rmul__ = _binary("*", reflected=True)
    __truediv__ = _binary("/")
    __rtruediv__ = _binary("/", reflected=True)
    __floordiv__ = _binary("//")
    __rfloordiv__ = _binary("//", reflected=True)

    def __neg__(self):
        return traced(-self._raw(), f"(-{self.of})")

    def __pos__(self):
        return self

    def __abs__(self):
        return traced(abs(self._raw()), f"abs({self.of})")

    def __round__(self, ndigits=None):
        return traced(round(self._raw(), ndigits), f"round({self.of}, {ndigits!r})")

    def __floor__(self):
        return traced(math.floor(self._raw()), f"floor({self.of})")

    def __ceil__(self):
        return traced(math.ceil(self._raw()), f"ceil({self.of})")

    def __reduce__(self):  # pickled (the run's cache) as the plain number
        return (type(self._raw()), (self._raw(),))


class TracedInt(_Traced, int):
    """An int from figures.json that remembers where it came from (``of``)."""

    _base = int


class TracedFloat(_Traced, float):
    """A float from figures.json that remembers where it came from (``of``)."""

    _base = float


def trace(figures: Any, year: str, keys: tuple[Any, ...] = ()) -> Any:
    """A copy of ``figures`` (figures.json of ``year``) whose numbers are traced."""
    if isinstance(figures, dict):
        return {k: trace(v, year, (*keys, k)) for k, v in figures.items()}
    if isinstance(figures, list):
        return [trace(v, year, (*keys, i)) for i, v in enumerate(figures)]
    return traced(figures, path_of(year, list(keys)))


def from_table(value: Any, table: str, row: str, column: str) -> Any:
    """``value`` traced to the cell of a published table (its CSV, ``tables/<table>.csv``) that
    shows it, for a figure figures.json does not hold (a quarter's timescales)."""
    return traced(value, f"T[{json.dumps(table)}][{json.dumps(row)}][{json.dumps(column)}]")


def is_traced(x: Any) -> bool:
    return isinstance(x, _Traced)


def mark(value: Any, text: str, kind: str) -> str:
    """``text`` (how a sentence states ``value``, formatted as ``kind``) with an invisible
    marker naming the figure's formula when ``value`` is traced, or no formula when it comes
    from elsewhere (a view of the records that figures.json does not hold); ``text`` unchanged
    when ``value`` is no number."""
    if not _recording or isinstance(value, bool) or not isinstance(value, numbers.Real) or not text:
        return text
    _formulas.append((value.of if is_traced(value) else None, kind))
    ident = "".join(chr(_DIGIT0 + int(d)) for d in str(len(_formulas) - 1))
    return f"{_OPEN}{ident}{_MID}{text}{_CLOSE}"


def stating(formatter, kind: str):
    """``formatter`` (e.g. :func:`tables.format_count`) for sentences: its text marked with the
    formula of the figure it states."""

    def state(value, *args, **kwargs):
        return mark(value, formatter(value, *args, **kwargs), kind)

    state.__name__ = getattr(formatter, "__name__", "state")
    state.__doc__ = (
        f"{formatter.__doc__}\n\nIn a sentence: the text names its figure (see stated.py)."
    )
    return state


def extract(text: str) -> tuple[str, list[dict[str, str | None]]]:
    """``text`` without its markers, and the record of the figures it states, in order:
    ``[{"text": "65", "of": "F[…]", "as": "count"}]`` (``of`` None: not from figures.json)."""
    records: list[dict[str, str | None]] = []

    def take(match: re.Match) -> str:
        ident = int("".join(str(ord(c) - _DIGIT0) for c in match.group(1)))
        inner = strip(match.group(2))
        of, kind = _formulas[ident]
        records.append({"text": inner, "of": of, "as": kind})
        return inner

    # Markers may nest (a formatted total inside a phrase): take the innermost first.
    while True:
        new = _MARKED.sub(take, text)
        if new == text:
            break
        text = new
    return strip(text), records


def strip(text: Any) -> Any:
    """``text`` with any marker removed (anything not text is returned as it is)."""
    return _ANY_MARK.sub("", text) if isinstance(text, str) else text


def strip_frame(frame):
    """``frame`` with any marker removed from its text cells and labels (the same frame when
    it has none)."""
    text = frame.select_dtypes(include=["object", "string"]).columns
    marked = any(
        frame[c].map(lambda v: isinstance(v, str) and bool(_ANY_MARK.search(v))).any() for c in text
    )
    labels = any(isinstance(c, str) and _ANY_MARK.search(c) for c in frame.columns)
    if not marked and not labels:
        return frame
    clean = frame.copy()
    for c in text:
        clean[c] = clean[c].map(strip)
    return clean.rename(columns=strip)
