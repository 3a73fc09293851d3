"""Warm kernels (``kernels.py``): a section run from the zygote records what plain Papermill
records, and every way the warm path can fail still runs or names the section's cell."""

from __future__ import annotations

import copy
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time

import nbformat
import papermill as pm
import pytest
from tiny_data import cover_notebook

from complaints_report import paths
from complaints_report.run import kernels
from complaints_report.run.year import KERNEL, NoDataFolder, RunFailed, run_year
from complaints_report.sections import SECTIONS

TIMINGS = {"start_time", "end_time", "duration"}


@pytest.fixture(scope="module")
def python():
    interpreter = kernels.kernel_python(KERNEL)
    assert interpreter, "the python3 kernelspec is not the plain ipykernel launcher"
    return interpreter


def _comparable(path) -> dict:
    """The executed notebook as plain Papermill promises it, timings and its own path aside."""
    nb = nbformat.read(path, as_version=4)
    nb = copy.deepcopy(nb)
    meta = nb.metadata.papermill
    for key in TIMINGS | {"output_path"}:
        meta.pop(key, None)
    for cell in nb.cells:
        for key in TIMINGS:
            cell.metadata.get("papermill", {}).pop(key, None)
        cell.metadata.pop("execution", None)
    return nb


def test_a_section_from_a_warm_kernel_records_what_plain_papermill_records(
    demo_runs, python, tmp_path
):
    section = next(s for s in SECTIONS if s.slug == "who-complained")  # tables and a chart
    params = {"financial_year": "2023-24", "output_dir": str(demo_runs["2023-24"])}
    plain, warm = tmp_path / "plain.ipynb", tmp_path / "warm.ipynb"
    common = dict(kernel_name=KERNEL, progress_bar=False, cwd=str(section.path.parent))
    pm.execute_notebook(str(section.path), str(plain), parameters=params, **common)
    log_path = tmp_path / "kernel.log"
    with kernels.Zygote(python) as zygote:
        options = kernels.papermill_options(zygote.address, python, str(log_path))
        pm.execute_notebook(str(section.path), str(warm), parameters=params, **common, **options)
    # The kernel came from the zygote: it wrote its start-up lines to the log it was given.
    assert "IPKernelApp" in log_path.read_text(encoding="utf-8")
    a, b = _comparable(plain), _comparable(warm)
    assert [c.source for c in a.cells] == [c.source for c in b.cells]
    assert [c.get("execution_count") for c in a.cells] == [
        c.get("execution_count") for c in b.cells
    ]
    assert [c.get("outputs") for c in a.cells] == [c.get("outputs") for c in b.cells]
    assert [c.metadata for c in a.cells] == [c.metadata for c in b.cells]
    assert a.metadata == b.metadata


def _execute_warm(zygote, python, nb_dir, out, tmp_path) -> None:
    options = kernels.papermill_options(zygote.address, python, str(tmp_path / "k.log"))
    pm.execute_notebook(
        str(nb_dir / SECTIONS[0].notebook),
        str(out),
        kernel_name=KERNEL,
        progress_bar=False,
        **options,
    )


def test_a_kernel_that_dies_mid_section_names_the_section_and_its_cell(tmp_path, monkeypatch):
    monkeypatch.setattr(
        paths,
        "NOTEBOOKS_DIR",
        cover_notebook(
            tmp_path, "x = 1", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"
        ),
    )
    started = time.perf_counter()
    with pytest.raises(RunFailed) as err:
        run_year("2023-24", out=str(tmp_path / "out"), only=["cover"], progress=False)
    (failure,) = err.value.failures
    # parameters (1), injected parameters (2), x = 1 (3), then the cell that killed its kernel
    assert failure.cell == 4 and "cell 4" in str(err.value)
    assert "DeadKernelError" in failure.error
    assert time.perf_counter() - started < 60  # noticed, not waited out
    assert not (tmp_path / "out" / "2023-24" / "site").exists()


def test_a_section_that_raises_in_a_warm_kernel_names_its_cell(tmp_path, monkeypatch):
    monkeypatch.setattr(
        paths, "NOTEBOOKS_DIR", cover_notebook(tmp_path, "import os\nkernel = os.getpid()", "1 / 0")
    )
    monkeypatch.setenv("COMPLAINTS_REPORT_WARM", "1")
    with pytest.raises(RunFailed) as err:
        run_year("2023-24", out=str(tmp_path / "out"), only=["cover"], progress=False)
    (failure,) = err.value.failures
    assert failure.cell == 4 and "ZeroDivisionError" in failure.error


def test_a_zygote_that_cannot_start_leaves_plain_kernels_to_run_the_section(
    python, tmp_path, caplog
):
    nb_dir = cover_notebook(
        tmp_path, "import sys\nwarm = 'complaints_report.report' in sys.modules"
    )
    out = tmp_path / "out.ipynb"
    with caplog.at_level(logging.WARNING):
        with kernels.Zygote(python, preload=("no_such_module_here",)) as zygote:
            zygote.process.wait(timeout=60)  # it fails on its import and exits
            _execute_warm(zygote, python, nb_dir, out, tmp_path)
    executed = nbformat.read(out, as_version=4)
    assert executed.cells[-1].execution_count == 2  # it ran (parameters, then this), plainly
    assert "kernel warm-up unavailable" in caplog.text
    assert "stopped early" in caplog.text and "no_such_module_here" in caplog.text


def test_a_zygote_killed_during_the_run_does_not_stop_the_section(python, tmp_path, caplog):
    nb_dir = cover_notebook(tmp_path, "x = 40 + 2")
    out = tmp_path / "out.ipynb"
    with kernels.Zygote(python) as zygote:
        os.kill(zygote.process.pid, signal.SIGKILL)
        zygote.process.wait(timeout=10)
        with caplog.at_level(logging.WARNING):
            _execute_warm(zygote, python, nb_dir, out, tmp_path)
    assert nbformat.read(out, as_version=4).cells[-1].execution_count == 2
    assert "kernel warm-up unavailable" in caplog.text


def test_kernels_forked_for_sections_do_not_outlive_the_run(python, tmp_path):
    nb_dir = cover_notebook(tmp_path, "import os\nprint(os.getpid())")
    out = tmp_path / "out.ipynb"
    with kernels.Zygote(python) as zygote:
        _execute_warm(zygote, python, nb_dir, out, tmp_path)
        zygote_pid = zygote.process.pid
    pid = int(nbformat.read(out, as_version=4).cells[-1].outputs[0]["text"])
    assert pid not in (os.getpid(), zygote_pid)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"the section's kernel {pid} is still running")
    with pytest.raises(ProcessLookupError):
        os.kill(zygote_pid, 0)


def test_no_unix_socket_for_the_zygote_leaves_plain_kernels_to_run(tmp_path, monkeypatch, caplog):
    # A temporary folder whose path is too long for a Unix socket (108 bytes on Linux).
    deep = tmp_path / ("t" * 60) / ("m" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    with pytest.raises(OSError):
        kernels.Zygote(["python3"])
    assert list(deep.iterdir()) == []  # nothing left behind
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", cover_notebook(tmp_path, "x = 40 + 2"))
    with caplog.at_level(logging.WARNING):
        result = run_year(
            "2023-24", out=str(tmp_path / "out"), only=["cover"], progress=False, publish=False
        )
    assert [p.name for p in result.executed] == [SECTIONS[0].notebook]
    assert "kernel warm-up unavailable" in caplog.text


def test_a_run_stops_the_warm_process_it_was_given_whatever_happens(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLAINTS_REPORT_WARM", "1")
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", cover_notebook(tmp_path, "x = 40 + 2"))
    warm = kernels.warm_up()
    assert warm is not None
    result = run_year(
        "2023-24",
        out=str(tmp_path / "out"),
        only=["cover"],
        progress=False,
        publish=False,
        warm=warm,
    )
    assert [p.name for p in result.executed] == [SECTIONS[0].notebook]
    assert warm.process.poll() is not None  # stopped once the sections had run
    # A run that stops before any section (no data folder) stops it too.
    warm = kernels.warm_up()
    with pytest.raises(NoDataFolder):
        run_year("2023-24", data=str(tmp_path / "no-such-folder"), publish=False, warm=warm)
    assert warm.process.poll() is not None


def test_warm_kernels_switched_off_start_no_warm_process(monkeypatch):
    monkeypatch.setenv("COMPLAINTS_REPORT_WARM", "0")
    assert kernels.warm_up() is None


def test_a_zygote_closed_twice_says_nothing_the_second_time(python, caplog):
    zygote = kernels.Zygote(python)
    zygote.close()
    with caplog.at_level(logging.WARNING):
        zygote.close()
    assert zygote.process.poll() is not None and caplog.text == ""


def test_a_worker_imports_papermill_without_building_the_iri_grammar():
    # In a fresh process, as a worker starts: the notebooks still validate and execute.
    code = (
        "import sys\n"
        "from complaints_report.run.year import import_papermill\n"
        "pm, err = import_papermill()\n"
        "import nbformat\n"
        "nbformat.validate(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')]))\n"
        "assert sys.modules['rfc3987_syntax'] is None, sys.modules['rfc3987_syntax']\n"
        "assert err.__name__ == 'PapermillExecutionError'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
