"""Fixtures for the published report: both demo years published once, served on loopback, and
Debian's Chromium driven by Playwright.

Set ``COMPLAINTS_REPORT_PUBLISHED_OUT`` to an output folder that already holds published years
(``<out>/<FY>/site/`` and ``<out>/index.html``) to check it as it is, without the yearly run.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
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


@pytest.fixture(scope="session", params=PUBLISHERS)
def publisher(request) -> str:
    """Which publisher made the site under test: ``offline`` or ``quarto`` (or ``given``)."""
    if os.environ.get("COMPLAINTS_REPORT_PUBLISHED_OUT"):
        if request.param != PUBLISHERS[0]:
            pytest.skip("COMPLAINTS_REPORT_PUBLISHED_OUT: the given site is tested once")
        return "given"
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
    """Debian's Chromium under Playwright. Missing Chromium fails the run (CI installs it with
    `make system-deps`) unless COMPLAINTS_REPORT_ALLOW_SKIP_BROWSER=1, which skips instead."""
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} not found: run `make system-deps` (Debian's chromium package). "
            "Playwright never downloads a browser of its own here."
        )
        if os.environ.get("COMPLAINTS_REPORT_ALLOW_SKIP_BROWSER") == "1":
            pytest.skip(message + " Skipped: COMPLAINTS_REPORT_ALLOW_SKIP_BROWSER=1.")
        pytest.fail(message, pytrace=False)
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
