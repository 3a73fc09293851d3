"""Narrative sentences: numbers come from the figures, with correct plurals and changes."""

from __future__ import annotations

import pytest

from complaints_report.present.narrative import (
    change_phrase,
    key_messages,
    plural,
    points_phrase,
)


def council(**kw):
    base = dict(
        complaints=139,
        formal=65,
        informal=74,
        compliments=53,
        learnings=31,
        ombudsman_decisions=1,
        ombudsman_upheld=1,
        remedy_total=0.0,
        overdue_share=0.14,
        fully_justified_share=0.11,
        partly_justified_share=0.14,
    )
    base.update(kw)
    return base


@pytest.mark.parametrize(
    "n, expected",
    [(0, "0 complaints"), (1, "1 complaint"), (2, "2 complaints"), (1268, "1,268 complaints")],
)
def test_plural(n, expected):
    assert plural(n, "complaint") == expected


@pytest.mark.parametrize(
    "now, before, expected",
    [
        (139, 149, "7% fewer than in 2022-23"),
        (1268, 720, "76% more than in 2022-23"),
        (100, 100, "about the same as in 2022-23"),
        (5, 0, "none in 2022-23"),
        (5, None, "with no figure for 2022-23 to compare"),
    ],
)
def test_change_phrase(now, before, expected):
    assert change_phrase(now, before, "2022-23") == expected


def test_points_phrase_rounds_like_the_tables():
    assert points_phrase(0.39, 0.16, "2019-20") == "up from 16% in 2019-20"
    assert points_phrase(0.14, 0.15, "2022-23") == "down from 15% in 2022-23"
    assert points_phrase(0.141, 0.139, "2022-23") == "the same as in 2022-23"
    assert points_phrase(None, 0.1, "2022-23") == "with no figure for 2022-23 to compare"


def test_key_messages_use_the_figures_and_the_previous_year():
    lines = key_messages(
        council(), council(complaints=149, compliments=50, overdue_share=0.15), "2023-24"
    )
    text = " ".join(lines)
    assert (
        lines[0]
        == "There were 139 complaints across the council in 2023-24, 7% fewer than in 2022-23."
    )
    assert (
        "65 complaints went through the formal process (Stage 1) and 74 were resolved informally."
        in text
    )
    assert "14% of Stage 1 responses took longer than the target, down from 15% in 2022-23." in text
    assert "53 compliments, 6% more than in 2022-23" in text


def test_key_messages_without_a_previous_year_or_shares():
    lines = key_messages(
        council(complaints=1, formal=1, informal=0, overdue_share=None, fully_justified_share=None),
        None,
        "2016-17",
    )
    assert (
        lines[0]
        == "There was 1 complaint across the council in 2016-17, with no figure for 2015-16 to compare."
    )
    assert not any("took longer than the target" in line for line in lines)


# --- sentences under disclosure control ------------------------------------------------------

from complaints_report.present.narrative import Numbers  # noqa: E402


def test_numbers_off_states_every_count_as_plural_does():
    n = Numbers(0)
    assert n.plural(1, "complaint") == "1 complaint" and n.count(3) == "3"
    assert n.was_were(1) == "was"
    assert n.change(6, 3, "2022-23") == change_phrase(6, 3, "2022-23")
    assert n.total([40, 2]) == "42"
    assert n.split(42, [40, 2]) == ["40", "2"]


def test_numbers_on_states_a_small_count_as_a_band():
    n = Numbers(5)
    assert n.plural(1, "complaint") == "1 to 5 complaints"
    assert n.count(5) == "1 to 5" and n.count(6) == "6" and n.count(0) == "0"
    assert n.was_were(1) == "were"
    assert n.share(2, 40) == "a small share" and n.share(20, 40) == "50%"


def test_numbers_on_never_gives_a_small_count_away():
    n = Numbers(5)
    # "100% more than" 3 would tell 3 from 6; so would 3 against 6.
    assert n.change(6, 3, "2022-23") == "against 1 to 5 in 2022-23"
    assert n.change(3, 60, "2022-23") == "against 60 in 2022-23"
    assert n.change(60, 50, "2022-23") == "20% more than in 2022-23"
    # A total beside a part it holds: the band the hidden part allows.
    assert n.total([40, 2]) == "41 to 45" and n.total([2, 1]) == "1 to 5"
    assert n.plural_total([40, 2], "complaint") == "41 to 45 complaints"
    # Parts of a total stated elsewhere: the other part goes too.
    assert n.split(42, [40, 2]) == ["some", "1 to 5"]
    assert n.split(60, [40, 18, 2]) == ["40", "some", "1 to 5"]
    assert n.hidden_rest(8, 10) and not n.hidden_rest(2, 10)


def test_key_messages_under_disclosure_control():
    now = {
        "complaints": 60, "formal": 57, "informal": 3, "ombudsman_decisions": 12,
        "ombudsman_upheld": 9, "remedy_total": 0.0, "overdue_share": None,
        "fully_justified_share": None, "partly_justified_share": None, "learnings": 4,
        "compliments": 30,
    }  # fmt: skip
    lines = key_messages(
        now, None, "2023-24", {"received": 2, "investigated": 1, "upheld": 0}, numbers=Numbers(5)
    )
    text = " ".join(lines)
    assert "1 to 5 were resolved informally" in text
    assert "1 to 5 learning points were recorded" in text
    assert "decided 12 complaints (how many it upheld is not stated" in text
    assert "1 to 5 code of conduct complaints" in text and "1 investigated" not in text


def test_a_count_against_last_year_states_the_count_not_a_percentage():
    full, sdc = Numbers(0), Numbers(5)
    assert full.against(3, 1, "2022-23") == "up from 1 in 2022-23"
    assert full.against(3, 0, "2022-23") == "up from none in 2022-23"
    assert full.against(3, 0, "2022-23", zero="0") == "up from 0 in 2022-23"
    assert full.against(2, 2, "2022-23") == "the same as in 2022-23"
    assert full.against(2, None, "2022-23") == "with no figure for 2022-23 to compare"
    # Under disclosure control no direction is given against a hidden count.
    assert sdc.against(30, 3, "2022-23") == "against 1 to 5 in 2022-23"
    assert sdc.against(3, 30, "2022-23") == "against 30 in 2022-23"
    assert sdc.against(3, 0, "2022-23") == "against none in 2022-23"
    assert sdc.against(30, 20, "2022-23") == "up from 20 in 2022-23"
