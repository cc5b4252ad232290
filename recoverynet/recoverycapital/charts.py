"""Server-rendered SVG line charts, readable without colour or JavaScript: each
series has its own marker shape and dash pattern, its name at its last point,
and every point its value. A data table goes beside each chart (the template)."""

import textwrap

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 150, 20, 40
DASHES = ("", "8 4", "2 4", "12 4 2 4", "4 4")
MARKERS = ("circle", "square", "triangle", "diamond", "cross")


def _marker(shape, x, y):
    if shape == "circle":
        return format_html('<circle cx="{}" cy="{}" r="5" fill="#0b0c0c"/>', x, y)
    if shape == "square":
        return format_html('<rect x="{}" y="{}" width="10" height="10" fill="#0b0c0c"/>', x - 5, y - 5)
    if shape == "triangle":
        return format_html('<polygon points="{},{} {},{} {},{}" fill="#0b0c0c"/>', x, y - 6, x - 6, y + 5, x + 6, y + 5)
    if shape == "diamond":
        return format_html(
            '<polygon points="{},{} {},{} {},{} {},{}" fill="#0b0c0c"/>',
            x,
            y - 6,
            x + 6,
            y,
            x,
            y + 6,
            x - 6,
            y,
        )
    return format_html(
        '<path d="M{} {} L{} {} M{} {} L{} {}" stroke="#0b0c0c" stroke-width="2.5" fill="none"/>',
        x - 5,
        y - 5,
        x + 5,
        y + 5,
        x - 5,
        y + 5,
        x + 5,
        y - 5,
    )


LABEL_GAP = 15  # the least distance, in the chart's units, between two series' names


LABEL_CHARS = 18  # a name wider than this wraps, so it fits the space right of the plot


def _spread_end_labels(wanted: dict, gap: int, lines: dict | None = None) -> dict:
    """Each series' name where it ends, moved down just enough that no two names overlap
    (two lines ending on the same score would otherwise print one name over the other).
    `lines` gives how many lines each name takes (one when not given)."""
    lines = lines or {}
    placed, floor = {}, None
    for key, y in sorted(wanted.items(), key=lambda item: (item[1], item[0])):
        y = y if floor is None else max(y, floor + gap)
        placed[key] = y
        floor = y + gap * (lines.get(key, 1) - 1)
    return placed


def _end_label(x, y, name):
    """A series' name at its last point, wrapped onto lines of at most LABEL_CHARS characters."""
    rows = textwrap.wrap(name, LABEL_CHARS) or [name]
    spans = format_html_join(
        "",
        '<tspan x="{}" dy="{}">{}</tspan>',
        ((x, 0 if i == 0 else LABEL_GAP, row) for i, row in enumerate(rows)),
    )
    return format_html('<text x="{}" y="{}" fill="#0b0c0c" font-size="12" font-weight="bold">{}</text>', x, y, spans)


def line_chart(chart, title_id: str) -> str:
    """An <svg> of `chart` (selectors.Chart): one line per series over its dates."""
    dates = chart.dates
    span = max(chart.high - chart.low, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(when):
        if len(dates) == 1:
            return LEFT + plot_w // 2
        first, last = dates[0].timestamp(), dates[-1].timestamp()
        return round(LEFT + (when.timestamp() - first) / (last - first) * plot_w)

    def y_of(value):
        return round(TOP + (chart.high - value) / span * plot_h)

    parts = []
    step = max(1, round(span / 5))
    for tick in range(chart.low, chart.high + 1, step):
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#b1b4b6" stroke-width="1"/>'
                '<text x="{}" y="{}" fill="#0b0c0c" font-size="12" text-anchor="end">{}</text>',
                LEFT,
                LEFT + plot_w,
                y_of(tick),
                y_of(tick),
                LEFT - 6,
                y_of(tick) + 4,
                tick,
            )
        )
    for when in (dates[0], dates[-1]) if len(dates) > 1 else dates[:1]:
        parts.append(
            format_html(
                '<text x="{}" y="{}" fill="#0b0c0c" font-size="12" text-anchor="middle">{}</text>',
                x_of(when),
                HEIGHT - 12,
                when.strftime("%b %Y"),
            )
        )
    label_y = _spread_end_labels(
        {i: y_of(s.points[-1][1]) + 4 for i, s in enumerate(chart.series) if s.points},
        LABEL_GAP,
        {i: len(textwrap.wrap(s.name, LABEL_CHARS)) or 1 for i, s in enumerate(chart.series)},
    )
    for index, series in enumerate(chart.series):
        if not series.points:
            continue
        shape, dash = MARKERS[index % len(MARKERS)], DASHES[index % len(DASHES)]
        coords = [(x_of(when), y_of(value), value) for when, value, _ in series.points]
        path = " ".join(f"{'M' if i == 0 else 'L'}{x} {y}" for i, (x, y, _) in enumerate(coords))
        group = [
            format_html(
                '<path d="{}" stroke="#1d70b8" stroke-width="2.5" fill="none" stroke-dasharray="{}"/>',
                path,
                dash or "none",
            )
        ]
        group += [_marker(shape, x, y) for x, y, _ in coords]
        group += [
            format_html('<text x="{}" y="{}" fill="#0b0c0c" font-size="11" text-anchor="middle">{}</text>', x, y - 9, v)
            for x, y, v in coords
        ]
        last_x = coords[-1][0]
        group.append(_end_label(last_x + 10, label_y[index], series.name))
        joined = mark_safe("".join(group))  # noqa: S308 - each part is format_html output
        parts.append(format_html('<g class="rn-chart__series">{}</g>', joined))
    body = format_html_join("", "{}", ((p,) for p in parts))
    return format_html(
        '<svg class="rn-chart" width="100%" viewBox="0 0 {} {}" role="img" aria-labelledby="{}" focusable="false">'
        "{}</svg>",
        WIDTH,
        HEIGHT,
        title_id,
        body,
    )
