"""The control panel: ``params/defaults.yml`` merged with ``params/<FY>.yml``, validated strictly."""

from __future__ import annotations

import functools
import logging
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from . import paths
from .data.calendar import FinancialYear
from .sections import IN_YEAR_PACK, SECTIONS, SLUGS

log = logging.getLogger(__name__)


class ParamsError(Exception):
    """A params file that cannot be used; the message names the file and the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Targets(_Strict):
    """Response targets and statutory time limits, in working days.

    ``stage1_working_days`` is the target the overdue share counts against (the published
    reports' 20 days). The ``stageN_*`` limits are the Children Act 1989 Representations
    Procedure (England) Regulations 2006 timescales the statutory-timescale figures use.
    """

    stage1_working_days: int = Field(20, ge=1, le=120)
    stage1_limit: int = Field(10, ge=1, le=120)
    stage1_extended_limit: int = Field(20, ge=1, le=120)
    stage2_limit: int = Field(25, ge=1, le=250)
    stage2_extended_limit: int = Field(65, ge=1, le=250)
    stage3_panel_limit: int = Field(30, ge=1, le=250)

    @model_validator(mode="after")
    def _extended_not_shorter(self) -> Targets:
        for stage in (1, 2):
            first = getattr(self, f"stage{stage}_limit")
            extended = getattr(self, f"stage{stage}_extended_limit")
            if extended < first:
                raise ValueError(
                    f"stage{stage}_extended_limit ({extended}) is shorter than "
                    f"stage{stage}_limit ({first}); an extension cannot shorten the time limit"
                )
        return self

    def limits(self, stage: str) -> tuple[int, int | None]:
        """The time limit of ``stage`` (``Stage 1``..``Stage 3``) and its extended limit
        (``None`` for Stage 3, which has no extension)."""
        if stage == "Stage 1":
            return self.stage1_limit, self.stage1_extended_limit
        if stage == "Stage 2":
            return self.stage2_limit, self.stage2_extended_limit
        if stage == "Stage 3":
            return self.stage3_panel_limit, None
        raise KeyError(f"no statutory time limit for {stage!r}")


#: The sections of the Ombudsman's Complaint Handling Code, in its order; the self-assessment
#: covers each of them.
CODE_SECTIONS: tuple[str, ...] = (
    "Definitions",
    "Exclusions",
    "Accessibility and awareness",
    "Complaint handling staff",
    "The complaint handling process",
    "Complaint stages",
    "Putting things right",
    "Self-assessment, reporting and compliance",
    "Scrutiny and oversight: continuous learning and improvement",
)
COMPLIANCE = ("yes", "partly", "no")


class CodeAssessment(_Strict):
    """The council's self-assessment against one section of the Complaint Handling Code."""

    section: str
    complies: Literal["yes", "partly", "no"] | None = None
    evidence: str | None = None
    action: str | None = None
    owner: str | None = None
    due: date | None = None
    # Set by `new-year` on an assessment carried forward from last year: to review before use.
    review: bool = False

    @field_validator("complies", mode="before")
    @classmethod
    def _complies(cls, v: object) -> object:
        # YAML reads a bare yes/no as a boolean: take it as meant.
        if isinstance(v, bool):
            return "yes" if v else "no"
        return v.strip().lower() if isinstance(v, str) else v

    @field_validator("section")
    @classmethod
    def _known_section(cls, v: str) -> str:
        matches = [s for s in CODE_SECTIONS if s.lower() == v.strip().lower()]
        if not matches:
            raise ValueError(
                f"unknown Complaint Handling Code section {v!r}; sections are: "
                + "; ".join(CODE_SECTIONS)
            )
        return matches[0]

    def missing(self) -> list[str]:
        """The fields this section's assessment still lacks (an action, its owner and date are
        needed where the council does not fully comply)."""
        gaps = [k for k in ("complies", "evidence") if getattr(self, k) in (None, "")]
        if self.complies in ("partly", "no"):
            gaps += [k for k in ("action", "owner", "due") if getattr(self, k) in (None, "")]
        return gaps


class NationalAverages(_Strict):
    """The Ombudsman's national averages for the year (its annual review), as shares 0–1."""

    upheld_rate: float | None = Field(None, ge=0, le=1)
    compliance_rate: float | None = Field(None, ge=0, le=1)
    remedied_before_rate: float | None = Field(None, ge=0, le=1)


class ComplaintHandlingCode(_Strict):
    """The Complaint Handling Code section: the self-assessment and the national averages."""

    self_assessment: list[CodeAssessment] = Field(default_factory=list)
    national_averages: NationalAverages = Field(default_factory=NationalAverages)

    @field_validator("self_assessment")
    @classmethod
    def _one_each(cls, v: list[CodeAssessment]) -> list[CodeAssessment]:
        seen: set[str] = set()
        for a in v:
            if a.section in seen:
                raise ValueError(f"section {a.section!r} is assessed twice")
            seen.add(a.section)
        return v

    def gaps(self) -> list[str]:
        """What the self-assessment lacks, one line per Code section, in the Code's order."""
        if not self.self_assessment:
            return [f"there is none: none of the Code's {len(CODE_SECTIONS)} sections is assessed"]
        by_section = {a.section: a for a in self.self_assessment}
        out = []
        for i, name in enumerate(CODE_SECTIONS, start=1):
            a = by_section.get(name)
            if a is None:
                out.append(f"section {i} ({name}) is not assessed")
                continue
            if a.missing():
                out.append(f"section {i} ({name}) has no {', '.join(a.missing())}")
            if a.review:
                out.append(f"section {i} ({name}) is carried forward from last year: review it")
        return out


class RedactionSettings(_Strict):
    """Free-text redaction: names to redact that the name list lacks, terms never to redact."""

    extra_names: list[str] = Field(default_factory=list)
    keep_terms: list[str] = Field(default_factory=list)


class Revision(_Strict):
    """Why published figures changed since the last edition. Each revised figure takes the
    reason of the first entry whose ``area`` (a service area, or ``council``) and ``measure`` (a
    figure's name in figures.json, e.g. ``formal`` or ``Stage 1``) match it; either may be left
    out to match any. A revised figure no entry matches is listed as "data updated"."""

    reason: str = Field(min_length=1)
    area: str | None = None
    measure: str | None = None


class DisclosureSettings(_Strict):
    """Statistical disclosure control of the published tables, charts and sentences.

    With ``suppress_small_numbers`` on, a count from 1 to ``threshold`` (and any figure that would
    reveal one: a total, a share, a complement) is published as ``[c]``. figures.json is
    internal and never suppressed.
    """

    suppress_small_numbers: bool = True
    threshold: int = Field(5, ge=1, le=100)

    @property
    def active_threshold(self) -> int:
        """The threshold in force: 0 when suppression is off."""
        return self.threshold if self.suppress_small_numbers else 0


class StandingText(_Strict):
    """The council's standing text: the same every year unless the council edits it.

    Each is plain text: paragraphs separated by a blank line, and a paragraph whose lines all
    start with ``- `` is a bulleted list. An empty text leaves its part out of the report.
    ``defaults.yml`` holds wording from the published reports; a year's file may replace any.
    """

    advocacy: str | None = None
    dissemination: str | None = None
    information_sharing: str | None = None
    wellbeing_and_health: str | None = None
    climate: str | None = None
    other_implications: str | None = None
    risk: str | None = None
    equalities_impact: str | None = None
    background_papers: str | None = None


class ReportInfo(_Strict):
    """The cover page: who the report is for and what it asks of them."""

    title: str = "Children's services complaints: annual report"
    committee: str | None = None
    meeting_date: date | None = None
    portfolio_holder: str | None = None
    executive_director: str | None = None
    author: str | None = None
    author_title: str | None = None
    status: str = "Public"
    recommendation: str | None = None
    reason: str | None = None
    in_year_title: str = "Children's services complaints: year-to-date report"
    """The title of the in-year pack (``run FY --to Qn``), before its period's months."""
    word_reference: str | None = None
    """A Word document (.docx, relative to the repository root) whose styles the Word copies of
    the report take: the council's own template. None: the plain default."""


class Params(_Strict):
    """Every setting a run needs, resolved for one financial year."""

    financial_year: str
    council: str
    data: str = "data/demo"
    synthetic_data: bool = False
    children_directorate: str = "Children's Services"
    service_areas: list[str] = Field(
        default_factory=lambda: ["Children's Social Care", "Children's Non-Social Care"]
    )
    columns: dict[str, dict[str, str]] = Field(default_factory=dict)
    targets: Targets = Field(default_factory=Targets)
    theme_map: dict[str, str] = Field(default_factory=dict)
    # The council's theme categories (after theme_map); any other theme gets a data-quality
    # note in the report. Empty: no theme is called unknown.
    themes: list[str] = Field(default_factory=list)
    report: ReportInfo = Field(default_factory=ReportInfo)
    redaction: RedactionSettings = Field(default_factory=RedactionSettings)
    disclosure: DisclosureSettings = Field(default_factory=DisclosureSettings)
    complaint_handling_code: ComplaintHandlingCode = Field(default_factory=ComplaintHandlingCode)
    standing_text: StandingText = Field(default_factory=StandingText)
    # The analyst's own words for each section, keyed by section slug (see sections.py).
    commentary: dict[str, str | None] = Field(default_factory=dict)
    # Why figures changed since the last published edition (see run/editions.py).
    revisions: list[Revision] = Field(default_factory=list)
    # The in-year pack's own words, by quarter, then by section slug (the annual commentary is
    # the annual report's): {"Q2": {"quarterly-scorecards": "..."}}.
    in_year_commentary: dict[Literal["Q1", "Q2", "Q3", "Q4"], dict[str, str | None]] = Field(
        default_factory=dict
    )
    # The in-year pack's period, 1 April to the end of this quarter: set by `run FY --to Qn`,
    # never in a params file (None: the whole year, the annual report).
    to_quarter: Literal["Q1", "Q2", "Q3", "Q4"] | None = None

    @field_validator("commentary")
    @classmethod
    def _commentary_sections(cls, v: dict[str, str | None]) -> dict[str, str | None]:
        unknown = [k for k in v if k not in SLUGS]
        if unknown:
            raise ValueError(
                f"unknown section {unknown[0]!r} in commentary; sections are: {', '.join(SLUGS)}"
            )
        return v

    @field_validator("in_year_commentary")
    @classmethod
    def _in_year_sections(cls, v: dict) -> dict:
        for quarter, by_section in v.items():
            unknown = [k for k in by_section if k not in IN_YEAR_PACK]
            if unknown:
                raise ValueError(
                    f"{quarter}: section {unknown[0]!r} is not in the in-year pack; its sections "
                    f"are: {', '.join(IN_YEAR_PACK)}"
                )
        return v

    @field_validator("financial_year")
    @classmethod
    def _fy(cls, v: str) -> str:
        return FinancialYear.parse(v).label

    @functools.cached_property
    def fy(self) -> FinancialYear:
        """The year, or the in-year pack's period of it, parsed once (``financial_year`` is the
        year's canonical label)."""
        return FinancialYear.parse(self.financial_year).to(self.to_quarter)

    def section_commentary(self, slug: str) -> str | None:
        """A section's commentary: the annual report's, or the in-year pack's for its quarter."""
        if self.to_quarter:
            return (self.in_year_commentary.get(self.to_quarter) or {}).get(slug)
        return self.commentary.get(slug)

    @property
    def edition_name(self) -> str:
        """The name of the run's outputs folder: ``2023-24``, or ``2023-24-Q2`` for a pack."""
        return self.financial_year + (f"-{self.to_quarter}" if self.to_quarter else "")

    @property
    def data_dir(self) -> Path:
        return paths.resolve(self.data)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParamsError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ParamsError(f"{path}: is not valid YAML ({exc})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParamsError(f"{path}: expected a mapping of settings, found {type(data).__name__}")
    return data


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Deep merge: mappings merge key by key, anything else in ``over`` replaces ``base``."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _explain(exc: ValidationError, sources: str) -> str:
    lines = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden":
            lines.append(
                f"{sources}: unknown key '{loc}' (check its spelling; see params/README.md)"
            )
        else:
            lines.append(f"{sources}: '{loc}': {err['msg']}")
    return "\n".join(lines)


def year_params_path(financial_year: str | FinancialYear, params_dir: Path | None = None) -> Path:
    """Where the year's own params file lives: ``params/<FY>.yml``."""
    return (params_dir or paths.PARAMS_DIR) / f"{FinancialYear.parse(financial_year).label}.yml"


def load_params(
    financial_year: str | FinancialYear,
    params_dir: Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> Params:
    """Read ``defaults.yml`` and the year's own file (if any) and validate them together.

    Parameters
    ----------
    financial_year
        ``2023-24`` style label.
    params_dir
        Folder of params files; the repository's ``params/`` by default.
    overrides
        Settings that win over both files (e.g. ``{"data": "path"}`` from the command line).
    """
    fy = FinancialYear.parse(financial_year)
    pdir = params_dir or paths.PARAMS_DIR
    defaults_path = pdir / "defaults.yml"
    if not defaults_path.is_file():
        raise ParamsError(f"{defaults_path}: not found; the suite needs its council-wide settings")
    merged = _read_yaml(defaults_path)
    sources = str(defaults_path)
    year_path = year_params_path(fy, pdir)
    if year_path.is_file():
        year = _read_yaml(year_path)
        if "financial_year" in year:
            try:
                stated = FinancialYear.parse(str(year["financial_year"]))
            except ValueError as exc:
                raise ParamsError(f"{year_path}: 'financial_year': {exc}") from exc
            if stated != fy:
                raise ParamsError(
                    f"{year_path}: says financial_year {year['financial_year']!r} "
                    f"but is the file for {fy}"
                )
        merged = _merge(merged, year)
        sources = f"{defaults_path} + {year_path}"
    else:
        log.warning("no params file for %s (%s): using params/defaults.yml alone", fy, year_path)
    merged["financial_year"] = fy.label
    if "to_quarter" in merged:
        raise ParamsError(
            f"{sources}: 'to_quarter' is not a setting: the in-year pack's period is chosen on "
            "the command line (complaints-report run FY --to Q2)"
        )
    if overrides:
        merged = _merge(merged, {k: v for k, v in overrides.items() if v is not None})
    quarter = merged.get("to_quarter")
    if quarter:
        # The pack is titled by its period: "... year-to-date report, April to September 2023".
        report = dict(merged.get("report") or {})
        words = report.get("in_year_title") or ReportInfo.model_fields["in_year_title"].default
        try:
            period = FinancialYear.parse(merged.get("financial_year", "")).to(quarter)
        except ValueError:
            period = None  # validation says what is wrong
        if period is not None:
            report["title"] = (
                f"{words}, {period.months if period.is_period else period.slash_label}"
            )
            # The annual report's meeting and recommendation are not the pack's.
            for key in ("meeting_date", "recommendation", "reason"):
                report[key] = None
            merged["report"] = report
    try:
        return Params.model_validate(merged)
    except ValidationError as exc:
        raise ParamsError(_explain(exc, sources)) from exc


TO_FILL_IN = "TO FILL IN"


def new_year(
    financial_year: str | FinancialYear, params_dir: Path | None = None, force: bool = False
) -> Path:
    """Create ``params/<FY>.yml`` from the previous year's file, with the commentary to fill in.

    The report details (committee, author, recommendation…) are carried over, but not a
    ``disclosure`` setting (the new year follows defaults.yml); the meeting date
    and every section's commentary are emptied and marked ``TO FILL IN`` so that a run warns
    until they are written. The Complaint Handling Code self-assessment is carried forward with
    every section marked ``review: true`` (a run warns until each is reviewed and the mark
    removed); last year's national averages are dropped. Returns the new file's path.
    """
    fy = FinancialYear.parse(financial_year)
    pdir = params_dir or paths.PARAMS_DIR
    target = year_params_path(fy, pdir)
    if target.exists() and not force:
        raise ParamsError(f"{target}: already exists; edit it, or pass --force to start it again")
    previous = year_params_path(fy.previous(), pdir)
    base = _read_yaml(previous) if previous.is_file() else {}
    base.pop("financial_year", None)
    # Disclosure control is the council's decision (defaults.yml). A year that switched it off
    # for a reason of its own (the demo years, to compare with published reports) must not
    # silently pass that on to the next year's real data.
    base.pop("disclosure", None)
    # Reasons for revising last year's figures are last year's.
    base.pop("revisions", None)
    report = dict(base.get("report") or {})
    report["meeting_date"] = None
    for key in ("recommendation",):
        if isinstance(report.get(key), str):
            report[key] = report[key].replace(fy.previous().slash_label, fy.slash_label)
    base["report"] = report
    # The Code self-assessment carries forward, each section marked to review (a run warns until
    # the mark is taken off); the national averages are the Ombudsman's for one year only.
    code = dict(base.get("complaint_handling_code") or {})
    code.pop("national_averages", None)
    code["self_assessment"] = [
        {**entry, "review": True}
        for entry in code.get("self_assessment") or []
        if isinstance(entry, dict)
    ]
    base["complaint_handling_code"] = code
    base["commentary"] = {
        s.slug: f"{TO_FILL_IN}: the analyst's commentary on {s.title.lower()}." for s in SECTIONS
    }
    header = (
        f"# Params for the {fy.label} report, made by `complaints-report new-year {fy.label}`"
        f" from {previous.name if previous.is_file() else 'defaults.yml alone'}.\n"
        f"# Fill in every '{TO_FILL_IN}' and the meeting date; settings not set here come from defaults.yml.\n"
        f"financial_year: {fy.label}\n"
    )
    text = header + yaml.safe_dump(base, sort_keys=False, allow_unicode=True, width=100)
    pdir.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    load_params(fy, pdir)  # the new file must be valid as written
    return target
