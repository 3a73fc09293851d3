"""Disclosure control applied to the report: every table, its CSV, charts and sentences.

A sparse year (small counts everywhere) is read twice, with ``disclosure`` on (the defaults)
and off; the tables are built by the section modules exactly as the notebooks build them and
shown through ``ReportContext.table``, as a run does.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from tiny_data import write_table

from complaints_report import paths
from complaints_report.cli import main
from complaints_report.content import (
    care,
    complainants,
    equalities,
    learning,
    methodology,
    scorecards,
    statutory,
    summary,
)
from complaints_report.params import DisclosureSettings
from complaints_report.present.disclosure import SUPPRESSED
from complaints_report.present.tables import ReportTable
from complaints_report.report import ReportContext, load_context

C = SUPPRESSED
CSC = "Children's Social Care"
NSC = "Children's Non-Social Care"
EXPLAINED = "[c] = a number from 1 to 5"


# --- a sparse year ---------------------------------------------------------------------------


def _complaints() -> list[dict[str, str]]:
    """Two areas, four quarters, small counts: what a small council's year looks like."""
    rows: list[dict[str, str]] = []
    n = 0

    def add(area, stage, month, count, *, days=5, **cells):
        nonlocal n
        received = date(2023 if month >= 4 else 2024, month, 10)
        responded = received + timedelta(days=days)  # 5: within the target; 40: over it
        for _ in range(count):
            n += 1
            rows.append(
                {
                    "Case Ref": f"COM/{n}",
                    "Stage": stage,
                    "Received Date": received.strftime("%d/%m/%Y"),
                    "Responded Date": responded.strftime("%d/%m/%Y"),
                    "Directorate": "Children's Services",
                    "Service Area": area,
                    **cells,
                }
            )

    # Social care: Stage 1 by quarter 8, 3, 7, 9; informal 10, 2, 12, 9.
    add(
        CSC,
        "Stage 1",
        4,
        2,
        Outcome="Fully justified",
        Theme="Finance",
        **{"Complainant Type": "Grandparent"},
    )
    add(
        CSC,
        "Stage 1",
        4,
        1,
        Outcome="Partially justified",
        Theme="Communication",
        **{"Complainant Type": "Parent"},
    )
    add(
        CSC,
        "Stage 1",
        5,
        5,
        Outcome="Not justified",
        Theme="Communication",
        **{"Complainant Type": "Parent"},
        Learning="Check the plan.",
    )
    add(
        CSC,
        "Stage 1",
        8,
        3,
        Outcome="Not justified",
        Theme="Delay",
        days=40,
        **{"Complainant Type": "Parent"},
    )
    add(
        CSC,
        "Stage 1",
        11,
        2,
        Outcome="Not justified",
        Theme="Communication",
        **{"Complainant Type": "Young Person", "Child In Care": "Y", "Via Advocate": "Y"},
    )
    add(
        CSC,
        "Stage 1",
        11,
        5,
        Outcome="Not justified",
        Theme="Communication",
        **{"Complainant Type": "Young Person"},
    )
    add(
        CSC,
        "Stage 1",
        2,
        9,
        Outcome="Not justified",
        Theme="Delay",
        **{"Complainant Type": "Parent"},
        Learning="Call back sooner.",
    )
    add(CSC, "Informal", 4, 10, Theme="Communication", **{"Complainant Type": "Parent"})
    add(CSC, "Informal", 8, 2, Theme="Finance", **{"Complainant Type": "Advocate"})
    add(CSC, "Informal", 11, 12, Theme="Delay", **{"Complainant Type": "Parent"})
    add(CSC, "Informal", 2, 9, Theme="Communication", **{"Complainant Type": "Young Person"})
    add(CSC, "Stage 2", 9, 2, Outcome="Not justified", **{"Investigator Cost": "1200"})
    # Non-social care: 30 Stage 1 complaints (4 overdue), 12 informal.
    add(
        NSC,
        "Stage 1",
        6,
        26,
        Outcome="Not justified",
        Theme="Communication",
        **{"Complainant Type": "Parent"},
    )
    add(
        NSC,
        "Stage 1",
        6,
        4,
        Outcome="Fully justified",
        Theme="Delay",
        days=40,
        **{"Complainant Type": "Parent"},
    )
    add(NSC, "Informal", 7, 12, Theme="Communication", **{"Complainant Type": "Parent"})
    # Last year, to compare.
    for month, area, count in ((5, CSC, 20), (9, NSC, 25)):
        for _ in range(count):
            n += 1
            rows.append(
                {
                    "Case Ref": f"OLD/{n}",
                    "Stage": "Stage 1",
                    "Received Date": f"10/{month:02d}/2022",
                    "Responded Date": f"14/{month:02d}/2022",
                    "Directorate": "Children's Services",
                    "Service Area": area,
                    "Outcome": "Not justified",
                    "Theme": "Communication",
                    "Complainant Type": "Parent",
                }
            )
    return rows


def _ombudsman() -> list[dict[str, str]]:
    def decision(i, area, verdict, directorate="Children's Services"):
        return {
            "LGSCO Ref": f"2300{i:04d}",
            "Decision Date": "01/07/2023",
            "Directorate": directorate,
            "Service Area": area,
            "Decision": verdict,
        }

    out = [decision(1, CSC, "Upheld")]
    out += [decision(10 + i, NSC, "Upheld" if i < 4 else "Not upheld") for i in range(12)]
    out += [decision(40 + i, "Parks", "Not upheld", "Place") for i in range(7)]
    return out


def _write_data(folder: Path) -> None:
    write_table(folder, "complaints", _complaints())
    cs = {"Directorate": "Children's Services"}
    write_table(
        folder,
        "compliments",
        [{"Date": "01/06/2023", **cs, "Service Area": CSC}] * 2
        + [{"Date": "01/06/2023", **cs, "Service Area": NSC}] * 12
        + [{"Date": "01/06/2023", "Directorate": "Place", "Service Area": "Parks"}] * 20
        + [{"Date": "01/06/2022", **cs, "Service Area": NSC}] * 9,
    )
    write_table(folder, "ombudsman", _ombudsman())
    write_table(
        folder,
        "equalities",
        [{"Received Date": "01/06/2023", "Gender": "Female"}] * 8
        + [{"Received Date": "01/06/2023", "Gender": "Male"}] * 3
        + [{"Received Date": "01/06/2023"}] * 9,
    )
    write_table(
        folder,
        "advocacy",
        [
            {"Quarter Start": f"01/{m:02d}/{y}", "Referrals": r}
            for m, y, r in ((4, 2023, "12"), (7, 2023, "3"), (10, 2023, "14"), (1, 2024, "20"))
        ],
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sparse-export")
    _write_data(folder)
    return folder


@pytest.fixture(scope="module")
def params_dir(tmp_path_factory) -> Path:
    """A council's own settings: disclosure control is not mentioned, so it is on."""
    folder = tmp_path_factory.mktemp("params")
    (folder / "defaults.yml").write_text(
        "council: Smallshire Council\nsynthetic_data: false\n", encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="module")
def ctx(data_dir, params_dir, tmp_path_factory) -> ReportContext:
    return load_context(
        "2023-24",
        data_dir=str(data_dir),
        output_dir=str(tmp_path_factory.mktemp("out-on")),
        params_dir=str(params_dir),
    )


@pytest.fixture(scope="module")
def off(ctx, tmp_path_factory) -> ReportContext:
    """The same year with disclosure control switched off."""
    params = ctx.params.model_copy(
        update={"disclosure": DisclosureSettings(suppress_small_numbers=False)}
    )
    return replace(ctx, params=params, out_dir=tmp_path_factory.mktemp("out-off"))


# --- helpers ---------------------------------------------------------------------------------


def builders(ctx: ReportContext) -> dict[str, ReportTable]:
    """Every table the notebooks show, built as they build it."""
    tables = [
        summary.cover_table(ctx),
        summary.financial_table(ctx),
        statutory.ombudsman_table(ctx),
        care.children_in_care_table(ctx),
        care.children_in_care_quarter_table(ctx),
        care.advocacy_table(ctx),
        care.overdue_quarter_table(ctx),
        learning.learnings_table(ctx),
        learning.learning_table(ctx),
        equalities.response_table(ctx),
        methodology.compliments_table(ctx),
        methodology.records_table(ctx),
        complainants.outcome_table(ctx, None),
        *(equalities.characteristic_table(ctx, c) for c in equalities.characteristics()),
    ]
    for area in ctx.areas:
        tables += [
            scorecards.scorecard_table(ctx, area),
            statutory.statutory_table(ctx, area),
            statutory.stage2_table(ctx, area),
            complainants.complainant_table(ctx, area),
            complainants.theme_table(ctx, area),
            complainants.outcome_table(ctx, area),
            care.timescales_table(ctx, area),
        ]
    return {t.name: t for t in tables}


def shown(table: ReportTable) -> dict[str, dict[str, str]]:
    """Row label -> column -> the cell a reader sees."""
    frame = table.display_frame()
    return {
        str(r[0]): dict(zip(frame.columns[1:], r[1:], strict=True))
        for r in frame.itertuples(index=False)
    }


def column(table: ReportTable, name: str) -> list[str]:
    return list(table.display_frame()[name])


def csv_rows(ctx: ReportContext, name: str) -> list[dict[str, str]]:
    text = (ctx.out_dir / "tables" / f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def small_counts(table: ReportTable) -> list[tuple[str, str, object]]:
    """Shown count cells holding 1 to 5: there must be none under disclosure control."""
    out = []
    for c in table.frame.columns:
        if table.formats.get(c) != "count":
            continue
        for label, v in zip(table.frame.iloc[:, 0], table.frame[c], strict=True):
            if not isinstance(v, str) and v == v and v is not None and 1 <= v <= 5:
                out.append((str(label), c, v))
    return out


# --- every table -----------------------------------------------------------------------------


def test_the_sparse_year_has_small_numbers_to_hide(off):
    """The fixture is what the other tests need: counts from 1 to 5 in most tables."""
    with_small = [t.name for t in builders(off).values() if small_counts(t)]
    assert len(with_small) >= 8, with_small


def test_no_table_shows_a_count_from_one_to_five(ctx):
    quarters = ("Advocacy referrals (one row per quarter)",)  # rows that count no person
    for table in builders(ctx).values():
        safe = ctx.suppress(table)
        assert [c for c in small_counts(safe) if c[0] not in quarters] == [], table.name
        if isinstance(safe, scorecards.ScorecardTable):
            assert small_counts(safe.raw) == [], table.name


def test_switched_off_every_table_is_unchanged(off):
    for table in builders(off).values():
        assert off.suppress(table) is table
    # The same table shown and written: exactly the unsuppressed values.
    table = care.children_in_care_quarter_table(off)
    off.table(table)
    rows = csv_rows(off, table.name)
    assert [r["Children in care complaints"] for r in rows] == ["0", "0", "2", "0", "2"]
    assert [r["Made through an advocate"] for r in rows] == ["0", "0", "2", "0", "2"]


def test_the_note_explains_c_under_every_table_with_a_hidden_cell(ctx):
    hidden = 0
    for table in builders(ctx).values():
        safe = ctx.suppress(table)
        has_c = (safe.display_frame() == C).any().any()
        hidden += has_c
        assert has_c == (EXPLAINED in (safe.note or "")), table.name
        if has_c:
            assert EXPLAINED in safe.to_html()
    assert hidden >= 8


def test_the_csv_carries_c_and_never_the_value(ctx):
    table = care.advocacy_table(ctx)
    ctx.table(table)
    rows = csv_rows(ctx, table.name)
    referrals = [r["New referrals to advocacy"] for r in rows]
    # Q2's 3 referrals are hidden, and so is the smallest other quarter (Q1's 12: the whole
    # year is their sum); the whole year is shown.
    assert referrals == [C, C, "14", "20", "49"]
    assert "3" not in referrals


# --- tables whose totals or shares would give a hidden count away ------------------------------


def test_scorecard_hides_small_counts_ratios_and_shares_and_cannot_be_worked_back(ctx):
    table = ctx.suppress(scorecards.scorecard_table(ctx, CSC))
    cells = shown(table)
    formal = cells["Number of formal complaints"]
    assert formal["Q2"] == C  # 3 Stage 1 complaints
    # The year is shown, so a second quarter is hidden: the year minus the rest would tell.
    assert sum(v == C for k, v in formal.items() if k != "Year") >= 2
    assert formal["Year"] == "27"
    # "1/1": one decision, upheld.
    assert cells["Ombudsman decisions upheld / received"]["Q2"] == C
    # 2 fully and 1 partly justified of 8 in Q1: both shares hidden.
    assert cells["% fully justified"]["Q1"] == C
    assert cells["% part justified"]["Q1"] == C
    # The CSV (one row per quarter) hides the same figures.
    ctx.table(scorecards.scorecard_table(ctx, CSC))
    rows = {r["Period"]: r for r in csv_rows(ctx, table.name)}
    assert rows["Q2"]["Formal complaints"] == C
    assert rows["Q2"]["Ombudsman decisions upheld"] == C
    assert rows["Year"]["Formal complaints"] == "27"


def test_scorecard_off_shows_every_figure(off):
    cells = shown(off.suppress(scorecards.scorecard_table(off, CSC)))
    assert cells["Number of formal complaints"]["Q2"] == "3"
    assert cells["Ombudsman decisions upheld / received"]["Q2"] == "1/1"


def test_statutory_table_hides_composite_ombudsman_cells_and_small_stages(ctx, off):
    cells = shown(ctx.suppress(statutory.statutory_table(ctx, CSC)))
    assert cells["Stage 2"]["2023-24"] == C
    assert cells["Ombudsman (LGSCO) approaches"]["2023-24"] == C  # "1 with 1 upheld"
    assert cells["Stage 1 (formal)"]["2023-24"] == "27"
    plain = shown(off.suppress(statutory.statutory_table(off, CSC)))
    assert plain["Ombudsman (LGSCO) approaches"]["2023-24"] == "1 with 1 upheld"
    # Non-social care: 12 decisions, 4 upheld: the upheld count is in the cell, so it goes.
    assert (
        shown(ctx.suppress(statutory.statutory_table(ctx, NSC)))["Ombudsman (LGSCO) approaches"][
            "2023-24"
        ]
        == C
    )


def test_ombudsman_table_hides_the_total_rather_than_the_other_area(ctx):
    cells = shown(ctx.suppress(statutory.ombudsman_table(ctx)))
    assert cells[CSC]["Decisions"] == C and cells[CSC]["Upheld"] == C
    assert cells[CSC]["Share of decisions upheld"] == C
    # 1 + 12 decisions: children's services (13) minus non-social care (12) would give 1.
    assert cells["Children's services"]["Decisions"] == C
    assert cells[NSC]["Decisions"] == "12"
    assert cells[NSC]["Upheld"] == C  # 4
    assert cells["Whole council"]["Decisions"] == "20"
    assert cells[CSC]["Remedies"] == "£0.00", "money is shown"


def test_theme_shares_hide_small_counts_and_a_second_share_in_the_column(ctx, off):
    safe = ctx.suppress(complainants.theme_table(ctx, CSC))
    now = dict(zip(column(safe, "Theme"), column(safe, "2023-24"), strict=True))
    # Finance: 2 Stage 1 + 2 informal = 4 of 54 recorded.
    assert now["Finance"] == C
    # The shares add up to 100%: one hidden share alone could be worked out.
    assert list(now.values()).count(C) >= 2
    plain = dict(
        zip(
            *(
                column(off.suppress(complainants.theme_table(off, CSC)), c)
                for c in ("Theme", "2023-24")
            ),
            strict=True,
        )
    )
    assert plain["Finance"] == "7%"


def test_outcome_shares_hide_small_counts_and_their_complement(ctx):
    safe = ctx.suppress(complainants.outcome_table(ctx, NSC))
    row = shown(safe)["2023-24"]
    # 4 fully justified, 26 not justified of 30: fully is small; partly (0) is shown; not
    # justified would be 100% minus the others, so it is hidden too.
    assert row["Fully justified"] == C
    assert row["Partially justified"] == "0%"
    assert row["Not justified"] == C
    assert row["Stage 1 complaints judged"] == "30"


def test_timescales_within_and_over_go_together(ctx):
    row = shown(ctx.suppress(care.timescales_table(ctx, NSC)))["2023-24"]
    assert row["Over 20 working days"] == C  # 4 of 30
    assert row["Within 20 working days"] == C  # 100% minus the other
    assert row["Stage 1 complaints responded to"] == "30"


def test_overdue_by_quarter_hides_what_the_scorecard_hides(ctx):
    table = ctx.suppress(care.overdue_quarter_table(ctx))
    card = shown(ctx.suppress(scorecards.scorecard_table(ctx, CSC)))["Timescales (% overdue)"]
    assert column(table, CSC)[:4] == [card[q] for q in ("Q1", "Q2", "Q3", "Q4")]
    assert C in column(table, CSC)


def test_complainant_counts_and_shares(ctx):
    cells = shown(ctx.suppress(complainants.complainant_table(ctx, CSC)))
    assert cells["Grandparent"] == {"Complaints": C, "Share of those recorded": C}
    assert cells["Advocate"]["Complaints"] == C
    hidden = [k for k, v in cells.items() if v["Complaints"] == C]
    assert len(hidden) >= 2


def test_equality_shares_hide_small_answers(ctx, off):
    cells = shown(ctx.suppress(equalities.characteristic_table(ctx, "gender")))
    assert cells["Male"]["2023-24"] == C  # 3 of 20 forms
    assert sum(v["2023-24"] == C for v in cells.values()) >= 2
    assert (
        shown(off.suppress(equalities.characteristic_table(off, "gender")))["Male"]["2023-24"]
        == "15%"
    )


def test_compliments_hide_an_area_and_the_change_beside_it(ctx):
    cells = shown(ctx.suppress(methodology.compliments_table(ctx)))
    assert cells[CSC]["2023-24"] == C  # 2
    assert cells["Children's Services (total)"]["2023-24"] == C
    assert cells[NSC]["2023-24"] == "12" and cells[NSC]["Change"] == "33%"
    assert cells["Whole council"]["2023-24"] == "34"


def test_records_read_hides_small_counts_of_people_but_not_of_advocacy_quarters(ctx):
    cells = shown(ctx.suppress(methodology.records_table(ctx)))
    assert cells["Advocacy referrals (one row per quarter)"]["Records in 2023-24"] == "4"
    assert cells["Ombudsman decisions"]["Records in 2023-24"] == "20"
    assert cells["Equality monitoring forms"]["Records in 2023-24"] == "20"


def test_a_short_list_of_cases_is_withheld_as_its_length_is_a_count(ctx, off):
    # 2 Stage 2 cases in social care: listing them would show the hidden count.
    assert len(statutory.stage2_table(off, CSC).frame) == 3  # 2 cases and the total
    table = statutory.stage2_table(ctx, CSC)
    assert list(table.frame["Case reference"]) == ["Total"]  # the cost total (money) stays
    assert table.display_frame()["Investigating Officer cost"].iloc[-1] == "£2,400.00"
    assert "are not listed" in table.note
    safe = ctx.suppress(ctx.redact(table))
    assert safe.free_text == table.free_text and len(safe.frame) == 1


def test_upheld_decisions_are_not_listed_when_their_count_is_hidden(ctx, off):
    assert shown(ctx.suppress(statutory.ombudsman_table(ctx)))[CSC]["Upheld"] == C
    for area, upheld in ((CSC, 1), (NSC, 4)):
        assert len(statutory.upheld_table(off, area).frame) == upheld
        withheld = statutory.upheld_table(ctx, area)
        assert withheld.frame.empty and "not listed" in withheld.note
    intro = " ".join(statutory.upheld_intro(ctx))
    assert "The decisions are not listed" in intro and "tables list" not in intro
    assert "tables list the 5 upheld decisions" in " ".join(statutory.upheld_intro(off))


def test_a_long_list_whose_count_is_shown_is_published(ctx):
    # 14 learnings in social care: the year's count is shown, so the list may be too.
    assert shown(ctx.suppress(learning.learnings_table(ctx)))[f"{ctx.fy} (whole year)"][CSC] == "14"
    table = learning.learning_table(ctx)
    assert len(table.frame) == 14 and "not listed" not in (table.note or "")
    assert learning.learning_table_sentences(ctx)[0].startswith("The table lists the 14")


def test_a_list_is_withheld_when_a_table_hides_its_count_even_if_long(ctx, monkeypatch):
    from complaints_report import content

    table = learning.learnings_table(ctx)
    hidden = ctx.suppress(table)
    year = f"{ctx.fy} (whole year)"
    frame = hidden.frame.copy()
    frame.loc[frame.iloc[:, 0] == year, CSC] = C  # as if secondary suppression had hidden it
    monkeypatch.setattr(ctx, "suppress", lambda t: replace(hidden, frame=frame))
    assert content.list_withheld(ctx, 14, table, ((year, CSC),))
    assert not content.list_withheld(ctx, 14, table, ((year, NSC),))
    assert not content.list_withheld(ctx, 0, table, ((year, CSC),))


# --- figures.json stays whole ------------------------------------------------------------------


def test_figures_json_keeps_small_values_while_the_csv_shows_c(
    ctx, data_dir, params_dir, tmp_path, monkeypatch
):
    monkeypatch.setattr(paths, "PARAMS_DIR", params_dir)
    out = tmp_path / "outputs"
    assert main(["figures", "2023-24", "--data", str(data_dir), "--out", str(out)]) == 0
    figures = json.loads((out / "2023-24" / "figures.json").read_text(encoding="utf-8"))
    assert figures["service_areas"][CSC]["quarters"]["Q2"]["formal"] == 3
    assert figures["service_areas"][CSC]["stages"]["Stage 2"] == 2
    table = scorecards.scorecard_table(ctx, CSC)
    ctx.table(table)
    q2 = {r["Period"]: r for r in csv_rows(ctx, table.name)}["Q2"]
    assert q2["Formal complaints"] == C


# --- charts ----------------------------------------------------------------------------------


def test_charts_show_what_their_tables_show(ctx, off):
    chart = scorecards.scorecard_chart(ctx, CSC)
    assert "Q2 [c]" in chart.alt and "Q2 3" not in chart.alt
    assert EXPLAINED in chart.alt and EXPLAINED in chart.caption
    assert "Q2 3" in scorecards.scorecard_chart(off, CSC).alt
    trend = care.children_in_care_chart(ctx)
    assert trend.alt.endswith(
        f"2023-24 [c]. {EXPLAINED} (or a figure that would reveal one) "
        "is not shown, to protect the people it counts."
    )
    learnings = learning.learnings_chart(ctx)
    assert "[c]" in learnings.alt
    themes = complainants.theme_chart(ctx, CSC)
    assert "Finance [c] in 2023-24" in themes.alt


def test_a_chart_with_nothing_hidden_says_nothing_about_c(off):
    assert "[c]" not in scorecards.scorecard_chart(off, CSC).alt


# --- sentences -------------------------------------------------------------------------------

SMALL = re.compile(r"(?<![\w.£%-])[1-5](?![\w.%,-]|\d| to \d| working)")


def all_sentences(ctx: ReportContext) -> list[str]:
    out = [
        *summary.executive_key_messages(ctx),
        *summary.childrens_services(ctx),
        *statutory.ombudsman_sentences(ctx),
        *statutory.upheld_intro(ctx),
        *care.children_in_care_sentences(ctx),
        *care.advocacy_sentences(ctx),
        *methodology.effectiveness_sentences(ctx),
        *methodology.compliments_sentences(ctx),
        *equalities.response_sentences(ctx),
        *complainants.outcome_sentences(ctx, None),
    ]
    for area in ctx.areas:
        out += [
            *scorecards.total_sentences(ctx, area),
            *statutory.statutory_sentences(ctx, area),
            *statutory.stage2_sentences(ctx, area),
            *statutory.ombudsman_area_sentences(ctx, area),
            *complainants.complainant_sentences(ctx, area),
            *complainants.theme_sentences(ctx, area),
            *complainants.outcome_sentences(ctx, area),
            *complainants.outcome_points(ctx, area),
            *care.timescales_sentences(ctx, area),
            *care.overdue_quarter_sentences(ctx, area),
            *care.extension_sentences(ctx, area),
            *learning.learnings_sentences(ctx, area),
        ]
    for c in equalities.characteristics():
        out += equalities.characteristic_sentences(ctx, c)
    return out


def test_no_sentence_states_a_count_from_one_to_five(ctx, off):
    plain = [
        s
        for s in all_sentences(off)
        if SMALL.search(s.replace("Q1", "").replace("Q2", "").replace("Q3", "").replace("Q4", ""))
    ]
    assert len(plain) >= 5, "with it off, the sparse year's sentences state small counts"
    for sentence in all_sentences(ctx):
        text = re.sub(r"Q[1-4]|Stage [1-3]|1 to 5", "", sentence)
        assert not SMALL.search(text), sentence


def test_sentences_say_1_to_5_or_do_not_state_the_figure(ctx):
    assert statutory.statutory_sentences(ctx, CSC)[1] == (
        "1 to 5 complaints went to Stage 2 and none to Stage 3."
    )
    # Children's services' 5 upheld: 1 and 4, each small; the council upheld 5 in all.
    assert statutory.ombudsman_sentences(ctx)[1] == (
        f"1 to 5 of the upheld decisions were about children's services (1 to 5 about "
        f"{CSC} and 1 to 5 about {NSC})."
    )
    (line,) = care.timescales_sentences(ctx, NSC)
    assert "1 to 5 took longer" in line and "%" not in line.split(",")[1]
    assert scorecards.total_sentences(ctx, CSC) == [
        f"Total complaints about {CSC} in 2023-24: 60 (27 formal and 33 informal)."
    ]


def test_the_total_of_two_areas_is_a_band_when_one_is_hidden(ctx):
    sentence = methodology.compliments_sentences(ctx)[0]
    # 2 + 12: the total would give the 2 away; it reads as the band the parts allow.
    assert "13 to 17 compliments" in sentence and "14" not in sentence


# --- methodology ---------------------------------------------------------------------------------


def test_methodology_says_how_small_numbers_are_treated(ctx, off):
    on_text = " ".join(methodology.definitions(ctx))
    assert "a count from 1 to 5 is not published" in on_text and "[c]" in on_text
    off_text = " ".join(methodology.definitions(off))
    assert "every figure is shown in full" in off_text and "[c]" not in off_text
