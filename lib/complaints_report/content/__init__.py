"""What each report section shows: tables, charts and sentences built from a ReportContext."""

from __future__ import annotations

from typing import Any

from ..calendar import FinancialYear
from ..figures import area_figures
from ..report import ReportContext


def area_entry(ctx: ReportContext, area: str, fy: FinancialYear | None = None) -> dict[str, Any]:
    """An area's figures.json entry; an area absent from the data has every count zero."""
    if fy is None and area in ctx.figures["service_areas"]:
        return ctx.area(area)
    return area_figures(ctx.prep, fy or ctx.fy, area)


def view_for(ctx: ReportContext, key: str, area: str | None, compute) -> Any:
    """``ctx.views[key][area]``, computed afresh for an area the views do not hold."""
    held = ctx.views.get(key, {})
    name = "council" if area is None else area
    if name in held:
        return held[name]
    return compute(ctx.prep, ctx.fy, area)
