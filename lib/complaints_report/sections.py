"""The report's sections, in order: one notebook each, named ``NN-slug.ipynb``."""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import paths


@dataclass(frozen=True)
class Section:
    number: int
    slug: str
    title: str
    part: str

    @property
    def notebook(self) -> str:
        return f"{self.number:02d}-{self.slug}.ipynb"

    @property
    def path(self):
        return paths.NOTEBOOKS_DIR / self.notebook


SECTIONS: tuple[Section, ...] = (
    Section(1, "cover", "Cover and recommendation", "The report"),
    Section(2, "executive-summary", "Executive summary", "The report"),
    Section(3, "financial-implications", "Financial implications", "The report"),
    Section(4, "quarterly-scorecards", "Quarterly scorecards", "The report"),
    Section(
        5, "statutory-overview", "Statutory overview", "Children's services statutory information"
    ),
    Section(
        6,
        "ombudsman",
        "The Local Government and Social Care Ombudsman",
        "Children's services statutory information",
    ),
    Section(7, "who-complained", "Who complained", "Children's services statutory information"),
    Section(
        8,
        "what-complaints-were-about",
        "What complaints were about",
        "Children's services statutory information",
    ),
    Section(9, "outcomes", "Outcomes of complaints", "Children's services statutory information"),
    Section(
        10,
        "children-in-care-and-advocacy",
        "Children in care and advocacy",
        "Children's services statutory information",
    ),
    Section(11, "timescales", "Timescales", "Children's services statutory information"),
    Section(
        12,
        "learning-and-service-improvement",
        "Learning and service improvement",
        "Children's services statutory information",
    ),
    Section(
        13,
        "equality-monitoring",
        "Equality monitoring",
        "Children's services statutory information",
    ),
    Section(
        14,
        "effectiveness-compliments-and-methodology",
        "Effectiveness of the procedure, compliments and methodology",
        "About this report",
    ),
    Section(15, "complaint-handling-code", "The Complaint Handling Code", "About this report"),
)
SLUGS = tuple(s.slug for s in SECTIONS)

IN_YEAR_PACK = (
    "cover",
    "executive-summary",
    "quarterly-scorecards",
    "ombudsman",
    "what-complaints-were-about",
    "outcomes",
    "timescales",
    "learning-and-service-improvement",
    "effectiveness-compliments-and-methodology",
)
"""The sections of the in-year pack (``run FY --to Qn``): what members need each quarter. Left
out: the year's financial implications, the statutory overview, who complained, children in
care, equality monitoring and the Complaint Handling Code, which are annual."""
IN_YEAR_TITLES = {
    "cover": "Cover",
    "effectiveness-compliments-and-methodology": "About the figures",
}
"""A section's title in the in-year pack, where it keeps only part of itself (the pack has no
recommendation, and of section 14 only the methodology)."""
ANNUAL_ONLY = "annual-only"
"""The tag of a notebook cell the in-year pack leaves out of its copy (the full methodology's
parts, say): the cell runs, and its output is dropped from the pack."""


def sections_for(to_quarter: str | None) -> tuple[Section, ...]:
    """The report's sections, or the in-year pack's when ``to_quarter`` is given."""
    if to_quarter is None:
        return SECTIONS
    return tuple(s for s in SECTIONS if s.slug in IN_YEAR_PACK)


def in_year_section(section: Section) -> Section:
    """A section as the in-year pack names it (see :data:`IN_YEAR_TITLES`)."""
    title = IN_YEAR_TITLES.get(section.slug)
    return replace(section, title=title) if title else section


def find(name: str) -> Section:
    """A section by slug, number (``4`` or ``04``) or notebook file name."""
    key = name.strip().removesuffix(".ipynb")
    for s in SECTIONS:
        if key in (s.slug, str(s.number), f"{s.number:02d}", s.notebook.removesuffix(".ipynb")):
            return s
    raise KeyError(
        f"no report section {name!r}; sections are: "
        + ", ".join(f"{s.number:02d} {s.slug}" for s in SECTIONS)
    )


def select_sections(
    only: list[str] | None, sections: tuple[Section, ...] = SECTIONS
) -> list[Section]:
    """The sections to run, in report order (``only``: slugs, numbers or notebook names, among
    ``sections``: the report's, or the in-year pack's)."""
    if not only:
        return list(sections)
    try:
        wanted = {find(name).slug for name in only}
    except KeyError as exc:
        raise ValueError(exc.args[0]) from exc
    outside = [s for s in SECTIONS if s.slug in wanted and s not in sections]
    if outside:
        raise ValueError(
            f"section {outside[0].slug!r} is not in the in-year pack; its sections are: "
            + ", ".join(s.slug for s in sections)
        )
    return [s for s in sections if s.slug in wanted]
