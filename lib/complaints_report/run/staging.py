"""A year's outputs change all at once or not at all, and one run at a time.

A run works in a staging copy of ``outputs/<FY>/`` (``outputs/.runs/<FY>/``) and swaps it in
only when figures, notebooks and publishing have all succeeded. Until then the last good
outputs stay exactly as they were, whether the run fails, is interrupted or is killed.

The swap is two renames on one file system: ``<FY>`` becomes ``.runs/<FY>.previous``, then the
staging folder becomes ``<FY>``. A run killed between the two leaves ``<FY>`` missing and
``.previous`` present; the next run of that year puts ``.previous`` back before anything else.
A lock (``outputs/.<FY>.lock``) keeps two runs of one year from working at the same time.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from ..files import swap_folder

log = logging.getLogger(__name__)

RUNS = ".runs"
"""Hidden folder of ``outputs/`` holding the staging copies of runs in progress (or failed)."""


class YearBusy(Exception):
    """Another run (or publish) of the same year holds its lock."""


def lock_path(year_dir: Path) -> Path:
    return year_dir.parent / f".{year_dir.name}.lock"


def staging_dir(year_dir: Path) -> Path:
    """Where a run of this year writes until it succeeds."""
    return year_dir.parent / RUNS / year_dir.name


def previous_dir(year_dir: Path) -> Path:
    """Where the last good outputs wait during the swap."""
    return year_dir.parent / RUNS / f"{year_dir.name}.previous"


def _holder(year_dir: Path) -> str:
    """Who holds the lock, as far as its note says (best effort: the note may be missing)."""
    try:
        info = json.loads((lock_path(year_dir).with_suffix(".json")).read_text(encoding="utf-8"))
        return f" (process {info['pid']}, started {info['started']})"
    except (OSError, ValueError, KeyError, TypeError):
        return ""


@contextmanager
def year_lock(year_dir: Path, what: str = "run") -> Iterator[None]:
    """Hold the year's lock; raise :class:`YearBusy` at once if another process holds it.

    On entry, a swap a killed run left half done is finished first (see :func:`recover`).
    """
    year_dir.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_path(year_dir), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise YearBusy(
            f"another run or publish of {year_dir.name} is in progress{_holder(year_dir)}, "
            f"working on {year_dir}. Wait for it to finish, then {what} again "
            f"(the lock is released when that process ends: {lock_path(year_dir)})."
        ) from None
    note = lock_path(year_dir).with_suffix(".json")
    try:
        note.write_text(
            json.dumps(
                {"pid": os.getpid(), "started": datetime.now().isoformat(timespec="seconds")}
            ),
            encoding="utf-8",
        )
        recover(year_dir)
        yield
    finally:
        note.unlink(missing_ok=True)
        lock.release()


def recover(year_dir: Path) -> None:
    """Undo what a run killed in the middle of its swap left behind (call under the lock)."""
    previous = previous_dir(year_dir)
    if not previous.exists():
        return
    if year_dir.exists():
        shutil.rmtree(previous)  # the new outputs were already in place
    else:
        previous.rename(year_dir)
        log.warning(
            "a run of %s was stopped while swapping in its outputs: the last good outputs "
            "were put back in %s",
            year_dir.name,
            year_dir,
        )


def begin(year_dir: Path) -> Path:
    """A fresh staging copy of the year's outputs (call under the lock); returns its path.

    Leftovers of a failed or killed run are thrown away first. The copy is a real copy, not
    hard links: Papermill rewrites an executed notebook in place, which would alter the
    published one through a shared link.
    """
    stage = staging_dir(year_dir)
    if stage.exists():
        log.info("removing the unfinished outputs of an earlier run: %s", stage)
        shutil.rmtree(stage)
    stage.parent.mkdir(parents=True, exist_ok=True)
    if year_dir.is_dir():
        shutil.copytree(year_dir, stage, symlinks=True)
    else:
        stage.mkdir(parents=True)  # .runs/ may have just been tidied away by another year
    return stage


def commit(stage: Path, year_dir: Path) -> None:
    """Put the finished staging folder in place of the year's outputs (call under the lock)."""
    swap_folder(stage, year_dir, previous_dir(year_dir))
    try:
        stage.parent.rmdir()  # .runs/, unless another year's run or a failed run's folder is there
    except OSError:
        pass


def discard(stage: Path) -> None:
    """Throw a staging folder away (nothing in it is worth keeping)."""
    shutil.rmtree(stage, ignore_errors=True)
