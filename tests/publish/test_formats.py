"""The report's other formats, for both demo years and both publishers: the report and the
committee paper in Word, and every table in one accessible spreadsheet, each linked from every
page and from the index of years.

Word files are read with python-docx (and their XML), and converted by LibreOffice
(``soffice``, Debian's libreoffice-writer) to prove a real word processor opens them; the
spreadsheet is read back with openpyxl and compared with the site's tables and CSVs.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from sites import SECTION_PAGES, YEARS, parse

pytestmark = pytest.mark.slow

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SHORTHAND = {"[c]", "[x]", "[z]"}
# What must never reach a reader: an object's repr, a missing value's name, raw HTML or code.
MACHINERY = re.compile(
    r"object at 0x|\bNaN\b|\bnan\b|<[a-z]+[\s>/]|&lt;|&amp;|\bdtype\b|DataFrame|"
    r"\{#|fig-alt|:::|```|\\\\"
)


def downloads(site: Path, page: str = "index.html") -> dict[str, Path]:
    """The other formats a page links: ``docx``, ``committee``, ``xlsx``."""
    soup = parse(site / page)
    found: dict[str, Path] = {}
    for a in soup.find_all("a", href=True):
        href = a["href"].split("#")[0]
        if href.endswith("-committee.docx"):
            found["committee"] = site / href
        elif href.endswith(".docx"):
            found["docx"] = site / href
        elif href.endswith("-tables.xlsx"):
            found["xlsx"] = site / href
    return found


@cache
def _document(path: Path):
    return Document(str(path))


def word_headings(path: Path) -> list[tuple[int, str]]:
    """Every heading of a Word file: (level, text), from its Heading N styles."""
    out = []
    for p in _document(path).paragraphs:
        m = re.fullmatch(r"Heading (\d)", p.style.name or "")
        if m and p.text.strip():
            out.append((int(m.group(1)), p.text.strip()))
    return out


def _plain(text: str) -> str:
    """A heading's words, without a section number, in plain quotes and spaces."""
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "–": "-", "\xa0": " "}))
    return re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", " ".join(text.split()))


def site_headings(site: Path) -> list[tuple[int, str]]:
    """The headings of the section pages, in the book's order: (level, text)."""
    out = []
    for name in SECTION_PAGES:
        main = parse(site / name).find("main")
        assert main is not None, f"{name}: no <main>"
        for h in main.find_all(re.compile(r"^h[1-6]$")):
            if h.find_parent(["nav", "figure", "aside"]) is not None:
                continue
            text = h.get_text(" ", strip=True)
            if text:
                out.append((int(h.name[1]), _plain(text)))
    return out


def _site_tables(site: Path) -> list[tuple[str, str, list[bool]]]:
    """Each table of the section pages: (caption, CSV name, which columns are figures, as the
    site right-aligns them)."""
    out = []
    for name in SECTION_PAGES:
        for table in parse(site / name).select("main table"):
            caption = table.find("caption")
            wrap = table.find_parent(class_="report-table") or table.parent
            link = wrap.find("a", class_="csv-link") if wrap else None
            if link is None:
                link = table.find_next("a", class_="csv-link")
            head = table.find("thead") or table
            numeric = ["num" in (th.get("class") or []) for th in head.find("tr").find_all("th")]
            out.append(
                (
                    " ".join(caption.get_text(" ", strip=True).split()) if caption else "",
                    link["href"].rsplit("/", 1)[-1] if link else "",
                    numeric,
                )
            )
    return out


def _site_images(site: Path) -> int:
    return sum(len(parse(site / name).select("main img")) for name in SECTION_PAGES)


def word_problems(path: Path, site: Path) -> list[str]:
    """What a reader of the Word report would find wrong, against the site it copies."""
    problems = []
    doc = _document(path)
    headings = word_headings(path)
    want = site_headings(site)
    got = [(level, _plain(text)) for level, text in headings]
    if got != want:
        first = next(
            (i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
            min(len(got), len(want)),
        )
        problems.append(
            f"headings differ from the site's at #{first}: Word "
            f"{got[first : first + 3]} vs site {want[first : first + 3]} "
            f"({len(got)} vs {len(want)})"
        )
    tables = doc.tables
    site_tables = _site_tables(site)
    if len(tables) != len(site_tables):
        problems.append(f"{len(tables)} Word tables for the site's {len(site_tables)}")
    for i, table in enumerate(tables):
        first_row = table.rows[0]._tr
        props = first_row.find(f"{W}trPr")
        header = props is not None and props.find(f"{W}tblHeader") is not None
        if not header:
            problems.append(f"table {i + 1} has no repeated header row")
    with zipfile.ZipFile(path) as z:
        body = z.read("word/document.xml").decode("utf-8")
    pictures = re.findall(r"<wp:docPr [^>]*>", body)
    if len(pictures) != _site_images(site):
        problems.append(f"{len(pictures)} images for the site's {_site_images(site)}")
    for pic in pictures:
        alt = re.search(r'descr="([^"]*)"', pic)
        if not alt or len(alt.group(1).strip()) < 20:
            problems.append(f"an image has no alt text: {pic}")
    if "w:instrText" not in body or "TOC" not in body:
        problems.append("no contents field")
    core = doc.core_properties
    if not core.title or not core.title.startswith("Children"):
        problems.append(f"document title is {core.title!r}")
    if core.language != "en-GB":
        problems.append(f"document language is {core.language!r}")
    text = "\n".join(p.text for p in doc.paragraphs)
    text += "\n".join(c.text for t in tables for row in t.rows for c in row.cells)
    bad = sorted(set(m.group(0) for m in MACHINERY.finditer(text)))
    if bad:
        problems.append(f"machinery in the text: {bad}")
    return problems


@pytest.mark.parametrize("fy", YEARS)
def test_every_page_and_the_years_index_link_the_other_formats(published, year_pages, fy):
    site = published[fy]
    for page in year_pages[fy]:
        if page.parent != site:
            continue
        found = downloads(site, page.name)
        assert set(found) == {"docx", "committee", "xlsx"}, f"{page.name} links only {found}"
        for path in found.values():
            assert path.is_file() and path.stat().st_size > 10_000, f"{path} is missing or empty"
    index = parse(published["index"])
    hrefs = {a["href"] for a in index.find_all("a", href=True)}
    for kind in ("docx", "committee", "xlsx"):
        linked = downloads(site)[kind].name
        assert f"{fy}/site/{linked}" in hrefs, f"the index of years does not link {linked}"


@pytest.mark.parametrize("fy", YEARS)
def test_the_word_report_is_the_site_in_word(published, fy):
    path = downloads(published[fy])["docx"]
    problems = word_problems(path, published[fy])
    assert not problems, f"{fy} {path.name}:\n" + "\n".join(problems)


def test_the_word_check_fails_on_a_broken_copy(published, tmp_path):
    """The check above can fail: no header row, no alt text, a lost heading, a NaN."""
    site = published["2023-24"]
    source = downloads(site)["docx"]
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(broken, "w") as out:
        for item in z.infolist():
            data = z.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                xml = xml.replace('<w:tblHeader w:val="on" />', "", 1)
                xml = re.sub(r'descr="[^"]*"', 'descr=""', xml, count=1)
                xml = xml.replace('w:val="Heading2"', 'w:val="BodyText"', 1)
                xml = xml.replace("</w:t>", " NaN</w:t>", 1)
                data = xml.encode("utf-8")
            out.writestr(item, data)
    problems = "\n".join(word_problems(broken, site))
    for expected in ("header row", "alt text", "headings differ", "NaN"):
        assert expected in problems, f"the broken copy's {expected!r} went unnoticed:\n{problems}"


@pytest.mark.parametrize("fy", YEARS)
def test_the_committee_paper_is_the_cover_messages_and_implications_with_the_report_appended(
    published, fy
):
    site = published[fy]
    path = downloads(site)["committee"]
    headings = [(level, _plain(text)) for level, text in word_headings(path)]
    level_one = [text for level, text in headings if level == 1]
    assert level_one == [
        "Cover and recommendation",
        "Executive summary",
        "Financial implications",
        "Appendix A: the full report",
    ], f"{path.name}: its top-level headings are {level_one}"
    appendix = headings[headings.index((1, "Appendix A: the full report")) + 1 :]
    report = [(level + 1, text) for level, text in site_headings(site)]
    assert appendix == report, f"{path.name}: the appendix is not the whole report"
    text = "\n".join(p.text for p in _document(path).paragraphs)
    assert "Recommendation" in text or "recommendation" in text
    assert "Key messages" in text and "Risk assessment" in text


@pytest.mark.parametrize("fy", YEARS)
def test_libreoffice_opens_the_word_files(published, fy, tmp_path, save_screen, publisher):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("soffice not found: run `make system-deps` (libreoffice-writer)", pytrace=False)
    found = downloads(published[fy])
    for kind in ("docx", "committee"):
        proc = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(found[kind]),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        pdf = tmp_path / found[kind].with_suffix(".pdf").name
        assert proc.returncode == 0 and pdf.is_file(), f"LibreOffice failed: {proc.stderr}"
        from pypdf import PdfReader

        reader = PdfReader(pdf)
        assert len(reader.pages) >= 20, f"{found[kind].name}: {len(reader.pages)} pages"
        assert "Who complained" in "".join(p.extract_text() or "" for p in reader.pages[:60])
        save_screen(pdf, f"word-{publisher}-{fy}-{kind}.pdf")


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def spreadsheet_problems(xlsx: Path, site: Path) -> list[str]:
    """What the Analysis Function's guidance, or the site's tables, would find wrong."""
    problems = []
    wb = openpyxl.load_workbook(xlsx)
    names = wb.sheetnames
    if names[:3] != ["Cover", "Contents", "Notes"]:
        problems.append(f"the first sheets are {names[:3]}, not Cover, Contents, Notes")
    for ws in wb.worksheets:
        if ws.merged_cells.ranges:
            problems.append(f"{ws.title}: merged cells {ws.merged_cells.ranges}")
    cover = " ".join(str(c.value) for row in wb["Cover"].iter_rows() for c in row if c.value)
    for mark in SHORTHAND:
        if mark not in cover:
            problems.append(f"the cover does not explain {mark}")
    contents = wb["Contents"]
    linked = [c.hyperlink.location for row in contents.iter_rows() for c in row if c.hyperlink]
    site_tables = _site_tables(site)
    sheets = [ws for ws in wb.worksheets if ws.title.startswith("Table_")]
    if len(sheets) != len(site_tables):
        problems.append(f"{len(sheets)} table sheets for the site's {len(site_tables)} tables")
    if len(linked) < len(sheets):
        problems.append(f"the contents link {len(linked)} of {len(sheets)} tables")
    for ws, (caption, csv_name, numeric) in zip(sheets, site_tables, strict=False):
        title = str(ws["A1"].value or "")
        if _plain(caption) not in _plain(title):
            problems.append(f"{ws.title}: A1 {title!r} is not the table {caption!r}")
        if len(ws.tables) != 1:
            problems.append(f"{ws.title}: {len(ws.tables)} marked tables")
            continue
        (ref,) = [t.ref for t in ws.tables.values()]
        cells = [[c.value for c in row] for row in ws[ref]]
        published = _csv_rows(site / "tables" / csv_name)
        if csv_name.startswith("04-scorecard"):
            # A scorecard's CSV is its figures by quarter (a period, then figures), not the
            # page's layout of measures by quarter.
            numeric = [False] + [True] * (len(published[0]) - 1)
        if [str(h) for h in cells[0]] != published[0]:
            problems.append(f"{ws.title}: headings {cells[0]} vs CSV {published[0]}")
        if len(cells) != len(published):
            problems.append(f"{ws.title}: {len(cells) - 1} rows vs CSV {len(published) - 1}")
        for r, (got_row, want_row) in enumerate(zip(cells[1:], published[1:], strict=False)):
            for c, (got, want) in enumerate(zip(got_row, want_row, strict=False)):
                where = f"{ws.title} row {r + 1} column {c + 1}"
                if got is None or got == "":
                    problems.append(f"{where}: an empty cell (CSV {want!r})")
                elif want in SHORTHAND or want == "":
                    if got not in SHORTHAND or (want == "[c]") != (got == "[c]"):
                        problems.append(f"{where}: {got!r} where the site has {want!r}")
                elif c < len(numeric) and numeric[c]:
                    if not isinstance(got, int | float) or abs(got - float(want)) > 1e-9:
                        problems.append(f"{where}: {got!r} is not the number {want}")
                elif str(got) != want.lstrip("'"):
                    problems.append(f"{where}: {got!r} vs CSV {want!r}")
    return problems


@pytest.mark.parametrize("fy", YEARS)
def test_the_spreadsheet_holds_every_table_as_published(published, fy):
    xlsx = downloads(published[fy])["xlsx"]
    problems = spreadsheet_problems(xlsx, published[fy])
    assert not problems, f"{fy} {xlsx.name}:\n" + "\n".join(problems[:30])


def test_the_spreadsheet_check_fails_on_a_broken_copy(published, tmp_path):
    """The check above can fail: a merged cell, a number stored as text, a [c] lost."""
    site = published["2023-24"]
    broken = tmp_path / "broken.xlsx"
    wb = openpyxl.load_workbook(downloads(site)["xlsx"])
    ws = wb["Table_3"]
    (ref,) = [t.ref for t in ws.tables.values()]
    first = ws[ref][1]
    first[1].value = str(first[1].value)
    ws.merge_cells("A2:B2")
    wb.save(broken)
    problems = "\n".join(spreadsheet_problems(broken, site))
    for expected in ("merged cells", "is not the number"):
        assert expected in problems, f"{expected!r} went unnoticed:\n{problems}"
