"""A year's outputs change all at once or not at all, one run at a time (staging.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from complaints_report.run import staging


def _year(tmp_path, text="last good"):
    year = tmp_path / "outputs" / "2023-24"
    (year / "site").mkdir(parents=True)
    (year / "site" / "index.html").write_text(text, encoding="utf-8")
    return year


def test_a_staging_copy_is_a_real_copy_not_links(tmp_path):
    year = _year(tmp_path)
    stage = staging.begin(year)
    assert stage == tmp_path / "outputs" / ".runs" / "2023-24"
    # Papermill rewrites files in place: a hard link would carry the change into the live copy.
    with open(stage / "site" / "index.html", "w", encoding="utf-8") as f:
        f.write("changed in place")
    assert (year / "site" / "index.html").read_text(encoding="utf-8") == "last good"


def test_begin_throws_away_what_a_failed_run_left(tmp_path):
    year = _year(tmp_path)
    stale = staging.staging_dir(year) / "notebooks" / "half-written.ipynb"
    stale.parent.mkdir(parents=True)
    stale.write_text("{", encoding="utf-8")
    stage = staging.begin(year)
    assert not (stage / "notebooks" / "half-written.ipynb").exists()
    assert (stage / "site" / "index.html").read_text(encoding="utf-8") == "last good"


def test_a_first_run_stages_into_an_empty_folder(tmp_path):
    year = tmp_path / "outputs" / "2023-24"
    stage = staging.begin(year)
    assert stage.is_dir() and not any(stage.iterdir()) and not year.exists()


def test_commit_swaps_the_whole_folder_in(tmp_path):
    year = _year(tmp_path)
    stage = staging.begin(year)
    (stage / "site" / "index.html").write_text("new", encoding="utf-8")
    (stage / "figures.json").write_text("{}", encoding="utf-8")
    staging.commit(stage, year)
    assert (year / "site" / "index.html").read_text(encoding="utf-8") == "new"
    assert (year / "figures.json").is_file()
    assert not stage.exists() and not staging.previous_dir(year).exists()
    assert not stage.parent.exists()  # no empty .runs/ left behind


def test_a_run_killed_between_the_two_renames_is_put_right_by_the_next(tmp_path, caplog):
    year = _year(tmp_path)
    previous = staging.previous_dir(year)
    previous.parent.mkdir(parents=True, exist_ok=True)
    year.rename(previous)  # the first rename of commit() happened, the second did not
    with staging.year_lock(year):
        pass
    assert (year / "site" / "index.html").read_text(encoding="utf-8") == "last good"
    assert not previous.exists()
    assert "were put back" in caplog.text


def test_a_swap_that_finished_but_did_not_tidy_up_keeps_the_new_outputs(tmp_path):
    year = _year(tmp_path, "new")
    previous = staging.previous_dir(year)
    (previous / "site").mkdir(parents=True)
    (previous / "site" / "index.html").write_text("old", encoding="utf-8")
    staging.recover(year)
    assert (year / "site" / "index.html").read_text(encoding="utf-8") == "new"
    assert not previous.exists()


def test_a_second_process_is_told_the_year_is_busy(tmp_path):
    year = _year(tmp_path)
    other = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from complaints_report.run import staging
        try:
            with staging.year_lock(Path({str(year)!r})):
                print("acquired")
        except staging.YearBusy as exc:
            print("busy:", exc)
            sys.exit(3)
        """
    )
    with staging.year_lock(year):
        held = subprocess.run([sys.executable, "-c", other], capture_output=True, text=True)
    assert held.returncode == 3, held.stderr
    assert "another run or publish of 2023-24 is in progress" in held.stdout
    assert "process " in held.stdout  # who holds it, from the lock's note
    assert "Traceback" not in held.stderr
    # Released with the process that held it: the next one gets it.
    free = subprocess.run([sys.executable, "-c", other], capture_output=True, text=True)
    assert free.returncode == 0 and "acquired" in free.stdout, free.stdout + free.stderr


def test_the_lock_is_released_when_the_run_raises(tmp_path):
    year = _year(tmp_path)
    with pytest.raises(RuntimeError), staging.year_lock(year):
        raise RuntimeError("the run broke")
    with staging.year_lock(year):  # would raise YearBusy if still held
        pass


def test_figures_are_refused_while_a_run_holds_the_year(tmp_path, capsys):
    from complaints_report.cli import EXIT_BUSY, main

    year = tmp_path / "out" / "2023-24"
    with staging.year_lock(year):
        code = main(["figures", "2023-24", "--out", str(tmp_path / "out")])
    assert code == EXIT_BUSY
    assert "were not written: another run or publish of 2023-24 is in progress" in (
        capsys.readouterr().err
    )
    assert not (year / "figures.json").exists()
    assert main(["figures", "2023-24", "--out", str(tmp_path / "out")]) == 0
    assert (year / "figures.json").is_file()
