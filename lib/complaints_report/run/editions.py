"""Every edition traceable: what a run was made from (``provenance.json``), each published
edition's figures kept (``editions/<n>/``), and the figures revised since the last edition.

A run that computes the year's figures compares them with the latest kept edition's: the same
figures are that edition again (re-published: its revisions are the ones it had against the
edition before); other figures are a new edition, whose revisions are every figure that differs
from the latest edition's, each with the reason the params give (``revisions:``) or "data
updated". The run writes what it found to ``revisions.json`` before its notebooks run, so that
the methodology lists the revisions and the tables mark revised cells ``[r]``; it keeps the
edition only when the whole run succeeded (the year's outputs are swapped in all or nothing).
"""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import __version__, paths
from ..data.contract import FILE_SUFFIXES, TABLES
from ..files import write_json_atomic
from ..params import Params
from . import cache

PROVENANCE = "provenance.json"
REVISIONS = "revisions.json"
EDITIONS = "editions"
FIGURES = "figures.json"
DATA_UPDATED = "data updated"
PACKAGES = (
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbconvert",
    "pydantic",
    "gptables",
    "weasyprint",
)
"""The packages whose versions an edition records: those that count, draw and publish."""

# Words for the figures' names, for the list of revisions a reader sees.
MEASURES = {
    "formal": "formal complaints",
    "informal": "informal complaints",
    "complaints": "complaints",
    "compliments": "compliments",
    "learnings": "complaints with learning recorded",
    "ombudsman_decisions": "Ombudsman decisions",
    "ombudsman_upheld": "Ombudsman decisions upheld",
    "remedy_total": "Ombudsman remedies paid",
    "overdue_share": "share of Stage 1 responses overdue",
    "fully_justified_share": "share of Stage 1 complaints fully justified",
    "partly_justified_share": "share of Stage 1 complaints partly justified",
    "children_in_care": "complaints about children in care",
    "decisions": "Ombudsman decisions",
    "upheld": "Ombudsman decisions upheld",
    "responded": "responded",
    "within_limit": "responded within the time limit",
    "extended": "responded within the extended limit",
    "extended_unagreed": "extended without agreement",
    "over": "responded after the extended limit",
    "open": "open",
    "median_working_days": "median working days",
    "investigator": "investigator costs",
    "independent_person": "independent person costs",
    "additional": "additional costs",
    "remedied_before": "remedied before the decision",
    "recommendations_due": "Ombudsman recommendations due",
    "recommendations_complied": "Ombudsman recommendations complied with",
}
GROUPS = {
    "stages": "{key} records",
    "complainant_types": "complaints by complainant: {key}",
    "themes": "complaints about {key}",
    "outcomes": "Stage 1 outcomes: {key}",
    "stage2_costs": "Stage 2 {measure}",
    "ombudsman": "{measure}",
    "ombudsman_compliance": "{measure}",
}


def _shown(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(paths.ROOT).as_posix()
    except ValueError:
        return str(path)


def file_record(path: Path) -> dict[str, Any]:
    """A file as an edition records it: where, how big, when it last changed, its SHA-256."""
    stat = Path(path).stat()
    modified = datetime.fromtimestamp(stat.st_mtime, timezone.utc)
    return {
        "file": _shown(path),
        "bytes": stat.st_size,
        "modified": modified.isoformat(timespec="seconds"),
        "sha256": cache.file_sha(path),
    }


def run_record(params: Params, files: dict[str, Path]) -> dict[str, Any]:
    """What a run was made from: the data set's files (with hashes), the params, the suite version.

    Written beside figures.json as ``run.json``; internal, like figures.json. It says plainly
    when the records are synthetic (the demo data set).
    """

    return {
        "financial_year": params.financial_year,
        "suite_version": __version__,
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "data_set": _shown(params.data_dir),
        "synthetic_data": params.synthetic_data,
        "notice": (
            "The records of this data set are synthetic, calibrated to the published figures."
            if params.synthetic_data
            else None
        ),
        "files": {
            table: {"file": _shown(p), "sha256": cache.file_sha(p)}
            for table, p in sorted(files.items())
        },
        "params": params.model_dump(mode="json"),
    }


def data_files(data_dir: Path) -> dict[str, Path]:
    """The data set's files the run reads: one per table of the contract, by the table's name."""
    if not data_dir.is_dir():
        return {}
    return {
        p.stem.lower(): p
        for p in sorted(data_dir.iterdir())
        if p.is_file() and p.suffix.lower() in FILE_SUFFIXES and p.stem.lower() in TABLES
    }


def git_commit(root: Path | None = None) -> str | None:
    """The commit the code was checked out at, when it is a git checkout and git is there."""
    root = root or paths.ROOT
    if not (root / ".git").exists():
        return None
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def package_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def provenance(
    params: Params, publisher: dict[str, str | None], started: datetime
) -> dict[str, Any]:
    """What this run is made from; ``ended`` is filled in when it has finished (:func:`ended`)."""
    params_files = [
        paths.PARAMS_DIR / "defaults.yml",
        paths.PARAMS_DIR / f"{params.financial_year}.yml",
    ]
    return {
        "schema": 1,
        "financial_year": params.financial_year,
        **shown(params),
        "params_files": [file_record(p) for p in params_files if p.is_file()],
        "publisher": publisher,
        "packages": package_versions(),
        "started": started.isoformat(timespec="seconds"),
        "ended": None,
    }


def ended(record: dict[str, Any], when: datetime) -> dict[str, Any]:
    return {**record, "ended": when.isoformat(timespec="seconds")}


SHOWN = ("data_set", "data_files", "suite")
"""What the methodology shows of a provenance record: what the figures were made from (the data
set's files, and the code's version and commit). The settings files, the publisher and the
run's times are in provenance.json only: a commentary edit re-executes its own section alone."""


def shown(params: Params) -> dict[str, Any]:
    """The part of the year's provenance the methodology shows (:data:`SHOWN`)."""
    return {
        "data_set": _shown(params.data_dir),
        "data_files": {t: file_record(p) for t, p in data_files(params.data_dir).items()},
        "suite": {"version": __version__, "git_commit": git_commit()},
    }


def shown_part(record: dict[str, Any]) -> str:
    """What the methodology shows of a provenance record, as a key: the section that shows it
    is executed again when it changes."""
    return json.dumps({k: record[k] for k in SHOWN}, sort_keys=True)


# --- revisions -----------------------------------------------------------------------------


def flatten(figures: dict[str, Any]) -> dict[tuple[str, ...], Any]:
    """Every figure of a figures.json by its place: ("service_areas", area, …) or ("council", …)."""
    out: dict[tuple[str, ...], Any] = {}

    def walk(node: Any, where: tuple[str, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*where, str(key)))
        else:
            out[where] = node

    walk(figures.get("service_areas", {}), ("service_areas",))
    walk(figures.get("council", {}), ("council",))
    return out


def describe(place: tuple[str, ...]) -> dict[str, str]:
    """A figure's place in words: the area, the period and the measure."""
    if place[0] == "service_areas":
        area, rest = place[1], list(place[2:])
    else:
        area, rest = "Whole council", list(place[1:])
    period = "Year"
    if rest and rest[0] == "quarters":
        period = "Year" if rest[1] == "year" else rest[1]
        rest = rest[2:]
    if len(rest) >= 3 and rest[0] == "timescales":
        measure = f"{rest[1]}: {MEASURES.get(rest[2], rest[2])}"
    elif len(rest) >= 2 and rest[0] in GROUPS:
        measure = GROUPS[rest[0]].format(key=rest[1], measure=MEASURES.get(rest[1], rest[1]))
    else:
        measure = MEASURES.get(rest[-1], rest[-1].replace("_", " ")) if rest else ""
    return {"area": area, "period": period, "measure": measure[:1].upper() + measure[1:]}


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, float) or isinstance(new, float):
        try:
            return abs(float(old) - float(new)) < 1e-9
        except (TypeError, ValueError):
            return False
    return old == new


def reason_for(place: tuple[str, ...], rules: list[Any]) -> str:
    """The first params reason whose area and measure (each optional) match the figure."""
    area = place[1] if place[0] == "service_areas" else "council"
    for rule in rules:
        if rule.area and rule.area != area:
            continue
        if rule.measure and rule.measure not in place:
            continue
        return rule.reason
    return DATA_UPDATED


def changes(old: dict[str, Any], new: dict[str, Any], rules: list[Any]) -> list[dict[str, Any]]:
    """Every figure that differs between two editions' figures, in figures.json's order."""
    before, after = flatten(old), flatten(new)
    places = list(after) + [p for p in before if p not in after]
    out = []
    for place in places:
        was, now = before.get(place), after.get(place)
        if _same(was, now):
            continue
        out.append(
            {
                "figure": "/".join(place),
                **describe(place),
                "old": was,
                "new": now,
                "reason": reason_for(place, rules),
            }
        )
    return out


def _kept(year_dir: Path) -> list[int]:
    folder = year_dir / EDITIONS
    if not folder.is_dir():
        return []
    return sorted(
        int(p.name) for p in folder.iterdir() if p.name.isdigit() and (p / FIGURES).is_file()
    )


def _figures(year_dir: Path, number: int) -> dict[str, Any]:
    return json.loads((year_dir / EDITIONS / str(number) / FIGURES).read_text(encoding="utf-8"))


def edition(year_dir: Path, figures: dict[str, Any], params: Params) -> dict[str, Any]:
    """This run's edition: its number, the edition it is compared with and its revisions."""
    figures = json.loads(json.dumps(figures))
    kept = _kept(year_dir)
    if kept and not changes(_figures(year_dir, kept[-1]), figures, []):
        number = kept[-1]
        previous = kept[-2] if len(kept) > 1 else None
    else:
        number = (kept[-1] + 1) if kept else 1
        previous = kept[-1] if kept else None
    revised = changes(_figures(year_dir, previous), figures, params.revisions) if previous else []
    return {"edition": number, "previous": previous, "revisions": revised}


def keep(year_dir: Path, this: dict[str, Any], record: dict[str, Any]) -> Path:
    """Keep this edition's figures and provenance in ``editions/<n>/`` (a re-published edition
    keeps the provenance of the run that first made it)."""
    folder = year_dir / EDITIONS / str(this["edition"])
    if not (folder / FIGURES).is_file():
        folder.mkdir(parents=True, exist_ok=True)
        write_json_atomic(
            folder / FIGURES,
            json.loads((year_dir / FIGURES).read_text(encoding="utf-8")),
        )
        write_json_atomic(folder / PROVENANCE, record)
    return folder
