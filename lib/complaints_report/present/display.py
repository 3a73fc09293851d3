"""What a section notebook displays: one bundle of representations for every output format.

Each displayed thing offers HTML (the website, JupyterLab, the offline publisher), Markdown (what
Quarto uses for its Typst PDF, which cannot use HTML) and readable plain text (never an object's
repr). Quarto picks, per format, the richest representation that format can use; nbconvert and
JupyterLab prefer HTML.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

from . import stated

HTML = "text/html"
MARKDOWN = "text/markdown"
PLAIN = "text/plain"
TYPST = "text/x-typst"
"""Typst markup for Quarto's Typst PDF, offered beside the Markdown by outputs that Quarto is
slow to convert (tables). Quarto itself ignores this type; the publisher puts it in the PDF's
copy of the notebook as a raw Typst block in place of the Markdown (see ``publish.py``)."""

CSV_DIR = "tables"
"""Where a published page finds each table's CSV: ``tables/<name>.csv`` beside the page."""
CHART_DIR = "charts"
"""Where a published page finds each chart's PNG: ``charts/<name>.png`` beside the page."""

# Pandoc's Markdown lets a backslash escape any ASCII punctuation, so escaping all of it keeps
# free text (a "$" that would start maths, a "*", a "[c]", a "|" in a table) literal.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def md_escape(text: Any) -> str:
    """``text`` as literal Markdown inline text: punctuation escaped, line breaks as spaces."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def _quoted(text: Any) -> str:
    """``text`` on one line, double-quoted, with backslashes and double quotes escaped."""
    return '"' + " ".join(str(text).split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def md_attribute(text: Any) -> str:
    """``text`` as a double-quoted Pandoc attribute value."""
    return _quoted(text)


def typst_text(text: Any) -> str:
    """``text`` as a Typst string literal: literal text wherever Typst shows it, its line breaks
    as spaces (as :func:`md_escape` makes them). Typst strings know the same two escapes."""
    return _quoted(text)


@dataclass(frozen=True)
class Shown:
    """One displayed output: its HTML, its Markdown and its plain text.

    ``html`` may be None for something Markdown says as well as HTML would (a sentence, a
    heading): then every format, the website included, uses the Markdown. ``typst``, when
    given, is what Quarto's Typst PDF shows instead of the Markdown (see :data:`TYPST`).
    """

    plain: str
    markdown: str | None = None
    html: str | None = None
    typst: str | None = None

    def __post_init__(self) -> None:
        if self.markdown is None and self.html is None:
            raise ValueError("a displayed output needs Markdown or HTML")

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {PLAIN: self.plain}
        if self.markdown is not None:
            data[MARKDOWN] = self.markdown
        if self.html is not None:
            data[HTML] = self.html
        if self.typst is not None:
            data[TYPST] = self.typst
        return data

    def __repr__(self) -> str:
        return self.plain


def stated_figures(records: list[dict[str, str]]) -> str:
    """The machine-readable record of the figures a generated sentence states (see
    ``stated.py``): an empty ``<span class="stated">`` that no reader sees or hears; nothing
    where sentences are not recorded (outside a notebook's kernel)."""
    if not stated.recording():
        return ""
    figures = html.escape(json.dumps(records, ensure_ascii=False), quote=True)
    return f'<span class="stated" data-figures="{figures}"></span>'


def paragraph(text: str) -> Shown:
    """A paragraph of generated Markdown (sentences built from the figures), with the record of
    the figures it states (:func:`stated_figures`)."""
    clean, records = stated.extract(text)
    return Shown(plain=clean, markdown=clean + stated_figures(records))


def bullet_list(items: list[str]) -> Shown:
    """A list of generated sentences, each with the record of the figures it states."""
    lines = [stated.extract(item) for item in items]
    return Shown(
        plain="\n".join(f"- {clean}" for clean, _ in lines),
        markdown="\n".join(f"- {clean}{stated_figures(records)}" for clean, records in lines),
    )


def heading(text: str, level: int) -> Shown:
    """A sub-heading, in Markdown so that every publisher makes it a real section heading
    (Quarto lists it in the page's contents and the PDF's outline)."""
    text = stated.strip(text)
    return Shown(plain=text, markdown=f"{'#' * level} {md_escape(text)}")


def boxed(paras: list[str], *, css_class: str, label: str) -> Shown:
    """A labelled box of paragraphs (the analyst's commentary).

    HTML: ``<div class=… role="note" aria-label=…>`` for the website, in the text column at body
    size: it is the council's own voice (Quarto would move an ``<aside>`` into the margin). Markdown: a Quarto callout titled ``label``
    for the PDF, which readers see as a framed note. Typst: that callout as Quarto writes it
    for the Typst PDF (its ``callout`` function, a note's colours, no icon), its text as Typst
    strings, so that a PDF whose only change is a commentary can be compiled again from the
    last render's Typst (see ``publish.py``).
    """
    body_html = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    body_md = "\n\n".join(md_escape(p) for p in paras)
    body_typst = "".join(f"#{typst_text(p)}\n\n" for p in paras)
    return Shown(
        plain=f"{label}: " + "\n\n".join(paras),
        markdown=(
            f'::: {{.callout-note .{css_class} appearance="simple" icon=false '
            f"title={md_attribute(label)}}}\n{body_md}\n:::"
        ),
        html=(
            f'<div class="{css_class}" role="note" aria-label="{html.escape(label, quote=True)}">'
            f"{body_html}</div>"
        ),
        typst=(
            f"#callout(\nbody: \n[\n{body_typst}]\n, \ntitle: \n[\n#{typst_text(label)}\n]\n, \n"
            'background_color: \nrgb("#dae6fb")\n, \nicon_color: \nrgb("#0758E5")\n, \n'
            "icon: \nnone\n, \nbody_background_color: \nwhite\n)"
        ),
    )


SYNTHETIC_NOTICE = (
    "The records behind this report are synthetic: invented for a fictional council and "
    "calibrated so that its figures match those of published reports. No real person is described."
)


def notice_html() -> str:
    """The synthetic-data notice as the website shows it."""
    return f'<p class="notice"><strong>Synthetic data.</strong> {html.escape(SYNTHETIC_NOTICE)}</p>'


def notice_display() -> Shown:
    """The synthetic-data notice as a notebook shows it: HTML, Markdown for the PDF, text."""
    return Shown(
        plain=f"Synthetic data. {SYNTHETIC_NOTICE}",
        markdown=f"**Synthetic data.** {md_escape(SYNTHETIC_NOTICE)}",
        html=notice_html(),
    )
