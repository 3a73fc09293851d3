"""The published PDF: long enough, tagged and titled for assistive technology (PDF/UA), with a
contents list, page numbers, every section and the key figures.

Read with pypdf; poppler's pdftotext and pdftoppm, where installed (`make system-deps`), check
the text a second way and render the first pages to PNG for a person to look at.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
from sites import PUBLISHERS, pdf_of, publish_demo, site_pages

from complaints_report.sections import SECTIONS

pytestmark = pytest.mark.slow

YEARS = ("2023-24", "2020-21")
KEY_FIGURES_2023_24 = ("139", "£12,394.84", "£69,608.96", "86%")
MACHINE_PATH = re.compile(r"(?<![\w.])/(?:work|tmp|home|root)/|file://")


@cache
def _reader(path: Path) -> PdfReader:
    return PdfReader(path)


@cache
def _page_texts(path: Path) -> tuple[str, ...]:
    return tuple(p.extract_text() or "" for p in _reader(path).pages)


def _squash(text: str) -> str:
    """One space for any run of white space; typographic quotes and dashes made plain."""
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-"}))
    return " ".join(text.split())


def _is_true(obj) -> bool:
    """A PDF boolean that is true (pypdf's BooleanObject is truthy even when false)."""
    return getattr(obj, "value", obj) is True


def _catalog(path: Path) -> DictionaryObject:
    return _reader(path).trailer["/Root"].get_object()


def _outline(path: Path) -> list[tuple[str, int]]:
    """Every bookmark, depth first: (title, 0-based page)."""
    reader = _reader(path)
    out: list[tuple[str, int]] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append((_squash(item.title), reader.get_destination_page_number(item)))

    walk(reader.outline)
    return out


def _struct_elements(path: Path) -> list[DictionaryObject]:
    """Every structure element under /StructTreeRoot (following /K only, so no cycles)."""
    root = _catalog(path).get("/StructTreeRoot")
    found: list[DictionaryObject] = []
    stack = [root.get_object()] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
            node = node.get_object()
        if isinstance(node, ArrayObject):
            stack.extend(reversed(node))
        elif isinstance(node, DictionaryObject):
            if "/S" in node:
                found.append(node)
            if "/K" in node:
                stack.append(node["/K"])
    return found


# What an A4 page of the report holds, measured on the demo report (10 pt body text, 9 pt tables):
# about 500 words of running text, 450 words of table text (narrow columns), 60 table rows'
# rules and padding, and a chart in a little under half a page.
PAGE_HOLDS = {"words": 500, "table_words": 450, "rows": 60, "charts": 1 / 0.45}


def content_pages(site: Path) -> float:
    """The pages the report's content needs, estimated from what its section pages hold: its
    running text, its tables' text and rows, and its charts (so a padded PDF, with blank or
    divider pages, or a PDF that lost a section, is out of bounds)."""
    from bs4 import BeautifulSoup

    held = dict.fromkeys(PAGE_HOLDS, 0)
    for page in site_pages(site):
        if page.name == "index.html":
            continue
        main = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("main")
        for table in main.find_all("table"):
            held["rows"] += len(table.find_all("tr"))
            held["table_words"] += len(table.get_text(" ").split())
            table.decompose()
        held["charts"] += len(main.find_all("img"))
        for tag in main(["script", "style"]):
            tag.decompose()
        held["words"] += len(main.get_text(" ").split())
    return sum(held[k] / PAGE_HOLDS[k] for k in PAGE_HOLDS)


@pytest.mark.parametrize("fy", YEARS)
def test_the_pdfs_length_follows_its_content(published, pdfs, fy):
    """Bounded by the content: at least 60% and at most 125% (and two pages) of the pages its
    text, tables and charts need. The old book layout's 67 pages for 2023-24 (blank verso pages,
    part dividers) were over this bound, which is about 52 pages."""
    pages = len(_reader(pdfs[fy]).pages)
    need = content_pages(published[fy])
    assert 0.6 * need <= pages <= 1.25 * need + 2, (
        f"{fy}: {pages} pages for content that needs about {need:.1f}"
    )


@pytest.mark.parametrize("fy", YEARS)
def test_the_pdf_is_titled_tagged_and_in_english(pdfs, fy):
    reader, catalog = _reader(pdfs[fy]), _catalog(pdfs[fy])
    problems = []
    title = (reader.metadata or {}).get("/Title")
    if not title or not str(title).strip():
        problems.append(f"no document title in the metadata ({reader.metadata})")
    elif fy.split("-")[0] not in str(title):
        problems.append(f"title {title!r} does not name the year {fy}")
    lang = str(catalog.get("/Lang", ""))
    if lang != "en-GB":
        problems.append(f"catalog /Lang is {lang!r}, expected 'en-GB'")
    if "/StructTreeRoot" not in catalog:
        problems.append("no /StructTreeRoot: the PDF is not tagged")
    mark = catalog.get("/MarkInfo")
    if mark is None or not _is_true(mark.get_object().get("/Marked")):
        problems.append(f"/MarkInfo /Marked is not true ({mark})")
    prefs = catalog.get("/ViewerPreferences")
    if prefs is None or not _is_true(prefs.get_object().get("/DisplayDocTitle")):
        problems.append("/ViewerPreferences /DisplayDocTitle is not true (PDF/UA)")
    assert not problems, f"{fy} PDF:\n" + "\n".join(problems)


@pytest.mark.parametrize("fy", YEARS)
def test_the_pdf_tags_headings_tables_and_figures_with_alt_text(pdfs, fy):
    elements = _struct_elements(pdfs[fy])
    kinds = [str(e["/S"]) for e in elements]
    problems = []
    if "/H1" not in kinds:
        problems.append("no /H1 heading in the structure tree")
    if "/Table" not in kinds or "/TH" not in kinds:
        problems.append("no /Table with /TH header cells in the structure tree")
    figures = [e for e in elements if e["/S"] == "/Figure"]
    if not figures:
        problems.append("no /Figure in the structure tree (the report has charts)")
    no_alt = [e for e in figures if not str(e.get("/Alt", "")).strip()]
    if no_alt:
        problems.append(f"{len(no_alt)} of {len(figures)} /Figure elements have no /Alt text")
    assert not problems, f"{fy} PDF (tags: {sorted(set(kinds))}):\n" + "\n".join(problems)


def pdfua_findings(pdf: Path) -> dict:
    """What the ``pdfua`` checker (PyPI ``pdfua``, the machine-checkable part of PDF/UA-1) finds
    in ``pdf``: its JSON report."""
    pdfua = Path(sys.executable).with_name("pdfua")
    proc = subprocess.run(
        [str(pdfua), "check", "--format", "json", str(pdf)], capture_output=True, text=True
    )
    assert proc.returncode in (0, 1, 2, 3), f"pdfua could not read {pdf}: {proc.stderr}"
    return json.loads(proc.stdout)


@pytest.mark.parametrize("fy", YEARS)
def test_the_pdf_declares_pdf_ua_1_and_the_checker_finds_nothing(pdfs, fy):
    """PDF/UA-1 declared in the XMP metadata (pdfuaid:part 1), and no error or warning from the
    checker: header cells with a scope, figures with alt text, a title shown, page furniture as
    artefacts."""
    import pikepdf

    with pikepdf.open(pdfs[fy]) as doc:
        part = doc.open_metadata().get("pdfuaid:part")
    report = pdfua_findings(pdfs[fy])
    findings = [
        f"{f.get('rule_id')} {f.get('severity')} {f.get('location', '')}: {f.get('message', '')}"
        for f in report["findings"]
    ]
    assert part == "1", f"{fy}: the PDF does not declare PDF/UA-1 (pdfuaid:part is {part!r})"
    assert report["summary"]["rules_run"] >= 10, f"{fy}: pdfua ran too few rules: {report}"
    assert not findings, f"{fy}: pdfua finds {len(findings)}:\n" + "\n".join(findings[:20])


def test_the_pdfua_check_fails_on_header_cells_without_a_scope(pdfs, tmp_path):
    """The check above can fail: the same PDF with one header cell's scope taken away."""
    import pikepdf

    broken = tmp_path / "broken.pdf"
    with pikepdf.open(pdfs["2023-24"]) as doc:
        stack, done = [doc.Root.StructTreeRoot], False
        while stack and not done:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
            elif isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Table":
                    for th in _descendants(node, "/TH"):
                        attributes = th.get("/A")
                        if isinstance(attributes, pikepdf.Dictionary) and "/Scope" in attributes:
                            del attributes["/Scope"]
                        elif isinstance(attributes, pikepdf.Array):
                            th.A = pikepdf.Array(
                                [
                                    a
                                    for a in attributes
                                    if not (isinstance(a, pikepdf.Dictionary) and "/Scope" in a)
                                ]
                            )
                    done = True
                elif "/K" in node:
                    stack.append(node.K)
        doc.save(broken)
    assert done, "no table found in the PDF's structure tree"
    rules = {f["rule_id"] for f in pdfua_findings(broken)["findings"]}
    assert "UA-15-003" in rules, f"pdfua did not notice header cells without a scope: {rules}"


def _descendants(node, role: str):
    """The structure elements of ``role`` under ``node``."""
    import pikepdf

    stack = [node.get("/K")]
    while stack:
        kid = stack.pop()
        if isinstance(kid, pikepdf.Array):
            stack.extend(kid)
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            if kid.S == role:
                yield kid
            if "/K" in kid:
                stack.append(kid.K)


@pytest.mark.parametrize("fy", YEARS)
def test_every_section_is_in_the_text_and_the_bookmarks(pdfs, fy):
    text = _squash(" ".join(_page_texts(pdfs[fy])))
    bookmarks = [t for t, _ in _outline(pdfs[fy])]
    missing_text = [s.title for s in SECTIONS if _squash(s.title) not in text]
    missing_marks = [s.title for s in SECTIONS if not any(s.title in b for b in bookmarks)]
    assert not missing_text and not missing_marks, (
        f"{fy} PDF: section titles not in the text: {missing_text}; "
        f"not in the bookmarks: {missing_marks} (bookmarks: {bookmarks})"
    )


def test_the_2023_24_pdf_gives_the_key_figures(pdfs):
    text = _squash(" ".join(_page_texts(pdfs["2023-24"])))
    missing = [f for f in KEY_FIGURES_2023_24 if f not in text]
    assert not missing, f"2023-24 PDF: key figures not in the text: {missing}"


def test_pdftotext_reads_the_same_key_figures(pdfs, tmp_path, poppler):
    out = tmp_path / "report.txt"
    subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdfs["2023-24"]), str(out)], check=True)
    text = _squash(out.read_text(encoding="utf-8"))
    missing = [f for f in KEY_FIGURES_2023_24 if f not in text]
    missing += [s.title for s in SECTIONS if _squash(s.title) not in text]
    assert not missing, f"2023-24 PDF, as pdftotext reads it, lacks: {missing}"


def _contents_page(texts: tuple[str, ...]) -> int | None:
    for i, t in enumerate(texts):
        if any(
            line.strip().lower() in ("contents", "table of contents") for line in t.splitlines()
        ):
            return i
    return None


@pytest.mark.parametrize("fy", YEARS)
def test_the_contents_list_comes_first_and_gives_true_page_numbers(pdfs, fy):
    texts = _page_texts(pdfs[fy])
    first = _contents_page(texts)
    assert first is not None, f"{fy} PDF: no page has a 'Contents' heading"
    starts = {}
    for title, page in _outline(pdfs[fy]):
        for s in SECTIONS:
            if s.title in title:
                starts.setdefault(s.number, page)
    assert 1 in starts, f"{fy} PDF: no bookmark for section 1, so its page is unknown"
    assert first < starts[1], (
        f"{fy} PDF: 'Contents' on page {first + 1}, section 1 starts on page {starts[1] + 1}"
    )
    # The contents may run over several pages, up to the first section.
    contents = "\n".join(texts[first : starts[1]])
    lines = [_squash(line) for line in contents.splitlines()]
    problems, position = [], -1
    for s in SECTIONS:
        found = [i for i, line in enumerate(lines) if s.title in line]
        if not found:
            problems.append(f"section {s.number} {s.title!r} is not in the contents")
            continue
        i = found[0]
        if i < position:
            problems.append(f"section {s.number} {s.title!r} is out of order in the contents")
        position = i
        # Its page number ends the line (or the next, when the title wraps).
        number = re.search(r"(\d+)\s*$", lines[i]) or (
            i + 1 < len(lines) and re.search(r"(\d+)\s*$", lines[i + 1])
        )
        if not number:
            problems.append(f"section {s.number}: no page number in the contents")
        elif s.number in starts and int(number.group(1)) != starts[s.number] + 1:
            problems.append(
                f"section {s.number}: the contents say page {number.group(1)}, "
                f"it starts on page {starts[s.number] + 1}"
            )
    assert not problems, f"{fy} PDF contents (page {first + 1}):\n" + "\n".join(problems)


@pytest.mark.parametrize("fy", YEARS)
def test_every_page_after_the_first_shows_its_number(pdfs, fy):
    texts = _page_texts(pdfs[fy])
    missing = []
    for i, t in enumerate(texts[1:], start=2):
        edges = [line.strip() for line in t.strip().splitlines()]
        edges = edges[:3] + edges[-3:]
        if not any(re.search(rf"(?<![\d,.]){i}(?![\d,.])", line) for line in edges):
            missing.append(i)
    assert not missing, f"{fy} PDF: no page number at the top or foot of pages {missing}"


@pytest.mark.parametrize("fy", YEARS)
def test_the_pdf_has_no_code_and_no_machine_paths(pdfs, fy):
    problems = []
    for i, t in enumerate(_page_texts(pdfs[fy]), start=1):
        if m := MACHINE_PATH.search(t):
            problems.append(f"page {i}: machine path {m.group(0)!r}")
        for marker in ("Traceback (most recent call last)", "import complaints_report", "In [ ]"):
            if marker in t:
                problems.append(f"page {i}: {marker!r}")
    assert not problems, f"{fy} PDF:\n" + "\n".join(problems)


def test_render_the_first_pages_for_a_person_to_look_at(pdfs, tmp_path, save_screen, poppler):
    prefix = tmp_path / "2023-24-pdf-page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "3", str(pdfs["2023-24"]), str(prefix)],
        check=True,
    )
    pngs = sorted(tmp_path.glob("2023-24-pdf-page*.png"))
    assert len(pngs) == 3, pngs
    for png in pngs:
        save_screen(png, png.name)
    # The cover, and the contents within the first three pages (a book may leave the back of
    # its cover blank, so that the contents start on a right-hand page).
    assert pngs[0].stat().st_size > 5_000, f"{pngs[0].name}: the cover is (nearly) blank"
    first = _contents_page(_page_texts(pdfs["2023-24"]))
    assert first is not None and first < 3, f"contents start on page {first}"
    assert pngs[first].stat().st_size > 5_000, f"{pngs[first].name}: contents (nearly) blank"


def _letters(text: str) -> str:
    """Letters and digits only, lower case: text compared whatever the line breaks, hyphenation,
    quotes and spacing of a PDF's text layer."""
    return re.sub(r"[^0-9a-z]", "", _squash(text).lower())


def _captions(site: Path) -> list[str]:
    """Every table caption on the site's pages, as readers see it there."""
    from bs4 import BeautifulSoup

    found = []
    for page in site_pages(site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        found += [
            " ".join(c.get_text(" ", strip=True).split()) for c in soup.select("table caption")
        ]
    return found


@pytest.mark.parametrize("fy", YEARS)
def test_every_table_caption_on_the_site_is_in_the_pdf(published, pdfs, fy):
    captions = _captions(published[fy])
    assert len(captions) >= 20, f"{fy}: only {len(captions)} table captions on the site"
    text = _letters(" ".join(_page_texts(pdfs[fy])))
    missing = [c for c in captions if _letters(c) not in text]
    assert not missing, f"{fy} PDF: {len(missing)} table caption(s) missing: {missing}"


# What a PDF shows where a cell offered nothing the format could use: an object's repr, or an
# image's bytes printed as text (base64, or Python's b'\x89PNG...').
RAW_OUTPUT = re.compile(r"object at 0x|[A-Za-z0-9+/]{80,}={0,2}|(?:\\x[0-9a-f]{2}){4}|b'\\x89PNG")


@pytest.mark.parametrize("fy", YEARS)
def test_the_pdf_shows_no_object_reprs_or_raw_bytes(pdfs, fy):
    problems = [
        f"page {i}: {m.group(0)[:60]!r}"
        for i, t in enumerate(_page_texts(pdfs[fy]), start=1)
        for m in [RAW_OUTPUT.search(t)]
        if m
    ]
    assert not problems, f"{fy} PDF:\n" + "\n".join(problems[:20])


@pytest.mark.parametrize("fy", YEARS)
def test_the_two_publishers_pdfs_are_of_a_similar_length(request, fy):
    """The same report laid out the same way: neither PDF is 1.2 times the other."""
    counts = {p: len(PdfReader(pdf_of(publish_demo(request, p)[fy])).pages) for p in PUBLISHERS}
    low, high = min(counts.values()), max(counts.values())
    assert high <= 1.2 * low, f"{fy}: pages by publisher {counts}"
