"""Writing files and folders so that a reader never sees half of one: write beside, then rename
into place."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file in ``path``'s folder and rename it over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; outputs are meant to be read
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def write_json_atomic(path: Path, data: Any) -> Path:
    """JSON, indented, UTF-8, written atomically."""
    return atomic_write_text(
        path, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    )


def swap_folder(new: Path, target: Path, old: Path | None = None) -> None:
    """Put the complete folder ``new`` in place of ``target``: the last ``target`` waits at
    ``old`` (default ``.<name>-old`` beside it) and is removed only once ``new`` is in place."""
    old = old or target.with_name(f".{target.name}-old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)
