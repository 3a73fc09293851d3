"""Section 11's statutory timescales (content.timescales) and section 15 (content.code)."""

from __future__ import annotations

from pathlib import Path

from tiny_data import shown_rows, tiny_context

from complaints_report.content import code, timescales

CSC = "Children's Social Care"
NSC = "Children's Non-Social Care"
DASH = "\N{EN DASH}"
CS = {"Directorate": "Children's Services", "Service Area": CSC}
YEAR = "2023-24 (whole year)"


# --- the demo year: statutory timescales -----------------------------------------------------


def test_stage_1_table_by_quarter_and_year(ctx):
    table = timescales.stage_table(ctx, CSC, "Stage 1")
    assert table.name == "11-stage-1-timescales-childrens-social-care"
    rows = shown_rows(ctx.suppress(table))
    assert list(table.frame.columns)[1:] == [
        "Answered, not withdrawn",
        "Within 10 working days",
        "11 to 20 working days",
        "of which no extension agreed",
        "Over 20 working days",
        "Awaiting a response",
        "Withdrawn",
    ]
    # withdrawn complaints are never responses: counted apart (18), not as responded to
    assert rows[YEAR] == ["44", "18", "20", "7", "6", "3", "18"]
    # the quarters add up to the year; three years side by side
    quarters = [r for label, r in rows.items() if label.startswith("Q")]
    assert sum(int(r[0]) for r in quarters) == 44
    assert list(rows)[-2:] == ["2022-23", "2021-22"]
    assert rows[YEAR][:5] == [
        str(ctx.area(CSC)["timescales"]["Stage 1"][k])
        for k in ("responded", "within_limit", "extended", "extended_unagreed", "over")
    ]


def test_stage_1_sentences_state_the_shown_figures(ctx):
    said = " ".join(timescales.stage_sentences(ctx, CSC, "Stage 1"))
    assert (
        "Of the 44 Stage 1 complaints to Children's Social Care answered in 2023-24 and not "
        "withdrawn, 18 (41%) "
        "were answered within 10 working days, 20 (45%) within the extended 20 and 6 (14%) took "
        "longer than 20." in said
    )
    assert "7 had no longer timescale agreed with the complainant" in said
    assert "The median response was 13 working days." in said
    assert "3 were still awaiting a response when the case records were taken." in said
    assert "18 Stage 1 complaints were withdrawn; a withdrawn complaint is never counted" in said


def test_stage_3_is_timed_to_the_panel(ctx):
    rows = shown_rows(ctx.suppress(timescales.stage_table(ctx, CSC, "Stage 3")))
    # COM/4783 is withdrawn at Stage 3 yet has a panel date: never a panel held, nor awaiting one
    assert rows[YEAR] == ["0", "0", "0", "0", "1"]
    said = timescales.stage_sentences(ctx, CSC, "Stage 3")
    assert said == [
        "No review panel for a Stage 3 complaint to Children's Social Care in 2023-24 had met "
        "when the case records were taken.",
        "1 request for a review panel was withdrawn; a withdrawn request is never counted as a "
        "panel held.",
    ]
    # no Stage 3 records: a sentence and no table of zeros
    assert timescales.stage_sentences(ctx, NSC, "Stage 3") == [
        "Children's Non-Social Care had no Stage 3 records in 2023-24."
    ]
    assert timescales.stage_tables(ctx, NSC, "Stage 3") == []


def test_stage_charts_state_their_shares(ctx):
    (chart,) = timescales.stage_charts(ctx, "Stage 1")
    assert "Children's Social Care: 41% within 10 working days" in chart.alt
    assert chart.png.startswith(b"\x89PNG")
    assert timescales.stage_charts(ctx, "Stage 3") == []


# --- tiny data sets ----------------------------------------------------------------------------


def _context(tmp_path: Path, complaints, ombudsman=(), drop=None, params=None):
    """A tiny data set with the demo's headings, less the ``drop`` headings per table."""
    return tiny_context(tmp_path, complaints, [], ombudsman, params=params, drop=drop)


def _complaint(ref: str, stage: str, received: str, responded: str = "", **kw) -> dict:
    return {
        "Case Ref": ref,
        "Stage": stage,
        "Received Date": received,
        "Responded Date": responded,
        **CS,
        **kw,
    }


STAGE3 = [
    _complaint("C/1", "Stage 1", "03/04/2023", "19/04/2023"),
    _complaint("C/1", "Stage 2", "24/04/2023", "12/05/2023"),
    _complaint("C/1", "Stage 3", "15/05/2023", "", **{"Panel Date": "26/06/2023"}),
]


def test_no_panel_date_column_says_it_is_not_recorded(tmp_path):
    ctx = _context(tmp_path, STAGE3, drop={"complaints": ("Panel Date",)})
    assert ctx.area(CSC)["timescales"]["Stage 3"]["responded"] is None
    assert timescales.stage_sentences(ctx, CSC, "Stage 3") == [
        "The case records do not say when review panels met, so the Stage 3 timescale cannot be "
        "reported."
    ]
    assert timescales.stage_tables(ctx, CSC, "Stage 3") == []
    # the other stages are still reported
    assert timescales.stage_tables(ctx, CSC, "Stage 1")


def test_a_panel_over_the_limit(tmp_path):
    # 15 May 2023 to 26 June 2023: 29 working days (the spring bank holiday on 29 May)
    ctx = _context(tmp_path, STAGE3)
    assert ctx.area(CSC)["timescales"]["Stage 3"]["median_working_days"] == 29
    late = [*STAGE3[:2], {**STAGE3[2], "Panel Date": "28/06/2023"}]  # 31 working days
    ctx = _context(tmp_path / "late", late)
    said = timescales.stage_sentences(ctx, CSC, "Stage 3")
    assert said[0].endswith("met later than the 30 working day limit.")


def test_no_extension_column_drops_the_unagreed_column(tmp_path):
    ctx = _context(tmp_path, STAGE3, drop={"complaints": ("Extension Agreed",)})
    table = timescales.stage_table(ctx, CSC, "Stage 1")
    assert "of which no extension agreed" not in table.frame.columns
    assert "do not say whether extensions were agreed" in table.note


DISCLOSED = """\
council: Test Council
disclosure:
  suppress_small_numbers: true
  threshold: 5
"""


def test_small_counts_are_hidden_in_the_table_and_the_sentences(tmp_path):
    ctx = _context(tmp_path, STAGE3, params=DISCLOSED)
    rows = shown_rows(ctx.suppress(timescales.stage_table(ctx, CSC, "Stage 1")))
    assert rows[YEAR][0] == "[c]"
    said = " ".join(timescales.stage_sentences(ctx, CSC, "Stage 1"))
    assert "1 to 5" in said and "(100%)" not in said


# --- section 15: the Complaint Handling Code ---------------------------------------------------


def test_the_demo_self_assessment(ctx):
    rows = shown_rows(ctx.suppress(code.self_assessment_table(ctx)))
    assert len(rows) == 9
    assert rows["6. Complaint stages"][0] == "Partly"
    assert rows["6. Complaint stages"][4] == "30 September 2024"  # after the 11 July meeting
    assert code.self_assessment_sentences(ctx) == [
        "The council assesses itself as complying in full with 6 of the Code's 9 sections and in "
        "part with 3."
    ]


def test_no_self_assessment_is_said_not_crashed(ctx_2020):
    assert "has not recorded a self-assessment" in code.self_assessment_sentences(ctx_2020)[0]
    rows = shown_rows(code.self_assessment_table(ctx_2020))
    assert {r[0] for r in rows.values()} == {code.NOT_ASSESSED}


def test_the_ombudsman_figures_with_the_national_averages(ctx):
    rows = shown_rows(ctx.suppress(code.compliance_table(ctx)))
    council = rows["Wessex Council (all services)"]
    f = ctx.figures["council"]["ombudsman_compliance"]
    # 67 decisions, of which 40 investigated in detail; 33 upheld, of which 32 after a detailed
    # investigation (one was passed back to the council for local resolution): 32 / 40 = 80%
    assert council[:5] == ["67", "40", "33", "32", "80%"]
    assert council[5:7] == [str(f["recommendations_due"]), str(f["recommendations_complied"])]
    assert council[8] == str(f["remedied_before"])
    assert rows["National average, 2023-24"] == [
        DASH,
        DASH,
        DASH,
        DASH,
        "80%",
        DASH,
        DASH,
        "99%",
        DASH,
        "13%",
    ]
    said = " ".join(code.compliance_sentences(ctx))
    assert "investigated 40 of the council's complaints in detail in 2023-24 and upheld 32" in said
    assert "upheld 32 (an upheld rate of 80%; national average 80%)." in said
    assert "on 28 of the 30 upheld decisions whose recommendations were due (93%; national" in said
    # published as two tables narrow enough for a page, hiding the same cells
    first, second = code.compliance_tables(ctx)
    assert list(first.frame.columns) == [
        "Service",
        "Decisions",
        "Investigated",
        "Upheld after investigation",
        "Upheld rate",
    ]
    assert shown_rows(ctx.suppress(second))["Wessex Council (all services)"][:2] == council[5:7]


def test_absent_ombudsman_columns_are_said_not_zero(tmp_path):
    decision = {
        "LGSCO Ref": "L1",
        "Decision Date": "01/06/2023",
        **CS,
        "Decision": "Upheld",
    }
    ctx = _context(
        tmp_path,
        STAGE3,
        ombudsman=[decision],
        drop={"ombudsman": ("Remedied Before", "Recommendations Complied")},
    )
    assert ctx.figures["council"]["ombudsman_compliance"] == {
        "remedied_before": None,
        "recommendations_due": None,
        "recommendations_complied": None,
    }
    said = " ".join(code.compliance_sentences(ctx))
    assert "do not say whether the council complied with the Ombudsman's recommendations" in said
    assert "do not say which cases the council had put right" in said
    table = code.compliance_table(ctx)
    council = shown_rows(table)["Wessex Council (all services)"]
    assert council[5:7] == [DASH, DASH] and council[8] == DASH
    assert "do not say whether the council complied" in table.note
