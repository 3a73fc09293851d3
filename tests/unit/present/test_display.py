"""What notebooks display: every table, chart, heading and sentence offers HTML or Markdown for
each output format, and readable plain text, never an object's repr or an image's bytes."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from IPython.core.formatters import DisplayFormatter

from complaints_report.present import display
from complaints_report.present.charts import grouped_bars
from complaints_report.present.tables import ReportTable
from complaints_report.report import notice_display

FORMATTER = DisplayFormatter()


def bundle(obj) -> dict[str, str]:
    """What Jupyter (and so Papermill's executed notebook) records for ``obj``."""
    data, _ = FORMATTER.format(obj)
    return data


def table() -> ReportTable:
    frame = pd.DataFrame(
        {
            "Case reference": ["COM/3262", "COM/3472", "Total"],
            "Brief subject": ["Costs of $5 | *care* [c]", "A long\nline", "–"],
            "Cost": [3780.0, None, 3780.0],
        }
    )
    return ReportTable(
        name="05-stage2-cases",
        title="Stage 2 cases: costs & subjects",
        frame=frame,
        formats={"Cost": "money"},
        note="Costs are the investigators' fees.",
    )


def test_md_escape_keeps_free_text_literal():
    assert display.md_escape("$5 and $6 *x* [c] a|b") == r"\$5 and \$6 \*x\* \[c\] a\|b"
    assert display.md_escape("two\nlines  here") == "two lines here"
    assert display.md_attribute('say "hi" \\ there') == r'"say \"hi\" \\ there"'


def test_a_table_offers_html_markdown_and_readable_text():
    data = bundle(table())
    assert set(data) == {"text/html", "text/markdown", "text/plain", "text/x-typst"}
    html = data["text/html"]
    assert '<div class="table-wrap" role="region" tabindex="0"' in html
    assert 'aria-label="Table: Stage 2 cases: costs &amp; subjects"' in html
    assert "<caption>Stage 2 cases: costs &amp; subjects</caption>" in html
    assert '<a class="csv-link" href="tables/05-stage2-cases.csv" download>' in html
    assert html.index("table-note") < html.index("csv-link")
    plain = data["text/plain"]
    assert plain.startswith("Stage 2 cases: costs & subjects\n")
    assert "COM/3262" in plain and "£3,780.00" in plain and "object at 0x" not in plain


def test_a_tables_markdown_is_a_pipe_table_with_its_caption_and_note():
    md = table().to_markdown().splitlines()
    assert md[0] == r"| Case reference | Brief subject | Cost |"
    # Text left-aligned, money right-aligned; the longest cell sets the dashes (up to 40).
    assert re.fullmatch(r"\|:-+\|:-+\|-+:\|", md[1]), md[1]
    assert md[2] == r"| COM\/3262 | Costs of \$5 \| \*care\* \[c\] | £3\,780\.00 |"
    assert md[3] == r"| COM\/3472 | A long line | – |"
    assert r": Stage 2 cases\: costs \& subjects {#tbl-05-stage2-cases}" in md
    assert md[-1] == r"Costs are the investigators\' fees\."


def test_a_tables_typst_is_quartos_table_figure_with_its_text_literal():
    typ = table().to_typst()
    lines = typ.splitlines()
    assert lines[:2] == ["#figure([", "#table("]
    # A narrow table: Typst sizes the columns to their content.
    assert "  columns: (auto, auto, auto,)," in lines and "  align: (left,left,right,)," in lines
    assert '  table.header("Case reference", "Brief subject", "Cost",),' in lines
    # Text goes in as Typst strings: "$", "*", "[c]" and "|" stay literal; a line break is a space.
    assert '  "COM/3262", "Costs of $5 | *care* [c]", "£3,780.00",' in lines
    assert '  "COM/3472", "A long line", "–",' in lines
    assert '#"Stage 2 cases: costs & subjects"' in lines
    assert 'kind: "quarto-float-tbl", ' in lines and 'supplement: "Table", ' in lines
    assert "<tbl-05-stage2-cases>" in lines  # the same label as the Markdown's {#tbl-...}
    # The note is under the table, inside its figure (kept with it on its page).
    note = (
        '#block(width: 100%, above: 0.7em, text(size: 9pt, "Costs are the investigators\' fees."))'
    )
    assert lines.index(note) < lines.index('#"Stage 2 cases: costs & subjects"')
    assert typ.endswith("\n<tbl-05-stage2-cases>\n")  # a line break before what follows
    assert display.typst_text('a "quoted" \\ b\nc') == '"a \\"quoted\\" \\\\ b c"'


def test_a_wide_tables_typst_gives_short_columns_their_width_and_long_text_the_rest():
    frame = pd.DataFrame({"Ref": ["COM/3262"], "Text": ["word " * 40], "Cost": [3.5]})
    t = ReportTable(name="t", title="t", frame=frame, formats={"Cost": "money"})
    assert "  columns: (5.5em, 21.5fr, 4em,)," in t.to_typst().splitlines()
    assert "  align: (left,left,right,)," in t.to_typst().splitlines()
    # Two long texts share what is left; a short text keeps its width; a long unbreakable word
    # is never squeezed.
    frame = pd.DataFrame(
        {"A": ["word " * 30], "B": ["word " * 50], "C": ["X" * 30], "D": ["short"]}
    )
    widths = ReportTable(name="t", title="t", frame=frame)._typst_widths(frame)
    assert widths == ["21.5fr", "21.5fr", "16.5em", "4em"], widths


def _dashes(frame: pd.DataFrame, formats=None) -> list[int]:
    rule = ReportTable(name="t", title="t", frame=frame, formats=formats or {}).to_markdown()
    return [len(part.strip(":")) for part in rule.splitlines()[1].strip("|").split("|")]


def test_column_widths_follow_their_text_figures_and_unbreakable_words():
    long_text = "word " * 40
    unbreakable = "X" * 35
    frame = pd.DataFrame(
        {
            "Ref": ["COM/3262"],
            "Text": [long_text],
            "Code": [unbreakable],
            "Investigating cost": [3.5],
        }
    )
    dashes = _dashes(frame, {"Investigating cost": "money"})
    assert dashes == [
        len("COM/3262") + 6,  # room for a word that cannot wrap
        30,  # long text wraps at 30 characters' share
        35 + 6,  # ... unless one of its words is longer
        len("Investigating")
        + 2,  # a figure: its longest value (£3.50) or its heading's longest word
    ]
    assert _dashes(pd.DataFrame({"A": ["x"], "N": [1234567]}), {"N": "count"}) == [7, 11]


def test_a_chart_offers_a_quarto_figure_and_never_its_bytes():
    chart = grouped_bars(
        "04-demo",
        ["Q1", "Q2"],
        {"Formal": [3, 4]},
        title="Complaints",
        ylabel="Complaints",
        alt='Bar chart: 3 "formal" complaints in Q1, 4 in Q2.',
        caption="Formal complaints by quarter, 2023-24",
    )
    data = bundle(chart)
    assert set(data) == {"text/html", "text/markdown", "text/plain"}
    assert data["text/markdown"] == (
        r"![Formal complaints by quarter\, 2023\-24](charts/04-demo.png)"
        r'{#fig-04-demo fig-alt="Bar chart: 3 \"formal\" complaints in Q1, 4 in Q2." width=100%}'
    )
    assert data["text/plain"].startswith("Chart: Formal complaints by quarter")
    assert "PNG" not in data["text/plain"] and len(data["text/plain"]) < 200
    assert 'alt="Bar chart: 3 &quot;formal&quot;' in data["text/html"]


@pytest.mark.parametrize(
    "shown, markdown",
    [
        (display.heading("Children's Social Care", 2), r"## Children\'s Social Care"),
        (display.paragraph("There were 139 complaints."), "There were 139 complaints."),
    ],
)
def test_headings_and_sentences_are_markdown_for_every_format(shown, markdown):
    data = bundle(shown)
    assert data == {"text/plain": shown.plain, "text/markdown": markdown}


def test_commentary_is_a_labelled_note_on_the_site_and_a_callout_in_the_pdf():
    data = bundle(display.boxed(["One.", "Two $2."], css_class="commentary", label="Commentary"))
    assert data["text/html"] == (
        '<div class="commentary" role="note" aria-label="Commentary"><p>One.</p><p>Two $2.</p></div>'
    )
    assert data["text/markdown"].startswith('::: {.callout-note .commentary appearance="simple"')
    assert r"Two \$2\." in data["text/markdown"] and data["text/markdown"].endswith(":::")
    assert data["text/plain"] == "Commentary: One.\n\nTwo $2."
    # The PDF's Typst: Quarto's callout, each paragraph a Typst string (literal text).
    assert data["text/x-typst"].startswith('#callout(\nbody: \n[\n#"One."\n\n#"Two $2."\n\n]')
    assert '[\n#"Commentary"\n]' in data["text/x-typst"]
    assert data["text/x-typst"].endswith("body_background_color: \nwhite\n)")


def test_the_notice_says_synthetic_data_in_every_form():
    data = bundle(notice_display())
    assert all("Synthetic data" in v for v in data.values()), data


def test_a_displayed_output_needs_markdown_or_html():
    with pytest.raises(ValueError, match="needs Markdown or HTML"):
        display.Shown(plain="x")
