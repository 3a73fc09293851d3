"""Every path the suite uses, built from the repository root, so notebooks, tests and the CLI agree."""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    """The repository root: ``COMPLAINTS_REPORT_ROOT`` if set, else the folder holding ``params/``."""
    env = os.environ.get("COMPLAINTS_REPORT_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "params" / "defaults.yml").is_file() and (parent / "lib").is_dir():
            return parent
    return Path.cwd().resolve()


ROOT = _find_root()
# A copy of params/ elsewhere (tests, benchmarks) without editing the repository's own.
PARAMS_DIR = (
    Path(os.environ["COMPLAINTS_REPORT_PARAMS"]).resolve()
    if os.environ.get("COMPLAINTS_REPORT_PARAMS")
    else ROOT / "params"
)
DATA_DIR = ROOT / "data"
DEMO_DATA_DIR = DATA_DIR / "demo"
OUTPUTS_DIR = ROOT / "outputs"
NOTEBOOKS_DIR = ROOT / "notebooks"


def resolve(path: str | os.PathLike[str]) -> Path:
    """A path from params or the command line: absolute as given, relative to the repo root otherwise."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (ROOT / p)


def year_output_dir(financial_year: str, out_dir: str | os.PathLike[str] | None = None) -> Path:
    """``outputs/<FY>/`` (or ``<out_dir>/<FY>/``)."""
    base = resolve(out_dir) if out_dir is not None else OUTPUTS_DIR
    return base / financial_year
