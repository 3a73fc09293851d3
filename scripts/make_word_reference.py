"""Write the plain default Word reference document, lib/complaints_report/publish/reference.docx:
Pandoc's own reference document with the report's type (Arial, 11 pt, headings in the site's
blue) and the two styles the report's Word copies use beyond Pandoc's, Part and Commentary.

A council that wants its own house style names its template in params (report.word_reference);
this script is only for changing the default. Run: .venv/bin/python scripts/make_word_reference.py
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pypandoc
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt, RGBColor

TARGET = Path(__file__).resolve().parents[1] / "lib/complaints_report/publish/reference.docx"
BLUE = RGBColor(0x00, 0x5E, 0xA5)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pandoc_default = Path(tmp) / "reference.docx"
        with pandoc_default.open("wb") as out:
            subprocess.run(
                [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
                stdout=out,
                check=True,
            )
        doc = Document(str(pandoc_default))
    styles = doc.styles
    for name in ("Normal", "Body Text", "First Paragraph", "Compact"):
        if name in [s.name for s in styles]:
            styles[name].font.name = "Arial"
            styles[name].font.size = Pt(11)
    for level, size in ((1, 18), (2, 14), (3, 12), (4, 11), (5, 11), (6, 11)):
        style = styles[f"Heading {level}"]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = BLUE if level <= 2 else RGBColor(0x11, 0x11, 0x11)
    for name in ("Title", "Subtitle", "TOC Heading"):
        if name in [s.name for s in styles]:
            styles[name].font.name = "Arial"
    part = styles.add_style("Part", WD_STYLE_TYPE.PARAGRAPH)
    part.base_style = styles["Normal"]
    part.font.bold = True
    part.font.color.rgb = RGBColor(0x46, 0x46, 0x46)
    part.paragraph_format.space_before = Pt(18)
    part.paragraph_format.keep_with_next = True
    commentary = styles.add_style("Commentary", WD_STYLE_TYPE.PARAGRAPH)
    commentary.base_style = styles["Normal"]
    commentary.paragraph_format.left_indent = Pt(14)
    doc.save(str(TARGET))
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
