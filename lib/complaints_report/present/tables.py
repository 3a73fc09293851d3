"""Report tables: one frame of raw values, shown formatted for readers, written raw to CSV."""

from __future__ import annotations

import csv
import html
import io
import json
import math
import numbers
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from ..files import atomic_write_text
from . import stated
from .cells import MISSING, SUPPRESSED, is_missing, is_suppressed
from .disclosure import protect
from .display import CSV_DIR, Shown, md_escape, typst_text

# The PDF's tables (ReportTable._typst_widths): the text block of quarto-pdf.typ's page (16.6 cm)
# in em of the tables' 9 pt type, a generous estimate of a character's width, a cell's insets
# (6 pt each side), the narrowest a column of text is made (in characters), and the most a long
# column of text claims of the width left to share.
_TYPST_TEXT_WIDTH = 52.0
_TYPST_EM_PER_CHAR = 0.5
_TYPST_CELL_PADDING = 1.5
_TYPST_TEXT_MIN = 14
_TYPST_TEXT_SHARE = 40

Format = Literal["count", "percent", "money", "text"]

SCROLL_HINT = "Scroll sideways to see every column \N{RIGHTWARDS ARROW}"
"""What a reader sees above a table wider than the screen."""

NUMERIC_FORMATS: frozenset[str] = frozenset({"count", "percent", "money"})
_FORMATS: frozenset[str] = NUMERIC_FORMATS | {"text"}
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
# OWASP CSV injection: a spreadsheet may run a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Absorbs binary float error so that 0.145 (stored as 0.14499999...) rounds up, as a reader expects.
_EPSILON = 1e-9


def _number(x: Any) -> float:
    """``x`` as a float; a clear error for text or booleans in a numeric column."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"expected a number, got {x!r} ({type(x).__name__})")
    return float(x)


def _round_half_up(x: float, places: int) -> float:
    """Round to ``places`` decimals, halves away from zero, tolerant of float representation."""
    scale = 10**places
    return math.copysign(math.floor(abs(x) * scale + 0.5 + _EPSILON), x) / scale + 0.0


def _money(x: float) -> Decimal:
    """Pounds to the penny, halves up, from the shortest decimal that represents ``x``."""
    return Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_percent(x: float | None) -> str:
    """A share (0.145) as a whole percent rounded half up ("15%"); missing as an en dash."""
    if is_missing(x):
        return MISSING
    return f"{_round_half_up(_number(x) * 100, 0):.0f}%"


def format_money(x: float | None) -> str:
    """Pounds with thousands commas and pence ("£12,394.84"); missing as an en dash."""
    if is_missing(x):
        return MISSING
    amount = _money(_number(x))
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def format_count(n: int | None) -> str:
    """A whole number with thousands commas ("1,268"); missing as an en dash."""
    if is_missing(n):
        return MISSING
    value = _number(n)
    if not value.is_integer():
        raise ValueError(f"a count must be a whole number, got {n!r}")
    return f"{int(value):,}"


def format_text(x: Any) -> str:
    """Any value as text; missing as an en dash."""
    return MISSING if is_missing(x) else str(x)


_FORMATTERS = {
    "count": format_count,
    "percent": format_percent,
    "money": format_money,
    "text": format_text,
}


def neutralise_formula(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would read as a formula (OWASP CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _shown(x: Any, kind: str) -> str:
    """One raw value as a reader sees it; a hidden figure as ``[c]`` whatever its column."""
    return SUPPRESSED if is_suppressed(x) else _FORMATTERS[kind](x)


def _csv_cell(x: Any, kind: str) -> str:
    """One raw value as CSV text: shares to 4 places, money to 2, counts whole, text made safe.

    A figure hidden by disclosure control is written as ``[c]``, never its value.
    """
    if is_missing(x):
        return ""
    if is_suppressed(x):
        return SUPPRESSED
    if kind == "count":
        value = _number(x)
        if not value.is_integer():
            raise ValueError(f"a count must be a whole number, got {x!r}")
        return str(int(value))
    if kind == "percent":
        return f"{_round_half_up(_number(x), 4):.4f}"
    if kind == "money":
        return f"{_money(_number(x)):.2f}"
    if isinstance(x, str):
        return neutralise_formula(x)
    return str(x)


@dataclass(eq=False)
class CountBlock:
    """Counts behind (part of) a table, laid out with their totals, for disclosure control.

    A table whose shares, text cells or hidden complements carry counts that its own count
    columns do not show describes them here (see :func:`disclosure.protect`): one block per
    set of counts that add up together.

    Parameters
    ----------
    frame
        First column: row labels; every other column: counts (None where there is none). A cell
        whose row label and column name are a cell of the table stands for that cell: the count
        it shows, the count its share was taken from, or one of the counts a text cell such as
        ``"5 with 1 upheld"`` shows. Other rows and columns (a denominator, a complement such as
        "not upheld") are never shown but take part in the sums.
    total_columns, total_rows
        Columns that are the sum of the block's other columns, rows (by label) that are the sum
        of its other rows, as for :func:`disclosure.suppress`.
    rows
        Block row label -> the table's row label the count is shown in, for a row of the block
        that is shown in a differently labelled row (e.g. the upheld part of a text cell).
    hide_totals_first
        Total rows whose figures are hidden, where a sum would give a hidden part away, rather
        than a second part: for a total shown nowhere else whose parts the report shows in
        many places (children's services as a whole, whose areas each have their own sections).
    """

    frame: pd.DataFrame
    total_columns: tuple[str, ...] = ()
    total_rows: tuple[str, ...] = ()
    rows: dict[str, str] = field(default_factory=dict)
    hide_totals_first: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.frame, pd.DataFrame) or self.frame.shape[1] < 2:
            raise ValueError("a count block needs a frame of row labels and counts")
        labels = [str(x) for x in self.frame.iloc[:, 0]]
        if len(set(labels)) != len(labels):
            raise ValueError(f"count block row labels repeat: {labels!r}")


@dataclass
class ReportTable:
    """A table of the report, kept as raw values and formatted only on the way out.

    Parameters
    ----------
    name
        Slug naming the CSV file: lower-case letters, digits and hyphens, e.g. ``"stage-1-outcomes"``.
    title
        Caption shown above the table.
    frame
        Raw values, one column per table column; the column names are the headings readers see.
        The index is ignored, so put row labels in the first column: it becomes the row header.
    formats
        Column name to ``"count"``, ``"percent"`` (a share, 0.145 for 15%), ``"money"`` (pounds)
        or ``"text"``. Columns left out are text.
    note
        Optional note shown under the table (source, suppression, definitions).
    free_text
        Columns that hold staff-written free text; the report redacts personal data in them
        before the table is shown or written (see ``report.ReportContext.table``).
    total_columns, total_rows
        How the table's counts add up, for disclosure control (:func:`disclosure.suppress`):
        count columns that are the sum of the row's other count columns, and row labels (first
        column) of rows that are the sum of the other rows. Names the table lacks are ignored.
    derived
        Percent column -> the count column its shares are taken from.
    counts
        The counts behind shares, text cells and complements the table does not show as count
        columns (see :class:`CountBlock`). When given, they decide what is hidden and
        ``total_columns``, ``total_rows`` and ``derived`` are not used.
    """

    name: str
    title: str
    frame: pd.DataFrame
    formats: dict[str, Format] = field(default_factory=dict)
    note: str | None = None
    free_text: tuple[str, ...] = ()
    total_columns: tuple[str, ...] = ("Total",)
    total_rows: tuple[str, ...] = ("Total",)
    derived: dict[str, str] = field(default_factory=dict)
    counts: tuple[CountBlock, ...] = ()

    def __post_init__(self) -> None:
        # A table states its figures itself: no sentence's record of figures belongs in it.
        for attr in ("title", "note"):
            object.__setattr__(self, attr, stated.strip(getattr(self, attr)))
        if isinstance(self.frame, pd.DataFrame):
            object.__setattr__(self, "frame", stated.strip_frame(self.frame))
        if not isinstance(self.name, str) or not _NAME.fullmatch(self.name):
            raise ValueError(
                f"table name {self.name!r} must be lower-case letters, digits and hyphens, "
                "starting with a letter or digit"
            )
        if not isinstance(self.frame, pd.DataFrame):
            raise TypeError(f"table {self.name!r}: frame must be a pandas DataFrame")
        columns = list(self.frame.columns)
        if not columns:
            raise ValueError(f"table {self.name!r} has no columns")
        if not all(isinstance(c, str) for c in columns):
            raise ValueError(f"table {self.name!r}: column names must be text, got {columns!r}")
        if len(set(columns)) != len(columns):
            raise ValueError(f"table {self.name!r}: column names repeat: {columns!r}")
        not_columns = sorted(set(self.free_text) - set(columns))
        if not_columns:
            raise ValueError(
                f"table {self.name!r}: free_text names columns not in the frame: {not_columns}"
            )
        unknown = sorted(set(self.formats) - set(columns))
        if unknown:
            raise ValueError(
                f"table {self.name!r}: formats name columns not in the frame: {unknown}"
            )
        bad = {c: k for c, k in self.formats.items() if k not in _FORMATS}
        if bad:
            raise ValueError(
                f"table {self.name!r}: unknown formats {bad}; expected one of {sorted(_FORMATS)}"
            )

    def _kind(self, column: str) -> str:
        return self.formats.get(column, "text")

    def suppressed(self, threshold: int) -> ReportTable:
        """This table under disclosure control: figures 1 to ``threshold`` (and whatever would
        reveal one) as ``[c]``; ``threshold`` 0 returns the table itself."""
        return protect(self, threshold)

    def display_frame(self) -> pd.DataFrame:
        """The table as strings formatted for readers, headed by the frame's column names.

        A figure hidden by disclosure control shows as ``[c]``.
        """
        out = pd.DataFrame(
            {c: [_shown(v, self._kind(c)) for v in self.frame[c]] for c in self.frame.columns},
            columns=list(self.frame.columns),
            dtype=object,
        )
        return out.reset_index(drop=True)

    def to_csv(self, out_dir: Path) -> Path:
        """Write the raw values to ``<out_dir>/<name>.csv`` (UTF-8) atomically; return its path.

        Shares are written as decimals to 4 places, money to 2 places, counts as whole numbers
        and missing values as empty cells. Text that a spreadsheet would run as a formula gets a
        leading apostrophe; numbers in numeric columns are written as numbers.
        """
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"{self.name}.csv"
        columns = list(self.frame.columns)
        kinds = [self._kind(c) for c in columns]
        # Build every row first, so a bad value fails before anything touches the disk.
        rows = [[neutralise_formula(c) for c in columns]]
        rows += [
            [self._csv_value(v, k) for v, k in zip(row, kinds, strict=True)]
            for row in self.frame.itertuples(index=False, name=None)
        ]
        buffer = io.StringIO(newline="")
        # RFC 4180 line ends: the csv module then quotes any cell holding \r or \n.
        csv.writer(buffer, lineterminator="\r\n").writerows(rows)
        atomic_write_text(target, buffer.getvalue())
        return target

    def describe(self, out_dir: Path) -> Path:
        """Write ``<out_dir>/<name>.json`` beside the CSV: the table's title, note and each
        column's format, which the CSV cannot hold and the spreadsheet of every table needs."""
        target = Path(out_dir) / f"{self.name}.json"
        description = {
            "name": self.name,
            "title": self.title,
            "note": self.note,
            "columns": [{"name": c, "format": self._kind(c)} for c in self.frame.columns],
        }
        atomic_write_text(target, json.dumps(description, ensure_ascii=False, indent=1) + "\n")
        return target

    def _csv_value(self, value: Any, kind: str) -> str:
        """One CSV cell (a subclass may publish some cells differently, e.g. suppressed ones)."""
        return _csv_cell(value, kind)

    def to_html(self) -> str:
        """An accessible HTML table: caption, column and row headers, numbers right-aligned.

        Numeric cells carry ``class="num"`` for the stylesheet to align; there are no inline
        styles and no index column. The note, if any, follows the table as
        ``<p class="table-note">``.
        """
        lines = [self._table_html()]
        if self.note:
            lines.append(f'<p class="table-note">{html.escape(self.note)}</p>')
        return "\n".join(lines)

    def _table_html(self) -> str:
        shown = self.display_frame()
        columns = list(shown.columns)
        classes = [' class="num"' if self._kind(c) in NUMERIC_FORMATS else "" for c in columns]
        esc = html.escape
        lines = [
            f'<table class="report-table" id="table-{self.name}">',
            f"<caption>{esc(self.title)}</caption>",
            "<thead>",
            "<tr>"
            + "".join(
                f'<th scope="col"{k}>{esc(c)}</th>' for c, k in zip(columns, classes, strict=True)
            )
            + "</tr>",
            "</thead>",
            "<tbody>",
        ]
        for row in shown.itertuples(index=False, name=None):
            first = f'<th scope="row"{classes[0]}>{esc(row[0])}</th>'
            rest = "".join(
                f"<td{k}>{esc(v)}</td>" for v, k in zip(row[1:], classes[1:], strict=True)
            )
            lines.append(f"<tr>{first}{rest}</tr>")
        lines += ["</tbody>", "</table>"]
        return "\n".join(lines)

    def to_page_html(self) -> str:
        """The table as a web page shows it: in a labelled region that scrolls sideways on its
        own, so a narrow screen scrolls the table and not the page (WCAG 1.4.10 reflow); then
        its note and a link to its CSV (``tables/<name>.csv`` beside the page). Before it, a
        hint that the table scrolls sideways, hidden until the page's script finds the table
        wider than its column (the stylesheet adds a shadow at the edge and holds the first
        column in place)."""
        label = html.escape(f"Table: {self.title}", quote=True)
        lines = [
            # Shown by the page's script only when the table is wider than the screen.
            f'<p class="scroll-hint" id="scroll-hint-{self.name}" hidden>{SCROLL_HINT}</p>',
            f'<div class="table-wrap" role="region" tabindex="0" aria-label="{label}">',
            self._table_html(),
            "</div>",
        ]
        if self.note:
            lines.append(f'<p class="table-note">{html.escape(self.note)}</p>')
        lines.append(
            f'<p class="download"><a class="csv-link" href="{CSV_DIR}/{self.name}.csv" download>'
            f"Download this table as CSV: {html.escape(self.title)}</a></p>"
        )
        return "\n".join(lines)

    def _pipe_table(self, shown: pd.DataFrame) -> tuple[list[str], list[str], str, str | None]:
        """The pipe table of ``shown`` (:meth:`display_frame`): its lines (header, rule, rows),
        each column's rule, and the caption and note as Markdown inline text."""
        columns = list(shown.columns)
        cells = [[md_escape(v) for v in row] for row in shown.itertuples(index=False, name=None)]
        heads = [md_escape(c) for c in columns]
        widths = [self._markdown_width(c, [str(v) for v in shown[c]]) for c in columns]
        rules = [
            "-" * w + ":" if self._kind(c) in NUMERIC_FORMATS and i else ":" + "-" * w
            for i, (c, w) in enumerate(zip(columns, widths, strict=True))
        ]
        lines = ["| " + " | ".join(heads) + " |", "|" + "|".join(rules) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in cells]
        return lines, rules, md_escape(self.title), md_escape(self.note) if self.note else None

    def to_markdown(self) -> str:
        """The table as a Pandoc pipe table with its caption (Quarto's PDF), then its note.

        Numbers are right-aligned. Column widths follow the longest cell of each column, so a
        wide table fills the page and its text columns wrap.
        """
        lines, _, title, note = self._pipe_table(self.display_frame())
        lines += ["", f": {title} {{#tbl-{self.name}}}"]
        if note:
            lines += ["", note]
        return "\n".join(lines)

    def to_typst(self) -> str:
        """The table as Typst markup for the PDF: a numbered table figure, captioned above and
        labelled ``tbl-<name>``, as Quarto makes of :meth:`to_markdown`, with the same cells and
        alignment (text goes in as Typst strings, literal as the Markdown's escapes make it),
        written here so that Quarto need not parse the pipe table and walk it in every one of
        its filters (about 0.1 s a table).

        Two things differ from Pandoc's, for the reader: the columns are sized to their content
        (:meth:`_typst_widths`; Pandoc's widths, shares of the Markdown's dashes, squeezed a
        short column's heading into the next, "CompliesEvidence", and ran a text column one word
        a line), and the note is under the table inside its figure, so that it stays with the
        table on its page.
        """
        shown = self.display_frame()
        _, rules, _, _ = self._pipe_table(shown)
        columns = "(" + ", ".join(self._typst_widths(shown)) + ",)"
        align = "".join("right," if r.endswith(":") else "left," for r in rules)
        out = [
            "#figure([",
            "#table(",
            f"  columns: {columns},",
            f"  align: ({align}),",
            "  table.header("
            + "".join(f"{typst_text(c)}, " for c in shown.columns).rstrip()
            + "),",
            "  table.hline(),",
        ]
        out += [
            "  " + " ".join(f"{typst_text(v)}," for v in row)
            for row in shown.itertuples(index=False, name=None)
        ]
        out.append(")")
        if self.note:
            out.append(
                f"#block(width: 100%, above: 0.7em, text(size: 9pt, {typst_text(self.note)}))"
            )
        out += [
            "], caption: figure.caption(",
            "position: top, ",
            "[",
            f"#{typst_text(self.title)}",
            "]), ",
            'kind: "quarto-float-tbl", ',
            'supplement: "Table", ',
            ")",
            f"<tbl-{self.name}>",
            "",  # Pandoc writes the next block straight after this text: end it with a line break
        ]
        return "\n".join(out)

    def _typst_widths(self, shown: pd.DataFrame) -> list[str]:
        """Each column's width in the PDF, sized to its content.

        A table whose columns all fit the page at their natural widths (each cell on one line,
        a figure's heading wrapped to its longest word or figure) leaves the sizing to Typst:
        ``auto``, each column as wide as its widest cell. A wider table gives each column that
        needs no more than a fair share of the page its natural width, and the others (the long
        text) shares of what remains (``fr``) in proportion to their text, up to 40 characters;
        no column is narrower than its longest word, nor a text column narrower than about 14
        characters. Widths are in ``em`` of the
        tables' type, from a generous estimate of half an em a character.
        """

        def longest_word(texts: list[str]) -> int:
            return max((len(w) for t in texts for w in t.split()), default=0)

        def em(chars: int) -> float:
            return round(_TYPST_EM_PER_CHAR * chars + _TYPST_CELL_PADDING, 1)

        wants, floors = [], []
        for i, column in enumerate(shown.columns):
            cells = [str(v) for v in shown[column]]
            head = str(column)
            longest = max((len(c) for c in cells), default=0)
            word = max(longest_word(cells), longest_word([head]))
            if self._kind(column) in NUMERIC_FORMATS and i:
                want = max(longest, word)  # a figure's heading wraps between its words
            else:
                want = max(longest, len(head))
                word = max(word, min(longest, _TYPST_TEXT_MIN))
            wants.append(em(want))
            floors.append(em(word))
        if sum(wants) <= _TYPST_TEXT_WIDTH:
            return ["auto"] * len(wants)
        # A column that needs no more than a fair share of what the others leave keeps its
        # width; the others share the rest in proportion to their text (up to 40 characters),
        # each given at least its narrowest.
        fixed = [False] * len(wants)
        settled = True
        while settled:
            loose = [i for i, f in enumerate(fixed) if not f]
            rest = _TYPST_TEXT_WIDTH - sum(w for w, f in zip(wants, fixed, strict=True) if f)
            settled = [i for i in loose if wants[i] <= rest / len(loose)]
            for i in settled:
                fixed[i] = True
        weights = {i: min(wants[i], em(_TYPST_TEXT_SHARE)) for i, f in enumerate(fixed) if not f}
        squeezed = True
        while squeezed and weights:
            rest = _TYPST_TEXT_WIDTH - sum(w for w, f in zip(wants, fixed, strict=True) if f)
            total = sum(weights.values())
            squeezed = [i for i, w in weights.items() if rest * w / total < floors[i]]
            for i in squeezed:
                fixed[i], wants[i] = True, floors[i]
                del weights[i]
        return [f"{wants[i]:g}em" if fixed[i] else f"{weights[i]:g}fr" for i in range(len(wants))]

    def _markdown_width(self, column: str, cells: list[str]) -> int:
        """Dashes under a column of the pipe table, which set its share of the page's width.

        A figure needs its longest value; text its longest cell up to 30 characters (beyond,
        it wraps) and room for its longest word, which cannot wrap (a case reference). The
        heading's longest word, with room around it, counts too: headings wrap between words.
        """

        def longest_word(texts: list[str]) -> int:
            return max((len(w) for t in texts for w in t.split()), default=0)

        longest = max((len(t) for t in cells), default=0)
        if self._kind(column) in NUMERIC_FORMATS and column != self.frame.columns[0]:
            need = longest + 2
        else:
            need = max(longest_word(cells) + 6, min(30, longest))
        return max(3, need, longest_word([column]) + 2)

    def to_plain(self) -> str:
        """The table as readable plain text: caption, the formatted rows, the note."""
        text = [self.title, self.display_frame().to_string(index=False)]
        if self.note:
            text.append(self.note)
        return "\n".join(text)

    def shown(self):
        """What a notebook displays for this table: the web page's HTML (with its CSV link),
        the PDF's Markdown and plain text (see :mod:`display`)."""
        return Shown(
            plain=self.to_plain(),
            markdown=self.to_markdown(),
            html=self.to_page_html(),
            typst=self.to_typst(),
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        """Jupyter shows the reader's table, not the raw frame."""
        return self.shown()._repr_mimebundle_(include, exclude)
