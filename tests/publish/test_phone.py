"""The published website on a phone (360 CSS px) and a laptop (1280 px), in Debian's Chromium:
every table readable, chart text legible, the commentary in the text column, a compact header,
the headline figures on the opening page; and charts that show shares as percentages.
"""

from __future__ import annotations

import json

import pytest
from sites import SECTION_PAGES, YEARS

from complaints_report.present import charts
from complaints_report.publish.headlines import headlines, year_before

pytestmark = pytest.mark.slow

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 900}
CHART_PAGES = (
    "04-quarterly-scorecards.html",
    "07-who-complained.html",
    "10-children-in-care-and-advocacy.html",
    "11-timescales.html",
)
COMMENTARY_PAGES = ("02-executive-summary.html", "11-timescales.html")


def _url(base: str, fy: str, name: str = "index.html") -> str:
    return f"{base}/{fy}/site/{name}"


def _load(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    # the page's own script marks the wide tables on load
    page.wait_for_timeout(50)


_TABLES_JS = """() => Array.from(document.querySelectorAll('table.report-table')).map(t => {
  const wrap = t.closest('.table-wrap');
  const vw = document.documentElement.clientWidth;
  const cap = t.querySelector('caption');
  const capRect = cap ? cap.getBoundingClientRect() : null;
  const out = {
    id: t.id,
    caption: cap ? cap.textContent.trim() : null,
    captionRight: capRect ? capRect.right : null,
    captionLeft: capRect ? capRect.left : null,
    captionClipped: cap ? cap.scrollWidth > cap.clientWidth + 1 : null,
    tableRight: t.getBoundingClientRect().right,
    vw: vw,
  };
  if (!wrap) { return out; }
  const w = wrap.getBoundingClientRect();
  out.wrap = {
    role: wrap.getAttribute('role'), tabindex: wrap.getAttribute('tabindex'),
    label: wrap.getAttribute('aria-label') || '', labelledby: wrap.getAttribute('aria-labelledby'),
    scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth, right: w.right, left: w.left,
    background: getComputedStyle(wrap).backgroundImage,
  };
  const hint = wrap.previousElementSibling;
  out.hint = hint && hint.classList.contains('scroll-hint') ? {
    text: hint.textContent.trim(), hidden: hint.hidden,
    height: hint.getBoundingClientRect().height, display: getComputedStyle(hint).display,
  } : null;
  const first = t.querySelector('tbody tr > :first-child');
  out.firstPosition = first ? getComputedStyle(first).position : null;
  return out;
})"""


@pytest.mark.parametrize("fy", YEARS)
def test_every_table_is_readable_on_a_phone(browser, site_server, published, fy, save_screen):
    """At 360 px a table either fits, or scrolls in a named, focusable region with a visible
    hint, a shadowed edge and its first column held; no caption is cut off; the page itself
    never scrolls sideways."""
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    problems: list[str] = []
    wide_seen = 0
    try:
        for name in ("index.html", *SECTION_PAGES):
            _load(page, _url(site_server, fy, name))
            page_width = page.evaluate("document.documentElement.scrollWidth")
            if page_width > PHONE["width"]:
                problems.append(f"{name}: the page is {page_width} px wide at 360 px")
            for t in page.evaluate(_TABLES_JS):
                where = f"{name} {t['id']} ({t['caption']!r})"
                if t["captionClipped"] or t["captionRight"] > t["vw"] + 1 or t["captionLeft"] < 0:
                    problems.append(
                        f"{where}: caption cut off ({t['captionLeft']}-{t['captionRight']} px)"
                    )
                wrap = t.get("wrap")
                fits = t["tableRight"] <= t["vw"] + 1 and (
                    wrap is None or wrap["scrollWidth"] <= wrap["clientWidth"] + 1
                )
                if fits:
                    continue
                wide_seen += 1
                if wrap is None:
                    problems.append(f"{where}: wider than the screen and not in a scroll region")
                    continue
                if wrap["role"] != "region" or wrap["tabindex"] != "0":
                    problems.append(
                        f"{where}: scroll region role={wrap['role']} tabindex={wrap['tabindex']}"
                    )
                if not (wrap["label"].strip() or wrap["labelledby"]):
                    problems.append(f"{where}: the scroll region has no name")
                if wrap["right"] > t["vw"] + 1:
                    problems.append(
                        f"{where}: the scroll region runs off the screen ({wrap['right']} px)"
                    )
                hint = t["hint"]
                if not hint or hint["hidden"] or hint["display"] == "none" or hint["height"] < 10:
                    problems.append(f"{where}: no visible hint that the table scrolls ({hint})")
                elif "scroll" not in hint["text"].lower():
                    problems.append(f"{where}: the hint does not say it scrolls: {hint['text']!r}")
                if "gradient" not in wrap["background"]:
                    problems.append(f"{where}: no shadow at the scrolling edge")
                if t["firstPosition"] != "sticky":
                    problems.append(f"{where}: first column is {t['firstPosition']}, not held")
            if name == "11-timescales.html":
                save_screen(page.screenshot(full_page=False), f"phone-{fy}-timescales.png")
        # The first column really stays put when a wide table is scrolled to its end.
        _load(page, _url(site_server, fy, "11-timescales.html"))
        moved = page.evaluate("""() => {
          const wrap = Array.from(document.querySelectorAll('.table-wrap'))
            .find(w => w.scrollWidth > w.clientWidth + 1);
          if (!wrap) { return null; }
          const cell = wrap.querySelector('tbody tr > :first-child');
          const before = cell.getBoundingClientRect().left;
          wrap.scrollLeft = wrap.scrollWidth;
          const after = cell.getBoundingClientRect().left;
          const cap = wrap.querySelector('caption').getBoundingClientRect();
          return [before, after, cap.left, wrap.getBoundingClientRect().left];
        }""")
    finally:
        context.close()
    assert wide_seen, f"{fy}: no table is wider than a phone; the check above proved nothing"
    assert moved is not None, f"{fy}: section 11 has no wide table at 360 px"
    before, after, cap_left, wrap_left = moved
    assert abs(after - before) <= 1, f"{fy}: the first column moved {before} -> {after} px"
    assert abs(cap_left - wrap_left) <= 1, f"{fy}: the caption scrolled away ({cap_left} px)"
    assert not problems, f"{fy}: " + "\n".join(problems)


@pytest.mark.parametrize("fy", YEARS)
def test_chart_text_is_at_least_12px_on_a_phone(browser, site_server, published, fy):
    """Each chart's smallest text, as the phone shows it: its size in the PNG's own pixels
    (``data-text-px`` of the picture chosen) scaled by the width the image is shown at."""
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    sizes: list[tuple[str, float]] = []
    try:
        for name in CHART_PAGES:
            _load(page, _url(site_server, fy, name))
            sizes += [
                (f"{name} {s['id']}", s)
                for s in page.evaluate("""() => Array.from(document.querySelectorAll('figure.chart img')).map(img => {
                  const source = img.closest('picture') && img.closest('picture').querySelector('source');
                  const fromSource = source && img.currentSrc === source.getAttribute('srcset');
                  const px = parseFloat((fromSource ? source : img).dataset.textPx);
                  return {id: img.closest('figure').id, alt: img.alt, px: px, phone: fromSource,
                          shown: img.getBoundingClientRect().width, natural: img.naturalWidth};
                })""")
            ]
    finally:
        context.close()
    assert sizes, f"{fy}: no chart found on {CHART_PAGES}"
    problems = []
    for where, s in sizes:
        if not s["alt"].strip():
            problems.append(f"{where}: no alt text")
        if not s["natural"] or s["px"] != s["px"]:
            problems.append(f"{where}: image not loaded or its text size unknown ({s})")
            continue
        css_px = s["px"] * s["shown"] / s["natural"]
        if css_px < 12:
            problems.append(
                f"{where}: smallest text {css_px:.1f} CSS px (phone drawing: {s['phone']})"
            )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("fy", YEARS)
def test_commentary_sits_in_the_text_column_at_body_size(page, site_server, published, fy):
    """At 1280 px the analyst's commentary is a box at least 60% as wide as the main column, in
    the body's type size, still named for screen readers."""
    found = 0
    for name in COMMENTARY_PAGES:
        _load(page, _url(site_server, fy, name))
        boxes = page.evaluate("""() => {
          const main = document.querySelector('main');
          const body = parseFloat(getComputedStyle(main.querySelector('p:not(.commentary p)') || main).fontSize);
          return Array.from(document.querySelectorAll('.commentary')).map(c => ({
            width: c.getBoundingClientRect().width,
            main: main.getBoundingClientRect().width,
            size: parseFloat(getComputedStyle(c.querySelector('p') || c).fontSize),
            body: body,
            label: c.getAttribute('aria-label') || '',
            margin: !!c.closest('.column-margin, .margin-sidebar'),
          }));
        }""")
        for b in boxes:
            found += 1
            assert not b["margin"], f"{name}: the commentary is in the margin"
            assert b["width"] >= 0.6 * b["main"], (
                f"{name}: commentary {b['width']} px of {b['main']} px"
            )
            assert b["size"] >= b["body"] - 0.5, (
                f"{name}: commentary at {b['size']} px, body {b['body']} px"
            )
            assert b["label"].strip(), f"{name}: the commentary has no name for screen readers"
    assert found, f"{fy}: no commentary on {COMMENTARY_PAGES}"


@pytest.mark.parametrize("fy", YEARS)
def test_header_is_compact_on_a_phone(browser, site_server, published, fy, save_screen):
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    try:
        heights = {}
        for name in ("index.html", "05-statutory-overview.html", "11-timescales.html"):
            _load(page, _url(site_server, fy, name))
            heights[name] = page.evaluate("""() => {
              const h = document.querySelector('#quarto-header, header.site-header');
              return h ? h.getBoundingClientRect().height : null;
            }""")
            if name == "11-timescales.html":
                save_screen(page.screenshot(), f"phone-{fy}-header.png")
    finally:
        context.close()
    assert all(h is not None for h in heights.values()), heights
    assert all(h <= 120 for h in heights.values()), f"{fy}: header heights at 360 px: {heights}"


@pytest.mark.parametrize("fy", YEARS)
def test_opening_page_shows_the_headline_figures(page, site_server, published, fy):
    """The opening page gives the year's headline figures, each with its change from the year
    before, and they are the figures of the year's figures.json."""
    from complaints_report.params import load_params

    params = load_params(fy)
    figures = json.loads((published[fy].parent / "figures.json").read_text(encoding="utf-8"))
    expected = headlines(
        figures,
        year_before(params),
        params.targets.stage1_limit,
        params.disclosure.active_threshold,
    )
    # An independent reading of figures.json for the counts the page must agree with.
    areas = figures["service_areas"].values()
    stage1 = sum(a["stages"]["Stage 1"] for a in areas)
    stage2 = sum(a["stages"]["Stage 2"] for a in areas)
    decisions = sum(a["ombudsman"]["decisions"] for a in areas)
    responded = sum(a["timescales"]["Stage 1"]["responded"] for a in areas)
    within = sum(a["timescales"]["Stage 1"]["within_limit"] for a in areas)

    _load(page, _url(site_server, fy))
    shown = page.evaluate("""() => Array.from(document.querySelectorAll('.headline-figures li')).map(li => ({
      key: li.dataset.figure,
      value: li.querySelector('.figure-value').innerText.trim(),
      label: li.querySelector('.figure-label').innerText.trim(),
      change: li.querySelector('.figure-change').innerText.trim(),
      visible: li.getBoundingClientRect().height > 0,
    }))""")
    by_key = {s["key"]: s for s in shown}
    assert [s["key"] for s in shown] == [h.key for h in expected]
    for h in expected:
        s = by_key[h.key]
        assert s["visible"], f"{h.key} is not visible"
        assert (s["value"], s["label"], s["change"]) == (h.value, h.label, h.change)
    assert by_key["stage1"]["value"] == f"{stage1:,}"
    assert by_key["stage2"]["value"] == f"{stage2:,}"
    assert by_key["ombudsman_decisions"]["value"] == f"{decisions:,}"
    assert by_key["stage1_in_time"]["value"] == f"{round(100 * within / responded)}%"
    previous = fy.split("-")[0]
    assert all(
        s["change"].startswith(("Up from", "Down from", "The same as", "No figure", "Change from"))
        and str(int(previous) - 1) in s["change"]
        for s in shown
    ), shown
    if fy == "2023-24":  # the demo records cover 2022-23
        assert not any(s["change"].startswith("No figure") for s in shown), shown


def _figures_drawn(monkeypatch) -> list:
    """Every matplotlib figure the charts draw from now on, kept for inspection."""
    drawn = []
    real = charts.render_png

    def keep(fig):
        # Laid out as render_png lays it out, measured, then saved as published.
        if fig.get_layout_engine() is None:
            fig.tight_layout()
        fig.canvas.draw()
        drawn.append(
            {
                "size": tuple(fig.get_size_inches()),
                "texts": [
                    (t.get_text(), t.get_window_extent())
                    for t in fig.findobj(charts.Text)
                    if t.get_visible() and t.get_text().strip()
                ],
                "titles": [
                    t.get_window_extent()
                    for t in [*(a.title for a in fig.axes), *(a._left_title for a in fig.axes)]
                    + ([fig._suptitle] if fig._suptitle is not None else [])
                    if t.get_text().strip()
                ],
                "value_ticks": [
                    [lab.get_text() for lab in (*a.get_xticklabels(), *a.get_yticklabels())]
                    for a in fig.axes
                ],
                "bar_labels": [
                    t.get_window_extent() for a in fig.axes for t in a.texts if t.get_text().strip()
                ],
            }
        )
        return real(fig)

    monkeypatch.setattr(charts, "render_png", keep)
    return drawn


def test_share_charts_number_their_axis_in_percent_and_keep_labels_off_the_title(
    demo_runs, monkeypatch, tmp_path
):
    """The report's share charts (section 11's response times among them), drawn for A4 and
    for a phone: the value axis reads in "%", and no bar label meets the title."""
    from complaints_report.content import timescales
    from complaints_report.report import load_context

    ctx = load_context("2023-24", output_dir=str(tmp_path))
    drawn = _figures_drawn(monkeypatch)
    made = [timescales.stage_chart(ctx, stage) for stage in ("Stage 1", "Stage 2")]
    assert all(made) and len(drawn) == 4, f"{len(drawn)} drawings"
    for d in drawn:
        ticks = [t for axis in d["value_ticks"] for t in axis if any(ch.isdigit() for ch in t)]
        percent = [t for t in ticks if t.endswith("%")]
        assert len(percent) >= 3, f"no axis numbered in %: {ticks}"
        for label in d["bar_labels"]:
            for title in d["titles"]:
                assert not label.overlaps(title), f"a bar label meets the title in {d['size']}"


def test_a_single_bar_gets_a_short_chart(monkeypatch):
    drawn = _figures_drawn(monkeypatch)
    charts.grouped_bars(
        "one",
        ["Within 25 working days", "26 to 65 working days", "Over 65 working days"],
        {"Children's Social Care": [0.0, 1.0, 0.0]},
        title="Stage 2 response times",
        ylabel="Share of responses",
        percent=True,
        alt="One bar: all four responses took 26 to 65 working days.",
        caption="Stage 2 responses.",
    )
    a4 = drawn[0]["size"]
    assert a4[0] == charts.A4_TEXT_WIDTH_IN
    assert a4[1] <= 0.4 * a4[0], f"one bar drawn {a4[1]} in tall on a {a4[0]} in width"
