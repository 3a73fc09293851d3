"""The published demo years, by publisher: how the published-report tests find and make them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from complaints_report.sections import SECTIONS

YEARS = ("2023-24", "2020-21")
PUBLISHERS = ("offline", "quarto")


def section_page(section) -> str:
    """The site page of a section: ``NN-slug.html``."""
    return f"{section.number:02d}-{section.slug}.html"


SECTION_PAGES = tuple(section_page(s) for s in SECTIONS)


def site_pages(site: Path) -> list[Path]:
    """Every HTML page of a year's site: index first, then the sections in order, then others."""
    pages = sorted(site.rglob("*.html"))
    order = {"index.html": -1, **{p: i for i, p in enumerate(SECTION_PAGES)}}
    return sorted(pages, key=lambda p: (order.get(p.name, len(order)), str(p)))


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def pdf_of(site: Path) -> Path:
    """The PDF that the site's index links to with its "Download PDF" link."""
    soup = parse(site / "index.html")
    links = [a for a in soup.find_all("a", href=True) if "Download PDF" in a.get_text()]
    assert links, f"{site / 'index.html'}: no <a> whose text contains 'Download PDF'"
    return site / links[0]["href"].split("#")[0]


def quarto_or_skip() -> str:
    """The ``quarto`` on PATH. Without one the Quarto runs skip, saying why; on CI
    (``CI=true``), where .ci/run puts Quarto on PATH, they fail instead."""
    quarto = shutil.which("quarto")
    if quarto:
        return quarto
    message = (
        "Quarto is not on PATH, so the site and PDF that Quarto publishes are not tested "
        "(install Quarto 1.7 or later: quarto.org/docs/download, or conda-forge's quarto)"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + "; CI=true requires it", pytrace=False)
    pytest.skip(message)


_PUBLISHED = pytest.StashKey[dict]()


def publish_demo(request, publisher: str) -> dict[str, Path]:
    """Both demo years published by ``publisher`` into an output folder of their own, once per
    session: ``{"2023-24": site, "2020-21": site, "index": index.html}``."""
    cache = request.config.stash.setdefault(_PUBLISHED, {})
    if publisher in cache:
        return cache[publisher]
    if publisher == "quarto":
        quarto_or_skip()
    from complaints_report.publish.build import publish_index, publish_year

    demo_runs = request.getfixturevalue("demo_runs")
    run_out = demo_runs["2023-24"].parent
    out = request.getfixturevalue("tmp_path_factory").mktemp(f"published-{publisher}")
    for fy in YEARS:
        shutil.copytree(run_out / fy, out / fy, ignore=shutil.ignore_patterns(".*"))
    use_quarto = publisher == "quarto"
    sites = {fy: Path(publish_year(fy, out=str(out), use_quarto=use_quarto)) for fy in YEARS}
    cache[publisher] = {**sites, "index": Path(publish_index(out=str(out)))}
    return cache[publisher]
