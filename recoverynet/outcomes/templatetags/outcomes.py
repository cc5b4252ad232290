"""The dashboard's table rows and their small bar charts, built in Python.

A federation page has 47 indicators × 25 networks: one row of figures and one
chart each. Rendering each cell through template tags and ``format_html`` cost
more than the database did, so a row is built here with plain string joins:
every text (a network's name, a figure as displayed) is escaped once and each
figure's display computed once, for its cell and the chart's label alike.

The chart is inline SVG (no script, no style). Only shown figures are drawn to
scale; a hidden one is a fixed-size outline that says nothing of its value."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

WIDTH, HEIGHT, GAP = 14, 32, 4
CELL = '<td class="govuk-table__cell govuk-table__cell--numeric">'


def _spark(figures, displays, labels, name=""):
    """The SVG for one row: `displays` are the figures as shown, `labels` the quarters'."""
    shown = [f.value for f in figures if f.shown and isinstance(f.value, int | float)]
    top = max(shown, default=0) or 1
    rects = []
    for index, figure in enumerate(figures):
        x = index * (WIDTH + GAP)
        if figure.shown and isinstance(figure.value, int | float):
            height = max(1, round(HEIGHT * figure.value / top)) if figure.value else 0
            x, y, fill, stroke = x, HEIGHT - height, "currentColor", "none"
        else:
            x, y, height, fill, stroke = x + 1, HEIGHT - 5, 4, "none", "currentColor"
        rects.append(
            f'<rect x="{x}" y="{y}" width="{WIDTH - 2}" height="{height}" fill="{fill}" stroke="{stroke}"></rect>'
        )
    label = "; ".join(f"{q}: {d}" for q, d in zip(labels, displays, strict=True))
    label = escape(f"{name}: {label}" if name else label)
    width = len(figures) * (WIDTH + GAP)
    return (
        f'<svg class="recoverynet-spark" role="img" aria-label="{label}" width="{width}" height="{HEIGHT}" '
        f'viewBox="0 0 {width} {HEIGHT}" focusable="false"><title>{label}</title>{"".join(rects)}</svg>'
    )


def _row(name, figures, labels):
    displays = [f.display for f in figures]
    cells = "".join(f"{CELL}{escape(d)}</td>" for d in displays)
    return (
        f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{escape(name)}</th>{cells}'
        f'<td class="govuk-table__cell">{_spark(figures, displays, labels, name)}</td></tr>'
    )


@register.simple_tag
def sparkline(figures, quarters, name=""):
    return mark_safe(_spark(figures, [f.display for f in figures], [q.label for q in quarters], name))  # noqa: S308 - every text escaped in _spark


@register.simple_tag
def network_rows(found, figures, network=None):
    """The rows of one indicator's table: every network's (or only `network`'s), in order."""
    labels = [q.label for q in figures.quarters]
    networks = figures.networks if network is None else [n for n in figures.networks if n.pk == network.pk]
    return mark_safe("".join(_row(n.name, found.rows.get(n.pk, []), labels) for n in networks))  # noqa: S308 - escaped in _row


@register.simple_tag
def total_row(found, figures):
    """The federation's row ("All networks") where the indicator's figures add up, else nothing."""
    if not found.totals:
        return ""
    return mark_safe(_row("All networks", found.totals, [q.label for q in figures.quarters]))  # noqa: S308 - escaped in _row


@register.filter
def get_row(rows, key):
    return rows.get(key, [])
