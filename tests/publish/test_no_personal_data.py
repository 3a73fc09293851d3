"""Nothing personal is published: the demo's planted personal data never reaches the site.

The demo data carries a few pieces of personal data in free text on purpose (see
``scripts/demo_text.py``, PERSONAL_DATA_MARKERS), as staff sometimes write them. Every file under
``outputs/<FY>/site/`` — HTML, CSV and the PDF's text — is scanned for them.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from demo_text import PERSONAL_DATA_MARKERS  # noqa: E402

YEARS = ("2023-24", "2020-21")


def _site_text(site: Path) -> dict[str, str]:
    texts = {}
    for path in site.rglob("*"):
        if path.suffix in {".html", ".csv", ".css", ".json", ".js", ".xml"}:
            texts[str(path.relative_to(site))] = path.read_text(encoding="utf-8")
        elif path.suffix == ".pdf":
            texts[str(path.relative_to(site))] = "\n".join(
                p.extract_text() or "" for p in PdfReader(path).pages
            )
    return texts


def test_the_demo_really_carries_the_markers(repo_root):
    raw = (repo_root / "data" / "demo" / "complaints.csv").read_text(encoding="utf-8")
    assert all(marker in raw for marker in PERSONAL_DATA_MARKERS)


@pytest.mark.slow
@pytest.mark.parametrize("fy", YEARS)
def test_no_planted_personal_data_in_any_published_file(published, fy):
    found = [
        (name, marker)
        for name, text in _site_text(published[fy]).items()
        for marker in PERSONAL_DATA_MARKERS
        if marker in text
    ]
    assert not found, f"personal data published: {found}"


@pytest.mark.slow
def test_the_redactions_are_logged_without_the_text(published):
    year_dir = published["2023-24"].parent
    log = (year_dir / "redactions.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(log.splitlines()))
    assert rows, "the 2023-24 learning table holds planted personal data, so something was redacted"
    assert {r["label"] for r in rows} <= {
        "name",
        "phone",
        "email",
        "postcode",
        "NI number",
        "date of birth",
        "address",
    }
    assert not any(marker in log for marker in PERSONAL_DATA_MARKERS)
    assert not (published["2023-24"] / "redactions.csv").exists()
