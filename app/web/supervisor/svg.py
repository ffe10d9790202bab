"""Server-side SVG charts: no script, no inline style, a title and description, and a text table beside each."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# A phone shows the chart about 350 px wide and a desktop at most 30rem: both draw the 13-unit text at 11-16 px.
WIDTH = 400
FONT = 13
CHAR = 8.0  # the width of an average character at FONT, for the legend and the labels' room
INK, MUTED, GRID = "#1d2733", "#5b6775", "#d5dbe2"


@dataclass(frozen=True)
class Series:
    """One coloured set of values; `css` names the class the stylesheet (and print) colours it by."""

    name: str
    css: str
    fill: str
    values: Sequence[float]


def _tag(name: str, body: str = "", **attrs: object) -> str:
    """An element with escaped attributes (trailing underscores dropped, underscores to hyphens)."""
    text = "".join(f' {key.rstrip("_").replace("_", "-")}="{escape(value)}"' for key, value in attrs.items()
                   if value is not None)
    return f"<{name}{text}>{body}</{name}>" if body else f"<{name}{text}/>"


def _svg(chart_id: str, title: str, summary: str, height: float, body: list[str]) -> Markup:
    head = [_tag("title", escape(title), id=f"{chart_id}-title"), _tag("desc", escape(summary), id=f"{chart_id}-desc")]
    return Markup(_tag("svg", "".join(head + body), xmlns="http://www.w3.org/2000/svg", class_="chart", id=chart_id,
                       role="img", aria_label=title, aria_describedby=f"{chart_id}-desc",
                       viewBox=f"0 0 {WIDTH} {math.ceil(height)}", preserveAspectRatio="xMinYMin meet"))


def _text(x: float, y: float, content: str, anchor: str = "start", fill: str = MUTED, css: str = "chart-label",
          **attrs: object) -> str:
    return _tag("text", escape(content), x=f"{x:.1f}", y=f"{y:.1f}", text_anchor=anchor, font_size=FONT, fill=fill,
                class_=css, **attrs)


def _rect(x: float, y: float, w: float, h: float, series: Series, tooltip: str) -> str:
    return _tag("rect", _tag("title", escape(tooltip)), x=f"{x:.1f}", y=f"{y:.1f}", width=f"{max(w, 0):.1f}",
                height=f"{max(h, 0):.1f}", fill=series.fill, class_=f"bar bar-{series.css}")


def count_axis(peak: float, most_ticks: int = 5) -> tuple[int, int]:
    """A whole-number tick step of 1, 2 or 5 times a power of ten, and how many steps reach the peak."""
    if peak <= 0:
        return 1, 1
    rough = peak / most_ticks
    power = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = next(int(m * power) for m in (1, 2, 5, 10) if m * power >= rough)
    return step, math.ceil(peak / step)


def _legend(series: Sequence[Series], y: float = 14) -> list[str]:
    parts, x = [], 0.0
    for item in series:
        parts.append(_tag("rect", x=f"{x:.1f}", y=f"{y - 10:.1f}", width="12", height="12", fill=item.fill,
                          class_=f"bar bar-{item.css}"))
        parts.append(_text(x + 16, y, item.name, fill=INK))
        x += 28 + CHAR * len(item.name)
    return parts


def column_chart(chart_id: str, title: str, summary: str, categories: Sequence[str], series: Sequence[Series],
                 line: Series | None = None, percent: Callable[[float], str] = lambda v: f"{v:.0%}") -> Markup:
    """Grouped columns, one group per category (a week), with an optional 0–100% line on the right axis."""
    left, right, top, bottom = 40, 44 if line else 8, 30, 40
    plot_w, plot_h = WIDTH - left - right, 200
    step, ticks = count_axis(max((v for s in series for v in s.values), default=0))
    peak = step * ticks
    group = plot_w / max(len(categories), 1)
    bar = min(group * 0.8 / len(series), 26)
    body = _legend(list(series) + ([line] if line else []))
    for tick in range(ticks + 1):
        y = top + plot_h - plot_h * tick / ticks
        body.append(_tag("line", x1=left, x2=left + plot_w, y1=f"{y:.1f}", y2=f"{y:.1f}", stroke=GRID,
                         class_="chart-grid"))
        body.append(_text(left - 4, y + 4, str(step * tick), anchor="end"))
        if line:
            body.append(_text(left + plot_w + 4, y + 4, percent(tick / ticks)))
    every = math.ceil(len(categories) / 10)
    for i, category in enumerate(categories):
        x0 = left + group * i + (group - bar * len(series)) / 2
        bars = [_rect(x0 + bar * j, top + plot_h - plot_h * item.values[i] / peak, bar,
                      plot_h * item.values[i] / peak, item, f"{category}: {item.name} {item.values[i]:g}")
                for j, item in enumerate(series)]
        body.append(_tag("g", "".join(bars), class_="bar-group"))
        if i % every == 0:
            body.append(_text(left + group * (i + 0.5), top + plot_h + 16, category, anchor="middle"))
    if line:
        body += _line(line, left, top, group, plot_h, categories, percent)
    return _svg(chart_id, title, summary, top + plot_h + bottom, body)


def _line(line: Series, left: float, top: float, group: float, plot_h: float, categories: Sequence[str],
          percent: Callable[[float], str]) -> list[str]:
    points = [(left + group * (i + 0.5), top + plot_h * (1 - v)) for i, v in enumerate(line.values)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    parts = [_tag("polyline", points=path, fill="none", stroke=line.fill, stroke_width="2", class_=f"line-{line.css}")]
    for (x, y), category, value in zip(points, categories, line.values):
        parts.append(_tag("circle", _tag("title", escape(f"{category}: {line.name} {percent(value)}")),
                          cx=f"{x:.1f}", cy=f"{y:.1f}", r="3.5", fill=line.fill, class_=f"dot-{line.css}"))
    return parts


def bar_chart(chart_id: str, title: str, summary: str, categories: Sequence[str], series: Sequence[Series],
              note: Callable[[int], str] = lambda i: "") -> Markup:
    """Horizontal stacked bars, one row per category (a port, a commodity), with a note at each bar's end."""
    notes = [note(i) for i in range(len(categories))]
    label_w, top, row = 140, 30, 28
    note_w = 10 + CHAR * max((len(text) for text in notes), default=0)  # the longest bar's note still fits
    plot_w = max(WIDTH - label_w - note_w, 60)
    room = int((label_w - 10) // CHAR)
    totals = [sum(item.values[i] for item in series) for i in range(len(categories))]
    peak = max(totals, default=0) or 1
    body = _legend(series)
    for i, category in enumerate(categories):
        y = top + row * i
        short = category if len(category) <= room else category[:room - 1].rstrip() + "…"
        body.append(_text(label_w - 6, y + row / 2 + 4, short, anchor="end", fill=INK))
        x, bars = float(label_w), []
        for item in series:
            w = plot_w * item.values[i] / peak
            bars.append(_rect(x, y + 4, w, row - 8, item, f"{category}: {item.name} {item.values[i]:g}"))
            x += w
        body.append(_tag("g", "".join(bars), class_="bar-group"))
        body.append(_text(x + 6, y + row / 2 + 4, notes[i]))
    return _svg(chart_id, title, summary, top + row * len(categories) + 6, body)
