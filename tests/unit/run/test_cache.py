"""The run cache's decisions: what changed is redone, nothing else; a bad cache is never trusted."""

from __future__ import annotations

import pickle

import pytest

from complaints_report import paths
from complaints_report.params import Params
from complaints_report.run import cache
from complaints_report.sections import SECTIONS


def params(**kw) -> Params:
    base = dict(
        financial_year="2023-24", council="Test", commentary={"cover": "a", "ombudsman": "b"}
    )
    base.update(kw)
    return Params(**base)


def keys_for(p: Params, inputs: cache.Inputs) -> dict[str, str]:
    return {s.slug: cache.section_key(s, p, inputs) for s in SECTIONS}


@pytest.fixture
def last_run(tmp_path):
    """A manifest as a complete run leaves it, with its executed notebooks on disk."""
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    p, inputs = params(), cache.Inputs("data-1", "lib-1")
    manifest = {"year": cache.year_key(p, inputs)}
    keys = keys_for(p, inputs)
    for s in SECTIONS:
        (nb_dir / s.notebook).write_text(f"executed {s.slug}")
        cache.record(manifest, s, keys[s.slug], nb_dir)
    cache.write_manifest(tmp_path, manifest)
    return tmp_path, nb_dir, p, inputs


def stale(year_dir, nb_dir, p, inputs):
    manifest = cache.read_manifest(year_dir)
    return [
        s.slug for s in cache.stale_sections(list(SECTIONS), keys_for(p, inputs), manifest, nb_dir)
    ]


def test_nothing_changed_redoes_nothing(last_run):
    assert stale(*last_run) == []


def test_one_sections_commentary_redoes_only_that_section(last_run):
    year_dir, nb_dir, p, inputs = last_run
    edited = params(commentary={"cover": "a", "ombudsman": "b, reworded"})
    assert stale(year_dir, nb_dir, edited, inputs) == ["ombudsman"]
    assert cache.year_key(edited, inputs) == cache.year_key(p, inputs), (
        "figures need not be recomputed"
    )


def test_a_setting_redoes_every_section_and_the_figures(last_run):
    year_dir, nb_dir, p, inputs = last_run
    changed = params(targets={"stage1_working_days": 15})
    assert len(stale(year_dir, nb_dir, changed, inputs)) == len(SECTIONS)
    assert cache.year_key(changed, inputs) != cache.year_key(p, inputs)


@pytest.mark.parametrize(
    "inputs",
    [cache.Inputs("data-2", "lib-1"), cache.Inputs("data-1", "lib-2")],
    ids=["data changed", "library changed"],
)
def test_data_or_library_redoes_every_section(last_run, inputs):
    year_dir, nb_dir, p, _ = last_run
    assert len(stale(year_dir, nb_dir, p, inputs)) == len(SECTIONS)


def test_a_changed_notebook_redoes_that_section(last_run, tmp_path, monkeypatch):
    year_dir, nb_dir, p, inputs = last_run
    section = SECTIONS[4]
    copy = tmp_path / "edited.ipynb"
    copy.write_bytes(section.path.read_bytes() + b" ")
    monkeypatch.setattr(
        type(section),
        "path",
        property(lambda s: copy if s == section else paths.NOTEBOOKS_DIR / s.notebook),
    )
    assert stale(year_dir, nb_dir, p, inputs) == [section.slug]


def test_a_missing_or_altered_executed_notebook_is_redone(last_run):
    year_dir, nb_dir, p, inputs = last_run
    (nb_dir / SECTIONS[0].notebook).unlink()
    (nb_dir / SECTIONS[1].notebook).write_text("edited by hand")
    assert stale(year_dir, nb_dir, p, inputs) == [SECTIONS[0].slug, SECTIONS[1].slug]


def test_a_corrupted_manifest_is_rebuilt_not_trusted(last_run, caplog):
    year_dir, nb_dir, p, inputs = last_run
    (year_dir / ".cache" / "manifest.json").write_text("{ not json")
    assert len(stale(year_dir, nb_dir, p, inputs)) == len(SECTIONS)
    assert "unreadable" in caplog.text


def test_the_prepared_year_is_used_only_for_its_own_key(tmp_path):
    cache.save_context(tmp_path, "key-1", {"figures": 1})
    assert cache.load_context_payload(tmp_path, "key-1") == {"figures": 1}
    assert cache.load_context_payload(tmp_path, "key-2") is None
    cache.context_path(tmp_path).write_bytes(b"truncated")
    assert cache.load_context_payload(tmp_path, "key-1") is None
    cache.context_path(tmp_path).write_bytes(pickle.dumps(["not", "ours"]))
    assert cache.load_context_payload(tmp_path, "key-1") is None


def test_hashes_follow_content_not_names_or_times(tmp_path):
    a = tmp_path / "a"
    a.mkdir()
    (a / "complaints.csv").write_text("x")
    first = cache.data_hash(a)
    (a / "complaints.csv").write_text("x")
    assert cache.data_hash(a) == first
    (a / "complaints.csv").write_text("y")
    assert cache.data_hash(a) != first
    (a / "complaints.csv").write_text("x")
    (a / "advocacy.csv").write_text("new table")
    assert cache.data_hash(a) != first


def test_a_run_s_notebooks_load_the_prepared_year_it_saved(tmp_path, monkeypatch):
    # The run keys the year from params ("data: data/demo"); it hands each notebook the data
    # folder as an absolute path. Both name one data set, so the notebook must take the
    # prepared year, not read and prepare the whole export again (seconds per section).
    from complaints_report import report
    from complaints_report.params import load_params

    run_params = load_params("2023-24")
    assert not paths.Path(run_params.data).is_absolute()
    key = cache.year_key(run_params, cache.Inputs.of(run_params))
    cache.save_context(tmp_path, key, {"prep": "p", "figures": "f", "views": "v"})

    def no_reading(*args, **kwargs):
        raise AssertionError("the notebook read the data set again")

    monkeypatch.setattr(report, "load_dataset", no_reading)
    ctx = report.load_context("2023-24", str(run_params.data_dir.resolve()), str(tmp_path))
    assert (ctx.prep, ctx.figures, ctx.views) == ("p", "f", "v")


def test_another_data_folder_is_another_year_key(tmp_path):
    p = params(data=str(tmp_path / "a"))
    inputs = cache.Inputs("data-1", "lib-1")
    assert cache.year_key(p, inputs) != cache.year_key(params(data=str(tmp_path / "b")), inputs)
    assert cache.year_key(p, inputs) == cache.year_key(params(data=str(tmp_path / "a")), inputs)
