"""Section 13 (content.equalities): equality monitoring against the published 2023/24 report."""

from __future__ import annotations

import pytest
from tiny_data import shown_rows, tiny_context

from complaints_report.content import equalities

CSC = "Children's Social Care"
DASH = "\N{EN DASH}"


# --- the published figures ---------------------------------------------------------------------


def test_response_rate_as_published(ctx):
    table = equalities.response_table(ctx)
    assert table.name == "13-equality-monitoring-response"
    assert table.display_frame()["Response rate"].tolist()[0] == "70%"
    sentences = equalities.response_sentences(ctx)
    assert any("a response rate of 70%" in s for s in sentences)
    # Said plainly: anonymous and council-wide.
    assert any("anonymous and council-wide" in s for s in sentences)


def test_gender_as_published(ctx):
    table = equalities.characteristic_table(ctx, "gender")
    assert table.name == "13-equality-gender"
    assert list(table.display_frame().columns) == ["Answer", "2023-24", "2022-23"]
    assert shown_rows(table) == {
        "Female": ["52%", "50%"],
        "Male": ["32%", "33%"],
        "Prefer not to say or left blank": ["15%", "16%"],
        "Self described or non binary": ["1%", "1%"],
    }


def test_age_as_published(ctx):
    shares = shown_rows(equalities.characteristic_table(ctx, "age_band"))
    assert shares["16-24"] == ["4%", "4%"]
    assert shares["25-34"] == ["12%", "11%"]
    assert shares["35-44"] == ["17%", "15%"]
    assert shares["45-54"] == ["17%", "16%"]
    assert shares["55-64"] == ["18%", "17%"]
    assert shares["65-74"] == ["13%", "17%"]
    assert shares["75 & Older"] == ["7%", "6%"]
    # Blanks come last, whatever their size.
    assert list(shares)[-1] == "Left blank"


def test_other_characteristics_as_published(ctx):
    sexuality = shown_rows(equalities.characteristic_table(ctx, "sexuality"))
    assert sexuality["Heterosexual"] == ["66%", "67%"]
    assert sexuality["Bisexual"] == ["2%", "2%"]
    religion = shown_rows(equalities.characteristic_table(ctx, "religion"))
    assert religion["None/no religion"] == ["35%", "36%"]
    assert religion["Prefer not to say (selected)"] == ["12%", "12%"]
    ethnicity = shown_rows(equalities.characteristic_table(ctx, "ethnicity"))
    assert ethnicity["White - British"] == ["74%", "70%"]
    disability = shown_rows(equalities.characteristic_table(ctx, "disability"))
    assert disability["Physical Disability - Unspecified"] == ["5%", "6%"]
    assert disability["Mental Health Long Term"] == ["4%", "2%"]


def test_characteristic_sentence(ctx):
    assert equalities.characteristic_sentences(ctx, "gender") == [
        "For gender, 'Female' was the most common answer, on 52% of forms (50% in 2022-23)."
    ]
    assert equalities.characteristic_sentences(ctx, "age_band")[0].endswith("; 12% left it blank.")


def test_unknown_characteristic_is_named(ctx):
    with pytest.raises(KeyError, match="no equality characteristic 'shoe_size'"):
        equalities.characteristic_table(ctx, "shoe_size")


def test_every_characteristic_has_a_table(ctx):
    names = [equalities.characteristic_table(ctx, ch).name for ch in equalities.characteristics()]
    assert len(names) == 6 and len(set(names)) == 6


# --- sparse data: no equalities table, one year ------------------------------------------------


@pytest.fixture(scope="module")
def sparse(tmp_path_factory):
    cs = {"Directorate": "Children's Services", "Service Area": CSC}
    return tiny_context(
        tmp_path_factory.mktemp("data"),
        [{"Case Ref": "COM/1", "Stage": "Stage 1", "Received Date": "03/04/2023", **cs}],
    )


def test_sparse_no_forms_returned(sparse, tmp_path):
    sentences = equalities.response_sentences(sparse)
    assert sentences[-1] == "No monitoring forms were returned in 2023-24."
    table = equalities.characteristic_table(sparse, "gender")
    assert table.frame.empty
    assert table.note == "No monitoring forms were returned in 2023-24 or 2022-23."
    assert table.to_csv(tmp_path).read_text(encoding="utf-8").splitlines() == [
        "Answer,2023-24,2022-23"
    ]
    assert equalities.characteristic_sentences(sparse, "gender") == [
        "No monitoring forms were returned in 2023-24."
    ]


def test_sparse_response_table_year_outside_the_data_is_dashes(sparse):
    shown = equalities.response_table(sparse).display_frame()
    assert shown.iloc[0].tolist() == ["2023-24", "0", "1", "0%"]
    assert shown.iloc[1].tolist() == ["2022-23", DASH, DASH, DASH]
