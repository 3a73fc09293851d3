"""The published-page check of tables: what a reader sees in every table of a published year,
compared cell by cell with the CSV the table links and, where a cell is a figure, with the year's
``figures.json``.

It reads only what was published: the site's pages, the CSVs beside them and ``figures.json``.
The area, period and measure of a figure are read from the table's own caption and headings
(the maps below are written from the report's words, not taken from the code that made them).
Every function returns a list of problems, each naming the page and table, so the tests can
check a published folder as it is and folders broken on purpose.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from bs4 import BeautifulSoup

SUPPRESSED = "[c]"
DASH = "\N{EN DASH}"


@dataclass
class Table:
    page: str
    caption: str
    head: list[str]
    rows: list[list[str]]
    csv: str | None
    heading: str | None  # the nearest heading above the table

    @property
    def where(self) -> str:
        return f"{self.page}: table {self.caption!r}"


def _text(tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def page_tables(page: Path) -> list[Table]:
    """Every report table of a page, with its CSV link and the heading above it."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    tables = []
    for t in soup.find_all("table", class_="report-table"):
        caption = _text(t.caption) if t.caption else ""
        head = [_text(th) for th in t.thead.find_all("th")] if t.thead else []
        body = t.tbody or t
        rows = [[_text(c) for c in tr.find_all(["th", "td"])] for tr in body.find_all("tr")]
        link = t.find_next("a", class_="csv-link")
        heading = t.find_previous(["h2", "h3", "h4", "h5"])
        tables.append(
            Table(
                page=page.name,
                caption=caption,
                head=head,
                rows=rows,
                csv=link["href"].split("#")[0] if link else None,
                heading=_text(heading) if heading else None,
            )
        )
    return tables


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _half_up(value: Decimal, places: int = 0) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def cell_agrees(shown: str, raw: str) -> bool:
    """Does a cell as a reader sees it say what the CSV's raw value is?

    ``18%`` is a share of 0.175 to 0.185 (rounded half up); ``£1,234.50`` is 1234.50; ``1,268`` is
    1268; an en dash is an empty CSV cell; ``[c]`` is ``[c]``; text is the same words."""
    shown, raw = " ".join(shown.split()), " ".join(raw.split())
    if shown == SUPPRESSED or raw == SUPPRESSED:
        return shown == raw
    if shown == DASH:
        return raw == ""
    try:
        value = Decimal(raw)
    except ArithmeticError:
        return shown == raw.removeprefix("'")
    if m := re.fullmatch(r"(-?\d+)%", shown):
        return _half_up(value * 100) == Decimal(m.group(1))
    if m := re.fullmatch(r"(-?)£([\d,]+\.\d\d)", shown):
        return _half_up(value, 2) == Decimal(m.group(1) + m.group(2).replace(",", ""))
    if re.fullmatch(r"-?[\d,]+", shown):
        return value == Decimal(shown.replace(",", ""))
    return shown == raw


def _pairs_by_position(table: Table, rows: list[list[str]]) -> tuple[list, list[str]]:
    """(display cell, CSV cell, where) for a table whose CSV has its shape, or its transpose
    (the scorecards: a measure a row on the page, a column in the CSV; "1/3" is two columns)."""
    head, *data = rows
    if head == table.head:
        if len(data) != len(table.rows):
            return [], [f"{table.where}: {len(table.rows)} rows, its CSV {len(data)}"]
        pairs = []
        for r, (shown_row, raw_row) in enumerate(zip(table.rows, data, strict=True)):
            if len(shown_row) != len(raw_row):
                return [], [
                    f"{table.where}: row {r + 1} has {len(shown_row)} cells, CSV {len(raw_row)}"
                ]
            pairs += [
                (s, raw, f"row {shown_row[0]!r}, column {table.head[c]!r}")
                for c, (s, raw) in enumerate(zip(shown_row, raw_row, strict=True))
            ]
        return pairs, []
    periods = [r[0] for r in data]
    if table.head[1:] == periods:
        pairs = []
        for shown_row in table.rows:
            label, cells = shown_row[0], shown_row[1:]
            width = 2 if any("/" in c for c in cells) else 1
            start = _consumed(table, shown_row)
            for c, period in enumerate(periods):
                raws = data[c][start : start + width]
                parts = cells[c].split("/") if width == 2 else [cells[c]]
                if len(parts) != len(raws):
                    return [], [f"{table.where}: row {label!r} does not match its CSV's columns"]
                pairs += [
                    (s, raw, f"row {label!r}, column {period!r}")
                    for s, raw in zip(parts, raws, strict=True)
                ]
        return pairs, []
    return [], [f"{table.where}: the CSV's headings {head} are not the table's {table.head}"]


def _consumed(table: Table, row: list[str]) -> int:
    """The first CSV column of a scorecard measure: 1 (the period) plus the columns of the rows
    above it (two for an "upheld/decisions" row)."""
    start = 1
    for other in table.rows:
        if other is row:
            return start
        start += 2 if any("/" in c for c in other[1:]) else 1
    raise ValueError("row not in table")


def check_against_csv(site: Path, year_dir: Path) -> list[str]:
    """Every table of every page of ``site`` against the CSV it links (cell by cell), and every
    CSV of the year's tables shown by a table of some page."""
    problems: list[str] = []
    linked: set[str] = set()
    for page in sorted(site.glob("*.html")):
        for table in page_tables(page):
            if not table.csv:
                problems.append(f"{table.where}: no CSV link")
                continue
            linked.add(Path(table.csv).name)
            path = site / table.csv
            if not path.is_file():
                problems.append(f"{table.where}: its CSV {table.csv} is missing")
                continue
            pairs, found = _pairs_by_position(table, _read_csv(path))
            problems += found
            problems += [
                f"{table.where}, {where}: shows {s!r}, its CSV says {raw!r}"
                for s, raw, where in pairs
                if not cell_agrees(s, raw)
            ]
    made = {p.name for p in (year_dir / "tables").glob("*.csv")}
    problems += [
        f"{name}: made for the year, but no page shows its table" for name in sorted(made - linked)
    ]
    return problems


# --- figures.json, by the table's own headings -------------------------------------------------

QUARTER = {"Q1": "Q1", "Q2": "Q2", "Q3": "Q3", "Q4": "Q4", "Year": "year"}
# A scorecard row's label -> figures.json quarter key(s) ("upheld / received" is two figures).
SCORECARD_MEASURES = {
    "number of formal complaints": ("formal",),
    "number of informal complaints": ("informal",),
    "ombudsman decisions upheld / received": ("ombudsman_upheld", "ombudsman_decisions"),
    "timescales (% overdue)": ("overdue_share",),
    "% fully justified": ("fully_justified_share",),
    "% part justified": ("partly_justified_share",),
    "compliments": ("compliments",),
    "learnings": ("learnings",),
}
STATUTORY_ROWS = {
    "representations (informal)": "Informal",
    "stage 1 (formal)": "Stage 1",
    "stage 2": "Stage 2",
    "stage 3": "Stage 3",
}
# A stage timescale table's column heading (its words) -> figures.json timescales key.
TIMESCALE_COLUMNS = [
    (re.compile(r"^(answered, not withdrawn|responded to|panels held)$"), "responded"),
    (re.compile(r"^within \d+ working days$"), "within_limit"),
    (re.compile(r"^\d+ to \d+ working days$"), "extended"),
    (re.compile(r"^of which no extension agreed$"), "extended_unagreed"),
    (re.compile(r"^over \d+ working days$"), "over"),
    (re.compile(r"^(awaiting a response|awaiting a panel)$"), "open"),
    (re.compile(r"^withdrawn$"), "withdrawn"),
]


def _agrees(shown: str, value) -> bool:
    if value is None:
        return shown == DASH
    return cell_agrees(shown, repr(float(value)) if isinstance(value, float) else str(value))


def check_against_figures(site: Path, figures: dict) -> list[str]:
    """The tables whose cells are figures, against figures.json, by caption and headings."""
    fy = figures["financial_year"]
    areas = figures["service_areas"]
    problems: list[str] = []
    seen = 0

    def area_of(table: Table, name: str) -> dict | None:
        if name not in areas:
            problems.append(f"{table.where}: names area {name!r}, which figures.json lacks")
            return None
        if table.heading and table.heading in areas and table.heading != name:
            problems.append(f"{table.where}: under the heading {table.heading!r}")
        return areas[name]

    for page in sorted(site.glob("*.html")):
        for table in page_tables(page):
            if m := re.fullmatch(r"(.+): quarterly scorecard, (\d{4}-\d{2})", table.caption):
                area = area_of(table, m.group(1))
                if area is None or m.group(2) != fy:
                    continue
                seen += 1
                for row in table.rows:
                    keys = SCORECARD_MEASURES.get(row[0].lower())
                    if keys is None:
                        problems.append(f"{table.where}: measure {row[0]!r} is not known")
                        continue
                    for period, cell in zip(table.head[1:], row[1:], strict=True):
                        values = [area["quarters"][QUARTER[period]][k] for k in keys]
                        parts = cell.split("/") if len(keys) == 2 else [cell]
                        if not all(_agrees(s, v) for s, v in zip(parts, values, strict=True)):
                            problems.append(
                                f"{table.where}: {row[0]!r}, {period}: shows {cell!r}, "
                                f"figures.json {'/'.join(map(str, values))}"
                            )
            elif m := re.fullmatch(
                r"(.+): complaints by stage and approaches to the .*", table.caption
            ):
                area = area_of(table, m.group(1))
                if area is None or fy not in table.head:
                    continue
                seen += 1
                col = table.head.index(fy)
                for row in table.rows:
                    stage = STATUTORY_ROWS.get(row[0].lower())
                    if stage and not _agrees(row[col], area["stages"].get(stage, 0)):
                        problems.append(
                            f"{table.where}: {row[0]!r}, {fy}: shows {row[col]!r}, "
                            f"figures.json {area['stages'].get(stage, 0)}"
                        )
            elif m := re.fullmatch(
                r"(Stage [123]) timescales, (.+), by quarter of (\d{4}-\d{2}).*", table.caption
            ):
                stage, name, year = m.groups()
                area = area_of(table, name)
                if area is None or year != fy:
                    continue
                seen += 1
                whole = [r for r in table.rows if r[0].startswith(f"{fy} (whole year)")]
                if len(whole) != 1:
                    problems.append(f"{table.where}: no single row for the whole of {fy}")
                    continue
                figures_row = area["timescales"][stage]
                for heading, shown in zip(table.head[1:], whole[0][1:], strict=True):
                    key = next(
                        (k for rx, k in TIMESCALE_COLUMNS if rx.match(heading.lower())), None
                    )
                    if key is None:
                        problems.append(f"{table.where}: column {heading!r} is not known")
                    elif not _agrees(shown, figures_row[key]):
                        problems.append(
                            f"{table.where}: {heading!r}, {fy}: shows {shown!r}, "
                            f"figures.json {figures_row[key]}"
                        )
            else:
                found = _other_figures(table, figures, area_of)
                if found is not None:
                    seen += 1
                    problems += found
    if not seen:
        problems.append(f"{site}: no table of figures found to check against figures.json")
    return problems


def _by_label(table: Table) -> dict[str, list[str]]:
    return {row[0]: row for row in table.rows}


def _cell(table: Table, row: list[str], heading: str) -> str:
    return row[table.head.index(heading)]


def _other_figures(table: Table, figures: dict, area_of) -> list[str] | None:
    """The Ombudsman, complainant, theme, outcome, children-in-care and compliments tables
    against figures.json (None: not one of these)."""
    fy = figures["financial_year"]
    areas = figures["service_areas"]
    council = figures["council"]
    out: list[str] = []

    def expect(row: list[str], heading: str, value, what: str) -> None:
        shown = _cell(table, row, heading)
        if not _agrees(shown, value):
            out.append(f"{table.where}: {row[0]!r}, {heading!r}: shows {shown!r}, {what} {value}")

    if table.caption == f"Ombudsman decisions and remedies, {fy}":
        for row in table.rows:
            if row[0] in areas:
                o = areas[row[0]]["ombudsman"]
                decisions, upheld, remedies = o["decisions"], o["upheld"], o["remedy_total"]
            elif row[0] == "Whole council":
                decisions, upheld = council["ombudsman_decisions"], council["ombudsman_upheld"]
                remedies = council["remedy_total"]
            else:  # children's services: the areas together
                decisions = sum(a["ombudsman"]["decisions"] for a in areas.values())
                upheld = sum(a["ombudsman"]["upheld"] for a in areas.values())
                remedies = round(sum(a["ombudsman"]["remedy_total"] for a in areas.values()), 2)
            expect(row, "Decisions", decisions, "figures.json decisions")
            expect(row, "Upheld", upheld, "figures.json upheld")
            expect(row, "Remedies", remedies, "figures.json remedy_total")
        return out
    if m := re.fullmatch(
        r"(.+): who made the informal and Stage 1 complaints, (.+)", table.caption
    ):
        area = area_of(table, m.group(1))
        if area is None or fy not in m.group(2):
            return out
        types = area["complainant_types"]
        if set(_by_label(table)) != set(types):
            out.append(
                f"{table.where}: complainants {sorted(_by_label(table))}, figures.json {sorted(types)}"
            )
        for label, row in _by_label(table).items():
            expect(row, "Complaints", types.get(label), "figures.json complainant_types")
        return out
    if m := re.fullmatch(
        r"(.+): what the informal and Stage 1 complaints were about.*", table.caption
    ):
        area = area_of(table, m.group(1))
        if area is None or fy not in table.head:
            return out
        themes = {k: v for k, v in area["themes"].items() if k != "Not recorded"}
        recorded = sum(themes.values())
        for label, row in _by_label(table).items():
            share = themes.get(label, 0) / recorded if recorded else None
            expect(row, fy, share, "figures.json themes share")
        return out
    if m := re.fullmatch(r"(.+): outcomes of Stage 1 complaints, .*", table.caption):
        name = m.group(1)
        if name == "Whole council":
            return out  # figures.json has no council-wide outcome counts
        area = area_of(table, name)
        rows = _by_label(table)
        if area is None or fy not in rows:
            return out
        outcomes = area["outcomes"]
        judged = sum(
            outcomes.get(k, 0) for k in ("Fully justified", "Partially justified", "Not justified")
        )
        expect(rows[fy], "Stage 1 complaints judged", judged, "figures.json outcomes judged")
        for k in ("Fully justified", "Partially justified", "Not justified"):
            expect(
                rows[fy],
                k,
                outcomes.get(k, 0) / judged if judged else None,
                f"figures.json {k} share",
            )
        return out
    if m := re.fullmatch(
        r"Children in care complaints, (.+), \d{4}-\d{2} to (\d{4}-\d{2})", table.caption
    ):
        area = area_of(table, m.group(1))
        rows = _by_label(table)
        if area is None or fy not in rows:
            return out
        expect(
            rows[fy],
            "Children in care complaints",
            area["children_in_care"],
            "figures.json children_in_care",
        )
        return out
    if table.caption.startswith("Compliments received, ") and fy in table.head:
        for label, row in _by_label(table).items():
            if label in areas:
                value = areas[label]["quarters"]["year"]["compliments"]
            elif label == "Whole council":
                value = council["compliments"]
            else:
                value = sum(a["quarters"]["year"]["compliments"] for a in areas.values())
            expect(row, fy, value, "figures.json compliments")
        return out
    return None


def check_site(site: Path) -> list[str]:
    """Every problem the published-page check of tables finds in a published year's site."""
    year_dir = site.parent
    figures = json.loads((year_dir / "figures.json").read_text(encoding="utf-8"))
    return check_against_csv(site, year_dir) + check_against_figures(site, figures)
