"""Disclosure control of published tables (complaints_report.disclosure)."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaints_report.present.disclosure import EXPLANATION, SUPPRESSED, suppress
from complaints_report.present.tables import ReportTable

C = SUPPRESSED


def grid(rows: dict[str, list[int]], columns: list[str], *, note: str | None = None) -> ReportTable:
    """A table of counts: one labelled row per entry, every listed column a count."""
    frame = pd.DataFrame(
        [[label, *values] for label, values in rows.items()], columns=["Area", *columns]
    )
    return ReportTable(
        name="test-grid",
        title="Test grid",
        frame=frame,
        formats={c: "count" for c in columns},
        note=note,
    )


def with_margins(body: dict[str, list[int]], columns: list[str]) -> ReportTable:
    """``body`` plus a Total column and a Total row, each the sum of the others."""
    rows = {label: [*values, sum(values)] for label, values in body.items()}
    sums = [sum(col) for col in zip(*rows.values(), strict=True)]
    return grid({**rows, "Total": sums}, [*columns, "Total"])


def shown(table: ReportTable) -> list[list[str]]:
    """The reader's cells, row by row, without the row label."""
    return [list(row[1:]) for row in table.display_frame().itertuples(index=False, name=None)]


def hidden_cells(table: ReportTable) -> set[tuple[str, str]]:
    df = table.display_frame()
    return {
        (str(df.iloc[i, 0]), col)
        for col in df.columns[1:]
        for i in range(len(df))
        if df.at[i, col] == C
    }


# --- primary suppression ---------------------------------------------------------------------


@pytest.mark.parametrize("value", [1, 2, 3, 4, 5])
def test_counts_from_one_to_the_threshold_are_hidden(value: int) -> None:
    table = grid({"A": [value], "B": [40]}, ["Complaints"])
    assert shown(suppress(table, threshold=5)) == [[C], ["40"]]


@pytest.mark.parametrize("value", [0, 6])
def test_zero_and_counts_above_the_threshold_are_shown(value: int) -> None:
    table = grid({"A": [value], "B": [40]}, ["Complaints"])
    assert shown(suppress(table, threshold=5)) == [[str(value)], ["40"]]


def test_threshold_sets_the_limit() -> None:
    table = grid({"A": [3], "B": [4]}, ["Complaints"])
    assert shown(suppress(table, threshold=3)) == [[C], ["4"]]


def test_text_money_and_raw_frame_are_left_alone() -> None:
    frame = pd.DataFrame({"Area": ["A"], "Complaints": [2], "Paid": [3.0], "Ratio": ["1/1"]})
    table = ReportTable("t", "T", frame, formats={"Complaints": "count", "Paid": "money"})
    safe = suppress(table)
    assert shown(safe) == [[C, "£3.00", "1/1"]]
    assert table.frame.at[0, "Complaints"] == 2  # the input is not changed


# --- secondary suppression -------------------------------------------------------------------


def test_row_total_would_reveal_a_hidden_cell_so_the_next_smallest_is_hidden() -> None:
    # With only the 3 hidden, 25 - 10 - 12 gives it away; hiding the 10 leaves 13 = ? + ?.
    table = grid({"A": [3, 10, 12, 25]}, ["X", "Y", "Z", "Total"])
    safe = suppress(table, total_columns=("Total",))
    assert shown(safe) == [[C, C, "12", "25"]]


def test_without_a_total_column_no_secondary_suppression() -> None:
    table = grid({"A": [3, 10, 12]}, ["X", "Y", "Z"])
    assert shown(suppress(table, total_columns=("Total",))) == [[C, "10", "12"]]


def test_column_total_would_reveal_a_hidden_cell() -> None:
    table = grid({"A": [3], "B": [12], "C": [10], "Total": [25]}, ["Complaints"])
    safe = suppress(table, total_rows=("Total",))
    assert shown(safe) == [[C], ["12"], [C], ["25"]]


def test_row_and_column_totals_together() -> None:
    table = with_margins({"A": [3, 10, 12], "B": [20, 30, 40]}, ["X", "Y", "Z"])
    safe = suppress(table, total_columns=("Year", "Total"), total_rows=("Total",))
    assert shown(safe) == [
        [C, C, "12", "25"],
        [C, C, "40", "90"],
        ["23", "40", "52", "115"],
    ]


def test_secondary_suppression_runs_to_a_fixed_point() -> None:
    # Hiding B's 8 (to protect column Z) exposes row B, which a single pass has already checked.
    table = with_margins(
        {"A": [2, 40, 7], "B": [30, 50, 8], "C": [9, 60, 70]},
        ["X", "Y", "Z"],
    )
    safe = suppress(table, total_columns=("Total",), total_rows=("Total",))
    assert ("B", "Z") in hidden_cells(safe)
    assert ("B", "X") in hidden_cells(safe)
    assert_no_total_has_one_unknown(safe)


def test_a_hidden_cell_recoverable_from_several_totals_is_protected() -> None:
    # Every row and column has two or more hidden cells, yet B-Z bridges two blocks and can be
    # worked out: B-X + B-Y = (X total - C-X - D-X) + (Y total - C-Y - D-Y) - (A total - A-Z - A-W).
    table = with_margins(
        {
            "A": [2, 3, 40, 41],
            "B": [4, 5, 2, 42],
            "C": [50, 51, 3, 4],
            "D": [52, 53, 5, 2],
        },
        ["X", "Y", "Z", "W"],
    )
    primary = {(r, c) for r, c in [("A", "X"), ("A", "Y"), ("B", "X"), ("B", "Y"), ("B", "Z")]}
    primary |= {(r, c) for r in "CD" for c in "ZW"}
    safe = suppress(table, total_columns=("Total",), total_rows=("Total",))
    hidden = hidden_cells(safe)
    assert primary <= hidden
    attack = {("C", "X"), ("D", "X"), ("C", "Y"), ("D", "Y"), ("A", "Z"), ("A", "W"), ("B", "W")}
    attack |= {("Total", "X"), ("Total", "Y"), ("A", "Total"), ("B", "Total")}
    assert attack & hidden, "B-Z can still be worked out from the shown figures"
    assert_no_total_has_one_unknown(safe)


def test_totals_are_shown_unless_small() -> None:
    table = grid({"A": [2, 0, 2], "B": [20, 30, 50], "Total": [22, 30, 52]}, ["X", "Y", "Total"])
    safe = suppress(table, total_columns=("Total",), total_rows=("Total",))
    assert shown(safe)[0][2] == C  # A's total of 2 is itself small
    assert shown(safe)[2] == ["22", "30", "52"]


def assert_no_total_has_one_unknown(table: ReportTable) -> None:
    df = table.display_frame().set_index("Area")
    for label, row in df.iterrows():
        assert list(row).count(C) != 1, f"row {label} gives away its hidden cell"
    for col in df.columns:
        assert list(df[col]).count(C) != 1, f"column {col} gives away its hidden cell"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 9, 15, 40]), min_size=3, max_size=3),
        min_size=2,
        max_size=4,
    )
)
def test_any_table_with_margins_keeps_small_counts_hidden(body: list[list[int]]) -> None:
    table = with_margins({f"R{i}": row for i, row in enumerate(body)}, ["X", "Y", "Z"])
    safe = suppress(table, total_columns=("Total",), total_rows=("Total",))
    raw = table.display_frame()
    out = safe.display_frame()
    for col in out.columns[1:]:
        for i in range(len(out)):
            if 1 <= int(table.frame.at[i, col]) <= 5:
                assert out.at[i, col] == C
            elif out.at[i, col] != C:
                assert out.at[i, col] == raw.at[i, col]
    assert_no_total_has_one_unknown(safe)


# --- shares ----------------------------------------------------------------------------------


def shares_table() -> ReportTable:
    frame = pd.DataFrame(
        {
            "Team": ["North", "South", "East"],
            "Complaints": [3, 40, 57],
            "% of complaints": [0.03, 0.40, 0.57],
            "Upheld": [1, 20, 7],
            "% upheld": [1 / 3, 0.5, 7 / 57],
        }
    )
    return ReportTable(
        "shares",
        "Shares",
        frame,
        formats={
            "Complaints": "count",
            "% of complaints": "percent",
            "Upheld": "count",
            "% upheld": "percent",
        },
    )


def test_share_of_a_hidden_count_is_hidden() -> None:
    safe = suppress(shares_table(), derived={"% of complaints": "Complaints", "% upheld": "Upheld"})
    assert shown(safe) == [
        [C, C, C, C],
        ["40", "40%", "20", "50%"],
        ["57", "57%", "7", "12%"],
    ]


def test_share_without_a_declared_count_is_hidden_with_any_hidden_count_in_its_row() -> None:
    frame = shares_table().frame.assign(Complaints=[30, 40, 57], Upheld=[1, 20, 7])
    table = ReportTable("shares", "Shares", frame, formats=shares_table().formats)
    safe = suppress(table, derived={"% upheld": "Upheld"})
    assert shown(safe)[0] == ["30", C, C, C]
    assert shown(suppress(table, derived={"% of complaints": "Complaints"}))[0] == [
        "30",
        "3%",  # its own count is shown
        C,
        C,
    ]


def test_derived_must_name_a_percent_and_a_count_column() -> None:
    with pytest.raises(ValueError, match="derived"):
        suppress(shares_table(), derived={"Complaints": "% upheld"})


# --- note, CSV, HTML -------------------------------------------------------------------------


def test_note_gets_the_explanation_when_something_is_hidden() -> None:
    table = grid({"A": [2], "B": [40]}, ["Complaints"], note="Source: case records.")
    safe = suppress(table, threshold=3)
    assert safe.note == "Source: case records. " + EXPLANATION.format(threshold=3)
    assert "from 1 to 3" in safe.note
    assert suppress(grid({"A": [2]}, ["Complaints"])).note == EXPLANATION.format(threshold=5)


def test_note_is_unchanged_when_nothing_is_hidden() -> None:
    table = grid({"A": [0], "B": [40]}, ["Complaints"], note="Source: case records.")
    safe = suppress(table)
    assert safe.note == "Source: case records."
    assert safe is not table
    assert shown(safe) == shown(table)


def test_csv_shows_c_and_never_the_hidden_value(tmp_path) -> None:
    table = with_margins({"A": [3, 17, 1268], "B": [20, 30, 40]}, ["X", "Y", "Z"])
    safe = suppress(table, total_columns=("Total",), total_rows=("Total",))
    path = safe.to_csv(tmp_path)
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["Area", "X", "Y", "Z", "Total"]
    assert rows[1] == ["A", C, C, "1268", "1288"]
    assert rows[2] == ["B", C, C, "40", "90"]
    text = path.read_text(encoding="utf-8")
    for secret in ("3", "17", "20", "30"):
        assert secret not in {cell for row in rows for cell in row}
    assert "17" not in text
    assert f'<td class="num">{C}</td>' in safe.to_html()
    assert EXPLANATION.format(threshold=5) in safe.to_html()


def test_csv_of_shares_and_zeros_keeps_raw_numbers(tmp_path) -> None:
    safe = suppress(shares_table(), derived={"% of complaints": "Complaints", "% upheld": "Upheld"})
    rows = list(csv.reader(safe.to_csv(tmp_path).read_text(encoding="utf-8").splitlines()))
    assert rows[1] == ["North", C, C, C, C]
    assert rows[3] == ["East", "57", "0.5700", "7", "0.1228"]


# --- switched off ----------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs", [{"enabled": False}, {"threshold": 0}])
def test_switched_off_returns_the_table_unchanged(kwargs: dict) -> None:
    table = grid({"A": [3, 10, 12, 25]}, ["X", "Y", "Z", "Total"], note="n")
    assert suppress(table, total_columns=("Total",), **kwargs) is table
    assert shown(table) == [["3", "10", "12", "25"]]
    assert table.note == "n"


# --- protect(): the structure a table declares ------------------------------------------------

from complaints_report.present.disclosure import protect  # noqa: E402
from complaints_report.present.tables import CountBlock  # noqa: E402


def test_protect_uses_the_tables_own_totals_and_keeps_its_attributes() -> None:
    frame = pd.DataFrame(
        {"Quarter": ["Q1", "Q2", "Year"], "Referrals": [3, 40, 43], "Notes": ["a", "b", ""]}
    )
    table = ReportTable(
        "t", "T", frame, formats={"Referrals": "count"}, total_rows=("Year",), free_text=("Notes",)
    )
    safe = protect(table, 5)
    assert shown(safe) == [[C, "a"], [C, "b"], ["43", ""]]
    assert safe.free_text == ("Notes",) and safe.total_rows == ("Year",)
    assert protect(table, 0) is table


def test_a_share_is_hidden_with_its_numerator_and_the_column_total_protects_it() -> None:
    """Shares only: the counts behind them, with the number they are shares of."""
    frame = pd.DataFrame({"Theme": ["A", "B", "C"], "Share": [0.6, 0.3, 0.1]})
    counts = pd.DataFrame({"Theme": ["A", "B", "C", "(all)"], "Share": [30, 15, 5, 50]})
    table = ReportTable(
        "t",
        "T",
        frame,
        formats={"Share": "percent"},
        counts=(CountBlock(counts, total_rows=("(all)",)),),
    )
    # C (5) is small; the shares add up to 100%, so B (the smallest other) goes too.
    assert shown(protect(table, 5)) == [["60%"], [C], [C]]


def test_a_complement_that_is_not_shown_still_protects() -> None:
    """Upheld of decisions: the "not upheld" count is not shown, but the share gives it away."""
    frame = pd.DataFrame({"Area": ["A"], "Decisions": [10], "Share upheld": [0.8]})
    counts = pd.DataFrame(
        {"Area": ["A"], "Decisions": [10], "Share upheld": [8], "not upheld": [2]}
    )
    table = ReportTable(
        "t",
        "T",
        frame,
        formats={"Decisions": "count", "Share upheld": "percent"},
        counts=(CountBlock(counts, total_columns=("Decisions",)),),
    )
    assert shown(protect(table, 5)) == [["10", C]]


def test_a_text_cell_is_hidden_when_any_count_it_shows_is() -> None:
    frame = pd.DataFrame({"Row": ["Stage 1", "Ombudsman"], "2023-24": ["40", "12 with 2 upheld"]})
    stages = pd.DataFrame({"Row": ["Stage 1"], "2023-24": [40]})
    ombudsman = pd.DataFrame({"Row": ["Ombudsman", "upheld", "not upheld"], "2023-24": [12, 2, 10]})
    table = ReportTable(
        "t",
        "T",
        frame,
        counts=(
            CountBlock(stages),
            CountBlock(ombudsman, total_rows=("Ombudsman",), rows={"upheld": "Ombudsman"}),
        ),
    )
    assert shown(protect(table, 5)) == [["40"], [C]]


def test_blocks_naming_the_same_count_share_what_is_hidden() -> None:
    """Q1's count is in two sums: the quarters add up to the year (block 1), and Q1 plus
    "Other" add up to a shown total (block 2)."""
    frame = pd.DataFrame(
        {"Q": ["Q1", "Q2", "Q3", "Year", "Other", "Q1 and other"], "N": [20, 30, 3, 53, 9, 29]}
    )
    quarters = frame.iloc[:4]
    split = frame.iloc[[0, 4, 5]]
    table = ReportTable(
        "t",
        "T",
        frame,
        formats={"N": "count"},
        counts=(
            CountBlock(quarters, total_rows=("Year",)),
            CountBlock(split, total_rows=("Q1 and other",)),
        ),
    )
    # Q3 (3) is hidden; the year hides Q1 (20, the smallest other quarter); and since Q1 is
    # hidden, "Other" is hidden too, or 29 minus 9 would give Q1 back.
    assert shown(protect(table, 5)) == [[C], ["30"], [C], ["53"], [C], ["29"]]


def test_hide_totals_first_keeps_the_areas_and_hides_their_total() -> None:
    frame = pd.DataFrame({"Area": ["A", "B", "Both"], "N": [2, 40, 42]})
    table = ReportTable(
        "t",
        "T",
        frame,
        formats={"N": "count"},
        counts=(CountBlock(frame, total_rows=("Both",), hide_totals_first=("Both",)),),
    )
    assert shown(protect(table, 5)) == [[C], ["40"], [C]]
    plain = ReportTable(
        "t", "T", frame, formats={"N": "count"}, counts=(CountBlock(frame, total_rows=("Both",)),)
    )
    assert shown(protect(plain, 5)) == [[C], [C], ["42"]]


def test_a_count_no_block_describes_still_gets_primary_suppression() -> None:
    frame = pd.DataFrame({"Area": ["A", "B"], "N": [2, 40], "M": [3, 9]})
    block = CountBlock(pd.DataFrame({"Area": ["A", "B"], "N": [2, 40]}))
    table = ReportTable("t", "T", frame, formats={"N": "count", "M": "count"}, counts=(block,))
    assert shown(protect(table, 5)) == [[C, C], ["40", "9"]]


def test_count_block_labels_must_be_unique() -> None:
    with pytest.raises(ValueError, match="repeat"):
        CountBlock(pd.DataFrame({"Area": ["A", "A"], "N": [1, 2]}))
