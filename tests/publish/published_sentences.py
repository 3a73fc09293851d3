"""The published-page check of sentences: every number a generated sentence states agrees with
figures.json.

Each generated paragraph or list item of a published page carries a record of the figures it
states (an empty ``<span class="stated" data-figures="…">``, see ``lib/…/stated.py``): for each
number, its text as the sentence states it, where it comes from in figures.json (a formula over
``F[year][key]…``) and how it is formatted. This check, written apart from the library:

- works each formula out from the year's figures.json (and the year before's, which the run keeps
  beside it as ``figures-<year>.json``) and formats it as a reader sees it: it must be the text
  recorded;
- finds every recorded text among the sentence's own words;
- finds, in the sentence's words, no number that is neither recorded nor one of the words that
  are not figures (a date, a financial year, "Stage 2", a limit of "20 working days", the band
  "1 to 5" that stands for a hidden count).

So a page fails when a sentence states a number its figures do not give, when a sentence's
number is changed after the run, and when a sentence states a number the run did not trace.
"""

from __future__ import annotations

import ast
import csv
import json
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from bs4 import BeautifulSoup

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
NOT_FIGURES = [
    # what a sentence may say in numbers that is not a figure of the year
    rf"\b\d{{1,2}} (?:{_MONTHS})(?: \d{{4}})?",  # a date
    rf"\b(?:{_MONTHS}) \d{{4}}",
    r"\b\d{4}[-/]\d{2}\b",  # a financial year
    r"\b(?:19|20)\d{2}\b",  # a calendar year
    r"\b[Ss]tages? \d(?:(?:,| and| or| to) \d)*\b",
    r"\bQ[1-4]\b",
    r"\b(?:[Ss]ections?|[Pp]art|[Aa]rticle|[Pp]aragraph) \d+(?:\.\d+)*\b",
    r"\b\d+(?: or \d+)? (?:extra )?(?:working )?(?:days?|weeks?|months?)\b",  # a limit
    r"\b1 to \d+\b(?! (?:per ?cent|%))",  # the band that stands for a hidden count
    r"\b(?:under|aged?|over) \d+\b",  # an age band
    r"\b\d+[-–]\d+\b",  # an age band
    r"\bnot add to 100%",  # how rounded shares behave
    r"\ba share of 1 in 8 shows as 13%",
]
_NOT_FIGURES = re.compile("|".join(f"(?:{p})" for p in NOT_FIGURES))
NUMBER = re.compile(r"(?<![\w.£,])-?£?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")


class Tables:
    """``T[table][row][column]``: a cell of a published table's CSV (``tables/<table>.csv``
    beside the pages), by its row's first cell and its column's heading."""

    def __init__(self, site: Path):
        self.site = site
        self._cache: dict[str, dict] = {}

    def __getitem__(self, table: str) -> dict:
        if table not in self._cache:
            path = self.site / "tables" / f"{table}.csv"
            if not path.is_file():
                raise LookupError(f"no published table {table}.csv")
            with path.open(newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f))
            head = rows[0]
            self._cache[table] = {
                r[0]: {h: _number(c) for h, c in zip(head, r, strict=False)} for r in rows[1:]
            }
        return self._cache[table]


def _number(cell: str):
    try:
        return int(cell)
    except ValueError:
        try:
            return float(cell)
        except ValueError:
            return cell


class Figures:
    """``F[year]``: figures.json of a year, as a published year's folder keeps it."""

    def __init__(self, year_dir: Path):
        self.year_dir = year_dir
        self._cache: dict[str, dict] = {}

    def __getitem__(self, year: str) -> dict:
        if year not in self._cache:
            candidates = [
                self.year_dir / ("figures.json" if year == self.year_dir.name else ""),
                self.year_dir / f"figures-{year}.json",
                self.year_dir.parent / year / "figures.json",
            ]
            found = next((p for p in candidates if p.suffix == ".json" and p.is_file()), None)
            if found is None:
                raise LookupError(f"no figures.json of {year} beside {self.year_dir}")
            self._cache[year] = json.loads(found.read_text(encoding="utf-8"))
        return self._cache[year]


_ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.USub,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.FloorDiv,
    ast.Subscript,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Call,
)
_FUNCTIONS = {"round": round, "abs": abs, "floor": math.floor, "ceil": math.ceil}


def evaluate(formula: str, figures: Figures, tables: Tables | None = None):
    """The value of a recorded formula over figures.json (``F``) and published tables (``T``):
    nothing but arithmetic and lookups."""
    tree = ast.parse(formula, mode="eval")
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ValueError(f"not a formula over figures.json: {formula!r}")
        if isinstance(node, ast.Name) and node.id not in {"F", "T", *_FUNCTIONS}:
            raise ValueError(f"unknown name {node.id!r} in {formula!r}")
    return eval(
        compile(tree, "<formula>", "eval"),
        {"__builtins__": {}, "F": figures, "T": tables, **_FUNCTIONS},
    )  # noqa: S307 - checked above


def _half_up(value: float, places: int = 0) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def as_read(value, kind: str) -> str:
    """How a reader sees ``value`` formatted as ``kind``, worked out here, not by the library."""
    if value is None:
        return "\N{EN DASH}"
    if kind == "count":
        if float(value) != int(value):
            raise ValueError(f"a count that is not whole: {value!r}")
        return f"{int(value):,}"
    if kind == "percent":
        return f"{_half_up(value * 100 + 1e-9 * (1 if value >= 0 else -1)):f}%"
    if kind == "money":
        amount = _half_up(value, 2)
        return f"{'-' if amount < 0 else ''}£{abs(amount):,.2f}"
    if kind == "change":
        return f"{int(value)}%"
    if kind == "number":
        return f"{value:g}"
    raise ValueError(f"unknown format {kind!r}")


def stated(page: Path) -> list[tuple[str, list[dict]]]:
    """Every generated sentence of a page: (its words, the figures it records)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = []
    for span in soup.select("span.stated"):
        holder = span.find_parent(["li", "p"])
        records = json.loads(span.get("data-figures", "[]"))
        span.decompose()
        words = " ".join((holder.get_text(" ") if holder else "").split())
        found.append((words, records))
    return found


def table_numbers(page: Path) -> set[str]:
    """Every number the page's tables show, as they show it."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return {
        n for cell in soup.select("table td, table th") for n in NUMBER.findall(cell.get_text(" "))
    }


def check_sentence(
    words: str,
    records: list[dict],
    figures: Figures,
    shown: set[str] = frozenset(),
    tables: Tables | None = None,
) -> list[str]:
    """What is wrong with one sentence's figures (nothing, when all agree). A figure that
    figures.json does not hold (``of`` null: a count from a view of the records, such as a
    quarter's timescales or the equality forms) must be one that a table of the page shows
    (``shown``), which the table check holds to its CSV."""
    problems = []
    for r in records:
        if r["as"] == "setting":
            continue  # the council's own setting (a time limit, a national average)
        if r["of"] is None:
            if r["text"] not in shown:
                problems.append(f"states {r['text']!r}, from no figure and in no table of the page")
            continue
        try:
            expected = as_read(evaluate(r["of"], figures, tables), r["as"])
        except (LookupError, TypeError, ValueError, ZeroDivisionError) as exc:
            problems.append(f"{r['text']!r} from {r['of']}: cannot work it out ({exc})")
            continue
        if expected != r["text"]:
            problems.append(
                f"states {r['text']!r} where figures.json gives {expected!r} ({r['of']})"
            )
    # Each number of the sentence is one it records; a number it does not record must be one
    # of the words that are no figure (a date, "Stage 2", ...), which may also be recorded.
    left = [r["text"] for r in records]
    spans = [m.span() for m in _NOT_FIGURES.finditer(words)]
    loose = []
    for m in NUMBER.finditer(words):
        inside = any(a <= m.start() and m.end() <= b for a, b in spans)
        if inside:
            loose.append(m.group())
        elif m.group() in left:
            left.remove(m.group())
        else:
            problems.append(f"states {m.group()!r}, which is no recorded figure")
    for number in loose:
        if number in left:
            left.remove(number)
    problems += [f"records {t!r}, which it does not state" for t in left]
    return [f"{p}: {words[:160]!r}" for p in problems]


def check_site(site: Path) -> list[str]:
    """Every problem with the generated sentences of a published year's pages."""
    figures, tables = Figures(site.parent), Tables(site)
    problems = []
    for page in sorted(site.glob("*.html")):
        shown = table_numbers(page)
        for words, records in stated(page):
            problems += [
                f"{page.name}: {p}" for p in check_sentence(words, records, figures, shown, tables)
            ]
    return problems


def count_stated(site: Path) -> tuple[int, int, int]:
    """(sentences, figures recorded, of which from figures.json) on the year's pages."""
    sentences = [s for page in sorted(site.glob("*.html")) for s in stated(page)]
    records = [r for _, rs in sentences for r in rs]
    return len(sentences), len(records), sum(r["of"] is not None for r in records)
