"""A small bar chart of a row of published figures, as inline SVG (no script, no style).
Only shown figures are drawn to scale; a hidden one is a fixed-size outline that
says nothing of its value."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

WIDTH, HEIGHT, GAP = 14, 32, 4


@register.simple_tag
def sparkline(figures, quarters, name=""):
    shown = [f.value for f in figures if f.shown and isinstance(f.value, int | float)]
    top = max(shown, default=0) or 1
    bars = []
    for index, figure in enumerate(figures):
        x = index * (WIDTH + GAP)
        if figure.shown and isinstance(figure.value, int | float):
            height = max(1, round(HEIGHT * figure.value / top)) if figure.value else 0
            bars.append((x, HEIGHT - height, height, "currentColor", "none"))
        else:
            bars.append((x + 1, HEIGHT - 5, 4, "none", "currentColor"))
    label = "; ".join(f"{q.label}: {f.display}" for q, f in zip(quarters, figures, strict=True))
    rects = format_html_join(
        "",
        '<rect x="{}" y="{}" width="' + str(WIDTH - 2) + '" height="{}" fill="{}" stroke="{}"></rect>',
        bars,
    )
    width = len(figures) * (WIDTH + GAP)
    return format_html(
        '<svg class="recoverynet-spark" role="img" aria-label="{}" width="{}" height="{}" viewBox="0 0 {} {}" '
        'focusable="false"><title>{}</title>{}</svg>',
        f"{name}: {label}" if name else label,
        width,
        HEIGHT,
        width,
        HEIGHT,
        f"{name}: {label}" if name else label,
        rects,
    )


@register.filter
def get_row(rows, key):
    return rows.get(key, [])
