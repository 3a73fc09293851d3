"""The published website, read as HTML: every page is accessible, complete and free of code,
internal files and machine paths.

Each rule is a function that returns one message per fault, so a failure names the page, the rule
and the element. The rules run on the two published demo years (slow: they need the yearly run)
and, first, on a tiny hand-made site, to show that each rule catches what it is for (cheap).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd
import pytest
from bs4 import BeautifulSoup, Tag

from complaints_report.sections import SECTIONS

YEARS = ("2023-24", "2020-21")
SECTION_PAGES = tuple(f"{s.number:02d}-{s.slug}.html" for s in SECTIONS)
TITLES = {f"{s.number:02d}-{s.slug}.html": s.title for s in SECTIONS}
# Key figures of 2023-24 as the published report gives them (tests/backtest/published_2023-24.yml).
KEY_FIGURES_2023_24 = ("139", "£12,394.84", "£69,608.96", "86%")
FORBIDDEN_NAMES = {"figures.json", "run.json"}
FORBIDDEN_SUFFIXES = {".ipynb", ".log"}
MACHINE_PATH = re.compile(r"(?<![\w.])/(?:work|tmp|home|root)/|file://")
# Class names nbconvert, JupyterLab and Pygments give to code and to error output.
CODE_CLASS = re.compile(
    r"^(?:input|input_area|input_prompt|prompt|jp-InputArea.*|jp-InputPrompt|jp-CodeCell"
    r"|jp-Editor|highlight.*|output_stderr|output_error|jp-RenderedText-stderr)$"
)

Problems = list[str]


def _text(el: Tag) -> str:
    return " ".join(el.get_text(" ", strip=True).split())


def _classes(el: Tag) -> list[str]:
    c = el.get("class") or []
    return c.split() if isinstance(c, str) else list(c)


def _page_of(href: str) -> str:
    """The site file a link points to, as a plain relative path: ``./04-x.html#a`` -> ``04-x.html``."""
    return (
        posixpath.normpath(unquote(urlsplit(href).path))
        if href and not href.startswith("#")
        else ""
    )


def heading_matches(text: str, section) -> bool:
    """A section page's <h1>: the section's title, optionally after its number (Quarto numbers
    its chapters: ``4 Quarterly scorecards``)."""
    return re.sub(rf"^{section.number}\.?\s+", "", text) == section.title


def _local(href: str) -> bool:
    """A link to a file of the site (not another site, a mail address or the same page)."""
    parts = urlsplit(href)
    return not (parts.scheme or parts.netloc or href.startswith("#") or not parts.path)


def _where(el: Tag) -> str:
    """The element, shortened, for a failure message."""
    s = re.sub(r"\s+", " ", str(el))
    return s if len(s) <= 160 else s[:157] + "..."


def _document_order(soup: BeautifulSoup) -> dict[int, int]:
    return {id(el): i for i, el in enumerate(soup.find_all(True))}


# --- the rules: (page path, parsed page, site folder) -> one message per fault ----------------


def rule_lang(path: Path, soup: BeautifulSoup, site: Path) -> Problems:
    lang = soup.html.get("lang") if soup.html else None
    return [] if lang == "en-GB" else [f'<html lang="{lang}">: expected lang="en-GB"']


def rule_title(path: Path, soup: BeautifulSoup, site: Path) -> Problems:
    title = soup.find("title")
    return [] if title and _text(title) else ["no <title>, or an empty one"]


def rule_one_h1(path: Path, soup: BeautifulSoup, site: Path) -> Problems:
    h1s = soup.find_all("h1")
    if len(h1s) == 1 and _text(h1s[0]):
        return []
    return [f"{len(h1s)} <h1> elements, expected exactly one with text: {[_text(h) for h in h1s]}"]


def rule_heading_order(path: Path, soup: BeautifulSoup, site: Path) -> Problems:
    problems, previous = [], 0
    for h in soup.find_all(re.compile(r"^h[1-6]$")):
        level = int(h.name[1])
        if previous == 0 and level != 1:
            problems.append(f"first heading is <{h.name}> {_text(h)!r}, expected <h1>")
        elif level > previous + 1 and previous:
            problems.append(f"<{h.name}> {_text(h)!r} follows <h{previous}>: level skipped")
        if not _text(h):
            problems.append(f"empty <{h.name}>")
        previous = level
    return problems


def rule_skip_link(path: Path, soup: BeautifulSoup, site: Path) -> Problems:
    """A skip link goes to the page's one <main>, which has an id. (That it is the first thing
    the keyboard reaches, once the page has loaded, is checked in the browser.)"""
    mains = soup.find_all("main")
    if len(mains) != 1 or not mains[0].get("id"):
        return [f"{len(mains)} <main> elements, expected one with an id for the skip link"]
    target = f"#{mains[0]['id']}"
    links = [a for a in soup.find_all("a", href=True) if a["href"] == target]
    if not links:
        return [f'no skip link <a href="{target}"> to the <main>']
    if not any(re.search(r"skip", _text(a), re.I) for a in links):
        return [f"the link to {target} does not say it skips to the content: {_where(links[0])}"]
    return []


def rule_nav(path: Path, soup: BeautifulSoup, site: Path) -> Problems:
    """A <nav> links every section page, in order, each link naming its section. (Its name and
    the current page's aria-current, which Quarto's pages get from a script, are checked in the
    browser: tests/publish/test_browser.py.)"""
    listing = [
        n
        for n in soup.find_all("nav")
        if {_page_of(a["href"]) for a in n.find_all("a", href=True)} >= set(SECTION_PAGES)
    ]
    if not listing:
        return ["no <nav> links every section page"]
    nav = listing[0]
    problems = []
    in_order = [_page_of(a["href"]) for a in nav.find_all("a", href=True)]
    in_order = [h for i, h in enumerate(in_order) if h in SECTION_PAGES and h not in in_order[:i]]
    if in_order != list(SECTION_PAGES):
        problems.append(f"section <nav> lists the sections out of order: {in_order}")
    for a in nav.find_all("a", href=True):
        title = TITLES.get(_page_of(a["href"]))
        if title and title not in _text(a):
            problems.append(f"nav link {_where(a)} does not name the section {title!r}")
    return problems


def rule_pdf_link(path: Path, soup: BeautifulSoup, site: Path) -> Problems:
    links = [a for a in soup.find_all("a", href=True) if "Download PDF" in _text(a)]
    if not links:
        return ["no <a> whose text contains 'Download PDF'"]
    problems = []
    for a in links:
        target = (path.parent / unquote(urlsplit(a["href"]).path)).resolve()
        if not a["href"].lower().endswith(".pdf"):
            problems.append(f"PDF link {_where(a)} does not point to a .pdf")
        elif not target.is_file() or target.stat().st_size == 0:
            problems.append(f"PDF link {_where(a)}: {a['href']} does not exist or is empty")
        elif not target.read_bytes()[:5] == b"%PDF-":
            problems.append(f"PDF link {_where(a)}: {a['href']} is not a PDF file")
    return problems


def rule_images(path: Path, soup: BeautifulSoup, site: Path) -> Problems:
    problems = []
    for img in soup.find_all("img"):
        if not (img.get("alt") or "").strip():
            problems.append(f"<img> without alt text: {_where(img)}")
        if img.find_parent("figure") is None:
            problems.append(f"<img> not inside a <figure>: {_where(img)}")
    return problems


def rule_tables(path: Path, soup: BeautifulSoup, site: Path) -> Problems:
    problems = []
    for i, table in enumerate(soup.find_all("table"), 1):
        name = table.get("id") or f"table {i}"
        caption = table.find("caption")
        if caption is None or not _text(caption):
            problems.append(f"{name}: no <caption>, or an empty one")
        ths = table.find_all("th")
        if not ths:
            problems.append(f"{name}: no <th> header cells")
        for th in ths:
            if th.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
                problems.append(f"{name}: <th> without scope: {_where(th)}")
    return problems


def rule_csv_links(path: Path, soup: BeautifulSoup, site: Path) -> Problems:
    problems = []
    order = _document_order(soup)
    tables = soup.find_all("table")
    for i, table in enumerate(tables):
        name = table.get("id") or f"table {i + 1}"
        link = table.find_next("a", class_="csv-link")
        following = tables[i + 1] if i + 1 < len(tables) else None
        if link is None or (following is not None and order[id(link)] > order[id(following)]):
            problems.append(f'{name}: no <a class="csv-link"> after it (before the next table)')
            continue
        href = link.get("href", "")
        if not re.fullmatch(r"tables/[^/]+\.csv", href):
            problems.append(f"{name}: CSV link href {href!r}, expected tables/NAME.csv")
            continue
        if not link.has_attr("download"):
            problems.append(f"{name}: CSV link {_where(link)} has no download attribute")
        if not _text(link):
            problems.append(f"{name}: CSV link has no text")
        target = path.parent / unquote(href)
        if not target.is_file():
            problems.append(f"{name}: {href} does not exist")
            continue
        try:
            frame = pd.read_csv(target)
        except Exception as exc:  # noqa: BLE001 - any parse failure is the finding
            problems.append(f"{name}: {href} does not parse as CSV: {exc}")
            continue
        if frame.shape[1] == 0 or frame.empty:
            problems.append(f"{name}: {href} has no columns or no rows")
    for a in soup.find_all("a", class_="csv-link"):
        if a.find_previous("table") is None:
            problems.append(f"CSV link {_where(a)} follows no table")
    return problems


def rule_no_code(path: Path, soup: BeautifulSoup, site: Path) -> Problems:
    problems = [f"<pre> (code or raw output): {_where(pre)}" for pre in soup.find_all("pre")]
    for el in soup.find_all(True):
        bad = [c for c in _classes(el) if CODE_CLASS.match(c)]
        if bad:
            problems.append(f"element with code/error class {bad}: {_where(el)}")
    for el in soup.find_all(attrs={"data-mime-type": re.compile("stderr|error")}):
        problems.append(f"error output: {_where(el)}")
    text = soup.get_text(" ")
    for marker in ("Traceback (most recent call last)", "Warning:", "DeprecationWarning"):
        if marker in text:
            problems.append(f"page text contains {marker!r} (a Python message reached the page)")
    return problems


def rule_assets_local(path: Path, soup: BeautifulSoup, site: Path) -> Problems:
    """Styles and scripts come from the site itself: nothing is fetched from another server
    (a reader's browser tells no third party what they read, and the site works offline)."""
    problems = []
    sheets = [link for link in soup.find_all("link") if "stylesheet" in (link.get("rel") or [])]
    if not sheets:
        problems.append("no stylesheet")
    refs = [(s, s.get("href", "")) for s in sheets]
    refs += [(s, s["src"]) for s in soup.find_all("script", src=True)]
    for el, ref in refs:
        if not _local(ref):
            problems.append(f"not part of the site: {_where(el)}")
        elif not (path.parent / unquote(urlsplit(ref).path)).is_file():
            problems.append(f"{ref} does not exist")
    return problems


def rule_local_links_resolve(path: Path, soup: BeautifulSoup, site: Path) -> Problems:
    problems = []
    for el, attr in [(a, "href") for a in soup.find_all(["a", "link"], href=True)] + [
        (img, "src") for img in soup.find_all("img", src=True)
    ]:
        ref = el[attr]
        parts = urlsplit(ref)
        if ref.startswith("#"):
            target_page, fragment = path, parts.fragment
        elif _local(ref):
            target_page, fragment = (path.parent / unquote(parts.path)).resolve(), parts.fragment
            if target_page.is_dir():  # a web server answers a folder with its index.html
                target_page = target_page / "index.html"
            if not target_page.is_file():
                problems.append(f"broken link: {_where(el)}")
                continue
        else:
            continue
        if fragment and target_page.suffix == ".html":
            target = parse(target_page) if target_page != path else soup
            if target.find(id=fragment) is None and target.find(attrs={"name": fragment}) is None:
                problems.append(f"link to a missing #{fragment}: {_where(el)}")
    return problems


def rule_no_machine_paths(path: Path, soup: BeautifulSoup, site: Path) -> Problems:
    return [
        f"machine path {m.group(0)!r} in …{line.strip()[:120]}…"
        for line in path.read_text(encoding="utf-8").splitlines()
        for m in [MACHINE_PATH.search(line)]
        if m
    ]


def rule_unique_ids(path: Path, soup: BeautifulSoup, site: Path) -> Problems:
    # A repeated id breaks in-page links, the contents and assistive technology's references.
    ids = [el["id"] for el in soup.find_all(id=True)]
    return [f"id {i!r} is used {ids.count(i)} times" for i in sorted(set(ids)) if ids.count(i) > 1]


PAGE_RULES: dict[str, Callable[[Path, BeautifulSoup, Path], Problems]] = {
    "lang": rule_lang,
    "title": rule_title,
    "one-h1": rule_one_h1,
    "heading-order": rule_heading_order,
    "skip-link": rule_skip_link,
    "nav": rule_nav,
    "pdf-link": rule_pdf_link,
    "images": rule_images,
    "tables": rule_tables,
    "csv-links": rule_csv_links,
    "no-code": rule_no_code,
    "assets-local": rule_assets_local,
    "links-resolve": rule_local_links_resolve,
    "no-machine-paths": rule_no_machine_paths,
    "unique-ids": rule_unique_ids,
}


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def site_pages(site: Path) -> list[Path]:
    order = {"index.html": -1, **{p: i for i, p in enumerate(SECTION_PAGES)}}
    return sorted(site.rglob("*.html"), key=lambda p: (order.get(p.name, len(order)), str(p)))


def check_pages(site: Path, rule: str) -> Problems:
    """One rule over every page of a site: "page: message" for each fault."""
    out = []
    for page in site_pages(site):
        out += [f"{page.relative_to(site)}: {m}" for m in PAGE_RULES[rule](page, parse(page), site)]
    return out


def check_site_files(site: Path) -> Problems:
    """Files that must never be published, and machine paths in the site's CSV and CSS."""
    problems = []
    for f in sorted(site.rglob("*")):
        rel = f.relative_to(site)
        if f.name in FORBIDDEN_NAMES or f.suffix in FORBIDDEN_SUFFIXES:
            problems.append(f"{rel}: must not be published")
        elif f.suffix in (".csv", ".css") and (m := MACHINE_PATH.search(f.read_text("utf-8"))):
            problems.append(f"{rel}: contains a machine path {m.group(0)!r}")
    for page in SECTION_PAGES + ("index.html",):
        if not (site / page).is_file():
            problems.append(f"{page}: missing")
    return problems


def report(problems: Problems) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


# --- the published demo years (slow: the yearly run, then the publisher) ----------------------


@pytest.mark.slow
@pytest.mark.parametrize("rule", PAGE_RULES)
@pytest.mark.parametrize("fy", YEARS)
def test_every_page_keeps_the_rule(published, fy, rule):
    problems = check_pages(published[fy], rule)
    assert not problems, f"{fy} site, rule {rule}: " + report(problems)


@pytest.mark.slow
@pytest.mark.parametrize("fy", YEARS)
def test_site_has_every_page_and_nothing_internal(published, fy):
    problems = check_site_files(published[fy])
    assert not problems, f"{fy} site: " + report(problems)


@pytest.mark.slow
@pytest.mark.parametrize("fy", YEARS)
def test_each_section_page_is_headed_by_its_title(published, fy):
    wrong = {}
    for section, name in zip(SECTIONS, SECTION_PAGES, strict=True):
        h1 = parse(published[fy] / name).find("h1")
        if h1 is None or not heading_matches(_text(h1), section):
            wrong[name] = _text(h1) if h1 else None
    assert not wrong, f"{fy}: <h1> differs from the section title: {wrong}"


@pytest.mark.slow
def test_the_2023_24_site_shows_the_key_figures(published):
    text = " ".join(_text(parse(p)) for p in site_pages(published["2023-24"]))
    missing = [f for f in KEY_FIGURES_2023_24 if f not in text]
    assert not missing, f"2023-24 site: key figures not found in any page: {missing}"


@pytest.mark.slow
def test_the_index_of_years_links_every_year(published):
    index = published["index"]
    soup = parse(index)
    hrefs = {a["href"] for a in soup.find_all("a", href=True)}
    missing = [f"{fy}/site/index.html" for fy in YEARS if f"{fy}/site/index.html" not in hrefs]
    assert not missing, f"{index.name}: no link to {missing}; links: {sorted(hrefs)}"
    problems = []
    index_rules = ("lang", "title", "one-h1", "heading-order", "skip-link", "links-resolve")
    for rule in (*index_rules, "no-machine-paths"):
        problems += [
            f"index.html: {rule}: {m}" for m in PAGE_RULES[rule](index, soup, index.parent)
        ]
    assert not problems, report(problems)


# --- the rules themselves, on a tiny hand-made site (cheap) -----------------------------------

GOOD_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{title} – Report</title>
<link rel="stylesheet" href="style.css"></head>
<body><a class="skip-link" href="#main">Skip to main content</a>
<header><a class="pdf-link" href="report.pdf">Download PDF of the whole report</a></header>
<nav aria-label="Report sections"><ol>{nav}</ol></nav>
<main id="main" tabindex="-1"><h1>{title}</h1>
<h2>Numbers</h2>
<table id="t1"><caption>Complaints by quarter</caption>
<thead><tr><th scope="col">Quarter</th><th scope="col">Complaints</th></tr></thead>
<tbody><tr><th scope="row">Q1</th><td>139</td></tr></tbody></table>
<p><a class="csv-link" href="tables/t1.csv" download>Download this table (CSV)</a></p>
<figure><img src="chart.png" alt="Bar chart: 139 complaints in Q1"><figcaption>Chart</figcaption></figure>
<h3>More</h3><p>Text.</p>
</main></body></html>
"""


def _nav(current: str | None) -> str:
    return "".join(
        f'<li><a href="{p}"{" aria-current=page" if p == current else ""}>{t}</a></li>'
        for p, t in TITLES.items()
    )


@pytest.fixture
def mini_site(tmp_path) -> Path:
    """A tiny site with the published layout that keeps every rule."""
    site = tmp_path / "site"
    (site / "tables").mkdir(parents=True)
    (site / "style.css").write_text("body { font-family: sans-serif; }\n", encoding="utf-8")
    (site / "tables" / "t1.csv").write_text("Quarter,Complaints\nQ1,139\n", encoding="utf-8")
    (site / "report.pdf").write_bytes(b"%PDF-1.7\n%%EOF\n")
    (site / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (site / "index.html").write_text(
        GOOD_PAGE.format(title="Report", nav=_nav(None)), encoding="utf-8"
    )
    for page, title in TITLES.items():
        (site / page).write_text(GOOD_PAGE.format(title=title, nav=_nav(page)), encoding="utf-8")
    return site


def test_the_rules_pass_a_good_site(mini_site):
    problems = [p for rule in PAGE_RULES for p in check_pages(mini_site, rule)]
    problems += check_site_files(mini_site)
    assert not problems, report(problems)


BREAKAGES = {
    "lang": ('lang="en-GB"', 'lang="en"'),
    "title": (re.compile(r"<title>.*?</title>"), "<title> </title>"),
    "one-h1": ("<h2>Numbers</h2>", "<h1>Numbers</h1>"),
    "heading-order": ("<h3>More</h3>", "<h4>More</h4>"),
    "skip-link": ('<a class="skip-link" href="#main">', '<a class="skip-link" href="#content">'),
    "nav": ('<li><a href="05-statutory-overview.html">', '<li><a href="elsewhere.html">'),
    "pdf-link": ("Download PDF of", "Get the"),
    "images": ('alt="Bar chart: 139 complaints in Q1"', 'alt=""'),
    "tables": ('<th scope="row">Q1</th>', "<th>Q1</th>"),
    "csv-links": ('<a class="csv-link" href="tables/t1.csv" download>', '<a href="tables/t1.csv">'),
    "no-code": ("<h3>More</h3>", '<h3>More</h3><div class="jp-InputArea"><pre>x = 1</pre></div>'),
    "assets-local": ("</body>", '<script src="https://cdn.example.org/x.js"></script></body>'),
    "links-resolve": ('href="tables/t1.csv"', 'href="tables/missing.csv"'),
    "no-machine-paths": ("<p>Text.</p>", "<p>See /work/main/outputs/x.csv</p>"),
}


@pytest.mark.parametrize("rule", BREAKAGES)
def test_each_rule_catches_its_fault(mini_site, rule):
    page = mini_site / SECTION_PAGES[3]
    old, new = BREAKAGES[rule]
    html = page.read_text(encoding="utf-8")
    if isinstance(old, re.Pattern):
        broken = old.sub(new, html, count=1)
    else:
        assert old in html
        broken = html.replace(old, new, 1)
    assert broken != html
    page.write_text(broken, encoding="utf-8")
    problems = check_pages(mini_site, rule)
    assert problems and all(p.startswith(SECTION_PAGES[3]) for p in problems), problems


def test_internal_files_are_caught(mini_site):
    (mini_site / "figures.json").write_text("{}", encoding="utf-8")
    (mini_site / "tables" / "04-x.ipynb").write_text("{}", encoding="utf-8")
    (mini_site / "tables" / "t1.csv").write_text("a\n/tmp/pytest/x\n", encoding="utf-8")
    (mini_site / "11-timescales.html").unlink()
    problems = check_site_files(mini_site)
    assert len(problems) == 4, problems
