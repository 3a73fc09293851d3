"""Publishing with Quarto again after a change: only the changed pages are rendered into the last
published project (``.cache/quarto-site/``), the PDF is compiled again from the last render's
Typst (``.cache/quarto-pdf/``) when only Typst the notebooks offer changed, and the site and
PDF are what a whole render makes."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from complaints_report.params import load_params
from complaints_report.publish import quarto as quarto_publisher
from complaints_report.publish.book import PublishError, pdf_name
from complaints_report.publish.build import publish_year
from complaints_report.publish.incremental import (
    QUARTO_STAMP,
    changes,
    pdf_project,
    quarto_typst,
    site_project,
    typst_edits,
)
from complaints_report.publish.quarto import quarto_notebook
from complaints_report.sections import SECTIONS

BIN = Path(sys.executable).parent
FY = "2023-24"
SENTENCE = "Most complaints come from parents"
EDITED = "Most complaints (edited for this test) come from parents"


def _files(site):
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}


def _digest(site):
    h = hashlib.sha256()
    for name, path in sorted(_files(site).items()):
        h.update(name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _pdf_text(pdf):
    return [page.extract_text() for page in PdfReader(pdf).pages]


def _edit(year_dir, old=SENTENCE, new=EDITED):
    """The commentary of section 07 edited in its executed notebook, as a re-run would leave it."""
    nb = year_dir / "notebooks" / SECTIONS[6].notebook
    text = nb.read_text(encoding="utf-8")
    assert old in text
    nb.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.slow
def _content(path: Path) -> bytes | dict[str, bytes]:
    """A published file's content: its bytes, or for a Word file or a spreadsheet (ZIP
    packages that carry the time they were made) every part but the one holding that time."""
    if path.suffix not in (".docx", ".xlsx"):
        return path.read_bytes()
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_one_changed_page_is_rendered_alone_into_what_a_whole_render_makes(
    quarto_year, tmp_path, monkeypatch, caplog
):
    caplog.set_level(logging.INFO, logger="complaints_report.publish")
    year_dir = quarto_year / FY
    publish_year(FY, out=str(quarto_year), use_quarto=True)
    assert (site_project(year_dir) / "_site" / "index.html").is_file()
    assert "rendering the whole book" in caplog.text, "no last project: the whole book"

    _edit(year_dir)
    whole_out = tmp_path / "whole"
    shutil.copytree(year_dir, whole_out / FY)  # the last published project too
    caplog.clear()
    site = publish_year(FY, out=str(quarto_year), use_quarto=True)
    assert f"1 of {len(SECTIONS)} page(s) changed" in caplog.text
    assert "compiling the PDF again from the last render's Typst" in caplog.text
    assert "rendering the whole PDF" not in caplog.text
    page = site / SECTIONS[6].notebook.replace(".ipynb", ".html")
    assert "edited for this test" in page.read_text(encoding="utf-8")
    pdf = site / pdf_name(load_params(FY))
    assert any("edited for this test" in text for text in _pdf_text(pdf))

    # `publish --force` renders the whole book, though the last project could serve.
    forced = subprocess.run(
        [str(BIN / "complaints-report"), "publish", FY, "--out", str(whole_out), "--force"],
        capture_output=True,
        text=True,
        env={**os.environ, "COMPLAINTS_REPORT_PUBLISHER": "quarto"},
    )
    assert forced.returncode == 0, forced.stderr
    assert "rendering the whole book" in forced.stderr
    assert "page(s) changed" not in forced.stderr
    whole = whole_out / FY / "site"
    got, want = _files(site), _files(whole)
    assert got.keys() == want.keys()
    differ = [n for n in want if n != pdf.name and _content(got[n]) != _content(want[n])]
    assert differ == [], "pages rendered alone differ from the whole render's"
    assert _pdf_text(pdf) == _pdf_text(whole / pdf.name)
    # The Typst compiled is the Typst that Quarto's whole render wrote.
    typ = (pdf_project(year_dir) / "index.typ").read_bytes()
    assert b"edited for this test" in typ
    assert typ == (pdf_project(whole_out / FY) / "index.typ").read_bytes()

    # Nothing changed since: nothing is rendered, the site (its PDF too) is as it was.
    before = _digest(site)
    caplog.clear()
    site = publish_year(FY, out=str(quarto_year), use_quarto=True)
    assert "nothing changed since the last publish" in caplog.text
    assert _digest(site) == before

    # Quarto renders the changed page but writes no PDF: the last publish's PDF must not pass
    # for this one. The published site stays as it was, and no half-updated project is left:
    # the next publish renders the whole book.
    _edit(year_dir, EDITED, "Most complaints (edited again) come from parents")
    render = quarto_publisher.render

    def no_pdf(renders, env=None):
        render(renders, env)
        made = renders["PDF"][1][-1]  # the PDF the Typst compile wrote
        Path(made).unlink()

    monkeypatch.setattr(quarto_publisher, "render", no_pdf)  # where the Quarto publisher calls it
    with pytest.raises(PublishError, match="was not written"):
        publish_year(FY, out=str(quarto_year), use_quarto=True)
    assert _digest(site) == before
    assert not site_project(year_dir).exists()
    assert not pdf_project(year_dir).exists()


def _project(root):
    files = {
        "_quarto.yml": "book: {}\n",
        "index.qmd": "# Report\n",
        "report.css": "p {}\n",
        "01-a.ipynb": "{}",
        "02-b.ipynb": "{}",
        "charts/02-b-1.png": "png",
        "tables/02-b-1.csv": "a,b\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _last(root, stamp="quarto 1.10.18\n"):
    _project(root)
    (root / "_site").mkdir()
    (root / "_site" / "index.html").write_text("<html></html>", encoding="utf-8")
    (root / ".quarto").mkdir()
    (root / ".quarto" / "xref").write_text("{}", encoding="utf-8")
    (root / ".gitignore").write_text("/.quarto/\n", encoding="utf-8")
    (root / QUARTO_STAMP).write_text(stamp, encoding="utf-8")
    return root


@pytest.fixture
def projects(tmp_path):
    return _last(tmp_path / "last"), _project(tmp_path / "stage")


def test_unchanged_project_has_no_changes(projects):
    last, stage = projects
    assert changes(last, stage, "quarto 1.10.18\n") == []


def test_changed_pages_charts_and_csvs_are_listed(projects):
    last, stage = projects
    (stage / "02-b.ipynb").write_text('{"x": 1}', encoding="utf-8")
    (stage / "charts" / "02-b-1.png").write_text("png2", encoding="utf-8")
    (stage / "tables" / "02-b-1.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert changes(last, stage, "quarto 1.10.18\n") == [
        "02-b.ipynb",
        "charts/02-b-1.png",
        "tables/02-b-1.csv",
    ]


@pytest.mark.parametrize(
    "change",
    [
        "another Quarto",
        "no last site",
        "configuration",
        "index page",
        "style sheet",
        "a new chart",
        "a chart gone",
        "every page",
    ],
)
def test_anything_else_needs_a_whole_render(projects, change):
    last, stage = projects
    quarto_id = "quarto 1.10.18\n"
    if change == "another Quarto":
        quarto_id = "quarto 1.10.19\n"
    elif change == "no last site":
        (last / "_site" / "index.html").unlink()
    elif change == "configuration":
        (stage / "_quarto.yml").write_text("book: {title: New}\n", encoding="utf-8")
    elif change == "index page":
        (stage / "index.qmd").write_text("# Another report\n", encoding="utf-8")
    elif change == "style sheet":
        (stage / "report.css").write_text("p { color: red }\n", encoding="utf-8")
    elif change == "a new chart":
        (stage / "charts" / "01-a-1.png").write_text("png", encoding="utf-8")
    elif change == "a chart gone":
        (stage / "charts" / "02-b-1.png").unlink()
    elif change == "every page":
        for nb in ("01-a.ipynb", "02-b.ipynb"):
            (stage / nb).write_text('{"x": 1}', encoding="utf-8")
    assert changes(last, stage, quarto_id) is None


# --- the PDF compiled again from the last render's Typst ----------------------------------------

QUARTO_ID = "quarto 1.10.18\n"
ORDER = ["01-a.ipynb", "02-b.ipynb"]


def _notebook(path, commentary, sentence="Most complaints come from parents.", ran="12:00"):
    """An executed notebook as a section leaves it: a sentence, a commentary offering Typst, and
    the run's own records (times, the id of Papermill's injected cell)."""
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "id": f"injected-{ran}",
                "metadata": {"papermill": {"start_time": ran}, "execution": {"t": ran}},
                "outputs": [
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {"text/markdown": sentence, "text/plain": sentence},
                    },
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {
                            "text/markdown": "::: callout",
                            "text/plain": f"Commentary: {commentary}",
                            "text/html": f"<aside>{commentary}</aside>",
                            "text/x-typst": f'#callout(body: [#"{commentary}"])',
                        },
                    },
                ],
                "source": "",
                "execution_count": 1,
            }
        ],
        "metadata": {"papermill": {"duration": ran}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def _pdf_project(root, commentary=("First.", "Second."), **kw):
    (root / "executed").mkdir(parents=True, exist_ok=True)
    for name, words in zip(ORDER, commentary, strict=True):
        executed = _notebook(root / "executed" / name, words, **kw)
        quarto_notebook(executed, root / name, website=False)
    (root / "_quarto.yml").write_text("book: {}\n", encoding="utf-8")
    (root / "charts").mkdir(exist_ok=True)
    (root / "charts" / "02-b-1.png").write_text("png", encoding="utf-8")
    shutil.rmtree(root / "executed")
    return root


@pytest.fixture
def pdf_projects(tmp_path):
    last = _pdf_project(tmp_path / "last")
    (last / QUARTO_STAMP).write_text(QUARTO_ID, encoding="utf-8")
    (last / "index.typ").write_text(
        '#let x = 1\n= A\nMost complaints come from parents.\n#callout(body: [#"First."])\n'
        '= B\nMost complaints come from parents.\n#callout(body: [#"Second."])\nend\n',
        encoding="utf-8",
    )
    return last, tmp_path / "stage"


def test_a_commentary_edit_is_made_in_the_last_renders_typst(pdf_projects):
    last, stage = pdf_projects
    _pdf_project(stage, ("First.", "Second, edited."), ran="13:00")  # run again, an hour on
    edits = typst_edits(last, stage, QUARTO_ID, ORDER)
    assert edits.notebooks == ["02-b.ipynb"]
    assert edits.typ == (last / "index.typ").read_text().replace('"Second."', '"Second, edited."')
    edits.apply(last, stage)
    assert (last / "02-b.ipynb").read_bytes() == (stage / "02-b.ipynb").read_bytes()
    assert typst_edits(last, stage, QUARTO_ID, ORDER).notebooks == []


def test_the_same_typst_twice_is_edited_where_its_notebook_has_it(pdf_projects):
    last, stage = pdf_projects
    typ = (last / "index.typ").read_text().replace('"First."', '"Second."')
    (last / "index.typ").write_text(typ, encoding="utf-8")
    for name in ORDER:
        (last / name).unlink()
    _pdf_project(last, ("Second.", "Second."))
    _pdf_project(stage, ("Second.", "Edited."))
    edits = typst_edits(last, stage, QUARTO_ID, ORDER)
    assert edits.typ.index('"Second."') < edits.typ.index("= B") < edits.typ.index('"Edited."')


@pytest.mark.parametrize(
    "change",
    [
        "another Quarto",
        "no kept Typst",
        "a sentence",
        "configuration",
        "a chart",
        "Typst not found",
        "a PDF standard from the environment",
    ],
)
def test_anything_but_typst_needs_a_whole_pdf_render(pdf_projects, change, monkeypatch):
    last, stage = pdf_projects
    quarto_id = QUARTO_ID
    _pdf_project(stage, ("First.", "Second, edited."))
    if change == "another Quarto":
        quarto_id = "quarto 1.10.19\n"
    elif change == "no kept Typst":
        (last / "index.typ").unlink()
    elif change == "a sentence":
        for name in ORDER:
            (stage / name).unlink()
        _pdf_project(stage / "x", ("First.", "Second, edited."), sentence="Most came from parents.")
        for name in ORDER:
            shutil.move(stage / "x" / name, stage / name)
        shutil.rmtree(stage / "x")
    elif change == "configuration":
        (stage / "_quarto.yml").write_text("book: {title: New}\n", encoding="utf-8")
    elif change == "a chart":
        (stage / "charts" / "02-b-1.png").write_text("png2", encoding="utf-8")
    elif change == "Typst not found":
        (last / "index.typ").write_text("= A\n= B\n", encoding="utf-8")
    elif change == "a PDF standard from the environment":
        monkeypatch.setenv("QUARTO_PDF_STANDARD", "ua-1")
    assert typst_edits(last, stage, quarto_id, ORDER) is None


def test_the_typst_quarto_runs_is_started_directly(quarto, tmp_path, monkeypatch):
    """The PDF is compiled by the Typst in Quarto's tools folder (or $QUARTO_TYPST), the program
    ``quarto typst`` runs; ``quarto typst`` itself when there is none."""
    bin_dir = Path(
        subprocess.run([quarto, "--paths"], capture_output=True, text=True).stdout.split()[0]
    )
    monkeypatch.delenv("QUARTO_TYPST", raising=False)
    (typst,) = quarto_typst(quarto, bin_dir)
    assert Path(typst).parent.parent.parent == bin_dir and Path(typst).name == "typst"
    assert subprocess.run([typst, "--version"], capture_output=True, text=True).stdout.startswith(
        "typst "
    )
    given = tmp_path / "my-typst"
    given.write_text("#!/bin/sh\n", encoding="utf-8")
    given.chmod(0o755)
    monkeypatch.setenv("QUARTO_TYPST", str(given))
    assert quarto_typst(quarto, bin_dir) == [str(given)]
    monkeypatch.delenv("QUARTO_TYPST")
    assert quarto_typst(quarto, tmp_path) == [quarto, "typst"]
