"""Redact personal data from staff-written free text before it is published.

Free-text columns (learning, action, summary, recommendations, remedy_note) are written by
staff and sometimes name people. :class:`Redactor` replaces each piece of personal data with a
bracketed label:

==================  ===================================================================
``[name]``          first names from a maintained list, "Title Surname" ("Mrs Smith",
                    "Dr Jones", "Mrs J. Smith"), names after "called", "named", "son",
                    "daughter", "child" and other kin words
``[email]``         e-mail addresses
``[phone]``         UK phone numbers found by ``phonenumbers.PhoneNumberMatcher(text, "GB")``
``[postcode]``      UK postcodes ("DT1 1XJ", "dt11xj")
``[NI number]``     National Insurance numbers ("QQ 12 34 56 C")
``[date of birth]`` the date after "DOB", "date of birth", "born (on|in)"
``[address]``       street addresses ("12 Acacia Avenue", "Flat 3, 4 High Street")
==================  ===================================================================

First names come from the `Faker <https://pypi.org/project/Faker/>`_ package's person
providers for English-speaking locales (en_GB, en_IE, en_NZ, en_US, en_IN; about 1,800 names,
loaded in well under a second): Faker is MIT-licensed, released monthly and among the most
used packages on PyPI, and its en_GB/en_NZ lists carry the names British children actually
have ("Keira", "Tyler", "Jayden"). A short supplement adds common UK names it lacks.
(``gender-guesser`` was rejected: GPL-3.0 against this project's MIT licence, last released
2016 with 2008 data and no "Tyler"/"Theo"; ``names-dataset`` loads hundreds of MB.)

Decisions
---------
* Names that are also English words, months, weekdays, places or religions ("Will", "May",
  "Grace", "Mark", "Devon", "Christian", ...; :data:`AMBIGUOUS_NAMES`) are not redacted on
  their own. They are redacted when followed by a surname-like capitalised word ("Grace
  Smith"), in the possessive ("Grace's carer") or after a cue word ("daughter Grace",
  "a child called Hope"). Months and weekdays are redacted only after a cue word, so
  "May's panel" stays.
* The Ombudsman's anonymised forms, a title and a single capital letter ("Mrs X", "Mr Y's",
  "Miss B"), are kept.
* Postcodes are matched in either case and with or without the space ("DT1 1XJ", "dt11xj"),
  but not in mixed case ("Y10 2nd"), so school years and ordinals survive.
* Only the date is replaced in a date of birth: "born on [date of birth]".
* Phone numbers are matched leniently (so Ofcom's drama numbers such as 07700 900123 count)
  but only when written as a UK number: 10+ digits beginning 0, +44 or (0.

Known limits: names in lower case or capitals ("keira", "KEIRA"), names absent from the list
and not after a cue or title, surnames on their own ("Smith said"), and addresses without a
street-type word ("12 The Laurels") are not found; add names through ``extra_names``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

import pandas as pd
import phonenumbers
from phonenumbers import Leniency

__all__ = [
    "AMBIGUOUS_NAMES",
    "DEFAULT_KEEP_TERMS",
    "FREE_TEXT_COLUMNS",
    "LABELS",
    "Redaction",
    "Redactor",
    "first_names",
]

FREE_TEXT_COLUMNS = ("learning", "action", "summary", "recommendations", "remedy_note")

LABELS = ("name", "email", "phone", "postcode", "NI number", "date of birth", "address")

_FAKER_LOCALES = ("en_GB", "en_IE", "en_NZ", "en_US", "en_IN")
# Common UK first names missing from Faker's lists.
_SUPPLEMENT = (
    "Alfie Albie Aisha Ayesha Fatima Kian Lexi Lottie Maisie Mohammad Mohammed Muhammad "
    "Nevaeh Oakley Reggie Ronnie Tommy Zak Zakaria"
).split()

MONTHS = (
    "January February March April May June July August September October November December"
).split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()

# First names that are also English words, places, seasons, festivals or religions: not
# redacted alone (see the module docstring).
AMBIGUOUS_NAMES = frozenset(
    (
        "Abbey Amber Angel Archer Aria Autumn Beau Bill Bonnie Brandy Cal Carol Chad Chase "
        "Cooper Crystal Dale Dawn Destiny Diamond Don Drew Earl Eta Eve Faith Forum Frank Gene "
        "Glen Grace Grant Guy Harmony Harsh Holly Hope Hunter Jack Joy Lance Lucky Mark Max "
        "Melody Misty Noel Om Pat Penny Phoenix Pierce Piper Poppy Randy Raven Ray Robin Roman "
        "Rose Rosemary Sandy Savannah Sierra Sue Summer Tanner Trinity Victor Violet Will "
        "Willow Winter Spring Sky Skye Storm River Star Sunny Honey Blossom Faith Justice "
        "Chance Foster Christian Chesil Purbeck Dorset Devon Kent Lincoln Austin Paris Georgia "
        "India Jordan Sydney Chelsea Brooklyn Dakota Florence Kingston Stanley Preston Shelby "
        "Christmas Easter"
    ).split()
    + MONTHS
    + WEEKDAYS
)
_CALENDAR = frozenset(MONTHS + WEEKDAYS + ["Christmas", "Easter"])

DEFAULT_KEEP_TERMS = (
    "Chesil",
    "Section 17",
    "Section 19",
    "Section 20",
    "Section 47",
    "Action for Children",
    "Children's Services",
    "CWAD",
    "Dorset",
    "Purbeck",
    "Early Help",
    "Team Manager",
    "Social Worker",
    "Barnardo's",
)

# Capitalised words that are not surnames: they stop "Grace Smith"-style joining and are never
# taken as the name after a cue word or title.
_NOT_SURNAME = frozenset(
    (
        "The A An And Or But Of In On At To For With By From As If So Not No Yes This That "
        "These Those It He She They We I You His Her Their Our Its Mr Mrs Ms Miss Mx Dr Prof "
        "Council Councils County Children Child Services Service Social Care Worker Workers "
        "Team Teams Manager Managers Officer Officers Director Head Lead Early Help Education "
        "Act Section Plan Plans Panel Court School Schools Family Families Health Board "
        "Partnership Centre Unit Trust Authority Local Ombudsman Independent Person Stage "
        "Review Protection Need Needs Looked After Year Leaving Young People Special Youth "
        "Advocate Advocacy Complaints Complaint Government Department Parent Parents Carer "
        "Carers Foster Fostering Adoption Residential Home Homes Support Safeguarding Tribunal "
        "Agency Police Hospital Doctor Nurse Judge Street Road Avenue Lane"
    ).split()
)

_TITLES = r"(?:Mrs|Mr|Ms|Miss|Mx|Dr|Prof)"
_SURNAME = r"(?:Ma?c|O['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z'’]+)*"
_CUE_WORDS = frozenset(
    "called named son daughter child brother sister sibling siblings stepson stepdaughter "
    "grandson granddaughter nephew niece baby boy girl twin".split()
)
_OPEN_CUES = frozenset({"called", "named"})


class Redaction(NamedTuple):
    """One piece of personal data found in a text: ``text[start:end]`` becomes ``[label]``."""

    start: int
    end: int
    label: str  # "name", "email", "phone", "postcode", "NI number", "date of birth", "address"


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """First names from Faker's English-locale person providers, plus a short supplement."""
    names: set[str] = set(_SUPPLEMENT)
    for locale in _FAKER_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in ("first_names_male", "first_names_female", "first_names_nonbinary"):
            names.update(getattr(provider, attr, None) or ())
        names.update(getattr(provider, "first_names", None) or ())
    return frozenset(n for n in names if re.fullmatch(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)*", n))


# --- patterns -------------------------------------------------------------------------------

_EMAIL = re.compile(r"\b[\w.%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_NI = re.compile(r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.IGNORECASE)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}})"
)
_DOB = re.compile(
    r"(?:\bD\.?O\.?B\b\.?|\bdate\s+of\s+birth\b|\bbirth\s*date\b|\bborn(?:\s+on|\s+in)?\b)"
    rf"\s*(?:is\s+|was\s+|[:\-–]\s*)?({_DATE})(?!\d)",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})\b", re.IGNORECASE)
_STREET_TYPES = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Way|Court|Crescent|Place|Gardens|"
    r"Grove|Terrace|Hill|Park|Row|Square|Mews|Walk|Rise|Parade|Green|Gate|View|Meadows?|"
    r"Fields|Orchard|Vale|Estate|Boulevard|Heights)"
)
_HOUSE_NO = r"(?!(?:19|20)\d\d\b)\d{1,4}[A-Za-z]?"
_FLAT = r"(?:Flat|Apartment|Apt|Unit|Room)\.?\s+\d{1,4}[A-Za-z]?,?\s+"
_ADDRESS = re.compile(
    rf"\b(?:{_FLAT}(?:{_HOUSE_NO},?\s+)?|{_HOUSE_NO},?\s+)"
    rf"(?:(?:St\.?\s+)?[A-Z][a-z]+(?:['’]s)?(?:-[A-Z][a-z]+)?\s+){{1,3}}{_STREET_TYPES}\b"
)
_TITLE_NAME = re.compile(rf"\b{_TITLES}\b\.?\s+((?:[A-Z]\.?\s+){{0,2}})({_SURNAME})(?![\w-])")
_CAP_WORD = re.compile(r"(?<![\w'’-])[A-Z][a-z]+(?:-[A-Z][a-z]+)*(?![\w-])")
_FOLLOWING = re.compile(rf"\s+({_SURNAME})(?![\w-])")
_PREV_WORD = re.compile(r"([A-Za-z]+)[,:]?\s+$")
_DIGITS = re.compile(r"\d")


def _overlaps(spans: list[Redaction], start: int, end: int) -> bool:
    return any(s.start < end and start < s.end for s in spans)


class Redactor:
    """Find and replace personal data in free text.

    ``extra_names``: names to redact wherever they appear capitalised (single or multi-word,
    e.g. a family's surname); they override :data:`AMBIGUOUS_NAMES`.
    ``keep_terms``: words or phrases never redacted as a name, added to
    :data:`DEFAULT_KEEP_TERMS` (team, service and place names).
    """

    def __init__(self, extra_names: Iterable[str] = (), keep_terms: Iterable[str] = ()):
        self.extra_names = tuple(n.strip() for n in extra_names if n and n.strip())
        self.keep_terms = tuple(DEFAULT_KEEP_TERMS) + tuple(
            t.strip() for t in keep_terms if t and t.strip()
        )
        keep_words = {w for t in self.keep_terms for w in re.findall(r"[A-Za-z][\w'’-]*", t)}
        extra_single = {n for n in self.extra_names if " " not in n}
        self._keep_words = frozenset(keep_words) - extra_single
        self._names = (first_names() | extra_single) - self._keep_words
        self._ambiguous = (AMBIGUOUS_NAMES - extra_single) | self._keep_words
        self._not_surname = _NOT_SURNAME | self._keep_words | _CALENDAR
        self._keep_re = re.compile(
            r"(?<![\w])(?:"
            + "|".join(re.escape(t) for t in sorted(self.keep_terms, key=len, reverse=True))
            + r")(?![\w])"
        )
        self._extra_re = (
            re.compile(
                r"(?<![\w'’-])(?:"
                + "|".join(re.escape(n) for n in sorted(self.extra_names, key=len, reverse=True))
                + r")(?![\w-])"
            )
            if self.extra_names
            else None
        )

    # -- finding -------------------------------------------------------------------------

    def find(self, text: str) -> list[Redaction]:
        """Every piece of personal data in ``text``, in text order, without overlaps."""
        if not isinstance(text, str) or not text:
            return []
        spans: list[Redaction] = []

        def add(start: int, end: int, label: str) -> None:
            if start < end and not _overlaps(spans, start, end):
                spans.append(Redaction(start, end, label))

        for m in _EMAIL.finditer(text):
            add(m.start(), m.end(), "email")
        for m in _NI.finditer(text):
            add(m.start(), m.end(), "NI number")
        for m in _DOB.finditer(text):
            add(m.start(1), m.end(1), "date of birth")
        for m in _POSTCODE.finditer(text):
            if self._is_postcode(m):
                add(m.start(), m.end(), "postcode")
        if len(_DIGITS.findall(text)) >= 10:
            for m in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=Leniency.POSSIBLE):
                if self._is_phone(m.raw_string):
                    start, raw = m.start, m.raw_string
                    # A number in brackets, "(07700 900456)", may match with its opening
                    # bracket but not its closing one; keep the brackets out, so that the
                    # text reads "([phone])".
                    if raw.startswith("(") and ")" not in raw:
                        start += 1
                    add(start, m.end, "phone")
        for m in _ADDRESS.finditer(text):
            add(m.start(), m.end(), "address")
        self._find_names(text, add)
        return sorted(spans)

    @staticmethod
    def _is_postcode(m: re.Match) -> bool:
        letters = re.sub(r"[^A-Za-z]", "", m.group(0))
        if not (letters.isupper() or letters.islower()):
            return False
        return not (letters.islower() and m.group(2)[1:] in ("st", "nd", "rd", "th"))

    @staticmethod
    def _is_phone(raw: str) -> bool:
        digits = re.sub(r"\D", "", raw)
        stripped = raw.lstrip()
        if stripped.startswith("+"):
            return digits.startswith("44") and len(digits) >= 11
        if stripped.startswith("00"):
            return digits.startswith("0044") and len(digits) >= 13
        return stripped[:1] in ("0", "(") and len(digits) >= 10

    def _find_names(self, text: str, add) -> None:
        keep = [(m.start(), m.end()) for m in self._keep_re.finditer(text)]

        def kept(start: int, end: int) -> bool:
            return any(s < end and start < e for s, e in keep)

        if self._extra_re is not None:
            for m in self._extra_re.finditer(text):
                add(m.start(), m.end(), "name")

        for m in _TITLE_NAME.finditer(text):
            surname = m.group(2)
            if surname in self._not_surname or kept(m.start(2), m.end(2)):
                continue
            add(m.start(), m.end(2), "name")

        for m in _CAP_WORD.finditer(text):
            word, start, end = m.group(0), m.start(), m.end()
            if kept(start, end):
                continue
            prev = _PREV_WORD.search(text, max(0, start - 30), start)
            cue = prev.group(1).lower() if prev else ""
            after_cue = cue in _CUE_WORDS
            possessive = text[end : end + 2] in ("'s", "’s")
            follow = _FOLLOWING.match(text, end)
            surname_follows = bool(
                follow
                and follow.group(1) not in self._not_surname
                and not kept(follow.start(1), follow.end(1))
            )
            parts = word.split("-")
            if (
                word in self._names
                and word not in self._ambiguous
                or (
                    len(parts) > 1
                    and any(p in self._names and p not in self._ambiguous for p in parts)
                )
            ):
                hit = True
            elif word in self._names or word in self._ambiguous:
                if word in _CALENDAR or word in self._keep_words:
                    hit = after_cue and word not in self._keep_words
                else:
                    hit = after_cue or possessive or surname_follows
            else:  # not a known first name: only straight after "called", "son" etc.
                hit = (after_cue and word not in self._not_surname) and (
                    cue in _OPEN_CUES or not _is_sentence_start(text, start)
                )
            if hit:
                stop = follow.end(1) if surname_follows and follow is not None else end
                add(start, stop, "name")

    # -- replacing -----------------------------------------------------------------------

    def redact(self, text: str) -> tuple[str, list[str]]:
        """``text`` with each piece of personal data replaced by its bracketed label, and the
        labels in text order. Non-strings (None, NaN) come back unchanged with no labels."""
        spans = self.find(text)
        if not spans:
            return text, []
        out, pos = [], 0
        for s in spans:
            out.append(text[pos : s.start])
            out.append(f"[{s.label}]")
            pos = s.end
        out.append(text[pos:])
        return "".join(out), [s.label for s in spans]

    def redact_frame(
        self,
        frame: pd.DataFrame,
        columns: Sequence[str] | None = None,
        table: str = "",
    ) -> tuple[pd.DataFrame, list[dict]]:
        """A redacted copy of ``frame`` and a log of what was redacted.

        ``columns`` defaults to the :data:`FREE_TEXT_COLUMNS` present in the frame. Each log
        entry is ``{"table", "row", "column", "label"}`` (``row`` is the frame's index label);
        the log never holds the text itself. Each distinct text is redacted once.
        """
        if columns is None:
            columns = [c for c in FREE_TEXT_COLUMNS if c in frame.columns]
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise KeyError(f"columns not in the frame: {missing}")
        out = frame.copy()
        log: list[dict] = []
        for column in columns:
            values = frame[column].to_numpy(dtype=object)
            results = {v: self.redact(v) for v in {v for v in values if isinstance(v, str)}}
            if not results:
                continue
            out[column] = pd.Series(
                [results[v][0] if isinstance(v, str) else v for v in values],
                index=frame.index,
                dtype=object,
            )
            for row, value in zip(frame.index, values, strict=True):
                if isinstance(value, str):
                    for label in results[value][1]:
                        log.append(
                            {"table": table, "row": _plain(row), "column": column, "label": label}
                        )
        return out, log


def _is_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?\n"


def _plain(value):
    """A numpy scalar as its Python equivalent, so the log serialises to JSON."""
    return value.item() if hasattr(value, "item") else value
