"""Geometry for the small server-rendered SVG charts of the staff pages (no JavaScript,
no charting library): numbers in, coordinates out; the templates draw them and put the
same numbers in a table beside each chart."""

from dataclasses import dataclass

WIDTH = 640
HEIGHT = 180
PAD_TOP = 10
PAD_BOTTOM = 22
PAD_LEFT = 36


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    # Written under the bar ("" for none), centred at label_x.
    label: str = ""
    label_x: float = 0


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    # The previous period, drawn as a line over the bars ("" when there is none).
    line: str
    baseline: float
    top: int
    top_y: float
    left: int


def _nice_top(value: int) -> int:
    """A round number at or above ``value`` for the axis (1, 2, 5, 10, 20, 50…)."""
    if value <= 0:
        return 1
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def bar_chart(
    values: list[int],
    previous: list[int] | None = None,
    *,
    labels: list[str] | None = None,
    label_every: int = 1,
) -> BarChart:
    """Bars for ``values`` and a line for ``previous`` on the same scale; every
    ``label_every``-th bar is labelled from ``labels``."""
    top = _nice_top(max(values + (previous or []) + [0]))
    inner_w = WIDTH - PAD_LEFT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = inner_w / max(len(values), 1)
    baseline = PAD_TOP + inner_h
    bars = []
    for i, value in enumerate(values):
        height = inner_h * value / top
        bars.append(
            Bar(
                x=round(PAD_LEFT + i * slot + slot * 0.15, 1),
                y=round(baseline - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                value=value,
                label=labels[i] if labels and i % label_every == 0 else "",
                label_x=round(PAD_LEFT + (i + 0.5) * slot, 1),
            )
        )
    line = ""
    if previous:
        points = [
            f"{PAD_LEFT + (i + 0.5) * slot:.1f},{baseline - inner_h * value / top:.1f}"
            for i, value in enumerate(previous)
        ]
        line = " ".join(points)
    return BarChart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        line=line,
        baseline=baseline,
        top=top,
        top_y=PAD_TOP,
        left=PAD_LEFT,
    )


def sparkline(values: list[int], *, width: int = 120, height: int = 28) -> str:
    """The points of a small line, highest value at the top."""
    if not values:
        return ""
    top = max(max(values), 1)
    step = width / max(len(values) - 1, 1)
    return " ".join(
        f"{i * step:.1f},{height - 2 - (height - 4) * value / top:.1f}"
        for i, value in enumerate(values)
    )
