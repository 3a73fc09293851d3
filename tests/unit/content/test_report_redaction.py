"""Free text is redacted before any table shows it or writes it, and the run logs what was redacted."""

from __future__ import annotations

import csv

import pytest
from tiny_data import tiny_context

from complaints_report.content import learning, statutory
from complaints_report.run.year import gather_redactions

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

    from complaints_report.present.tables import ReportTable

    with pytest.raises(ValueError, match="free_text names columns not in the frame"):
        ReportTable("x", "X", pd.DataFrame({"A": ["a"]}), free_text=("B",))


# --- the demo export's free text: distinct, fitting its record, and readable once redacted ----

import re  # noqa: E402

import pandas as pd  # noqa: E402

from complaints_report import paths  # noqa: E402
from complaints_report.present.redaction import Redactor  # noqa: E402


def _demo(name: str) -> pd.DataFrame:
    frame = pd.read_csv(paths.ROOT / "data" / "demo" / name, dtype=str, keep_default_na=False)
    date = "Received Date" if "Received Date" in frame else "Decision Date"
    when = pd.to_datetime(frame[date], dayfirst=True)
    frame["fy"] = when.dt.year.where(when.dt.month >= 4, when.dt.year - 1)
    return frame[frame["Directorate"] == "Children's Services"]


def test_no_learning_or_action_text_is_repeated_within_a_year():
    """A year's learning table reads as 89 different things learnt, not 27 repeated ones."""
    recorded = _demo("complaints.csv")
    recorded = recorded[recorded["Learning"] != ""]
    assert len(recorded[recorded["fy"] == 2023]) == 89
    for column in ("Learning", "Action"):
        most = recorded.groupby("fy")[column].agg(lambda s: s.value_counts().max())
        assert (most == 1).all(), f"{column} repeated within a year: {most.to_dict()}"


def test_a_learning_says_when_its_complaint_was_not_upheld_or_withdrawn():
    recorded = _demo("complaints.csv")
    recorded = recorded[recorded["Learning"] != ""]
    for outcome, words in (("Not justified", "not upheld"), ("Withdrawn", "withdrawn")):
        texts = recorded.loc[recorded["Outcome"] == outcome, "Learning"]
        planted = texts.str.contains("Jayden|Amelia")
        assert texts[~planted].str.contains(words).all(), outcome
    upheld = recorded.loc[recorded["Outcome"].isin(["Fully justified", "Partially justified"])]
    assert not upheld["Learning"].str.contains("not upheld|withdrawn").any()


def test_ombudsman_summaries_are_distinct_and_fit_the_decision_and_the_remedy():
    decisions = _demo("ombudsman.csv")
    most = decisions.groupby("fy")["Summary"].agg(lambda s: s.value_counts().max())
    assert (most == 1).all(), most.to_dict()
    for _, d in decisions.iterrows():
        summary, amount = d["Summary"], d["Remedy Amount"]
        pays = bool(re.search(r"\bpay|payment", summary))
        if d["Decision"] == "Upheld":
            assert pays == bool(amount), (amount, summary)
            if amount:
                value = float(amount.replace("£", "").replace(",", ""))
                if value < 1000:  # distress, time and trouble: not a lost plan or education
                    assert "distress" in summary or "frustration" in summary, summary
                    assert "lost" not in summary and "plan by" not in summary, summary
                if value >= 5000:
                    assert "lost" in summary, summary
        else:
            assert not pays, summary
            expected = {
                "Not upheld": "no fault|did not uphold",
                "Closed after initial enquiries": "did not investigate|closed the complaint",
                "Referred back": "referred (the complaint )?back",
            }[d["Decision"]]
            assert re.search(expected, summary), (d["Decision"], summary)
    ehc = decisions[decisions["Summary"].str.contains("education, health and care plan by")]
    assert not ehc.empty
    assert (ehc["Remedy Amount"] != "£100.00").all()


def test_the_planted_phone_number_reads_well_once_redacted():
    recorded = _demo("complaints.csv")
    actions = recorded.loc[recorded["Action"].str.contains("07700"), "Action"]
    assert not actions.empty
    for text in actions:
        redacted, labels = Redactor().redact(text)
        assert labels == ["phone"]
        assert "([phone])" in redacted and ", [phone]" not in redacted, redacted
    learnings = recorded.loc[recorded["Learning"] != "", "Learning"]
    assert not learnings.str.contains(r"07\d{3} ?\d{6}").any()  # no number in what was learnt
