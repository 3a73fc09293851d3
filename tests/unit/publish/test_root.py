"""The pieces of `quarto render` / `quarto preview` at the repository root that need no Quarto:
which year, what the publisher's project leaves out, the staged files and the notebook filter.
The real Quarto runs are in tests/publish/test_quarto_root.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

from complaints_report.publish import root
from complaints_report.publish.book import QUARTO_CONFIG, publish_config, read_book


def _ran(outputs, *years):
    for fy in years:
        (outputs / fy).mkdir(parents=True)
        (outputs / fy / "run.json").write_text("{}", encoding="utf-8")


def test_the_latest_year_run_is_rendered(tmp_path):
    _ran(tmp_path, "2020-21", "2023-24")
    (tmp_path / "2024-25").mkdir()  # a year whose run never finished
    (tmp_path / ".runs").mkdir()
    assert root.choose_year(tmp_path, None) == "2023-24"


def test_the_year_asked_for_is_rendered(tmp_path):
    _ran(tmp_path, "2020-21", "2023-24")
    assert root.choose_year(tmp_path, "2020-21") == "2020-21"


def test_no_year_run_is_one_line_naming_the_command(tmp_path):
    with pytest.raises(root.NothingToRender) as caught:
        root.choose_year(tmp_path, None)
    message = str(caught.value)
    assert "\n" not in message
    assert "complaints-report run FY" in message and "make report" in message


def test_a_year_asked_for_but_not_run_names_its_command(tmp_path):
    _ran(tmp_path, "2023-24")
    with pytest.raises(root.NothingToRender, match=r"complaints-report run 2022-23"):
        root.choose_year(tmp_path, "2022-23")


def test_the_publishers_project_has_none_of_the_roots_own_steps(repo_root):
    config, _ = read_book(repo_root)
    # The root's _quarto.yml has them (or this test proves nothing) ...
    assert config["project"]["pre-render"] and config["project"]["post-render"]
    assert config["execute"]["ipynb-filters"] and config["profile"]
    staged = publish_config(config)
    assert "profile" not in staged
    assert {"pre-render", "post-render"}.isdisjoint(staged["project"])
    assert "ipynb-filters" not in staged["execute"]
    # ... and everything else is kept as it is.
    assert staged["book"] == config["book"] and staged["format"] == config["format"]
    assert staged["execute"]["enabled"] is False


def test_the_opening_page_loses_its_heading_and_links_into_notebooks():
    staged = (
        "---\nformat:\n  html:\n    x: 1\n---\n\n# The title {.unnumbered}\n\n"
        'Intro.\n\n<a href="07-who-complained.html#top">7</a> <a href="https://x.org/a.html">x</a>\n'
    )
    body = root.opening_page(staged, ["07-who-complained.html"])
    assert body.startswith("Intro.")
    assert 'href="notebooks/07-who-complained.html#top"' in body
    assert 'href="https://x.org/a.html"' in body
    assert "format:" not in body


def test_the_page_furniture_keeps_the_notice_and_drops_the_download_links():
    html = (
        '<a class="skip-link" href="#main">Skip</a>\n'
        '<p class="site-pdf"><a href="r.pdf">Download PDF</a></p>\n'
        '<p class="site-downloads">Also to download: ...</p>\n'
        '<div class="notice">Synthetic data.</div>\n'
    )
    kept = root.root_furniture(html)
    assert "skip-link" in kept and "Synthetic data." in kept
    assert "Download PDF" not in kept and "Also to download" not in kept


def test_staged_links_point_into_the_stage():
    text = json.dumps('<a href="tables/07-a.csv">CSV</a> ![c](charts/07-a.png)')
    moved = json.loads(root.stage_links(text))
    assert 'href="../_report-book/tables/07-a.csv"' in moved
    assert "](../_report-book/charts/07-a.png)" in moved


def test_files_are_written_only_when_they_change(tmp_path):
    stage = tmp_path / "stage"
    root.sync_files({"a.txt": "one", "sub/b.txt": b"two", "old/c.txt": "x"}, stage)
    before = os.stat(stage / "a.txt").st_mtime_ns
    os.utime(stage / "a.txt", ns=(before - 10**9, before - 10**9))
    root.sync_files({"a.txt": "one", "sub/b.txt": b"three"}, stage)
    assert os.stat(stage / "a.txt").st_mtime_ns == before - 10**9  # same content: untouched
    assert (stage / "sub" / "b.txt").read_bytes() == b"three"
    assert not (stage / "old").exists()  # what the year no longer has is gone


def _filter(tmp_path, source: str) -> str:
    (tmp_path / "stage" / "notebooks").mkdir(parents=True)
    (tmp_path / "stage" / "notebooks" / "07-a.ipynb").write_text(
        '{"executed": 7}', encoding="utf-8"
    )
    (tmp_path / "stage" / "notebooks" / "08-b.ipynb").write_text(
        '{"executed": 8}', encoding="utf-8"
    )
    script = tmp_path / "stage" / root.FILTER
    script.write_text(root.FILTER_SCRIPT.format(year="2023-24", digest="x"), encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "07-a.ipynb").write_text('{"source": 7}', encoding="utf-8")
    (tmp_path / "notebooks" / "08-b.ipynb").write_text('{"source": "8 — é"}', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, f"../stage/{root.FILTER}"],
        input=source.encode("utf-8"),
        cwd=tmp_path / "notebooks",
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


def test_the_filter_hands_quarto_the_executed_copy_of_the_notebook_it_is_given(tmp_path):
    assert _filter(tmp_path, '{"source": "8 — é"}') == '{"executed": 8}'


def test_the_filter_passes_any_other_notebook_through(tmp_path):
    assert _filter(tmp_path, '{"other": 1}') == '{"other": 1}'


def test_the_profile_gives_only_what_the_root_leaves_unset(repo_root):
    base = yaml.safe_load((repo_root / QUARTO_CONFIG).read_text(encoding="utf-8"))
    staged = {
        "book": {"title": "T 2023/24", "author": "Council", "date": "2024-07-11", "chapters": []},
        "format": {
            "html": {"toc": False, "css": ["report.css"], "html-table-processing": "none"},
            "typst": {"papersize": "a4", "keep-typ": True, "include-in-header": ["report.typ"]},
        },
    }
    profile = root.year_profile(staged, base, "params/2023-24.yml")
    assert profile["book"] == {"title": "T 2023/24", "author": "Council", "date": "2024-07-11"}
    # Quarto joins a profile's lists to _quarto.yml's: none the root sets is given again.
    assert profile["format"]["html"] == {
        "css": ["_report-book/report.css"],
        "html-table-processing": "none",
    }
    assert profile["format"]["typst"] == {"include-in-header": ["_report-book/report.typ"]}
    assert profile["complaints-report"] == {"year-params": "params/2023-24.yml"}
    assert profile["filters"] == ["lib/complaints_report/publish/opening-page.lua"]
