"""Publishing swaps a complete site in, or leaves the last good one exactly as it was."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from complaints_report.publish import PublishError, publish_year, read_book
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


FAKE_QUARTO = r"""#!/usr/bin/env python3
# A stand-in for `quarto render DIR --no-execute`: checks what it was given, writes a tiny book.
import sys, json, pathlib, yaml
args = sys.argv[1:]
assert args[0] == "render" and "--no-execute" in args, args
stage = pathlib.Path(args[1])
config = yaml.safe_load((stage / "_quarto.yml").read_text())
assert config["execute"]["enabled"] is False
chapters = [c for part in config["book"]["chapters"] if isinstance(part, dict) for c in part["chapters"]]
for c in chapters:
    nb = json.loads((stage / c).read_text())
    assert any(cell.get("outputs") for cell in nb["cells"]), f"{c} was not executed"
site = stage / "_site"
site.mkdir()
(site / "index.html").write_text("<html><body><h1>" + config["book"]["title"] + "</h1></body></html>")
(site / "report.pdf").write_bytes(b"%PDF-1.7 fake")
(site / "04.html").write_text('<html><body><table id="table-04-scorecard-childrens-social-care"><caption>c</caption></table></body></html>')
"""


@pytest.mark.slow
def test_with_quarto_on_path_the_executed_notebooks_are_rendered_by_quarto(
    demo_runs, tmp_path, monkeypatch, repo_root
):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "quarto"
    fake.write_text(
        FAKE_QUARTO.replace("#!/usr/bin/env python3", f"#!{__import__('sys').executable}")
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{__import__('os').environ['PATH']}")
    shutil.copytree(demo_runs["2023-24"], tmp_path / "2023-24")
    before = sorted((p.name, p.stat().st_mtime) for p in (repo_root / "notebooks").glob("*.ipynb"))
    site = publish_year("2023-24", out=str(tmp_path))
    index = (site / "index.html").read_text()
    assert "annual report 2023/24" in index and 'class="pdf-link"' in index
    page = (site / "04.html").read_text()
    assert 'href="tables/04-scorecard-childrens-social-care.csv"' in page
    assert (site / "tables" / "04-scorecard-childrens-social-care.csv").is_file()
    after = sorted((p.name, p.stat().st_mtime) for p in (repo_root / "notebooks").glob("*.ipynb"))
    assert after == before, "publishing never writes into notebooks/"
