"""Section 14 (content.methodology): compliments, effectiveness and the methodology."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tiny_data import shown_rows, tiny_context

from complaints_report.content import methodology

REPO = Path(__file__).resolve().parents[3]
DEMO = REPO / "data" / "demo"
CSC = "Children's Social Care"
NSC = "Children's Non-Social Care"
DASH = "\N{EN DASH}"


# --- compliments: the published figures ----------------------------------------------------------


def test_council_compliments_as_published_2020_21(ctx_2020):
    # "a tremendous increase in compliments across the directorates 633 (up 112%)"
    assert methodology.compliments_sentences(ctx_2020)[-1] == (
        "Across the council there were 633 compliments, 112% more than in 2019-20."
    )
    assert shown_rows(methodology.compliments_table(ctx_2020))["Whole council"][0] == "633"
    assert shown_rows(methodology.compliments_table(ctx_2020))[CSC][0] == "72"


def test_compliments_table_2023_24(ctx):
    table = methodology.compliments_table(ctx)
    assert table.name == "14-compliments"
    assert list(table.display_frame().columns) == ["Service area", "2023-24", "2022-23", "Change"]
    rows = shown_rows(table)
    # The scorecards' compliments: 53 and 59 (the published prose says 111 for their sum, 112).
    assert rows[CSC][0] == "53" and rows[NSC][0] == "59"
    assert rows["Children's Services (total)"][0] == "112"
    first = methodology.compliments_sentences(ctx)[0]
    assert first.startswith("Children's Services received 112 compliments in 2023-24")
    assert first.endswith(": 53 for Children's Social Care and 59 for Children's Non-Social Care.")


def test_effectiveness_uses_the_years_figures(ctx):
    timeliness, escalation = methodology.effectiveness_sentences(ctx)[1:3]
    responded = sum(ctx.views["timescales"][a]["2023-24"]["responded"] for a in ctx.areas)
    assert f"of the {responded} Stage 1 complaints" in timeliness
    assert "within 20 working days" in timeliness
    # Stage 2: 5 social care cases (published); Stage 3: 1.
    assert escalation.startswith("Escalation: 5 complaints reached Stage 2 and 1 reached Stage 3")


# --- methodology ---------------------------------------------------------------------------------


def test_definitions_state_the_year_and_the_target(ctx):
    text = " ".join(methodology.definitions(ctx))
    assert "2023-24 runs from 1 April 2023 to 31 March 2024" in text
    assert "took more than 20 working days, the Stage 1 target" in text
    assert "bank holidays in England and Wales" in text
    assert "A theme's share is of the complaints whose theme was recorded" in text
    assert "rounded half up (a share of 1 in 8 shows as 13%)" in text


def test_data_set_is_named_in_plain_words_without_its_folder(ctx):
    sentences = methodology.data_set_sentences(ctx)
    assert "made from the council's case records" in sentences[0]
    assert not any(str(REPO) in s or "/" in s or "folder" in s for s in sentences)


def test_records_read_match_the_files(ctx):
    with (DEMO / "complaints.csv").open(encoding="utf-8", newline="") as fh:
        rows = sum(1 for _ in csv.reader(fh)) - 1
    table = methodology.records_table(ctx)
    assert table.name == "14-records-read"
    read = shown_rows(table)
    assert read["Complaints (one record per stage)"][0] == f"{rows:,}"
    assert read["Compliments"][1] == str(ctx.figures["council"]["compliments"])
    assert read["Advocacy referrals (one row per quarter)"][1] == "4"
    assert table.title == "Case records read" and str(REPO) not in table.title


# --- sparse data: one year, one area, a different target, real (not synthetic) data ------------


@pytest.fixture(scope="module")
def sparse(tmp_path_factory):
    cs = {"Directorate": "Children's Services", "Service Area": CSC}
    return tiny_context(
        tmp_path_factory.mktemp("export-2023"),
        [{"Case Ref": "COM/1", "Stage": "Stage 1", "Received Date": "03/04/2023", **cs}],
        compliments=[{"Date": "01/06/2023", "Directorate": "Place", "Service Area": "Parks"}],
        params="council: Testshire Council\nsynthetic_data: false\n"
        "targets:\n  stage1_working_days: 15\n"
        # Off, so that the wording of single figures ("1 compliment") is tested; disclosure
        # control of such data is tested in test_report_disclosure.py.
        "disclosure:\n  suppress_small_numbers: false\n",
    )


def test_sparse_target_comes_from_params(sparse):
    text = " ".join(methodology.definitions(sparse))
    assert "took more than 15 working days, the Stage 1 target" in text
    assert "20 working days" not in text
    assert "with a Stage 1 target of 15 working days" in methodology.data_set_sentences(sparse)[0]


def test_sparse_data_set_named_without_its_path(sparse):
    folder = Path(sparse.params.data_dir)
    sentences = methodology.data_set_sentences(sparse)
    assert not any(folder.name in s or str(folder.parent) in s for s in sentences)
    assert sentences[1] == (
        "The report counts 1 complaint record, of which 1 falls in 2023-24; the table shows the "
        "records read from every table."
    )
    read = shown_rows(methodology.records_table(sparse))
    assert read["Equality monitoring forms"] == ["0", "0"]


def test_sparse_compliments_with_no_previous_year(sparse):
    assert methodology.compliments_sentences(sparse) == [
        "Children's Services received no compliments in 2023-24, with no figure for 2022-23 to "
        "compare.",
        "Across the council there was 1 compliment, with no figure for 2022-23 to compare.",
    ]
    rows = shown_rows(methodology.compliments_table(sparse))
    assert rows == {CSC: ["0", DASH, DASH], "Whole council": ["1", DASH, DASH]}


def test_sparse_effectiveness_with_nothing_responded(sparse):
    assert methodology.effectiveness_sentences(sparse)[1:] == [
        "Timeliness: no Stage 1 complaints were responded to in 2023-24.",
        "Escalation: no complaints reached Stage 2 and none reached Stage 3 in 2023-24, against "
        "1 at Stage 1.",
        "The Ombudsman: it made no decisions about Children's Services in 2023-24.",
    ]
