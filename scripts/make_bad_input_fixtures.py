"""Write the binary and generated files of the bad-input corpus in ``tests/bad_inputs/``.

Most cases there are small hand-written CSV files. The files this script writes cannot be
written by hand: workbooks (openpyxl), a password-protected workbook (msoffcrypto-tool, the
test extra), a damaged workbook, binary junk, and a CSV too long to type. Their outputs are
committed, so the tests do not run this script; run it again only to change those cases:

    .venv/bin/python scripts/make_bad_input_fixtures.py

It writes only the data files named below, never a case's NOTE.md (which says what each
case must report). Random parts are seeded; workbooks carry fixed document dates, though
encryption and zip timestamps still differ between runs.
"""

from __future__ import annotations

import io
import random
from datetime import datetime
from pathlib import Path

import openpyxl
from msoffcrypto.format.ooxml import OOXMLFile

BAD_INPUTS = Path(__file__).resolve().parents[1] / "tests" / "bad_inputs"
PASSWORD = "secret"
CHILDREN = ("Children's Services", "Children's Social Care")
HEADINGS = ["case_ref", "stage", "received_date", "responded_date", "directorate", "service_area"]
TITLES = [
    ["Wessex Council: complaints about children's services"],
    ["Export of 1 April 2023 to 31 March 2024"],
]


def workbook(rows: list[list[object]], *, empty_first_sheet: bool = False) -> bytes:
    """An .xlsx holding ``rows`` on its first sheet (on a second sheet if asked)."""
    wb = openpyxl.Workbook()
    wb.properties.created = wb.properties.modified = datetime(2024, 4, 30, 9, 0, 0)
    sheet = wb.active
    if empty_first_sheet:
        sheet.title = "Notes"
        sheet = wb.create_sheet("Complaints")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def encrypted(data: bytes, password: str = PASSWORD) -> bytes:
    """``data`` (an .xlsx) as Excel saves it with a password: an OLE file, EncryptedPackage."""
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def complaints_rows() -> list[list[object]]:
    return [
        HEADINGS,
        ["COM/1", "Stage 1", datetime(2023, 4, 3), datetime(2023, 4, 20), *CHILDREN],
        ["COM/2", "Informal", datetime(2023, 7, 10), None, *CHILDREN],
    ]


def unclosed_quote_csv() -> str:
    """Row 3 opens a quoted value and never closes it; 1,600 rows follow it."""
    cs = ",".join(CHILDREN)
    lines = ["case_ref,stage,received_date,directorate,service_area,learning"]
    lines.append(f'COM/1,Stage 1,03/04/2023,{cs},"Call back within two days, as promised."')
    lines.append(f'COM/2,Stage 1,04/04/2023,{cs},"Keep the family informed in writing')
    lines += [
        f"COM/{n},Stage 1,05/04/2023,{cs},Explain the timescale at the first contact"
        for n in range(3, 1603)
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    wb = workbook(complaints_rows())
    files: dict[str, bytes] = {
        "password-protected-xlsx/complaints.xlsx": encrypted(wb),
        # A download that stopped part way: the zip's central directory is missing.
        "corrupt-xlsx/complaints.xlsx": wb[: len(wb) * 3 // 5],
        "xlsx-saved-as-csv/complaints.csv": wb,
        "empty-first-sheet/complaints.xlsx": workbook(complaints_rows(), empty_first_sheet=True),
        "xlsx-header-on-row-3/complaints.xlsx": workbook([*TITLES, *complaints_rows()]),
        "xlsx-header-on-row-3-bad-date/complaints.xlsx": workbook(
            [
                *TITLES,
                *complaints_rows(),
                ["COM/3", "Stage 1", "31/02/2024", None, *CHILDREN],
            ]
        ),
        "binary-junk/complaints.csv": random.Random(20240430).randbytes(4096),
        "unclosed-quote-mid-file/complaints.csv": unclosed_quote_csv().encode("utf-8"),
    }
    for name, data in files.items():
        path = BAD_INPUTS / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(BAD_INPUTS.parents[1])} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
