"""The published website in a real browser (Debian's Chromium, driven by Playwright), served over
HTTP from the output folder: navigation, images, downloads, the keyboard, reflow and an axe-core
audit of every page against WCAG 2.2 AA.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from test_site import heading_matches

from complaints_report.sections import SECTIONS

pytestmark = pytest.mark.slow

YEARS = ("2023-24", "2020-21")
SECTION_PAGES = tuple(f"{s.number:02d}-{s.slug}.html" for s in SECTIONS)
PAGES = ("index.html", *SECTION_PAGES)
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The navigation that lists the sections, whatever its accessible name.
SECTION_NAV = f'nav:has(a[href$="{SECTION_PAGES[0]}"])'
NAV_NAME = "Report sections"
CHART_PAGES = (
    "04-quarterly-scorecards.html",
    "07-who-complained.html",
    "08-what-complaints-were-about.html",
)


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


class PageWatch:
    """What went wrong while pages loaded: HTTP errors, failed requests, script errors."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on(
            "response",
            lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"),
        )
        page.on(
            "requestfailed", lambda r: self.errors.append(f"request failed: {r.url} ({r.failure})")
        )
        page.on("pageerror", lambda e: self.errors.append(f"script error: {e}"))
        # "Failed to load resource" repeats a response above, or is Chromium's own favicon.ico.
        page.on(
            "console",
            lambda m: (
                m.type == "error"
                and not m.text.startswith("Failed to load resource")
                and self.errors.append(f"console error: {m.text}")
            ),
        )


def _url(base: str, fy: str, name: str = "index.html") -> str:
    return f"{base}/{fy}/site/{name}"


@pytest.mark.parametrize("fy", YEARS)
def test_the_nav_reaches_every_section_and_back(page, site_server, fy):
    watch = PageWatch(page)
    index = _url(site_server, fy)
    page.goto(index)
    index_h1 = _squash(page.locator("h1").inner_text())
    problems = []
    for section, name in zip(SECTIONS, SECTION_PAGES, strict=True):
        link = page.locator(SECTION_NAV).first.locator(f'a[href$="{name}"]')
        if link.count() != 1:
            problems.append(f"index.html: the section nav has {link.count()} links to {name}")
            continue
        link.click()
        page.wait_for_url(f"**/{name}")
        h1 = page.locator("h1")
        got = _squash(h1.first.inner_text()) if h1.count() else None
        if h1.count() != 1 or not heading_matches(got or "", section):
            problems.append(f"{name}: {h1.count()} <h1>, text {got!r}, expected {section.title!r}")
        page.go_back()
        page.wait_for_url(index)
        back = _squash(page.locator("h1").first.inner_text())
        if back != index_h1:
            problems.append(f"back from {name}: <h1> {back!r}, expected the index's {index_h1!r}")
    problems += watch.errors
    assert not problems, f"{fy}:\n" + "\n".join(problems)


@pytest.mark.parametrize("fy", YEARS)
def test_every_image_has_alt_text_and_loads(page, site_server, fy):
    problems, seen = [], 0
    for name in PAGES:
        page.goto(_url(site_server, fy, name))
        images = page.evaluate(
            """() => Array.from(document.images).map(i => ({
                src: (i.getAttribute('src') || '').slice(0, 60),
                alt: i.getAttribute('alt'),
                loaded: i.complete && i.naturalWidth > 0,
                inFigure: !!i.closest('figure'),
            }))"""
        )
        seen += len(images)
        for img in images:
            if not _squash(img["alt"]):
                problems.append(f"{name}: <img src={img['src']!r}> has no alt text")
            if not img["loaded"]:
                problems.append(f"{name}: <img src={img['src']!r}> did not load")
            if not img["inFigure"]:
                problems.append(f"{name}: <img src={img['src']!r}> is not inside a <figure>")
    assert seen, f"{fy}: no images on any page (the report has charts)"
    assert not problems, f"{fy}:\n" + "\n".join(problems)


@pytest.mark.parametrize("fy", YEARS)
def test_every_csv_link_downloads_a_csv(page, site_server, fy):
    problems, urls = [], {}
    for name in PAGES:
        page.goto(_url(site_server, fy, name))
        for href in page.eval_on_selector_all("a.csv-link", "els => els.map(a => a.href)"):
            urls.setdefault(href, name)
    assert urls, f"{fy}: no CSV links on any page"
    for url, name in urls.items():
        response = page.request.get(url)
        if response.status != 200:
            problems.append(f"{name}: {url}: HTTP {response.status}")
            continue
        try:
            frame = pd.read_csv(io.BytesIO(response.body()), encoding="utf-8-sig")
        except Exception as exc:  # noqa: BLE001 - any parse failure is the finding
            problems.append(f"{name}: {url} does not parse as CSV: {exc}")
            continue
        if frame.empty or frame.shape[1] == 0:
            problems.append(f"{name}: {url} has no rows or no columns")
    assert not problems, f"{fy}:\n" + "\n".join(problems)


@pytest.mark.parametrize("fy", YEARS)
def test_a_csv_link_click_downloads_the_file(page, site_server, fy, tmp_path):
    page.goto(_url(site_server, fy, SECTION_PAGES[3]))
    link = page.locator("a.csv-link").first
    expected = link.get_attribute("href").rsplit("/", 1)[-1]
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename == expected
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert not pd.read_csv(target, encoding="utf-8-sig").empty


@pytest.mark.parametrize("fy", YEARS)
def test_the_pdf_link_on_every_page_resolves_to_a_pdf(page, site_server, fy):
    problems, urls = [], {}
    for name in PAGES:
        page.goto(_url(site_server, fy, name))
        link = page.locator("a", has_text="Download PDF")
        if link.count() == 0:
            problems.append(f"{name}: no link whose text contains 'Download PDF'")
            continue
        urls.setdefault(link.first.evaluate("a => a.href"), name)
    for url, name in urls.items():
        response = page.request.get(url)
        kind = response.headers.get("content-type", "")
        if response.status != 200 or not kind.startswith("application/pdf"):
            problems.append(f"{name}: {url}: HTTP {response.status}, {kind!r}")
        elif not response.body().startswith(b"%PDF-"):
            problems.append(f"{name}: {url} is not a PDF file")
    assert len(urls) <= 1, f"{fy}: pages link different PDFs: {urls}"
    assert not problems, f"{fy}:\n" + "\n".join(problems)


FOCUS_STATE = """() => {
    const a = document.activeElement;
    const r = a.getBoundingClientRect();
    const s = getComputedStyle(a);
    return {
        tag: a.tagName, href: a.getAttribute('href'), text: (a.innerText || '').trim(),
        x: r.x, y: r.y, w: r.width, h: r.height, vw: innerWidth, vh: innerHeight,
        clip: s.clip, clipPath: s.clipPath, opacity: s.opacity,
        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
        shadow: s.boxShadow !== 'none',
    };
}"""


@pytest.mark.parametrize("fy", YEARS)
def test_tab_from_the_top_focuses_a_visible_skip_link_that_works(page, site_server, fy):
    problems = []
    for name in PAGES:
        page.goto(_url(site_server, fy, name))
        main_id = page.evaluate("() => document.querySelector('main')?.id")
        page.keyboard.press("Tab")
        f = page.evaluate(FOCUS_STATE)
        where = f"{name}: after one Tab, focus is on <{f['tag'].lower()} href={f['href']!r}>"
        # Quarto's script writes in-page links out in full (page URL + #id): same target.
        if not main_id or f["tag"] != "A" or not (f["href"] or "").endswith(f"#{main_id}"):
            problems.append(f"{where}, expected the skip link to <main id={main_id!r}>")
            continue
        on_screen = (
            f["w"] >= 10
            and f["h"] >= 10
            and f["x"] >= 0
            and f["y"] >= 0
            and f["x"] + f["w"] <= f["vw"]
            and f["y"] + f["h"] <= f["vh"]
        )
        hidden = f["clip"] not in ("auto", "") or f["clipPath"] not in ("none", "")
        if not on_screen or hidden or float(f["opacity"]) < 1 or not f["text"]:
            problems.append(f"{where}: not visible when focused ({f})")
        if not (f["outline"] or f["shadow"]):
            problems.append(f"{where}: no focus indicator (outline or box-shadow)")
        page.keyboard.press("Enter")
        after = page.evaluate("() => [location.hash, document.activeElement.id]")
        if after != [f"#{main_id}", main_id]:
            problems.append(f"{name}: Enter on the skip link gives hash/focus {after}")
    assert not problems, f"{fy}:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", ["index.html", SECTION_PAGES[3], SECTION_PAGES[4]])
def test_pages_reflow_at_320_css_pixels(browser, site_server, name, save_screen, tmp_path):
    """WCAG 1.4.10: at 320 CSS pixels wide, nothing but a data table goes past the edge."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        pg = context.new_page()
        pg.goto(_url(site_server, "2023-24", name))
        # Elements outside tables that reach past the right edge (a table may scroll: 1.4.10's
        # exception for content that needs two dimensions). Their ancestors are left out.
        wide = pg.evaluate(
            """() => Array.from(document.querySelectorAll('body *'))
                .filter(e => !e.closest('table') && !e.querySelector('table')
                    && e.getBoundingClientRect().right > innerWidth + 1)
                .slice(0, 8).map(e => e.outerHTML.slice(0, 100))"""
        )
        shot = pg.screenshot(full_page=True)
        (tmp_path / f"320-{name}.png").write_bytes(shot)
        save_screen(shot, f"2023-24-320px-{name.replace('.html', '')}.png")
    finally:
        context.close()
    assert not wide, f"2023-24 {name} at 320px: past the right edge:\n" + "\n".join(wide)


def _axe(page) -> dict:
    if not AXE.is_file():
        pytest.fail(
            f"{AXE} missing: run `make install-test` (npm ci installs axe-core)", pytrace=False
        )
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: tags, resultTypes: ['violations']})", AXE_TAGS
    )


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for node in v["nodes"][:8]:
            summary = _squash(node.get("failureSummary"))[:200]
            lines.append(f"    at {json.dumps(node['target'])}: {summary}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("fy", YEARS)
def test_axe_finds_no_violations(page, site_server, fy, name):
    """Any axe-core violation fails, whatever its impact (minor and moderate included)."""
    page.goto(_url(site_server, fy, name))
    violations = _axe(page)["violations"]
    assert not violations, f"{fy} {name}: axe-core (WCAG 2.2 AA):\n{_describe(violations)}"


def test_axe_finds_no_violations_on_the_index_of_years(page, site_server):
    page.goto(f"{site_server}/index.html")
    violations = _axe(page)["violations"]
    assert not violations, f"index of years: axe-core (WCAG 2.2 AA):\n{_describe(violations)}"


@pytest.mark.parametrize("name", ["index.html", SECTION_PAGES[3]])
def test_screenshots_for_a_person_to_look_at(page, site_server, name, tmp_path, save_screen):
    page.goto(_url(site_server, "2023-24", name))
    shot = page.screenshot(full_page=True)
    (tmp_path / f"2023-24-{name}.png").write_bytes(shot)
    save_screen(shot, f"2023-24-{name.replace('.html', '')}.png")
    assert len(shot) > 10_000, "the screenshot is (nearly) blank"


# The <nav> that links every section page: its accessible name and the pages it marks current.
NAV_STATE = """pages => {
    const file = a => new URL(a.href).pathname.split('/').pop();
    const nav = Array.from(document.querySelectorAll('nav')).find(
        n => pages.every(p => Array.from(n.querySelectorAll('a[href]')).some(a => file(a) === p)));
    if (!nav) return null;
    const label = nav.getAttribute('aria-label') || (nav.getAttribute('aria-labelledby') || '')
        .split(/\\s+/).map(id => document.getElementById(id)?.innerText || '').join(' ').trim();
    const current = Array.from(nav.querySelectorAll('a[aria-current="page"]')).map(file);
    return {label, current};
}"""


@pytest.mark.parametrize("fy", YEARS)
def test_the_section_nav_is_named_and_marks_the_current_page(page, site_server, fy):
    """What assistive technology is told once the page has loaded (scripts included)."""
    problems = []
    for name in SECTION_PAGES:
        page.goto(_url(site_server, fy, name))
        state = page.evaluate(NAV_STATE, list(SECTION_PAGES))
        if state is None:
            problems.append(f"{name}: no <nav> links the sections")
            continue
        if state["label"] != NAV_NAME:
            problems.append(
                f"{name}: the section <nav> is named {state['label']!r}, expected {NAV_NAME!r}"
            )
        if state["current"] != [name]:
            problems.append(
                f'{name}: aria-current="page" on {state["current"]}, expected [{name!r}]'
            )
    assert not problems, f"{fy}:\n" + "\n".join(problems)


CHART_FIT = """() => Array.from(document.querySelectorAll('figure img')).map(img => {
    const box = img.closest('figure').parentElement.getBoundingClientRect();
    const r = img.getBoundingClientRect();
    return {alt: (img.alt || '').slice(0, 50), right: r.right, left: r.left, boxRight: box.right + 1,
            boxLeft: box.left - 1};
})"""
PAGE_WIDTH = "() => [document.documentElement.scrollWidth, innerWidth]"


@pytest.mark.parametrize("width", [1280, 360])
def test_charts_and_pages_fit_their_column(browser, site_server, width, save_screen):
    """No chart is wider than the column it sits in, and no page scrolls sideways."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    problems, charts = [], 0
    try:
        pg = context.new_page()
        for name in CHART_PAGES:
            pg.goto(_url(site_server, "2023-24", name))
            for c in pg.evaluate(CHART_FIT):
                charts += 1
                if c["right"] > c["boxRight"] or c["left"] < c["boxLeft"]:
                    problems.append(f"{name}: chart {c['alt']!r} overflows its column ({c})")
            scroll, inner = pg.evaluate(PAGE_WIDTH)
            if scroll > inner + 1:
                problems.append(f"{name}: the page is {scroll}px wide in a {inner}px window")
        save_screen(pg.screenshot(full_page=False), f"2023-24-{width}px-{CHART_PAGES[0][:-5]}.png")
    finally:
        context.close()
    assert charts, "no charts found on the chart pages"
    assert not problems, f"at {width}px:\n" + "\n".join(problems)


@pytest.mark.parametrize("fy", YEARS)
def test_the_synthetic_data_notice_is_on_every_page(page, site_server, fy):
    missing = []
    for name in PAGES:
        page.goto(_url(site_server, fy, name))
        notice = page.locator(".notice", has_text="Synthetic data")
        if notice.count() == 0 or not notice.first.is_visible():
            missing.append(name)
    assert not missing, f"{fy}: no visible synthetic-data notice on {missing}"


@pytest.mark.publishers("quarto")
def test_search_finds_a_section(page, site_server, publisher):
    """Quarto's search (the offline site has none: its pages are one list of sections)."""
    page.goto(_url(site_server, "2023-24"))
    page.locator("#quarto-search").first.click()
    page.keyboard.type("Ombudsman")
    results = page.locator(".aa-Item")
    results.first.wait_for(timeout=15_000)
    texts = " ".join(results.all_inner_texts())
    assert "Ombudsman" in texts, f"search for 'Ombudsman' shows: {texts[:300]!r}"
