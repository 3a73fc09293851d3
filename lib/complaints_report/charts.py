"""The house style for charts: colour-blind-safe, readable at A4 width, always with alt text."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # notebooks and the run draw off-screen; the publisher embeds the PNGs

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

from .display import CHART_DIR  # noqa: E402
from .tables import SUPPRESSED  # noqa: E402

# Okabe–Ito, distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
HATCHES = ("", "//", "..", "xx", "\\\\", "++")  # a second cue, so meaning never rests on colour
A4_TEXT_WIDTH_IN = 6.3
DPI = 200


def style() -> None:
    """Apply the house style to matplotlib (idempotent)."""
    sns.set_theme(context="paper", style="whitegrid", palette=list(PALETTE), font_scale=1.15)
    plt.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": DPI,
            "axes.titleweight": "bold",
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )


@dataclass
class Chart:
    """A rendered chart: PNG bytes, alt text that states what it shows, and a caption."""

    name: str
    png: bytes
    alt: str
    caption: str

    def to_html(self) -> str:
        import html

        data = base64.b64encode(self.png).decode("ascii")
        return (
            f'<figure class="chart" id="chart-{html.escape(self.name)}">'
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.alt, quote=True)}">'
            f"<figcaption>{html.escape(self.caption)}</figcaption></figure>"
        )

    def to_markdown(self) -> str:
        """The chart as a Quarto figure: its PNG (``charts/<name>.png`` beside the page, where
        the publisher puts it), caption, alt text and A4 text width (Quarto's PDF)."""
        from .display import md_attribute, md_escape

        return (
            f"![{md_escape(self.caption)}]({CHART_DIR}/{self.name}.png)"
            f"{{#fig-{self.name} fig-alt={md_attribute(self.alt)} width=100%}}"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        """HTML for the website and JupyterLab, Markdown for Quarto's PDF, and plain text that
        says what the chart shows (never its bytes)."""
        from .display import Shown

        return Shown(
            plain=f"Chart: {self.caption} {self.alt}",
            markdown=self.to_markdown(),
            html=self.to_html(),
        )._repr_mimebundle_(include, exclude)


def _finish(fig, name: str, alt: str, caption: str) -> Chart:
    if not alt.strip():
        raise ValueError(f"chart {name!r} needs alt text that states what it shows")
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return Chart(name, buf.getvalue(), alt, caption)


def _hidden(v: object) -> bool:
    """A value disclosure control hides (``[c]``): no bar or point is drawn for it."""
    return isinstance(v, str) and v == SUPPRESSED


def grouped_bars(
    name: str,
    categories: Sequence[str],
    series: dict[str, Sequence[float | str | None]],
    *,
    title: str,
    ylabel: str,
    alt: str,
    caption: str,
    percent: bool = False,
    horizontal: bool = False,
) -> Chart:
    """Bars for each category, one colour and hatch per series, values labelled on the bars.

    A value hidden by disclosure control (``"[c]"``) gets no bar and the label ``[c]``.
    """
    style()
    n = len(series)
    height = max(2.8, 0.35 * len(categories) * max(1, n) + 1) if horizontal else 3.4
    fig, ax = plt.subplots(figsize=(A4_TEXT_WIDTH_IN, height))
    width = 0.8 / max(1, n)
    positions = range(len(categories))
    for i, (label, values) in enumerate(series.items()):
        offs = [p - 0.4 + width * (i + 0.5) for p in positions]
        vals = [0 if v is None or _hidden(v) else (100 * v if percent else v) for v in values]
        draw = ax.barh if horizontal else ax.bar
        bars = draw(
            offs,
            vals,
            width,
            label=label,
            color=PALETTE[i % len(PALETTE)],
            hatch=HATCHES[i % len(HATCHES)],
            edgecolor="white",
        )
        ax.bar_label(
            bars,
            labels=[
                SUPPRESSED if _hidden(raw) else f"{v:.0f}%" if percent else f"{v:,.0f}"
                for raw, v in zip(values, vals, strict=True)
            ],
            padding=2,
            fontsize=8,
        )
    if horizontal:
        ax.set_yticks(list(positions), categories)
        ax.invert_yaxis()
        ax.set_xlabel(ylabel)
    else:
        ax.set_xticks(list(positions), categories)
        ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left")
    if n > 1:
        ax.legend(frameon=False, ncols=min(n, 3), loc="upper left", bbox_to_anchor=(0, -0.12))
    return _finish(fig, name, alt, caption)


def lines(
    name: str,
    x: Sequence[str],
    series: dict[str, Sequence[float | str | None]],
    *,
    title: str,
    ylabel: str,
    alt: str,
    caption: str,
    percent: bool = False,
) -> Chart:
    """One line per series with distinct markers, for trends over quarters or years.

    A value hidden by disclosure control (``"[c]"``) is a gap in the line, marked ``[c]``.
    """
    style()
    markers = ("o", "s", "^", "D", "v", "P")
    fig, ax = plt.subplots(figsize=(A4_TEXT_WIDTH_IN, 3.2))
    # Positions, not category names: a year whose only value is hidden keeps its place.
    positions = list(range(len(x)))
    for i, (label, values) in enumerate(series.items()):
        vals = [None if v is None or _hidden(v) else (100 * v if percent else v) for v in values]
        ax.plot(
            positions,
            vals,
            marker=markers[i % len(markers)],
            color=PALETTE[i % len(PALETTE)],
            label=label,
            linewidth=2,
        )
        for xi, v in zip(positions, values, strict=True):
            if _hidden(v):
                ax.annotate(
                    SUPPRESSED,
                    (xi, 0),
                    xytext=(0, 4),
                    textcoords="offset points",
                    ha="center",
                    fontsize=8,
                )
    ax.set_xticks(positions, list(x))
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left")
    if percent:
        ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter())
    ax.set_ylim(bottom=0)
    if len(series) > 1:
        ax.legend(frameon=False)
    return _finish(fig, name, alt, caption)
