"""The data contract as data: the tables of a data set, their columns and the listed values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "date", "yesno", "money", "int", "choice"]

STAGES: tuple[str, ...] = ("Informal", "Stage 1", "Stage 2", "Stage 3")
OUTCOMES: tuple[str, ...] = ("Fully justified", "Partially justified", "Not justified", "Withdrawn")
DECISIONS: tuple[str, ...] = (
    "Upheld",
    "Not upheld",
    "Closed after initial enquiries",
    "Referred back",
)


@dataclass(frozen=True)
class Choices:
    """A listed set of values: the canonical values and the aliases that mean them."""

    name: str
    values: tuple[str, ...]
    aliases: dict[str, str]

    def lookup(self) -> dict[str, str]:
        """Map from a match key (see :func:`value_key`) to the canonical value."""
        table = {value_key(v): v for v in self.values}
        table.update({value_key(alias): canonical for alias, canonical in self.aliases.items()})
        return table

    def describe(self) -> str:
        """The allowed values and aliases in words, for problem messages and the methodology."""
        text = "one of " + ", ".join(self.values)
        if self.aliases:
            by_value: dict[str, list[str]] = {}
            for alias, canonical in self.aliases.items():
                by_value.setdefault(canonical, []).append(alias)
            text += (
                " (also: "
                + "; ".join(
                    f"{', '.join(aliases)} = {canonical}" for canonical, aliases in by_value.items()
                )
                + ")"
            )
        return text


STAGE_CHOICES = Choices(
    "stage",
    STAGES,
    {
        "Representation": "Informal",
        "Informal Representation": "Informal",
        "Stage One": "Stage 1",
        "S1": "Stage 1",
        "Formal": "Stage 1",
        "Stage Two": "Stage 2",
        "S2": "Stage 2",
        "Stage Three": "Stage 3",
        "S3": "Stage 3",
        "Review Panel": "Stage 3",
    },
)
OUTCOME_CHOICES = Choices(
    "outcome",
    OUTCOMES,
    {
        "Upheld": "Fully justified",
        "Justified": "Fully justified",
        "Partially upheld": "Partially justified",
        "Part justified": "Partially justified",
        "Not upheld": "Not justified",
    },
)
DECISION_CHOICES = Choices("decision", DECISIONS, {})

CHOICES: dict[str, Choices] = {
    c.name: c for c in (STAGE_CHOICES, OUTCOME_CHOICES, DECISION_CHOICES)
}


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a table: its contract name, whether a value is required, and its kind.

    ``choices`` names the listed set (a key of :data:`CHOICES`) when ``kind`` is ``"choice"``.
    """

    name: str
    required: bool
    kind: Kind
    choices: str | None = None
    #: Yes/No only: whether a blank means No (the contract's rule) or "not recorded" (``NA``),
    #: as for ``recommendations_complied``, where blank means none were made or none are due.
    blank_is_no: bool = True


@dataclass(frozen=True)
class TableSpec:
    """One table of a data set: whether its file must be present, and its columns."""

    name: str
    required: bool
    columns: tuple[ColumnSpec, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> ColumnSpec:
        """The spec of column ``name``; ``KeyError`` if the table has no such column."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")


def _col(
    name: str,
    required: bool,
    kind: Kind = "text",
    choices: str | None = None,
    blank_is_no: bool = True,
) -> ColumnSpec:
    return ColumnSpec(name, required, kind, choices, blank_is_no)


COMPLAINTS = TableSpec(
    "complaints",
    True,
    (
        _col("case_ref", True),
        _col("stage", True, "choice", "stage"),
        _col("received_date", True, "date"),
        _col("responded_date", False, "date"),
        _col("directorate", True),
        _col("service_area", True),
        _col("team", False),
        _col("theme", False),
        _col("complainant_type", False),
        _col("child_in_care", False, "yesno"),
        _col("via_advocate", False, "yesno"),
        _col("outcome", False, "choice", "outcome"),
        _col("extension_agreed", False, "yesno"),
        _col("panel_date", False, "date"),
        _col("learning", False),
        _col("action", False),
        # An extension of the contract: the brief subject of a Stage 2/3 case, for the
        # statutory appendix. Optional, so exports without it stay valid.
        _col("summary", False),
        _col("investigator_cost", False, "money"),
        _col("independent_person_cost", False, "money"),
        _col("additional_cost", False, "money"),
    ),
)
COMPLIMENTS = TableSpec(
    "compliments",
    True,
    (
        _col("date", True, "date"),
        _col("directorate", True),
        _col("service_area", True),
        _col("team", False),
    ),
)
OMBUDSMAN = TableSpec(
    "ombudsman",
    True,
    (
        _col("lgsco_ref", True),
        _col("decision_date", True, "date"),
        _col("case_ref", False),
        _col("directorate", True),
        _col("service_area", True),
        _col("decision", True, "choice", "decision"),
        _col("remedy_amount", False, "money"),
        _col("remedy_note", False),
        _col("summary", False),
        _col("recommendations", False),
        _col("remedied_before", False, "yesno"),
        _col("recommendations_complied", False, "yesno", blank_is_no=False),
    ),
)
ADVOCACY = TableSpec(
    "advocacy",
    False,
    (
        _col("quarter_start", True, "date"),
        _col("referrals", True, "int"),
        _col("provider", False),
    ),
)
EQUALITIES = TableSpec(
    "equalities",
    False,
    (
        _col("received_date", True, "date"),
        *(
            _col(name, False)
            for name in ("gender", "age_band", "ethnicity", "religion", "sexuality", "disability")
        ),
    ),
)
MEMBER_CONDUCT = TableSpec(
    "member_conduct",
    False,
    (
        _col("received_date", True, "date"),
        _col("council", False),
        _col("investigated", False, "yesno"),
        _col("upheld", False, "yesno"),
    ),
)

TABLES: dict[str, TableSpec] = {
    t.name: t for t in (COMPLAINTS, COMPLIMENTS, OMBUDSMAN, ADVOCACY, EQUALITIES, MEMBER_CONDUCT)
}
REQUIRED_TABLES: tuple[str, ...] = tuple(name for name, t in TABLES.items() if t.required)
OPTIONAL_TABLES: tuple[str, ...] = tuple(name for name, t in TABLES.items() if not t.required)

#: File suffixes a table may be stored in, in the order they are looked for.
FILE_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx")

#: Yes/No spellings (compared lower-case, stripped); blank means No.
YES_VALUES: frozenset[str] = frozenset({"y", "yes", "true", "1"})
NO_VALUES: frozenset[str] = frozenset({"n", "no", "false", "0", ""})

_HEADING_SEPARATORS = re.compile(r"[\s\-_]+")
_SPACES = re.compile(r"\s+")


def heading_key(heading: object) -> str:
    """The form a column heading is matched in: lower case, spaces, hyphens and underscores alike.

    ``Case Ref``, ``case-ref`` and ``CASE_REF`` all give ``case_ref``.
    """
    text = "" if heading is None else str(heading)
    return _HEADING_SEPARATORS.sub("_", text.replace("\ufeff", "").strip().lower()).strip("_")


def value_key(value: str) -> str:
    """The form a listed value is matched in: lower case, outer and repeated spaces dropped."""
    return _SPACES.sub(" ", value.strip().lower())
