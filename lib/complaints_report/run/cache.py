"""What a re-run can skip: content hashes of each section's inputs, and the prepared year on disk.

A section is re-executed when anything it depends on changed: its notebook, the year's params
(its own commentary, not the other sections'), the data set's files, or the library's source.
The manifest of the last good run lives in ``outputs/<FY>/.cache/``; a manifest or context file
that cannot be read, or whose key does not match, is ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..files import atomic_write_bytes, write_json_atomic
from ..params import Params
from ..sections import Section

log = logging.getLogger(__name__)

CACHE_DIR = ".cache"
MANIFEST = "manifest.json"
CONTEXT = "context.pkl"
LIB_DIR = Path(__file__).resolve().parent.parent  # the whole library, every subpackage


def sha(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(len(p).to_bytes(8, "little"))
        h.update(p)
    return h.hexdigest()


def files_hash(files: list[Path]) -> str:
    """One hash of several files' names and bytes, in a stable order."""
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(f.name.encode())
        h.update(file_sha(f).encode())
    return h.hexdigest()


def file_sha(path: Path) -> str:
    """A file's SHA-256, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def data_hash(data_dir: Path) -> str:
    """The data set's files (every file in the folder, so a new table counts too)."""
    return (
        files_hash([p for p in data_dir.iterdir() if p.is_file()])
        if data_dir.is_dir()
        else "missing"
    )


def library_hash() -> str:
    """The library's source: any change to lib/ may change any figure, table or sentence."""
    files = [p for p in LIB_DIR.rglob("*") if p.is_file() and p.suffix in {".py", ".css", ".typ"}]
    return files_hash(files)


def _settings(params: Params) -> dict[str, Any]:
    """The params as data, with the data folder as the absolute path it resolves to: the run
    hands its notebooks that path, and ``data/demo`` and ``/…/data/demo`` are one data set."""
    dump = params.model_dump(mode="json")
    dump["data"] = str(params.data_dir)
    return dump


def params_for(params: Params, section: Section | None) -> str:
    """The params a section depends on: everything but the other sections' commentary."""
    dump = _settings(params)
    commentary = dump.pop("commentary", {}) or {}
    in_year = dump.pop("in_year_commentary", {}) or {}
    if section is not None:
        dump["commentary"] = params.section_commentary(section.slug)
    else:
        dump["commentary"] = commentary
        dump["in_year_commentary"] = in_year
    return json.dumps(dump, sort_keys=True, default=str)


@dataclass(frozen=True)
class Inputs:
    """The hashes a run's decisions rest on."""

    data: str
    library: str

    @classmethod
    def of(cls, params: Params) -> Inputs:
        return cls(data_hash(params.data_dir), library_hash())


def year_key(params: Params, inputs: Inputs) -> str:
    """Key of everything the year's figures and prepared data depend on (not the report's words)."""
    dump = _settings(params)
    for words in ("commentary", "in_year_commentary", "report"):
        dump.pop(words, None)
    settings = json.dumps(dump, sort_keys=True, default=str)
    return sha(settings.encode(), inputs.data.encode(), inputs.library.encode())


def section_key(section: Section, params: Params, inputs: Inputs) -> str:
    """Key of everything one section's executed notebook depends on."""
    if not section.path.is_file():
        return "missing"  # never matches a recorded key; executing it says what is missing
    return sha(
        section.path.read_bytes(),
        params_for(params, section).encode(),
        inputs.data.encode(),
        inputs.library.encode(),
    )


def _cache_dir(year_dir: Path) -> Path:
    return year_dir / CACHE_DIR


def read_manifest(year_dir: Path) -> dict[str, Any]:
    """The last good run's keys, or an empty manifest when there is none or it is unreadable."""
    path = _cache_dir(year_dir) / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("sections", {}), dict):
            raise ValueError("not a manifest")
        return data
    except (OSError, ValueError) as exc:
        log.warning("the run cache %s is unreadable (%s): rebuilding it", path, exc)
        return {}


def write_manifest(year_dir: Path, manifest: dict[str, Any]) -> None:
    write_json_atomic(_cache_dir(year_dir) / MANIFEST, manifest)


def executed_ok(notebook: Path, recorded: str | None) -> bool:
    """The executed notebook is still there and is the one the manifest recorded."""
    return recorded is not None and notebook.is_file() and file_sha(notebook) == recorded


def stale_sections(
    sections: list[Section], keys: dict[str, str], manifest: dict[str, Any], nb_dir: Path
) -> list[Section]:
    """The sections whose inputs changed since the last good run (or whose output went missing)."""
    done = manifest.get("sections", {})
    stale = []
    for s in sections:
        entry = done.get(s.slug) or {}
        if entry.get("key") != keys[s.slug] or not executed_ok(
            nb_dir / s.notebook, entry.get("executed")
        ):
            stale.append(s)
    return stale


def record(manifest: dict[str, Any], section: Section, key: str, nb_dir: Path) -> None:
    manifest.setdefault("sections", {})[section.slug] = {
        "key": key,
        "executed": file_sha(nb_dir / section.notebook),
    }


# --- the prepared year, shared by every notebook of a run ----------------------------------------


def context_path(year_dir: Path) -> Path:
    return _cache_dir(year_dir) / CONTEXT


def save_context(year_dir: Path, key: str, payload: Any) -> Path:
    """Pickle what every notebook would otherwise recompute (prepared data, figures, views)."""
    data = pickle.dumps({"key": key, "payload": payload}, protocol=pickle.HIGHEST_PROTOCOL)
    return atomic_write_bytes(context_path(year_dir), data)


def load_context_payload(year_dir: Path, key: str) -> Any | None:
    """The pickled year if it was made from exactly these inputs; None otherwise.

    The file is only ever written by this suite's own run into the year's output folder.
    """
    path = context_path(year_dir)
    if not path.is_file():
        return None
    try:
        with open(path, "rb") as fh:
            data = pickle.load(fh)  # noqa: S301 - our own cache file, checked by key below
    except Exception as exc:  # a truncated or foreign file is rebuilt, not trusted
        log.warning("the prepared-year cache %s is unreadable (%s): recomputing", path, exc)
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    return data.get("payload")
