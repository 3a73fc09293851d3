"""The report's sections, in order: one notebook each, named ``NN-slug.ipynb``."""

from __future__ import annotations

from dataclasses import dataclass

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
