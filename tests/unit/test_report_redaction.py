"""Free text is redacted before any table shows it or writes it, and the run logs what was redacted."""

from __future__ import annotations

import csv

import pytest
from tiny_data import tiny_context

from complaints_report.content import learning, statutory
from complaints_report.run import gather_redactions

CSC = "Children's Social Care"
SECRET = ("Keira", "07700 900123", "keira.smith@example.com", "DT1 1XJ")


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    cs = {"Directorate": "Children's Services", "Service Area": CSC}
    return tiny_context(
        tmp_path_factory.mktemp("data"),
        [
            {
                "Case Ref": "COM/1",
                "Stage": "Stage 1",
                "Received Date": "03/04/2023",
                **cs,
                "Learning": "Keira's advice should have had her parents' consent; call 07700 900123.",
                "Action": "Managers from the Chesil team will discuss this under Section 19 guidance.",
            },
            {
                "Case Ref": "COM/1",
                "Stage": "Stage 2",
                "Received Date": "03/06/2023",
                **cs,
                "Summary": "Mother (keira.smith@example.com) says the family at DT1 1XJ had no support.",
            },
        ],
        ombudsman=[
            {
                "LGSCO Ref": "23000001",
                "Decision Date": "01/07/2023",
                "Directorate": "Children's Services",
                "Service Area": CSC,
                "Decision": "Upheld",
                "Summary": "Mrs X complained about Keira's care.",
                "Recommendations": "Apologise to Mrs X.",
            },
        ],
    )


def test_the_learning_table_is_redacted_on_screen_and_in_its_csv(ctx):
    table = ctx.redact(learning.learning_table(ctx, CSC))
    text = table.to_html()
    assert "[name]" in text and "[phone]" in text
    assert "Chesil" in text and "Section 19" in text, "team names and legal terms survive"
    ctx.table(learning.learning_table(ctx, CSC))
    written = (ctx.out_dir / "tables" / f"{table.name}.csv").read_text(encoding="utf-8")
    assert not any(s in written for s in SECRET)


def test_stage2_subjects_and_ombudsman_text_are_redacted_keeping_mrs_x(ctx):
    ctx.table(statutory.stage2_table(ctx, CSC))
    ctx.table(statutory.upheld_table(ctx, CSC))
    tables = "".join(
        p.read_text(encoding="utf-8") for p in (ctx.out_dir / "tables").glob("0[56]-*.csv")
    )
    assert "[email]" in tables and "[postcode]" in tables and "[name]" in tables
    assert "Mrs X" in tables
    assert not any(s in tables for s in SECRET)


def test_the_run_gathers_one_log_that_never_holds_the_text(ctx):
    ctx.table(learning.learning_table(ctx, CSC))
    ctx.table(statutory.stage2_table(ctx, CSC))
    count = gather_redactions(ctx.out_dir)
    log = (ctx.out_dir / "redactions.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(log.splitlines()))
    assert count == len(rows) >= 4
    assert {r["label"] for r in rows} >= {"name", "phone", "email", "postcode"}
    assert set(rows[0]) == {"table", "row", "column", "label"}
    assert not any(s in log for s in SECRET)


def test_a_free_text_column_that_is_not_in_the_table_is_refused():
    import pandas as pd

    from complaints_report.tables import ReportTable

    with pytest.raises(ValueError, match="free_text names columns not in the frame"):
        ReportTable("x", "X", pd.DataFrame({"A": ["a"]}), free_text=("B",))
