"""The gap trend as a picture: one bar per month, for the report's 总体情况.

Labels in the picture are digits only (months as 2026-09, counts), so that no CJK font is needed
on the machine that draws it; the Chinese caption is text of the document around it.
matplotlib is imported only here, when a picture is drawn: it costs the other commands nothing.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .outline import Figure
    from .trend import MonthPoint

__all__ = ["changes_png", "figure_png", "headings_png", "trend_png"]

NEW, PERSISTING, RESOLVED = "#a61b1b", "#9e9e9e", "#2e7d32"
"""The colours the trend caption names: 深红 new, 灰色 persisting, 绿色 resolved."""


@contextmanager
def _drawing(width_cm: float, height_in: float) -> Iterator[tuple[Any, list[bytes]]]:
    """A figure's axes and a slot for its PNG: the one place that loads matplotlib, styles the
    axes the same way for every chart, and writes the picture with fixed metadata (the same
    points give the same bytes, so reports compare across runs)."""
    import matplotlib  # noqa: PLC0415 - only a report or history --trend with a picture needs it

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt  # noqa: PLC0415

    fig, ax = plt.subplots(figsize=(width_cm / 2.54, height_in), dpi=200)
    png: list[bytes] = []
    try:
        yield ax, png
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png", metadata={"Software": None})
        png.append(out.getvalue())
    finally:
        plt.close(fig)


def _integer_ticks() -> Any:
    from matplotlib.ticker import MaxNLocator  # noqa: PLC0415 - see _drawing

    return MaxNLocator(integer=True)


def trend_png(points: list[tuple[str, int]], width_cm: float = 15.0) -> bytes:
    """A PNG bar chart of (month, gap count), oldest first."""
    with _drawing(width_cm, width_cm / 2.54 * 0.42) as (ax, png):
        months = [m for m, _ in points]
        counts = [n for _, n in points]
        bars = ax.bar(range(len(points)), counts, color="#a61b1b", width=0.6)
        ax.bar_label(bars, padding=2, fontsize=8)
        ax.set_xticks(range(len(points)), months, fontsize=8, rotation=45 if len(points) > 8 else 0)
        ax.yaxis.set_major_locator(_integer_ticks())
        ax.set_ylim(0, max(max(counts, default=0) * 1.2, 1))
        ax.tick_params(axis="y", labelsize=8)
    return png[0]


def headings_png(counts: list[int], width_cm: float = 15.0) -> bytes:
    """A PNG of horizontal bars, one per outline heading numbered 1, 2, … as the caption lists them."""
    with _drawing(width_cm, max(1.2, 0.32 * len(counts) + 0.6)) as (ax, png):
        positions = list(range(len(counts)))[::-1]
        bars = ax.barh(positions, counts, color="#a61b1b", height=0.6)
        ax.bar_label(bars, padding=2, fontsize=8)
        ax.set_yticks(positions, [str(n) for n in range(1, len(counts) + 1)], fontsize=8)
        ax.xaxis.set_major_locator(_integer_ticks())
        ax.set_xlim(0, max(max(counts, default=0) * 1.15, 1))
        ax.tick_params(axis="x", labelsize=8)
    return png[0]


def changes_png(months: list[MonthPoint], width_cm: float = 15.0) -> bytes:
    """A PNG of each month's gap items: persisting (grey) with new (dark red) stacked on it, the
    month's total on top, and beside it the items resolved since the month before (green)."""
    with _drawing(width_cm, width_cm / 2.54 * 0.42) as (ax, png):
        x = list(range(len(months)))
        left = [i - 0.2 for i in x]
        right = [i + 0.2 for i in x]
        persisting = [m.persisting for m in months]
        ax.bar(left, persisting, color=PERSISTING, width=0.4)
        totals = ax.bar(left, [m.new for m in months], bottom=persisting, color=NEW, width=0.4)
        ax.bar_label(totals, labels=[str(m.gaps) for m in months], padding=2, fontsize=8)
        resolved = ax.bar(right, [m.resolved for m in months], color=RESOLVED, width=0.4)
        ax.bar_label(resolved, labels=[str(m.resolved) if m.resolved else "" for m in months], padding=2, fontsize=8)
        ax.set_xticks(x, [m.month for m in months], fontsize=8, rotation=45 if len(months) > 8 else 0)
        ax.yaxis.set_major_locator(_integer_ticks())
        top = max([m.gaps for m in months] + [m.resolved for m in months], default=0)
        ax.set_ylim(0, max(top * 1.2, 1))
        ax.tick_params(axis="y", labelsize=8)
    return png[0]


def figure_png(figure: Figure) -> bytes:
    """The picture of a report figure: ``trend`` (months, split when the months are known) or
    ``headings`` (numbered as in the caption)."""
    if figure.kind == "headings":
        return headings_png([n for _, n in figure.points])
    if figure.months:
        return changes_png(figure.months)
    return trend_png(figure.points)
