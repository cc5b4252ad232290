"""The outcomes report as an A4 landscape PDF, with ReportLab as the directory's
schedule uses it: built-in Helvetica (text stays searchable), every piece of
text escaped before it reaches a Paragraph's mini-markup."""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.dateformat import format as format_date
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from ..framework import OUTCOMES

FONT, BOLD = "Helvetica", "Helvetica-Bold"
PAGE = landscape(A4)
MARGIN = 14 * mm
BRAND = colors.HexColor("#1d5c4d")
BODY = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11.5, splitLongWords=True)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10)
HEADER = ParagraphStyle("header", parent=BODY, fontName=BOLD)
TITLE = ParagraphStyle("title", parent=BODY, fontName=BOLD, fontSize=18, leading=22, spaceAfter=6)
HEADING = ParagraphStyle("heading", parent=BODY, fontName=BOLD, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4)
TABLE_STYLE = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.5, colors.HexColor("#b1b4b6")),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
    ]
)


def text(value) -> str:
    """Literal text for a Paragraph, in the built-in fonts' character set (Windows-1252)."""
    folded = str(value).replace("\u201c", '"').replace("\u201d", '"')
    return escape(folded.encode("cp1252", "replace").decode("cp1252"))


def render_pdf(report, generated_at=None) -> bytes:
    generated = format_date(timezone.localtime(generated_at or timezone.now()), "j F Y")
    width = PAGE[0] - 2 * MARGIN
    quarter_columns = len(report.quarters) + 1
    first = width - quarter_columns * 26 * mm
    story = [
        Paragraph(text(report.title), TITLE),
        Paragraph(text(f"Generated {generated}. Aggregate figures only: no person is named or counted alone."), BODY),
        Paragraph(text(report.suppression_note), BODY),
    ]
    for number, outcome in OUTCOMES.items():
        rows = [row for row in report.rows if row.outcome == number]
        story.append(Paragraph(text(f"Outcome {number}"), HEADING))
        story.append(Paragraph(text(outcome), SMALL))
        if not rows:
            story.append(Paragraph("No indicator evidences this outcome yet.", BODY))
            continue
        data = [
            [Paragraph("Indicator", HEADER)]
            + [Paragraph(text(q.label), HEADER) for q in report.quarters]
            + [Paragraph(text(f"Federation {report.quarter.label}"), HEADER)]
        ]
        for row in rows:
            data.append(
                [Paragraph(text(f"{row.name} ({row.unit})" if row.unit else row.name), BODY)]
                + [Paragraph(text(value), BODY) for value in row.trend]
                + [Paragraph(text(row.federation), BODY)]
            )
        table = Table(data, colWidths=[first] + [26 * mm] * quarter_columns, repeatRows=1)
        table.setStyle(TABLE_STYLE)
        story.append(table)
    story.append(Paragraph("Illustrative treatment saving", HEADING))
    story.append(Paragraph(text(report.savings.explanation()), BODY))
    story.append(Paragraph("Method and caveats for each indicator", HEADING))
    seen = set()
    for row in report.rows:
        if row.key in seen:
            continue
        seen.add(row.key)
        note = " ".join(part for part in (row.definition, row.method, row.caveats) if part)
        story.append(Paragraph(f"<b>{text(row.name)}</b> ({text(row.key)}): {text(note)}", SMALL))

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=text(report.title),
        author="RecoveryNet",
        subject="Quarterly outcomes report",
        creator="RecoveryNet",
        lang="en-GB",
    )
    document.build(story)
    return buffer.getvalue()
