"""A run replaces a year's outputs whole or not at all: failed, refused, interrupted or killed
runs leave the last good outputs byte for byte as they were; two runs of a year never mix."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from complaints_report import paths
from complaints_report.data.model import DataError
from complaints_report.run import staging
from complaints_report.run.year import RunFailed, run_year
from complaints_report.sections import SECTIONS

pytestmark = pytest.mark.slow
BAD_EXPORT = Path(__file__).resolve().parents[1] / "bad_inputs" / "unknown-stage"


def _fingerprint(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) with its content hash."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def last_good(demo_runs, tmp_path) -> Path:
    """An outputs folder holding a finished 2023-24 run."""
    out = tmp_path / "out"
    shutil.copytree(demo_runs["2023-24"], out / "2023-24")
    return out


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "complaints_report.cli", *args]


def test_a_bad_export_changes_nothing_and_leaves_no_staging_folder(last_good):
    before = _fingerprint(last_good / "2023-24")
    with pytest.raises(DataError):
        run_year("2023-24", data=str(BAD_EXPORT), out=str(last_good), progress=False)
    assert _fingerprint(last_good / "2023-24") == before
    assert not staging.staging_dir(last_good / "2023-24").exists()


def test_a_failed_section_changes_nothing_and_keeps_its_notebook_to_inspect(
    last_good, tmp_path, monkeypatch
):
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    nb.cells = [
        nbformat.v4.new_code_cell(
            'financial_year = "2023-24"\ndata_dir = None\noutput_dir = None',
            metadata={"tags": ["parameters"]},
        ),
        nbformat.v4.new_code_cell("raise ValueError('the section broke')"),
    ]
    nbformat.write(nb, nb_dir / SECTIONS[0].notebook)
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", nb_dir)
    before = _fingerprint(last_good / "2023-24")
    with pytest.raises(RunFailed) as err:
        run_year("2023-24", out=str(last_good), only=["cover"], progress=False)
    assert _fingerprint(last_good / "2023-24") == before
    (failure,) = err.value.failures
    assert failure.notebook == last_good / ".runs" / "2023-24" / "notebooks" / SECTIONS[0].notebook
    assert failure.notebook.is_file()  # for the analyst to open


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def _as_in_a_terminal() -> None:
    """In the run's process before it starts: Ctrl+C's signal handled as in a terminal. A job a
    shell started in the background (as a CI runner may start the tests) inherits SIGINT
    ignored, and Python then never turns it into KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start_run(out: Path, log: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        _cli("run", "2023-24", "--out", str(out), "--force", "--no-progress", *extra),
        stdout=subprocess.DEVNULL,
        stderr=log.open("w", encoding="utf-8"),
        start_new_session=True,  # its own process group: the kill takes the kernels too
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=_as_in_a_terminal,
    )


def test_a_run_killed_mid_way_leaves_the_last_outputs_exactly_as_they_were(last_good, tmp_path):
    year = last_good / "2023-24"
    before = _fingerprint(year)
    log = tmp_path / "run.log"
    proc = _start_run(last_good, log, "--workers", "1")
    try:
        # Killed once a section has finished: notebooks, tables and charts are being rewritten.
        _wait_for(lambda: ": done" in log.read_text(encoding="utf-8"), 120, "a finished section")
        assert proc.poll() is None, "the run ended before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert _fingerprint(year) == before
    assert (last_good / ".runs" / "2023-24" / "notebooks").is_dir()  # what the killed run left

    # The next run clears the leftovers and lands whole.
    again = subprocess.run(
        _cli("run", "2023-24", "--out", str(last_good), "--only", "cover", "--no-progress"),
        capture_output=True,
        text=True,
    )
    assert again.returncode == 0, again.stderr
    assert "removing the unfinished outputs of an earlier run" in again.stderr
    assert not (last_good / ".runs" / "2023-24").exists()
    after = _fingerprint(year)
    assert after["notebooks/01-cover.ipynb"] != before["notebooks/01-cover.ipynb"]
    assert (
        after["notebooks/05-statutory-overview.ipynb"]
        == before["notebooks/05-statutory-overview.ipynb"]
    )


def test_ctrl_c_stops_the_run_cleanly_and_changes_nothing(last_good, tmp_path):
    year = last_good / "2023-24"
    before = _fingerprint(year)
    log = tmp_path / "run.log"
    proc = _start_run(last_good, log, "--workers", "1", "--only", "01", "02", "03", "04", "05")
    try:
        _wait_for(lambda: ": done" in log.read_text(encoding="utf-8"), 120, "a finished section")
        proc.send_signal(signal.SIGINT)  # the main process only, as Ctrl+C in a terminal
        code = proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    err = log.read_text(encoding="utf-8")
    assert code == 130, err
    assert "was interrupted: the last good outputs are as they were" in err
    # Sections still queued when Ctrl+C came never start: the staged copy of 05 is the old one.
    staged = last_good / ".runs" / "2023-24" / "notebooks" / "05-statutory-overview.ipynb"
    assert (
        hashlib.sha256(staged.read_bytes()).hexdigest()
        == before["notebooks/05-statutory-overview.ipynb"]
    )
    assert "Traceback" not in err
    assert _fingerprint(year) == before


def test_a_second_run_of_the_same_year_is_refused_while_one_is_in_progress(last_good):
    year = last_good / "2023-24"
    before = _fingerprint(year)
    with staging.year_lock(year):  # as a run in another terminal holds it
        second = subprocess.run(
            _cli("run", "2023-24", "--out", str(last_good), "--force", "--no-progress"),
            capture_output=True,
            text=True,
        )
        publish = subprocess.run(
            _cli("publish", "2023-24", "--out", str(last_good)), capture_output=True, text=True
        )
    assert second.returncode == 3
    assert "another run or publish of 2023-24 is in progress" in second.stderr
    assert "Wait for it to finish, then run again" in second.stderr
    assert publish.returncode == 3 and "then publish again" in publish.stderr
    assert "Traceback" not in second.stderr + publish.stderr
    assert _fingerprint(year) == before
