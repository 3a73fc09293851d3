"""Quarto's own commands at the repository root, with the real Quarto, in a copy of the
repository: `quarto render` after a year's run builds the book (website and PDF) from the
executed notebooks without touching the committed ones; `quarto preview` renders the book again
when the year's commentary is edited; with no year run, one line says what to run."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sites import section_page

from complaints_report.params import load_params
from complaints_report.publish.book import pdf_name
from complaints_report.sections import SECTIONS

FY = "2023-24"
SENTENCE = "Most complaints come from parents, some estranged,"
EDITED = "Most complaints (edited in the preview test) came from parents, some estranged,"


def _copy_repository(repo_root: Path, dest: Path) -> Path:
    """The repository's files as a clone has them (tracked, and new files not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=repo_root,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        src = repo_root / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


def _env(copy: Path) -> dict[str, str]:
    """Quarto's scripts run this Python, and the suite works in the copy."""
    return {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "QUARTO_PYTHON": sys.executable,
        "COMPLAINTS_REPORT_ROOT": str(copy),
    }


def _quarto(quarto: str, copy: Path, *args: str, timeout: int = 900):
    return subprocess.run(
        [quarto, *args],
        cwd=copy,
        env=_env(copy),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _headings(page: Path) -> list[str]:
    main = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("main")
    return [" ".join(h.get_text(" ").split()) for h in main.find_all(["h1", "h2", "h3"])]


@pytest.fixture(scope="module")
def rendered(repo_root, demo_runs, tmp_path_factory, request):
    """A copy of the repository in which 2023-24 has been run, then `quarto render` at its root."""
    from sites import quarto_or_skip

    quarto = quarto_or_skip()
    copy = _copy_repository(repo_root, tmp_path_factory.mktemp("repository"))
    sources = {p.name: p.read_bytes() for p in (copy / "notebooks").glob("*.ipynb")}
    shutil.copytree(demo_runs[FY], copy / "outputs" / FY, ignore=shutil.ignore_patterns(".*"))
    done = _quarto(quarto, copy, "render")
    return quarto, copy, done, sources


def test_with_no_year_run_quarto_render_says_in_one_line_what_to_run(repo_root, tmp_path):
    from sites import quarto_or_skip

    copy = _copy_repository(repo_root, tmp_path)
    done = _quarto(quarto_or_skip(), copy, "render", "--to", "html", timeout=300)
    said = done.stdout + done.stderr
    assert done.returncode != 0
    lines = [line for line in said.splitlines() if "run" in line and "complaints-report" in line]
    assert lines == [
        "No year has been run yet: run `complaints-report run FY (or make report)` first, "
        "then quarto render"
    ], said
    assert "Stack trace" not in said and "not found" not in said, said
    assert not (copy / "_site" / "index.html").exists()


def test_quarto_render_at_the_root_builds_the_book_from_the_executed_notebooks(rendered):
    _, copy, done, _ = rendered
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    site, published = copy / "_site", copy / "outputs" / FY / "site"
    params = load_params(FY)
    index = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    title = index.find("h1").get_text(" ", strip=True).replace("\u2019", "'")
    assert title == params.report.title
    assert "Headline figures" in index.get_text(" ")
    assert "make report" not in index.get_text(" ")  # the placeholder was replaced
    for section in SECTIONS:
        page = site / "notebooks" / section_page(section)
        assert page.is_file(), f"{page.name}: not rendered at the root"
        # The root's pages are the published site's: the same headings, section numbers included.
        assert _headings(page) == _headings(published / section_page(section)), page.name


def test_the_roots_pages_link_only_files_it_has(rendered):
    _, copy, _, _ = rendered
    site = copy / "_site"
    broken, csvs = [], 0
    for page in [site / "index.html", *sorted((site / "notebooks").glob("*.html"))]:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for a in soup.find_all("a", href=True):
            href = a["href"].split("#")[0]
            if not href or re.match(r"^[a-z]+:", href):
                continue
            csvs += href.endswith(".csv")
            if not (page.parent / href).resolve().exists():
                broken.append(f"{page.name}: {href}")
    assert csvs >= 40, f"only {csvs} links to tables' CSVs"
    assert not broken, broken[:20]


def test_quarto_render_at_the_root_makes_the_pdf_and_leaves_the_notebooks_as_committed(rendered):
    import pikepdf

    _, copy, _, sources = rendered
    pdf = copy / "_site" / pdf_name(load_params(FY))
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) >= 20
        assert doc.open_metadata().get("pdfuaid:part") == "1"
        assert str(doc.docinfo.get("/Title")) == load_params(FY).report.title
    now = {p.name: p.read_bytes() for p in (copy / "notebooks").glob("*.ipynb")}
    assert now == sources, "quarto render changed the committed notebooks"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait(predicate, seconds: float, what: str, log: Path):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(1)
    pytest.fail(f"{what} within {seconds:.0f} s; quarto preview said:\n{log.read_text()[-3000:]}")


def test_quarto_preview_renders_the_book_again_when_the_commentary_is_edited(rendered):
    quarto, copy, done, _ = rendered
    assert done.returncode == 0
    port = _free_port()
    log = copy / "preview.log"
    params = copy / "params" / f"{FY}.yml"
    page = f"http://127.0.0.1:{port}/notebooks/{section_page(SECTIONS[6])}"
    with log.open("w") as out:
        preview = subprocess.Popen(
            [quarto, "preview", "--no-browser", "--port", str(port), "--to", "html"],
            cwd=copy,
            env=_env(copy),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait(lambda: SENTENCE in _get(page), 300, "quarto preview served no page", log)
        text = params.read_text(encoding="utf-8")
        assert SENTENCE in text
        params.write_text(text.replace(SENTENCE, EDITED), encoding="utf-8")
        _wait(lambda: EDITED in _get(page), 300, "the edited commentary was not on the page", log)
        assert SENTENCE not in _get(page)
    finally:
        os.killpg(preview.pid, 15)
        preview.wait(timeout=30)
