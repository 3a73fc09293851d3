"""The ``complaints-report`` command, run in-process (and once as a real subprocess)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from complaints_report.cli import EXIT_DATA, EXIT_OK, EXIT_USAGE, main

CS = "Children's Services,Children's Social Care"
VALID = {
    "complaints.csv": (
        "case_ref,stage,received_date,responded_date,directorate,service_area,outcome\n"
        f"COM/1,Stage 1,03/04/2023,2023-04-20,{CS},Not justified\n"
        f"COM/2,Informal,2023-07-10,,{CS},\n"
        f"COM/3,Stage 1,2023-05-02,2023-05-04,Place,Highways,Fully justified\n"
    ),
    "compliments.csv": f"date,directorate,service_area\n2023-04-05,{CS}\n",
    "ombudsman.csv": (
        "lgsco_ref,decision_date,directorate,service_area,decision,remedy_amount\n"
        f'22006903,2023-06-01,{CS},Upheld,"£1,500.00"\n'
    ),
}
TOP_KEYS = {"schema", "financial_year", "period", "service_areas", "council"}
BAD = Path(__file__).resolve().parents[1] / "bad_inputs" / "unparseable-date"


@pytest.fixture
def valid_data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for name, text in VALID.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def bad_data(tmp_path: Path) -> Path:
    """A copy of a bad input, so that nothing the command does can touch the original."""
    return Path(shutil.copytree(BAD, tmp_path / "bad"))


# --- help ------------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["--help"], ["validate", "--help"], ["figures", "--help"]])
def test_help(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: complaints-report")
    if argv[0] == "validate":
        assert "DATA_DIR" in out and "--year" in out
    if argv[0] == "figures":
        assert "FY" in out and "--data" in out and "--out" in out


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == EXIT_USAGE
    out = capsys.readouterr().out
    assert "validate" in out and "figures" in out


def test_the_installed_command_runs_as_a_subprocess():
    script = Path(sys.executable).parent / "complaints-report"
    cmd = [str(script)] if script.is_file() else [sys.executable, "-m", "complaints_report.cli"]
    done = subprocess.run([*cmd, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "validate" in done.stdout and "figures" in done.stdout


# --- validate --------------------------------------------------------------------------------


def test_validate_a_valid_data_set_exits_0(valid_data, capsys):
    assert main(["validate", str(valid_data)]) == EXIT_OK
    captured = capsys.readouterr()
    assert "follows the data contract" in captured.out
    assert captured.err == ""


def test_validate_a_bad_data_set_exits_1_and_locates_the_problem(bad_data, capsys):
    assert "31/02/2023" in (bad_data / "NOTE.md").read_text(encoding="utf-8")
    assert main(["validate", str(bad_data)]) == EXIT_DATA
    err = capsys.readouterr().err
    line = next(ln for ln in err.splitlines() if "31/02/2023" in ln)
    assert "complaints.csv" in line
    assert "row 3" in line
    assert "received_date" in line
    assert "'31/02/2023'" in line


def test_validate_a_missing_folder_exits_1_naming_it(tmp_path, capsys):
    missing = tmp_path / "no-such-folder"
    assert main(["validate", str(missing)]) == EXIT_DATA
    assert str(missing) in capsys.readouterr().err


# --- figures ---------------------------------------------------------------------------------


def test_figures_writes_figures_json(valid_data, tmp_path):
    out = tmp_path / "out"
    assert main(["figures", "2023-24", "--data", str(valid_data), "--out", str(out)]) == EXIT_OK
    written = out / "2023-24" / "figures.json"
    figures = json.loads(written.read_text(encoding="utf-8"))
    assert set(figures) == TOP_KEYS
    assert figures["financial_year"] == "2023-24"
    assert list(figures["service_areas"]) == ["Children's Social Care"]
    council = figures["council"]
    assert (council["complaints"], council["formal"], council["informal"]) == (3, 2, 1)
    assert council["remedy_total"] == 1500.0
    # only figures.json: no temporary file left beside it
    assert sorted(p.name for p in written.parent.iterdir()) == ["figures.json", "run.json"]


def test_figures_accepts_a_slash_label_and_writes_the_dash_folder(valid_data, tmp_path):
    out = tmp_path / "out"
    assert main(["figures", "2023/24", "--data", str(valid_data), "--out", str(out)]) == EXIT_OK
    assert (out / "2023-24" / "figures.json").is_file()


def test_figures_on_a_bad_data_set_writes_nothing(bad_data, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["figures", "2023-24", "--data", str(bad_data), "--out", str(out)])
    assert code != EXIT_OK
    err = capsys.readouterr().err
    assert "nothing was written" in err
    assert "31/02/2023" in err
    assert not out.exists() or not any(out.rglob("*"))


@pytest.mark.parametrize("label", ["2023-25", "FY23"])
def test_figures_with_a_bad_financial_year_exits_2(label, valid_data, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["figures", label, "--data", str(valid_data), "--out", str(out)])
    assert code == EXIT_USAGE
    err = capsys.readouterr().err
    assert f"financial year {label!r}" in err
    assert "2023-24" in err  # shows the form expected
    assert not out.exists()


def test_figures_with_a_missing_data_folder_names_it(tmp_path, capsys):
    missing = tmp_path / "no-such-folder"
    out = tmp_path / "out"
    code = main(["figures", "2023-24", "--data", str(missing), "--out", str(out)])
    assert code != EXIT_OK
    assert str(missing) in capsys.readouterr().err
    assert not out.exists()


def test_figures_writes_run_json_saying_what_it_was_made_from(repo_root, tmp_path):
    out = tmp_path / "out"
    assert main(["figures", "2023-24", "--out", str(out)]) == 0
    run = json.loads((out / "2023-24" / "run.json").read_text(encoding="utf-8"))
    assert run["financial_year"] == "2023-24"
    assert run["data_set"] == "data/demo"
    assert run["synthetic_data"] is True and "synthetic" in run["notice"]
    complaints = run["files"]["complaints"]
    expected = hashlib.sha256((repo_root / "data/demo/complaints.csv").read_bytes()).hexdigest()
    assert complaints == {"file": "data/demo/complaints.csv", "sha256": expected}
    assert run["params"]["targets"]["stage1_working_days"] == 20


# --- a params file naming a data folder that does not exist ----------------------------------


@pytest.fixture
def params_naming_a_missing_folder(tmp_path, monkeypatch) -> Path:
    """A params folder whose 2023-24.yml says ``data:`` a folder that is not there.

    ``COMPLAINTS_REPORT_PARAMS`` is read when the suite is imported, so the in-process commands
    are pointed at it through ``paths.PARAMS_DIR`` (the environment too, for anything started
    from here).
    """
    from complaints_report import paths

    pdir = tmp_path / "params"
    pdir.mkdir()
    (pdir / "defaults.yml").write_text("council: Test Council\ndata: data/demo\n", encoding="utf-8")
    missing = tmp_path / "exports" / "2023-24"
    (pdir / "2023-24.yml").write_text(f"data: {missing}\n", encoding="utf-8")
    monkeypatch.setattr(paths, "PARAMS_DIR", pdir)
    monkeypatch.setenv("COMPLAINTS_REPORT_PARAMS", str(pdir))
    return missing


def _assert_names_the_missing_folder(err: str, missing: Path, out: Path) -> None:
    assert str(missing) in err
    assert "no such data set folder" in err
    assert "Traceback" not in err
    assert not out.exists() or not any(out.rglob("*")), sorted(out.rglob("*"))


def test_figures_when_params_name_a_missing_data_folder(
    params_naming_a_missing_folder, tmp_path, capsys
):
    missing, out = params_naming_a_missing_folder, tmp_path / "out"
    assert main(["figures", "2023-24", "--out", str(out)]) == EXIT_DATA
    captured = capsys.readouterr()
    _assert_names_the_missing_folder(captured.err, missing, out)
    assert f"Fix 'data' in {missing.parents[1] / 'params' / '2023-24.yml'}" in captured.err
    assert "Traceback" not in captured.out


def test_figures_when_defaults_name_a_missing_data_folder(tmp_path, monkeypatch, capsys):
    from complaints_report import paths

    pdir, missing, out = tmp_path / "params", tmp_path / "gone", tmp_path / "out"
    pdir.mkdir()
    (pdir / "defaults.yml").write_text(f"council: Test\ndata: {missing}\n", encoding="utf-8")
    monkeypatch.setattr(paths, "PARAMS_DIR", pdir)
    assert main(["figures", "2023-24", "--out", str(out)]) == EXIT_DATA
    err = capsys.readouterr().err
    _assert_names_the_missing_folder(err, missing, out)
    assert f"Fix 'data' in {pdir / 'defaults.yml'}" in err
    assert f"or set 'data' in {pdir / '2023-24.yml'} for 2023-24 alone" in err


def test_validate_with_the_params_of_a_year_and_a_missing_folder(
    params_naming_a_missing_folder, tmp_path, capsys
):
    missing = params_naming_a_missing_folder
    assert main(["validate", str(missing), "--year", "2023-24"]) == EXIT_DATA
    captured = capsys.readouterr()
    assert f"{missing}: no such data set folder" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert not missing.exists()


def test_validate_with_unreadable_defaults_says_so_without_a_traceback(
    tmp_path, monkeypatch, valid_data, capsys
):
    from complaints_report import paths

    pdir = tmp_path / "params"
    pdir.mkdir()
    (pdir / "defaults.yml").write_text("columns: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(paths, "PARAMS_DIR", pdir)
    assert main(["validate", str(valid_data)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "defaults.yml" in err and "Traceback" not in err


def _run_missing(out: Path, capsys) -> tuple[int, str]:
    code = main(["run", "2023-24", "--out", str(out), "--no-progress", "--no-publish"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.err


def test_run_when_params_name_a_missing_data_folder(
    params_naming_a_missing_folder, tmp_path, capsys
):
    missing, out = params_naming_a_missing_folder, tmp_path / "out"
    code, err = _run_missing(out, capsys)
    assert code == EXIT_DATA
    assert str(missing) in err and "Nothing was written" in err
    assert not out.exists(), "not even the year's lock may be taken"


def test_run_when_params_name_a_missing_data_folder_writes_nothing_and_says_where_to_fix(
    params_naming_a_missing_folder, tmp_path, capsys
):
    missing, out = params_naming_a_missing_folder, tmp_path / "out"
    code, err = _run_missing(out, capsys)
    assert code == EXIT_DATA
    _assert_names_the_missing_folder(err, missing, out)
    assert f"Fix 'data' in {missing.parents[1] / 'params' / '2023-24.yml'}" in err


def test_run_year_refuses_a_missing_data_folder_before_touching_the_outputs(tmp_path):
    from complaints_report.data.model import DataError
    from complaints_report.run.year import run_year

    out = tmp_path / "out"
    with pytest.raises(DataError) as caught:
        run_year("2023-24", data=str(tmp_path / "nowhere"), out=str(out), progress=False)
    assert "no such folder" in str(caught.value) and "nowhere" in str(caught.value)
    assert not out.exists()


def test_publish_with_a_slash_label_before_any_run_says_so_and_leaves_no_stray_folder(
    tmp_path, capsys, monkeypatch
):
    """`publish 2023/24` works on the 2023-24 folder and lock; with nothing run, it says so."""
    monkeypatch.setenv("COMPLAINTS_REPORT_PUBLISHER", "offline")
    assert main(["publish", "2023/24", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "run the year first (complaints-report run 2023-24)" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [".2023-24.lock"]


def test_publish_with_a_slash_label_waits_for_the_years_lock(tmp_path, capsys):
    """While another process holds 2023-24's lock, `publish 2023/24` stops at once (exit 3)."""
    import subprocess
    import sys

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from complaints_report.run.staging import year_lock\n"
            "with year_lock(Path(sys.argv[1]) / '2023-24'):\n"
            "    print('held', flush=True)\n"
            "    time.sleep(60)\n",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert main(["publish", "2023/24", "--out", str(tmp_path)]) == 3
        assert "another run or publish of 2023-24 is in progress" in capsys.readouterr().err
        assert not (tmp_path / "2023").exists()
    finally:
        holder.kill()
        holder.wait()
