"""The Typst PDF's tables and commentary: each table's Typst (``ReportTable.to_typst``) says what
Pandoc makes of its Markdown pipe table (its columns, alignment, every cell, the caption and
label), checked against the Pandoc that Quarto runs, for every table of the demo report, except
the columns' widths, which are the report's own (sized to their content, see
``ReportTable._typst_widths``); the commentary's Typst is the callout Quarto writes for its
Markdown."""

from __future__ import annotations

import json
import re
import subprocess

from complaints_report.present.display import MARKDOWN, TYPST
from complaints_report.publish.quarto import quarto_notebook

_TOKEN = re.compile(r"\\(.)|(---)|(--)|(.)", re.S)


def _text(raw: str) -> str:
    """Literal text of Typst markup as Pandoc writes it: escapes undone, dashes as characters."""

    def one(m: re.Match) -> str:
        escaped, em, en, char = m.groups()
        return escaped if escaped is not None else "—" if em else "–" if en else char

    return _TOKEN.sub(one, raw)


def _string(raw: str) -> str:
    return re.sub(r"\\(.)", r"\1", raw)


def _tables(typst: str, strings: bool) -> list[dict]:
    """Each ``#table(...)`` of ``typst``: its columns, alignment, cells, caption and label."""
    cell = re.compile(r'"((?:\\.|[^"\\])*)"' if strings else r"\[((?:\\.|[^\]\\])*)\]")
    found = []
    for m in re.finditer(r"#table\(\n(.*?)\n\s*\)", typst, re.S):
        body = m.group(1)
        after = typst[m.end() : m.end() + 6000]  # the table's note, then its caption
        caption = re.search(
            r'caption: (?:figure\.caption\(\s*position: top, \s*)?\[\s*(?:#"((?:\\.|[^"\\])*)"|([^\]]*?))\s*\]',
            after,
        )
        found.append(
            {
                "columns": re.search(r"columns: (.*),\n", body + "\n").group(1),
                "align": re.search(r"align: (.*),\n", body + "\n").group(1),
                "cells": [
                    (_string if strings else _text)(c)
                    for line in body.splitlines()
                    if not re.match(r"\s*(columns|align|table\.hline)", line)
                    for c in cell.findall(line)
                ],
                "caption": _string(caption.group(1))
                if caption.group(1) is not None
                else _text(caption.group(2)),
                "label": re.search(r"<(tbl-[^>]+)>", after).group(1),
            }
        )
    return found


def _offered(year_dir) -> list[dict]:
    """Every table of the year's executed notebooks: the outputs whose Typst is a table."""
    return [
        output["data"]
        for nb in sorted((year_dir / "notebooks").glob("*.ipynb"))
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]
        for output in cell.get("outputs", [])
        if "#table(" in "".join(output.get("data", {}).get(TYPST, ""))
    ]


def test_every_tables_typst_is_what_pandoc_makes_of_its_markdown(demo_runs, quarto):
    offered = _offered(demo_runs["2023-24"])
    assert len(offered) >= 40  # every table of the report
    markdown = "\n\n".join("".join(data[MARKDOWN]) for data in offered)
    pandoc = subprocess.run(
        [quarto, "pandoc", "-f", "markdown", "-t", "typst", "--wrap=none"],
        input=markdown,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    theirs = _tables(pandoc, strings=False)
    ours = [t for data in offered for t in _tables("".join(data[TYPST]), strings=True)]
    assert len(ours) == len(theirs) == len(offered)
    widths = re.compile(r"\((?:(?:auto|[\d.]+em|[\d.]+fr), )+\)")
    for mine, pandocs in zip(ours, theirs, strict=True):
        # The same number of columns, each sized to its content: auto, or a width in em, or a
        # share of what is left (fr) for long text.
        count = pandocs["columns"].count(",") + 1 if "(" in pandocs["columns"] else None
        assert widths.fullmatch(mine["columns"].replace(",)", ", )")), mine["columns"]
        assert mine["columns"].count(",") == (count or int(pandocs["columns"])), (mine, pandocs)
        assert {**mine, "columns": None} == {**pandocs, "columns": None}
    # wide tables share the page: fixed widths for short columns, shares for long text
    assert any("fr" in t["columns"] and "em" in t["columns"] for t in ours)
    assert any(t["columns"].startswith("(auto") for t in ours)


def _md(data: dict) -> str:
    return "".join(data.get(MARKDOWN, ""))


def test_the_pdfs_copy_of_a_notebook_takes_each_tables_typst_and_the_sites_drops_it(
    demo_runs, tmp_path
):
    executed = demo_runs["2023-24"] / "notebooks" / "07-who-complained.ipynb"
    pdf, site = tmp_path / "pdf.ipynb", tmp_path / "site.ipynb"
    quarto_notebook(executed, pdf, website=False)
    quarto_notebook(executed, site, website=True)
    pdf_outputs = [
        o.get("data", {})
        for c in json.loads(pdf.read_text())["cells"]
        for o in c.get("outputs", [])
    ]
    raw = [_md(d) for d in pdf_outputs if _md(d).startswith("```{=typst}")]
    assert len(raw) == 3  # the section's two tables and its commentary, as raw Typst blocks
    assert all("<tbl-07-complainants-" in r and r.rstrip().endswith("```") for r in raw[:2])
    assert raw[2].startswith("```{=typst}\n#callout(") and "Most complaints come" in raw[2]
    assert not any(TYPST in d or "text/html" in d for d in pdf_outputs)
    site_outputs = [
        o.get("data", {})
        for c in json.loads(site.read_text())["cells"]
        for o in c.get("outputs", [])
    ]
    assert not any(TYPST in d for d in site_outputs)
    assert sum('<table class="report-table"' in _md(d) for d in site_outputs) == 2


_CALLOUT = re.compile(
    r"#callout\(\nbody: \n\[\n(.*?)\]\n, \ntitle: \n\[\n(.*?)\n\]\n(, .*?\n\))", re.S
)


def test_the_commentarys_typst_is_the_callout_quarto_makes_of_its_markdown(quarto, tmp_path):
    """Quarto renders the commentary's Markdown to Typst; the Typst the commentary offers calls
    the same function with the same arguments, and its paragraphs are the same text."""
    from complaints_report.present.display import boxed

    paras = [
        "Children's complaints *rose*: #1 of 3, $2 <b> @someone [c] 50% -- and --- also \\ end",
        'A "quoted" word, 1. not a list, - not a bullet, = not a heading, // not a comment',
    ]
    shown = boxed(paras, css_class="commentary", label="Commentary")
    (tmp_path / "doc.qmd").write_text(
        "---\nformat:\n  typst:\n    keep-typ: true\n---\n\n" + shown.markdown + "\n",
        encoding="utf-8",
    )
    subprocess.run(
        [quarto, "render", "doc.qmd", "--to", "typst"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
    )
    theirs = _CALLOUT.search((tmp_path / "doc.typ").read_text(encoding="utf-8"))
    ours = _CALLOUT.fullmatch(shown.typst)
    assert theirs and ours
    assert ours.group(3) == theirs.group(3)  # colours, icon, background
    assert _string(ours.group(2).removeprefix("#").strip('"')) == _text(theirs.group(2))
    their_paras = [_text(p) for p in theirs.group(1).split("\n\n") if p.strip()]
    our_paras = [
        _string(p.removeprefix("#")[1:-1]) for p in ours.group(1).split("\n\n") if p.strip()
    ]
    assert our_paras == their_paras == [" ".join(p.split()) for p in paras]
