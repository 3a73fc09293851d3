"""Publishing swaps a complete site in, or leaves the last good one exactly as it was."""

from __future__ import annotations

import hashlib
import io
import logging
import shutil

import pytest
from pypdf import PdfReader

from complaints_report.params import load_params
from complaints_report.publish import build
from complaints_report.publish import quarto as quarto_publisher
from complaints_report.publish.book import PublishError, pdf_name, read_book
from complaints_report.publish.build import publish_year
from complaints_report.publish.quarto import build_with_quarto, check_pdf, check_quarto_site
from complaints_report.sections import SECTIONS


def _digest(folder):
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def test_quarto_chapters_are_exactly_the_section_notebooks_in_order():
    _, chapters = read_book()
    assert [c.section for c in chapters] == list(SECTIONS)


@pytest.mark.slow
def test_a_failed_publish_leaves_the_last_good_site_untouched(demo_runs, tmp_path):
    year_dir = tmp_path / "2023-24"
    shutil.copytree(demo_runs["2023-24"], year_dir)
    site = publish_year("2023-24", out=str(tmp_path), use_quarto=False)
    before = _digest(site)
    (year_dir / "notebooks" / SECTIONS[6].notebook).unlink()  # one section missing
    with pytest.raises(PublishError, match=SECTIONS[6].notebook):
        publish_year("2023-24", out=str(tmp_path), use_quarto=False)
    assert _digest(site) == before
    leftovers = [p.name for p in year_dir.iterdir() if p.name.startswith(".site")]
    assert leftovers == [], "temporary folders are cleaned up"


@pytest.mark.slow
def test_a_republish_replaces_the_site_whole(demo_runs, tmp_path):
    year_dir = tmp_path / "2023-24"
    shutil.copytree(demo_runs["2023-24"], year_dir)
    site = publish_year("2023-24", out=str(tmp_path), use_quarto=False)
    (site / "stale.html").write_text("left over from an older build", encoding="utf-8")
    site = publish_year("2023-24", out=str(tmp_path), use_quarto=False)
    assert not (site / "stale.html").exists()
    assert (site / "index.html").is_file()
    assert oct(site.stat().st_mode & 0o777) == "0o755"


def test_asking_for_quarto_without_it_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(PublishError, match="Quarto was asked for but is not on PATH"):
        publish_year("2023-24", out=str(tmp_path), use_quarto=True)


# --- Quarto: the real one on PATH (tests/publish/conftest.py says how it is found) ----------


@pytest.mark.slow
def test_quarto_publishes_a_checked_site_and_keeps_the_old_one_when_it_fails(
    quarto_year, repo_root
):
    before_nb = sorted(
        (p.name, p.stat().st_mtime) for p in (repo_root / "notebooks").glob("*.ipynb")
    )
    site = publish_year("2023-24", out=str(quarto_year), use_quarto=True)
    assert (site / "search.json").is_file(), "not Quarto's site: no search index"
    check_pdf(site / pdf_name(load_params("2023-24")))
    before = _digest(site)
    (quarto_year / "2023-24" / "notebooks" / SECTIONS[6].notebook).unlink()
    with pytest.raises(PublishError, match=SECTIONS[6].notebook):
        publish_year("2023-24", out=str(quarto_year), use_quarto=True)
    assert _digest(site) == before
    leftovers = [
        p.name
        for p in (quarto_year / "2023-24").iterdir()
        if p.name.startswith((".site", "quarto-"))
    ]
    assert leftovers == [], "temporary folders are cleaned up"
    after_nb = sorted(
        (p.name, p.stat().st_mtime) for p in (repo_root / "notebooks").glob("*.ipynb")
    )
    assert after_nb == before_nb, "publishing never writes into notebooks/"


def _quarto_output(quarto_year) -> tuple:
    params = load_params("2023-24")
    config, chapters = read_book()
    site = quarto_year / "site-out"
    site.mkdir()
    build_with_quarto(
        shutil.which("quarto"), params, config, chapters, quarto_year / "2023-24", site
    )
    return site, chapters, site / pdf_name(params)


@pytest.mark.slow
def test_what_quarto_wrote_is_checked_before_it_is_published(quarto_year):
    site, chapters, pdf = _quarto_output(quarto_year)
    check_quarto_site(site, chapters, pdf)  # as Quarto wrote it: passes

    page = site / chapters[3].page
    saved = page.read_bytes()
    page.unlink()
    with pytest.raises(PublishError, match=f"Quarto did not write {chapters[3].page}"):
        check_quarto_site(site, chapters, pdf)
    page.write_bytes(saved)

    good = pdf.read_bytes()
    pdf.unlink()
    with pytest.raises(PublishError, match="was not written, or is empty"):
        check_quarto_site(site, chapters, pdf)
    pdf.write_bytes(b"")
    with pytest.raises(PublishError, match="was not written, or is empty"):
        check_quarto_site(site, chapters, pdf)
    pdf.write_bytes(good[: len(good) // 3])
    with pytest.raises(PublishError, match="cannot be read|no pages|not tagged"):
        check_quarto_site(site, chapters, pdf)
    # The same PDF with its tags taken out.
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(good)))
    del writer._root_object[NameObject("/StructTreeRoot")]
    del writer._root_object[NameObject("/MarkInfo")]
    buffer = io.BytesIO()
    writer.write(buffer)
    pdf.write_bytes(buffer.getvalue())
    with pytest.raises(PublishError, match="not tagged"):
        check_quarto_site(site, chapters, pdf)


@pytest.mark.slow
def test_quarto_too_old_for_typst_books_makes_the_site_and_the_offline_pdf(
    quarto_year, monkeypatch, caplog
):
    # Quarto 1.7 to 1.9.17 renders no Typst book: the site is Quarto's, the PDF WeasyPrint's.
    # The real Quarto on PATH is newer, so the threshold is moved above it.
    monkeypatch.setattr(quarto_publisher, "QUARTO_TYPST_BOOKS", (99, 0, 0))
    caplog.set_level(logging.INFO, logger="complaints_report.publish")
    site = publish_year("2023-24", out=str(quarto_year), use_quarto=True)
    pdf = site / pdf_name(load_params("2023-24"))
    check_pdf(pdf)
    assert "WeasyPrint" in (PdfReader(pdf).metadata or {}).get("/Producer", "")
    assert (site / "search.json").is_file()
    assert "PDF by the offline publisher" in caplog.text
    assert (
        f'href="{pdf.name}"' in (site / SECTIONS[3].notebook.replace(".ipynb", ".html")).read_text()
    )


def _script(folder, version: str) -> str:
    folder.mkdir()
    script = folder / "quarto"
    script.write_text(f"#!/bin/sh\necho {version}\n")
    script.chmod(0o755)
    return str(script)


def test_quarto_older_than_1_7_is_refused_with_what_to_do(tmp_path):
    # Only `quarto --version` is asked before the refusal: a script that answers it will do.
    quarto = _script(tmp_path / "bin", "1.6.42")
    params = load_params("2023-24")
    config, chapters = read_book()
    with pytest.raises(PublishError, match=r"Quarto 1\.6\.42 is too old.*1\.7 or later"):
        build_with_quarto(quarto, params, config, chapters, tmp_path, tmp_path / "site")
    assert quarto_publisher.quarto_version(quarto) == (1, 6, 42)
    assert quarto_publisher.quarto_version(_script(tmp_path / "b2", "99.1")) == (99, 1, 0)


def test_the_publisher_can_be_chosen_by_environment(monkeypatch):
    for value, expected in (("quarto", True), ("offline", False), ("auto", None), ("", None)):
        monkeypatch.setenv(build.PUBLISHER_ENV, value)
        assert build.publisher_choice() is expected
    monkeypatch.setenv(build.PUBLISHER_ENV, "latex")
    with pytest.raises(PublishError, match="expected quarto, offline or auto"):
        build.publisher_choice()
