"""The executive summary's key messages tell the children's services story, ranked by what
matters, each number equal to figures.json (read here from the figures, not from the sentences)."""

from __future__ import annotations

import json
import math
import re

import pytest

from complaints_report import paths
from complaints_report.content import summary
from complaints_report.present.narrative import Numbers, childrens_key_messages
from complaints_report.present.tables import format_count, format_money, format_percent

CSC = "Children's Social Care"
NSC = "Children's Non-Social Care"


@pytest.fixture(scope="module")
def figures(ctx):
    return ctx.figures, ctx.figures_for(ctx.previous)


@pytest.fixture(scope="module")
def messages(ctx):
    return summary.executive_key_messages(ctx)


def _index(messages: list[str], *needles: str) -> int:
    """The position of the one message containing every needle (fails if none or several)."""
    hits = [i for i, m in enumerate(messages) if all(n in m for n in needles)]
    assert len(hits) == 1, (needles, messages)
    return hits[0]


def _pct(part: int, whole: int) -> str:
    return format_percent(part / whole)


def test_key_messages_2023_24_in_rank_order_with_the_figures(figures, messages, ctx):
    now, before = figures
    csc, csc_then = now["service_areas"][CSC], before["service_areas"][CSC]
    areas = list(now["service_areas"].values())

    # 1. The largest movements against last year: Stage 2 cases up from 1 to 5.
    s2, s2_then = csc["stages"]["Stage 2"], csc_then["stages"]["Stage 2"]
    assert (s2, s2_then) == (5, 1)  # the demo year the issue describes
    movement = _index(messages, CSC, f"{s2} Stage 2 complaints", f"up from {s2_then} in 2022-23")
    s1, s1_then = csc["stages"]["Stage 1"], csc_then["stages"]["Stage 1"]
    _index(messages, f"{s1} Stage 1 complaints", f"up from {s1_then} in 2022-23")

    # 2. Timeliness at each statutory stage: Stage 1 within 10 days down from 52% to 41%.
    t1, t1_then = csc["timescales"]["Stage 1"], csc_then["timescales"]["Stage 1"]
    stage1 = _index(
        messages,
        f"Of the {format_count(t1['responded'])} Stage 1 complaints to {CSC} answered in 2023-24 "
        f"and not withdrawn, {_pct(t1['within_limit'], t1['responded'])} were answered within "
        "10 working days",
        f"down from {_pct(t1_then['within_limit'], t1_then['responded'])} in 2022-23",
    )
    # withdrawn complaints are not counted (18 of 2023-24's 65): 41% of 44, down from 52%
    assert "41%" in messages[stage1] and "52%" in messages[stage1]
    t2 = csc["timescales"]["Stage 2"]
    assert t2["within_limit"] == 0  # no Stage 2 investigation within 25 working days
    stage2 = _index(
        messages,
        f"Of the {t2['responded']} Stage 2 complaints to {CSC}",
        "none was answered within 25 working days",
    )
    # Stage 3: the one request (COM/4783) was withdrawn, so no panel was held, whatever date
    # the records give it.
    assert csc["stages"]["Stage 3"] == 1 and csc["timescales"]["Stage 3"]["responded"] == 0
    stage3 = _index(messages, CSC, "no review panel", "its one Stage 3 request was withdrawn")

    # 3. The Ombudsman: decisions, upheld, remedies; compliance against the national average.
    decided = sum(a["ombudsman"]["decisions"] for a in areas)
    upheld = sum(a["ombudsman"]["upheld"] for a in areas)
    remedies = sum(a["ombudsman"]["remedy_total"] for a in areas)
    assert format_money(remedies) == "£69,608.96"
    ombudsman = _index(
        messages,
        f"The Ombudsman decided {decided} complaints",
        f"upheld {upheld}",
        format_money(remedies),
    )
    due = sum(a["ombudsman_compliance"]["recommendations_due"] for a in areas)
    complied = sum(a["ombudsman_compliance"]["recommendations_complied"] for a in areas)
    national = ctx.params.complaint_handling_code.national_averages.compliance_rate
    compliance = _index(
        messages,
        f"complied with {complied} of the Ombudsman's {due} recommendations",
        f"({_pct(complied, due)}), against a national average of {format_percent(national)}",
    )

    # 4. Costs.
    spent = sum(sum(a["stage2_costs"].values()) for a in areas)
    costs = _index(messages, "Independent investigation", format_money(spent))

    # 5. Learning and compliments.
    learnt = sum(a["quarters"]["year"]["learnings"] for a in areas)
    praised = sum(a["quarters"]["year"]["compliments"] for a in areas)
    last = _index(messages, f"{learnt} learning points", f"{praised} compliments")

    order = [movement, stage1, stage2, stage3, ombudsman, compliance, costs, last]
    assert order == sorted(order), messages
    assert last == len(messages) - 1


def test_every_number_in_the_key_messages_is_a_figure(figures, messages, ctx):
    """Each number the messages state is one of the year's or last year's figures, or a share
    or sum of them: a typo or a number from elsewhere fails."""
    now, before = figures
    known: set[str] = set()

    def walk(x):
        if isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, int | float) and not isinstance(x, bool):
            known.add(format_count(x) if float(x).is_integer() else format_money(x))
            known.add(format_money(x))

    for f in (now, before):
        walk(f)
        areas = list(f["service_areas"].values())
        for path in (
            ("ombudsman", "decisions"),
            ("ombudsman", "upheld"),
            ("ombudsman_compliance", "recommendations_due"),
            ("ombudsman_compliance", "recommendations_complied"),
            ("quarters", "year", "learnings"),
            ("quarters", "year", "compliments"),
        ):
            total = 0
            for a in areas:
                v = a
                for k in path:
                    v = v[k]
                total += v
            known.add(format_count(total))
        known.add(format_money(sum(a["ombudsman"]["remedy_total"] for a in areas)))
        due = sum(a["ombudsman_compliance"]["recommendations_due"] for a in areas)
        complied = sum(a["ombudsman_compliance"]["recommendations_complied"] for a in areas)
        if due:
            known.add(_pct(complied, due))
        known.add(format_money(sum(sum(a["stage2_costs"].values()) for a in areas)))
    known |= {"10", "20", "25", "65", "30"}  # the statutory time limits
    known.add(format_percent(ctx.params.complaint_handling_code.national_averages.compliance_rate))
    # The change in remedies, in whole per cent.
    paid = [
        sum(a["ombudsman"]["remedy_total"] for a in f["service_areas"].values()) for f in figures
    ]
    known.add(f"{math.floor(abs(paid[0] - paid[1]) / paid[1] * 100 + 0.5)}%")
    for f in (now, before):
        for a in f["service_areas"].values():
            for t in a["timescales"].values():
                if t["responded"]:
                    known.add(_pct(t["within_limit"], t["responded"]))
    text = " ".join(messages)
    text = re.sub(r"20\d\d-\d\d", "", text)  # year labels
    stated = re.findall(r"£\d+(?:,\d{3})*\.\d\d|\d+(?:,\d{3})*%?", text)
    assert stated
    unknown = [s for s in stated if s not in known]
    assert not unknown, unknown


def test_the_report_refers_to_no_appendix_and_puts_the_council_after(ctx):
    intro = " ".join(summary.introduction(ctx)).lower()
    assert "appendix" not in intro and "appendices" not in intro
    context = summary.council_context(ctx)
    assert context[0].startswith("There were 1,400 complaints across the council")
    assert any("code of conduct" in m for m in context)
    assert not any("code of conduct" in m for m in summary.executive_key_messages(ctx))
    source = (paths.ROOT / "notebooks" / "02-executive-summary.ipynb").read_text()
    cells = ["".join(c["source"]) for c in json.loads(source)["cells"]]
    key = next(i for i, c in enumerate(cells) if "executive_key_messages" in c)
    council = next(i for i, c in enumerate(cells) if "council_context" in c)
    assert key < council


def test_key_messages_state_no_small_count_under_disclosure_control(figures, ctx):
    now, before = figures
    t = ctx.params.targets
    lines = childrens_key_messages(
        now,
        before,
        directorate="Children's Services",
        limits={"Stage 1": (10, 20), "Stage 2": (25, 65), "Stage 3": (30, None)},
        numbers=Numbers(5),
    )
    text = " ".join(lines)
    assert t.stage1_limit == 10
    # Stage 2 cases (5, 1), the one review panel and the Stage 2 responses (4) are small.
    assert "1 to 5 Stage 2 complaints" in text
    assert "up from 1 " not in text
    assert "its 1 review panel" not in text and "its 4 Stage 2" not in text
    assert not re.search(
        r"(?<!to )(?<!Stage )\b[1-5] (Stage|review|complaint|recommendation)", text
    )
    # The largest movement shown is one of counts stated in full.
    assert lines[0].startswith(f"{CSC} had 65 Stage 1 complaints")


def test_no_previous_year_no_movements_and_no_comparison(figures):
    now, _ = figures
    lines = childrens_key_messages(
        now,
        None,
        directorate="Children's Services",
        limits={"Stage 1": (10, 20), "Stage 2": (25, 65), "Stage 3": (30, None)},
    )
    text = " ".join(lines)
    assert "2022-23" not in text.replace("with no figure for 2022-23 to compare", "")
    assert lines[0].startswith(f"Of the 44 Stage 1 complaints to {CSC}")
