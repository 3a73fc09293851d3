"""Redaction of personal data from free text before publication."""

from __future__ import annotations

import json
import time

import pandas as pd
import pytest

from complaints_report.present.redaction import Redaction, Redactor, first_names


@pytest.fixture(scope="module")
def r() -> Redactor:
    return Redactor()


def test_example_from_the_issue():
    r = Redactor(extra_names=("Keira",), keep_terms=("Chesil",))
    assert r.redact("Spoke to Keira's mum on 07700 900123") == (
        "Spoke to [name]'s mum on [phone]",
        ["name", "phone"],
    )


def test_name_list_is_loaded_quickly_and_has_uk_names():
    first_names.cache_clear()
    start = time.perf_counter()
    names = first_names()
    assert time.perf_counter() - start < 1.0
    assert {"Keira", "Tyler", "Olivia", "Jayden"} <= names


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Keira was upset by the delay.", "[name] was upset by the delay."),
        ("The worker visited Keira at home.", "The worker visited [name] at home."),
        ("The plan was shared with Keira.", "The plan was shared with [name]."),
        ("Keira's carer raised the concern.", "[name]'s carer raised the concern."),
        ("We spoke to Keira Smith.", "We spoke to [name]."),
        ("Mrs Smith complained about Dr Jones.", "[name] complained about [name]."),
        ("Mrs J. Smith and Mr O'Brien attended.", "[name] and [name] attended."),
        ("A child called Nevaeh-Rose attended.", "A child called [name] attended."),
        ("Her son, Kayden, was excluded.", "Her son, [name], was excluded."),
    ],
)
def test_names_are_redacted(r, text, expected):
    assert r.redact(text)[0] == expected


def test_lower_case_mentions_are_not_names(r):
    text = "The mum and the social worker met the child and his dad."
    assert r.redact(text) == (text, [])


@pytest.mark.parametrize(
    "text",
    [
        "Mrs X complained that Mr Y had not replied.",
        "Miss B's son was not given the support he needed.",
        "The council apologised to Ms X and Mr and Mrs Y.",
    ],
)
def test_ombudsman_anonymised_forms_are_kept(r, text):
    assert r.redact(text) == (text, [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Will the council respond?", "Will the council respond?"),
        ("May's panel agreed the plan.", "May's panel agreed the plan."),
        ("Grace's carer called.", "[name]'s carer called."),
        ("Will Smith attended the meeting.", "[name] attended the meeting."),
        ("Her daughter May attended.", "Her daughter [name] attended."),
        ("Hope is that the plan works.", "Hope is that the plan works."),
    ],
)
def test_ambiguous_names_need_context(r, text, expected):
    assert r.redact(text)[0] == expected


# --- other kinds ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "label"),
    [
        ("Email jo.bloggs@example.org today.", "Email [email] today.", "email"),
        ("Mobile 07911 123456.", "Mobile [phone].", "phone"),
        ("Landline 01305 221000.", "Landline [phone].", "phone"),
        ("Call +44 1305 221000 now.", "Call [phone] now.", "phone"),
        ("Call +44 (0)7911 123456 now.", "Call [phone] now.", "phone"),
        ("Lives in DT1 1XJ now.", "Lives in [postcode] now.", "postcode"),
        ("Lives in dt11xj now.", "Lives in [postcode] now.", "postcode"),
        ("Postcode SW1A 1AA.", "Postcode [postcode].", "postcode"),
        ("NI QQ 12 34 56 C given.", "NI [NI number] given.", "NI number"),
        ("NI QQ123456C given.", "NI [NI number] given.", "NI number"),
        ("DOB 03/04/2012.", "DOB [date of birth].", "date of birth"),
        ("He was born on 3 April 2012.", "He was born on [date of birth].", "date of birth"),
        ("Date of birth: 4th May 2011.", "Date of birth: [date of birth].", "date of birth"),
        ("Lives at 12 Acacia Avenue.", "Lives at [address].", "address"),
        ("Moved to Flat 3, 4 High Street.", "Moved to [address].", "address"),
    ],
)
def test_each_kind_is_redacted(r, text, expected, label):
    assert r.redact(text) == (expected, [label])


def test_labels_follow_the_text(r):
    text = "Keira (DOB 03/04/2012) of 12 Acacia Avenue, DT1 1XJ, on 07911 123456, a@b.co.uk."
    out, labels = r.redact(text)
    assert labels == ["name", "date of birth", "address", "postcode", "phone", "email"]
    assert out == "[name] (DOB [date of birth]) of [address], [postcode], on [phone], [email]."


@pytest.mark.parametrize(
    "text",
    [
        "In 2019 High Court guidance changed.",
        "Reference 15001651 was decided in 2020 2021.",
        "The Y10 2nd term review and y10 2nd term review.",
        "£1,250.00 was paid within 20 working days.",
    ],
)
def test_numbers_that_are_not_personal_survive(r, text):
    assert r.redact(text) == (text, [])


# --- false positives ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Manager has reminded the social worker of the importance of maintaining fortnightly visits.",
        "The Council will remind officers of its duty under Section 19 of the Education Act 1996.",
        "A learning event was held with the Chesil team in May.",
        "Support under Section 17 was offered by Action for Children.",
        "Children's Services, CWAD, Dorset and Purbeck teams agreed.",
        "Early Help, the Team Manager and the Social Worker met on Monday.",
        "Visits will resume after Christmas and Easter, in June and on Friday.",
        "Will the team respond? May we add? Grace periods apply. Mark the file. Chase the report.",
        "Bill was paid. Pat on the back. Sue the council. Rose to the challenge. Faith groups met.",
        "Following the review, staff were told. Christian families were consulted.",
        "Foster carers agreed the Amber rating.",
    ],
)
def test_council_sentences_are_unchanged(r, text):
    assert r.redact(text) == (text, [])


def test_non_text_passes_through(r):
    assert r.redact(None) == (None, [])
    assert r.redact("") == ("", [])


# --- parameters -----------------------------------------------------------------------------


def test_extra_names_are_redacted():
    text = "Zebedee and the Farquharson-Wright family attended."
    assert Redactor().redact(text) == (text, [])
    r = Redactor(extra_names=("Zebedee", "Farquharson-Wright"))
    assert r.redact(text) == ("[name] and the [name] family attended.", ["name", "name"])


def test_extra_names_override_ambiguity():
    assert Redactor(extra_names=("Grace",)).redact("We met Grace.")[0] == "We met [name]."


def test_keep_terms_survive():
    text = "The Olivia Team and Dr Foster Unit met."
    assert Redactor().redact(text)[1] != []
    kept = Redactor(keep_terms=("Olivia Team", "Dr Foster Unit"))
    assert kept.redact(text) == (text, [])


def test_find_returns_spans():
    spans = Redactor().find("Call Keira on 07911 123456")
    assert spans == [Redaction(5, 10, "name"), Redaction(14, 26, "phone")]


# --- frames ---------------------------------------------------------------------------------


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case": ["C1", "C2", "C3"],
            "learning": ["Keira's mum was not called back.", None, "Staff reminded of visits."],
            "action": ["Call 07911 123456.", "Write to Mrs Smith.", float("nan")],
        },
        index=[10, 11, 12],
    )


def test_redact_frame_returns_a_redacted_copy_and_a_log():
    df = _frame()
    original = df.copy()
    out, log = Redactor().redact_frame(df, columns=["learning", "action"], table="12-learning")
    pd.testing.assert_frame_equal(df, original)  # input untouched
    assert out["learning"].tolist()[0] == "[name]'s mum was not called back."
    assert out["learning"].tolist()[2] == "Staff reminded of visits."
    assert pd.isna(out["learning"].tolist()[1])
    assert out["action"].tolist()[:2] == ["Call [phone].", "Write to [name]."]
    assert out["case"].tolist() == ["C1", "C2", "C3"]
    assert log == [
        {"table": "12-learning", "row": 10, "column": "learning", "label": "name"},
        {"table": "12-learning", "row": 10, "column": "action", "label": "phone"},
        {"table": "12-learning", "row": 11, "column": "action", "label": "name"},
    ]


def test_log_never_holds_the_text():
    df = _frame()
    _, log = Redactor().redact_frame(df, columns=["learning", "action"], table="t")
    dumped = json.dumps(log)
    for secret in ("Keira", "07911", "123456", "Smith", "mum"):
        assert secret not in dumped
    assert all(set(entry) == {"table", "row", "column", "label"} for entry in log)


def test_redact_frame_defaults_to_free_text_columns_and_checks_names():
    df = pd.DataFrame({"summary": ["Keira was seen."], "team": ["Keira"]})
    out, _ = Redactor().redact_frame(df)
    assert out["summary"].tolist() == ["[name] was seen."]
    assert out["team"].tolist() == ["Keira"]
    with pytest.raises(KeyError):
        Redactor().redact_frame(df, columns=["nope"])


def test_ten_thousand_rows_redact_in_under_five_seconds():
    templates = [
        "Manager has reminded the social worker of the importance of fortnightly visits ({i}).",
        "Keira's mum (case {i}) was not called back on 07911 {i:06d}.",
        "Mrs Smith wrote from 12 Acacia Avenue, DT1 1XJ about case {i}.",
        "The Council will remind officers of its duty under Section 19 ({i}).",
    ]
    rows = [templates[i % 4].format(i=i) for i in range(10_000)]
    df = pd.DataFrame({"learning": rows, "action": rows[::-1]})
    start = time.perf_counter()
    out, log = Redactor().redact_frame(df, columns=["learning", "action"], table="t")
    assert time.perf_counter() - start < 5.0
    assert len(out) == 10_000
    assert not out["learning"].str.contains("Keira").any()
    assert len(log) > 10_000


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "gave her a direct line (07700 900456) for changes.",
            "gave her a direct line ([phone]) for changes.",
        ),
        ("ring (01305) 225011 today", "ring [phone] today"),
    ],
)
def test_a_phone_number_in_brackets_keeps_its_brackets(text, expected):
    assert Redactor().redact(text)[0] == expected
