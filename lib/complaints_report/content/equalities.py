"""Section 13: equality monitoring of complainants (anonymous, council-wide forms)."""

from __future__ import annotations

import pandas as pd

from ..figures.engine import EQUALITY_CHARACTERISTICS, LEFT_BLANK
from ..present.cells import SUPPRESSED
from ..present.narrative import NOT_STATED, format_percent
from ..present.tables import CountBlock, ReportTable
from ..report import ReportContext

FORMS = "(forms returned)"  # a count block's total row: never shown, but 100% of the shares

LABELS = {
    "gender": "Gender",
    "age_band": "Age",
    "ethnicity": "Ethnicity",
    "religion": "Religion or belief",
    "sexuality": "Sexuality",
    "disability": "Disability",
}
"""The heading readers see for each characteristic of the monitoring form."""


def characteristics() -> list[str]:
    """The monitoring form's characteristics, in the order the report shows them."""
    return list(EQUALITY_CHARACTERISTICS)


def _label(characteristic: str) -> str:
    if characteristic not in EQUALITY_CHARACTERISTICS:
        raise KeyError(
            f"no equality characteristic {characteristic!r}; "
            f"they are: {', '.join(EQUALITY_CHARACTERISTICS)}"
        )
    return LABELS.get(characteristic, characteristic.replace("_", " ").capitalize())


def _forms(ctx: ReportContext, label: str) -> int:
    return ctx.views["equalities_response"].get(label, {}).get("forms", 0)


def response_table(ctx: ReportContext) -> ReportTable:
    """Forms returned, complaints across the council and the response rate, this year and last."""
    resp = ctx.views["equalities_response"]
    years = [ctx.fy.label, ctx.previous.label]
    # A year before the data set starts has no figures, not zero forms against zero complaints.
    rows = [resp.get(y, {}) if ctx.has_year(y) else {} for y in years]
    return ReportTable(
        name="13-equality-monitoring-response",
        title=f"Equality monitoring forms returned, {years[0]} and {years[1]}",
        frame=pd.DataFrame(
            {
                "Financial year": years,
                "Forms returned": [r.get("forms") for r in rows],
                "Complaints across the council": [r.get("complaints") for r in rows],
                "Response rate": [r.get("rate") for r in rows],
            }
        ),
        formats={
            "Forms returned": "count",
            "Complaints across the council": "count",
            "Response rate": "percent",
        },
        note=(
            "Response rate: forms returned as a share of the council's complaints "
            "(informal and Stage 1) in the year."
        ),
        total_columns=(),
        total_rows=(),
        derived={"Response rate": "Forms returned"},
    )


def response_sentences(ctx: ReportContext) -> list[str]:
    """How the forms are collected, that they are anonymous and council-wide, and the response rate."""
    resp = ctx.views["equalities_response"]
    now = resp.get(ctx.fy.label, {"forms": 0, "complaints": 0, "rate": None})
    before = resp.get(ctx.previous.label)
    out = [
        "Every complainant is sent an equality monitoring form; returning it is voluntary.",
        "The forms are anonymous and council-wide: they are never linked to a complaint, so the "
        "shares below describe everyone who returned a form about any council service, not only "
        "those who complained about children's services.",
    ]
    forms = now["forms"]
    num = ctx.numbers
    if forms == 0:
        out.append(f"No monitoring forms were returned in {ctx.fy}.")
        return out
    sentence = f"In {ctx.fy}, {num.plural(forms, 'form')} {num.was_were(forms)} returned"
    if now["rate"] is None:
        sentence += ", with no council complaints in the year to compare them with."
    else:
        sentence += f" against {num.plural(now['complaints'], 'complaint')} across the council"
        # A rate beside the complaints would give a hidden number of forms away.
        if not num.hidden(forms):
            sentence += f", a response rate of {format_percent(now['rate'])}"
        if (
            before
            and before.get("rate") is not None
            and ctx.has_year(ctx.previous.label)
            and not num.hidden(before.get("forms"))
        ):
            sentence += f" ({format_percent(before['rate'])} in {ctx.previous})"
        sentence += "."
    out.append(sentence)
    out.append("Each share is of the forms returned in the year, blank answers included.")
    return out


def characteristic_shares(ctx: ReportContext, characteristic: str) -> pd.DataFrame:
    """Share of forms giving each answer, this year and last, most common first, blanks last.

    A year with forms but not this answer is 0; a year with no forms is missing (None).
    """
    _label(characteristic)
    years = [ctx.fy.label, ctx.previous.label]
    by_year = ctx.views["equalities"].get(characteristic, {})
    shares = {y: by_year.get(y, {}) for y in years}
    answers = sorted(
        set().union(*(s.keys() for s in shares.values())),
        key=lambda a: (
            a == LEFT_BLANK,
            -shares[years[0]].get(a, 0.0),
            -shares[years[1]].get(a, 0.0),
            a,
        ),
    )
    data: dict[str, list] = {"Answer": answers}
    for y in years:
        has_forms = _forms(ctx, y) > 0
        data[y] = [shares[y].get(a, 0.0) if has_forms else None for a in answers]
    return pd.DataFrame(data, columns=["Answer", *years])


def characteristic_table(ctx: ReportContext, characteristic: str) -> ReportTable:
    """One characteristic's answers as shares of the forms returned, this year against last."""
    label = _label(characteristic)
    frame = characteristic_shares(ctx, characteristic)
    years = [ctx.fy.label, ctx.previous.label]
    note = (
        "Shares of the monitoring forms returned in each year, which may not add to 100% after "
        "rounding; an answer no form gave that year shows 0%, and a year with no forms a dash."
    )
    if frame.empty:
        note = f"No monitoring forms were returned in {years[0]} or {years[1]}."
    # For disclosure control: each share's count (shares are of whole forms), and the forms
    # returned as the total each year's answers add up to.
    counts: dict[str, list] = {"Answer": [*frame["Answer"], FORMS]}
    for y in years:
        forms = _forms(ctx, y)
        counts[y] = [
            *(None if v is None or pd.isna(v) else round(v * forms) for v in frame[y]),
            forms if forms else None,
        ]
    return ReportTable(
        name=f"13-equality-{characteristic.replace('_', '-')}",
        title=f"{label} of complainants who returned a monitoring form, {years[0]} and {years[1]}",
        frame=frame,
        formats={y: "percent" for y in years},
        note=note,
        counts=(CountBlock(pd.DataFrame(counts), total_rows=(FORMS,)),),
    )


def characteristic_sentences(ctx: ReportContext, characteristic: str) -> list[str]:
    """The most common answer given for one characteristic this year, against last year."""
    label = _label(characteristic).lower()
    if _forms(ctx, ctx.fy.label) == 0:
        return [f"No monitoring forms were returned in {ctx.fy}."]
    frame = characteristic_shares(ctx, characteristic)
    # The shares as the published table shows them: one it hides is not stated.
    shown = ctx.suppress(characteristic_table(ctx, characteristic)).frame
    hidden = {
        (a, y): v == SUPPRESSED
        for y in (ctx.fy.label, ctx.previous.label)
        for a, v in zip(shown["Answer"], shown[y], strict=True)
    }
    now, before = ctx.fy.label, ctx.previous.label
    given = frame[frame["Answer"] != LEFT_BLANK]
    if given.empty or given[now].max() == 0:
        return [f"No form returned in {ctx.fy} answered the question on {label}."]
    top = given.loc[given[now].idxmax()]
    tied = given[given[now] == top[now]]["Answer"].tolist()
    answer = " and ".join(f"'{a}'" for a in tied)
    verb = "were the most common answers" if len(tied) > 1 else "was the most common answer"
    if hidden[(top["Answer"], now)]:
        sentence = f"For {label}, {answer} {verb} ({NOT_STATED.format(what='the share')})"
    else:
        sentence = f"For {label}, {answer} {verb}, on {format_percent(top[now])} of forms"
        # An answer no form gave last year is usually a changed form, not a real fall to 0%.
        if (
            len(tied) == 1
            and top[before] is not None
            and not pd.isna(top[before])
            and top[before] > 0
            and not hidden[(top["Answer"], before)]
        ):
            sentence += f" ({format_percent(top[before])} in {before})"
    blank = frame.loc[frame["Answer"] == LEFT_BLANK, now]
    if len(blank) and blank.iloc[0] and not hidden[(LEFT_BLANK, now)]:
        sentence += f"; {format_percent(blank.iloc[0])} left it blank"
    return [sentence + "."]
