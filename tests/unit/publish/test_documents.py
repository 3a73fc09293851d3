"""The spreadsheet of every table and the Word copies, built from a small made-up year."""

from __future__ import annotations

import json
from datetime import date

import openpyxl
import pandas as pd
import pytest

from complaints_report.params import load_params
from complaints_report.present.tables import ReportTable
from complaints_report.publish import word
from complaints_report.publish.book import Chapter, PublishError
from complaints_report.publish.spreadsheet import (
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    published_tables,
    table_frame,
    write_spreadsheet,
)
from complaints_report.sections import SECTIONS


@pytest.fixture
def year(tmp_path):
    """A year whose section 7 shows two tables: one with every shorthand in it."""
    tables = tmp_path / "tables"
    first = ReportTable(
        "07-people",
        "Who complained",
        pd.DataFrame(
            {
                "Complainant": ["Parent", "=SUM(A1)", "Nobody"],
                "Complaints": [36, "[c]", None],
                "Share": [0.55, "[c]", None],
                "Cost": [10.5, None, 0.0],
            }
        ),
        formats={"Complaints": "count", "Share": "percent", "Cost": "money"},
        note="Shares are of those recorded.",
    )
    second = ReportTable("07-more", "More", pd.DataFrame({"Area": ["A"], "N": [1]}), {"N": "count"})
    links = []
    for table in (first, second):
        table.to_csv(tables)
        table.describe(tables)
        links.append(table.to_page_html())
    section = next(s for s in SECTIONS if s.number == 7)
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": "# Who complained\n\nIntro."},
            {
                "cell_type": "code",
                "outputs": [
                    {
                        "output_type": "display_data",
                        "data": {
                            "text/html": h,
                            "text/markdown": 'Said.<span class="stated" data-figures="[]"></span>',
                        },
                    }
                    for h in links
                ],
            },
        ]
    }
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / section.notebook).write_text(json.dumps(nb), encoding="utf-8")
    return tmp_path, [Chapter(section, "Part one", section.number)]


def test_published_tables_follow_the_page_and_their_descriptions(year):
    year_dir, chapters = year
    tables = published_tables(chapters, year_dir)
    assert [t.title for t in tables] == ["Who complained", "More"]
    frame = table_frame(tables[0])
    assert frame.iloc[0].tolist() == ["Parent", 36, 0.55, 10.5]
    # suppressed stays [c]; a missing share is not applicable, a missing count or cost not
    # available; text a spreadsheet would run as a formula is stored as the text it is
    assert frame.iloc[1].tolist() == ["=SUM(A1)", "[c]", "[c]", NOT_AVAILABLE]
    assert frame.iloc[2].tolist() == ["Nobody", NOT_AVAILABLE, NOT_APPLICABLE, 0.0]


def test_the_workbook_has_cover_contents_notes_and_typed_tables(year, tmp_path):
    year_dir, chapters = year
    params = load_params("2023-24")
    target = write_spreadsheet(params, chapters, year_dir, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["Cover", "Contents", "Notes", "Table_1", "Table_2"]
    ws = wb["Table_1"]
    assert ws["A1"].value == "Table 1: Who complained [note 1]"
    assert not any(w.merged_cells.ranges for w in wb.worksheets)
    (ref,) = [t.ref for t in ws.tables.values()]
    rows = [[c.value for c in row] for row in ws[ref]]
    assert rows[0] == ["Complainant", "Complaints", "Share", "Cost"]
    assert rows[1] == ["Parent", 36, 0.55, 10.5]
    assert rows[2] == ["=SUM(A1)", "[c]", "[c]", NOT_AVAILABLE]
    assert ws[ref][1][0].data_type == "s"  # text, never a formula
    assert ws[ref][1][2].number_format == "0%"
    assert ws[ref][1][3].number_format == "£#,##0.00"
    notes = [[c.value for c in row] for row in wb["Notes"].iter_rows()]
    assert ["1", "Shares are of those recorded."] in [[str(a), b] for a, b in notes]


def test_a_table_without_its_description_is_refused(year):
    year_dir, chapters = year
    (year_dir / "tables" / "07-more.json").unlink()
    with pytest.raises(PublishError, match="07-more has no description.*run the year again"):
        published_tables(chapters, year_dir)


def test_word_markdown_numbers_the_section_and_drops_the_record_of_figures(year):
    year_dir, chapters = year
    params = load_params("2023-24")
    text = word.report_markdown(params, chapters, year_dir)
    assert "# 7\\. Who complained" in text
    assert "stated" not in text and "<span" not in text
    assert 'lang: "en-GB"' in text
    assert "PART ONE" in text
    committee = word.committee_markdown(params, chapters, year_dir)
    # section 7 is not part of the paper itself, only of its appendix, a level down
    assert committee.count("Who complained") == 1 and "## 7\\. Who complained" in committee


def test_a_failed_cell_is_not_published_in_word(year):
    year_dir, chapters = year
    path = year_dir / "notebooks" / chapters[0].section.notebook
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][1]["outputs"].append({"output_type": "error", "ename": "KeyError"})
    path.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(PublishError, match="a cell failed \\(KeyError\\)"):
        word.section_markdown(path)


def test_the_council_names_its_own_word_styles(tmp_path):
    params = load_params("2023-24")
    assert word.reference_docx(params) == word.REFERENCE_DOCX
    given = params.model_copy(
        update={
            "report": params.report.model_copy(update={"word_reference": str(tmp_path / "x.docx")})
        }
    )
    with pytest.raises(PublishError, match="x.docx .*does not exist"):
        word.reference_docx(given)
    (tmp_path / "x.docx").write_bytes(word.REFERENCE_DOCX.read_bytes())
    assert word.reference_docx(given) == tmp_path / "x.docx"
    assert date.today()  # the reference is read at publish time, not cached
