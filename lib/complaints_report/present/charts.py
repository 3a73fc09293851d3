"""The house style for charts: colour-blind-safe, readable at A4 width and on a phone, always
with alt text."""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # notebooks and the run draw off-screen; the publisher embeds the PNGs

import html

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

from . import stated
from .cells import SUPPRESSED
from .display import CHART_DIR, Shown, md_attribute, md_escape

# Okabe–Ito, distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
HATCHES = ("", "//", "..", "xx", "\\\\", "++")  # a second cue, so meaning never rests on colour
A4_TEXT_WIDTH_IN = 6.3
DPI = 200
PHONE_WIDTH_IN = 3.2
"""The width a chart is drawn at for screens up to :data:`PHONE_MEDIA` wide. A phone of 360 CSS
px shows it about 330 px wide: 10 pt text drawn on 3.2 inches comes out at about 14 CSS px."""
PHONE_TEXT_PT = 10.0
"""The smallest text of a phone chart, in points."""
PHONE_MEDIA = "(max-width: 600px)"
"""The screens that get the phone drawing of a chart."""
_PHONE_LABEL_CHARS = 16  # a category name wraps at this many characters on a phone
_PHONE_TITLE_CHARS = 28  # and a title at this many


def style(phone: bool = False) -> None:
    """Apply the house style to matplotlib (idempotent); ``phone`` sets every text to at least
    :data:`PHONE_TEXT_PT` points."""
    sns.set_theme(context="paper", style="whitegrid", palette=list(PALETTE), font_scale=1.15)
    plt.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": DPI,
            "axes.titleweight": "bold",
            "axes.titlepad": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    if phone:
        size = PHONE_TEXT_PT
        plt.rcParams.update(
            {
                "font.size": size,
                "axes.labelsize": size,
                "axes.titlesize": size + 1,
                "xtick.labelsize": size,
                "ytick.labelsize": size,
                "legend.fontsize": size,
                "legend.title_fontsize": size,
            }
        )


@dataclass
class Chart:
    """A rendered chart: PNG bytes (A4 width, and ``phone_png`` drawn for a phone's width), alt
    text that states what it shows, and a caption. ``text_px`` and ``phone_text_px`` are the
    height of each PNG's smallest text in its own pixels (font size in points x DPI / 72)."""

    name: str
    png: bytes
    alt: str
    caption: str
    phone_png: bytes | None = None
    text_px: float | None = None
    phone_text_px: float | None = None

    def to_html(self) -> str:
        """A figure whose picture is the phone drawing on narrow screens and the A4 one
        elsewhere; the alt text stays on the ``<img>``, where every browser reads it."""

        def uri(png: bytes) -> str:
            return "data:image/png;base64," + base64.b64encode(png).decode("ascii")

        def px(value: float | None) -> str:
            return f' data-text-px="{value:.1f}"' if value is not None else ""

        img = (
            f'<img src="{uri(self.png)}" alt="{html.escape(self.alt, quote=True)}"'
            f"{px(self.text_px)}>"
        )
        if self.phone_png is not None:
            img = (
                f'<picture><source media="{PHONE_MEDIA}" srcset="{uri(self.phone_png)}"'
                f"{px(self.phone_text_px)}>{img}</picture>"
            )
        return (
            f'<figure class="chart" id="chart-{html.escape(self.name)}">{img}'
            f"<figcaption>{html.escape(self.caption)}</figcaption></figure>"
        )

    def to_markdown(self) -> str:
        """The chart as a Quarto figure: its PNG (``charts/<name>.png`` beside the page, where
        the publisher puts it), caption, alt text and A4 text width (Quarto's PDF)."""
        return (
            f"![{md_escape(self.caption)}]({CHART_DIR}/{self.name}.png)"
            f"{{#fig-{self.name} fig-alt={md_attribute(self.alt)} width=100%}}"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        """HTML for the website and JupyterLab, Markdown for Quarto's PDF, and plain text that
        says what the chart shows (never its bytes)."""
        return Shown(
            plain=f"Chart: {self.caption} {self.alt}",
            markdown=self.to_markdown(),
            html=self.to_html(),
        )._repr_mimebundle_(include, exclude)


def _smallest_text_px(fig) -> float:
    """The height in PNG pixels of the smallest text the figure shows."""
    sizes = [
        t.get_fontsize()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.figure is fig
    ]
    return min(sizes, default=0.0) * DPI / 72


def render_png(fig) -> tuple[bytes, float]:
    """The figure as PNG and its smallest text's height in pixels. A figure with a layout
    engine (a phone drawing) keeps its exact width, which its text sizes were chosen for."""
    buf = io.BytesIO()
    fitted = fig.get_layout_engine() is not None
    if not fitted:
        fig.tight_layout()
    fig.canvas.draw()
    smallest = _smallest_text_px(fig)
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches=None if fitted else "tight")
    plt.close(fig)
    return buf.getvalue(), smallest


def _finish(draw: Callable[[bool], object], name: str, alt: str, caption: str) -> Chart:
    """Draw the chart twice, at A4 text width and at a phone's width: ``draw(phone)`` returns
    the figure."""
    alt, caption = stated.strip(alt), stated.strip(caption)
    if not alt.strip():
        raise ValueError(f"chart {name!r} needs alt text that states what it shows")
    png, text_px = render_png(draw(False))
    phone_png, phone_text_px = render_png(draw(True))
    return Chart(name, png, alt, caption, phone_png, text_px, phone_text_px)


def _plain_text(labels, series, title, ylabel):
    """A chart's words without any sentence's figure markers (see stated.py)."""
    return (
        [stated.strip(c) for c in labels],
        {stated.strip(k): v for k, v in series.items()},
        stated.strip(title),
        stated.strip(ylabel),
    )


def _hidden(v: object) -> bool:
    """A value disclosure control hides (``[c]``): no bar or point is drawn for it."""
    return isinstance(v, str) and v == SUPPRESSED


def _wrapped(labels: Sequence[str], phone: bool) -> list[str]:
    labels = [stated.strip(c) for c in labels]
    if not phone:
        return labels
    return [textwrap.fill(str(c), _PHONE_LABEL_CHARS) for c in labels]


def _title(fig, ax, title: str, phone: bool) -> None:
    """The chart's title at its top left; on a phone it spans the figure, wrapped, so that it
    is never cut at the figure's edge."""
    title = stated.strip(title)
    if phone:
        fig.suptitle(
            textwrap.fill(title, _PHONE_TITLE_CHARS),
            x=0.02,
            ha="left",
            fontweight="bold",
            fontsize=PHONE_TEXT_PT + 1,
        )
    else:
        ax.set_title(title, loc="left")


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

    Shares (``percent``) are drawn as percentages, their axis numbered in "%". The chart is
    as tall as its bars need: a single bar gets a short chart, not half a page. A value hidden
    by disclosure control (``"[c]"``) gets no bar and the label ``[c]``.
    """
    categories, series, title, ylabel = _plain_text(categories, series, title, ylabel)
    n = len(series)
    bars_drawn = len(categories) * max(1, n)
    bars_with_values = sum(
        1
        for values in series.values()
        for v in values
        if v is not None and not _hidden(v) and float(v) != 0
    )

    def draw(phone: bool):
        style(phone)
        # A phone draws every bar chart across the screen, so category names never collide.
        across = horizontal or phone
        if phone:
            rows = sum(
                max(0.3 * max(1, n), 0.2 * (label.count("\n") + 1) + 0.1)
                for label in _wrapped(categories, phone)
            )
            height = max(2.0, rows + 1.4 + (0.25 * n if n > 1 else 0))
            fig, ax = plt.subplots(figsize=(PHONE_WIDTH_IN, height), layout="constrained")
        else:
            if horizontal:
                height = max(1.8, 0.35 * bars_drawn + 1.2)
            else:
                # As tall as the bars need: one bar with a value (a stage with a few cases)
                # or a handful of bars do not take half a page.
                height = 2.2 if bars_with_values <= 1 else 2.6 if bars_drawn <= 3 else 3.4
            fig, ax = plt.subplots(figsize=(A4_TEXT_WIDTH_IN, height))
        width = 0.8 / max(1, n)
        if bars_drawn == 1 and not across:
            width = 0.4  # one bar, not a slab across the whole chart
        positions = range(len(categories))
        peak = 0.0
        for i, (label, values) in enumerate(series.items()):
            offs = [p - width * n / 2 + width * (i + 0.5) for p in positions]
            vals = [0 if v is None or _hidden(v) else (100 * v if percent else v) for v in values]
            peak = max([peak, *vals])
            plot = ax.barh if across else ax.bar
            bars = plot(
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
                fontsize=PHONE_TEXT_PT if phone else 8,
            )
        shown = _wrapped(categories, phone)
        value_axis = ax.xaxis if across else ax.yaxis
        # Room beyond the longest bar for its label, so no label meets the title or the edge.
        limit = (peak or 1) * (1.25 if across else 1.18)
        if across:
            ax.set_yticks(list(positions), shown)
            ax.invert_yaxis()
            ax.set_xlabel(ylabel)
            ax.set_xlim(0, limit)
        else:
            ax.set_xticks(list(positions), shown)
            ax.set_ylabel(ylabel)
            ax.set_ylim(0, limit)
            if bars_drawn == 1:
                ax.set_xlim(-1, 1)
        if percent:
            value_axis.set_major_formatter(PercentFormatter(decimals=0))
        _title(fig, ax, title, phone)
        if n > 1 and phone:
            fig.legend(frameon=False, loc="outside lower left")
        elif n > 1:
            ax.legend(frameon=False, ncols=min(n, 3), loc="upper left", bbox_to_anchor=(0, -0.12))
        return fig

    return _finish(draw, name, alt, caption)


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
    x, series, title, ylabel = _plain_text(x, series, title, ylabel)

    def draw(phone: bool):
        style(phone)
        markers = ("o", "s", "^", "D", "v", "P")
        width_in = PHONE_WIDTH_IN if phone else A4_TEXT_WIDTH_IN
        layout = "constrained" if phone else None
        fig, ax = plt.subplots(figsize=(width_in, 3.6 if phone else 3.2), layout=layout)
        # Positions, not category names: a year whose only value is hidden keeps its place.
        positions = list(range(len(x)))
        for i, (label, values) in enumerate(series.items()):
            vals = [
                None if v is None or _hidden(v) else (100 * v if percent else v) for v in values
            ]
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
                        fontsize=PHONE_TEXT_PT if phone else 8,
                    )
        ax.set_xticks(positions, _wrapped(x, phone))
        ax.set_ylabel(ylabel)
        _title(fig, ax, title, phone)
        if percent:
            ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        ax.set_ylim(bottom=0)
        if len(series) > 1:
            if phone:
                fig.legend(frameon=False, loc="outside lower left")
            else:
                ax.legend(frameon=False)
        return fig

    return _finish(draw, name, alt, caption)
