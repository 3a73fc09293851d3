"""Fixtures for the published report: both demo years published once, served on loopback, and
Debian's Chromium driven by Playwright.

Set ``COMPLAINTS_REPORT_PUBLISHED_OUT`` to an output folder that already holds published years
(``<out>/<FY>/site/`` and ``<out>/index.html``) to check it as it is, without the yearly run.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sites import PUBLISHERS, YEARS, pdf_of, publish_demo, quarto_or_skip, site_pages

CHROMIUM = Path("/usr/bin/chromium")
# Chromium as root, headless, on a machine whose only network is loopback: without the
# background-networking flags it keeps trying (and failing) to reach Google's hosts.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Copies of screenshots and PDF pages for a person to look at, beside pytest's own tmp copies.
SCREENS = Path("/tmp/screens")


@pytest.fixture
def quarto() -> str:
    """The ``quarto`` on PATH (see :func:`quarto_or_skip`)."""
    return quarto_or_skip()


@pytest.fixture
def quarto_year(demo_runs, tmp_path, quarto):
    """A copy of the executed 2023-24 year to publish with Quarto."""
    shutil.copytree(demo_runs["2023-24"], tmp_path / "2023-24", ignore=shutil.ignore_patterns(".*"))
    return tmp_path


def given_publisher(out: Path) -> str:
    """Which publisher made an already published output folder: Quarto's pages name it in their
    ``generator`` meta tag; the offline publisher's do not."""
    index = out / YEARS[0] / "site" / "index.html"
    try:
        head = index.read_text(encoding="utf-8")[:20_000]
    except OSError as exc:
        raise pytest.UsageError(
            f"COMPLAINTS_REPORT_PUBLISHED_OUT={out}: no published {YEARS[0]} site there ({exc})"
        ) from exc
    return "quarto" if re.search(r'<meta name="generator" content="quarto', head) else "offline"


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "publishers(*names): the publishers a published-site check applies to (default: both); "
        "it is not collected for the others",
    )


def pytest_generate_tests(metafunc):
    """Each published-site check runs once per publisher it applies to: both demo publishers, or
    the one that made the folder COMPLAINTS_REPORT_PUBLISHED_OUT names. A check that does not
    apply to a publisher is not collected for it, so a green run has no skip."""
    if "publisher" not in metafunc.fixturenames:
        return
    given = os.environ.get("COMPLAINTS_REPORT_PUBLISHED_OUT")
    names = [given_publisher(Path(given).resolve())] if given else list(PUBLISHERS)
    marker = metafunc.definition.get_closest_marker("publishers")
    if marker is not None:
        names = [n for n in names if n in marker.args]
    metafunc.parametrize("publisher", names, indirect=True, scope="session")


@pytest.fixture(scope="session")
def publisher(request) -> str:
    """Which publisher made the site under test: ``offline`` or ``quarto``."""
    return request.param


@pytest.fixture(scope="session")
def published(request, publisher) -> dict[str, Path]:
    """Both demo years published once by each publisher:
    ``{"2023-24": site, "2020-21": site, "index": index.html}``."""
    given = os.environ.get("COMPLAINTS_REPORT_PUBLISHED_OUT")
    if given:
        out = Path(given).resolve()
        return {**{fy: out / fy / "site" for fy in YEARS}, "index": out / "index.html"}
    return publish_demo(request, publisher)


@pytest.fixture(scope="session")
def year_pages(published) -> dict[str, list[Path]]:
    """Every HTML page of each year's site, index first, then the sections in report order."""
    return {fy: site_pages(published[fy]) for fy in YEARS}


@pytest.fixture(scope="session")
def pdfs(published) -> dict[str, Path]:
    """Each year's PDF, as its site's index links to it."""
    return {fy: pdf_of(published[fy]) for fy in YEARS}


@pytest.fixture(scope="session")
def poppler() -> None:
    """poppler-utils' pdftotext and pdftoppm (`make system-deps` installs them): missing, the
    PDF checks that read with them fail rather than skip."""
    missing = [tool for tool in ("pdftotext", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not found: run `make system-deps` (Debian's poppler-utils)",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def save_screen():
    """``save_screen(png_bytes_or_path, name)``: a copy in /tmp/screens/ for a person to look
    at. Never fails a test."""

    def save(data_or_path: bytes | Path, name: str) -> Path | None:
        try:
            SCREENS.mkdir(parents=True, exist_ok=True)
            if isinstance(data_or_path, Path):
                shutil.copyfile(data_or_path, SCREENS / name)
            else:
                (SCREENS / name).write_bytes(data_or_path)
        except OSError:
            return None
        return SCREENS / name

    return save


@pytest.fixture(scope="session")
def published_out(published) -> Path:
    """The output folder that holds every published year and the index of years."""
    return published["index"].parent


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature http.server calls
        pass


@pytest.fixture(scope="session")
def site_server(published_out) -> Iterator[str]:
    """The output folder served over HTTP on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(published_out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright. Missing Chromium fails the run, whatever the
    environment says (`make test` installs it with `make system-deps`)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: run `make system-deps` (Debian's chromium package). "
            "Playwright never downloads a browser of its own here.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page (own context) that accepts downloads, sized like a laptop screen."""
    context = browser.new_context(
        accept_downloads=True, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture
def broken(published, tmp_path):
    """``broken(edit)``: a copy of the published 2023-24 year (site, tables, figures.json) with
    ``edit(soup_of)`` applied, where ``soup_of(page)`` gives a page's soup to change in place."""

    def make(edit) -> Path:
        year = published["2023-24"].parent
        copy = tmp_path / "2023-24"
        shutil.copytree(year / "site", copy / "site")
        shutil.copytree(year / "tables", copy / "tables")
        for figures in year.glob("figures*.json"):  # the year's, and the year before's
            shutil.copy2(figures, copy / figures.name)
        soups: dict[str, BeautifulSoup] = {}

        def soup_of(name: str) -> BeautifulSoup:
            if name not in soups:
                soups[name] = BeautifulSoup(
                    (copy / "site" / name).read_text(encoding="utf-8"), "html.parser"
                )
            return soups[name]

        edit(soup_of)
        for name, soup in soups.items():
            (copy / "site" / name).write_text(str(soup), encoding="utf-8")
        return copy / "site"

    return make
