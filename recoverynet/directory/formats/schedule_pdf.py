"""A network's weekly meeting schedule as an A4 PDF, from the same `schedule_days` rows as the HTML page.

ReportLab's built-in Helvetica is used rather than an embedded font: the file stays small and its text
searchable, at the price of the Windows-1252 character set, so other characters are folded to their
closest Latin form ("ŵ" -> "w") or shown as "?" (see `printable`). Every piece of user-supplied text
goes through `markup_text` before it reaches a Paragraph, whose mini-markup would otherwise read a
meeting called "<b>" or "Tea & Talk" as tags and entities.
"""

import io
import unicodedata
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.dateformat import format as format_date
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, SimpleDocTemplate, Table, TableStyle

TAGLINE = "Recovery is a Reality"
AUTHOR = "RecoveryNet"
FONT, BOLD = "Helvetica", "Helvetica-Bold"
MARGIN = 15 * mm
FOOTER_SIZE = 9
CONTENT_WIDTH = A4[0] - 2 * MARGIN
# Time, meeting, where, types: what the HTML table shows, in points, adding up to CONTENT_WIDTH.
COLUMN_WIDTHS = [26 * mm, 62 * mm, 66 * mm, CONTENT_WIDTH - 154 * mm]
# A day with up to this many meetings moves whole to the next page rather than split; a longer day starts
# wherever at least DAY_START_SPACE is left (its heading, table header and first rows) and runs on.
KEEP_DAY_TOGETHER_ROWS = 10
DAY_START_SPACE = 50 * mm
BRAND = colors.HexColor("#1d5c4d")  # the site's brand teal

BODY = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13, splitLongWords=True)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=9, leading=11.5)
CAPTION = ParagraphStyle("caption", parent=BODY, fontSize=13, leading=16, textColor=colors.HexColor("#505a5f"))
TITLE = ParagraphStyle("title", parent=BODY, fontName=BOLD, fontSize=22, leading=26, spaceAfter=8)
DAY = ParagraphStyle("day", parent=BODY, fontName=BOLD, fontSize=14, leading=18, spaceBefore=10, spaceAfter=4)
HEADER = ParagraphStyle("header", parent=BODY, fontName=BOLD)

TABLE_STYLE = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.5, colors.HexColor("#b1b4b6")),
    ]
)


def printable(value) -> str:
    """Text the built-in PDF fonts can show: control and format characters dropped (whitespace ones become
    spaces), characters outside Windows-1252 folded to their unaccented form where there is one, else "?"."""
    out = []
    for char in str(value):
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp"):
            out.append(" " if char.isspace() else "")
        elif category in ("Cf", "Cs", "Co", "Cn"):
            continue
        elif _encodable(char):
            out.append(char)
        else:
            folded = "".join(c for c in unicodedata.normalize("NFKD", char) if _encodable(c) and not _combining(c))
            out.append(folded or "?")
    return " ".join("".join(out).split())


def _encodable(char) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _combining(char) -> bool:
    return unicodedata.category(char).startswith("M")


def markup_text(value) -> str:
    """`value` as literal text inside a ReportLab Paragraph."""
    return escape(printable(value))


def fit(text, font, size, width) -> str:
    """Cut one line of canvas text (which does not wrap) to `width`, marking the cut with an ellipsis."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def time_cell(meeting, day_name):
    if meeting.start_time is None:
        text = "By appointment"
    else:
        text = meeting.start_time.strftime("%H:%M")
        if meeting.effective_end_time:
            text += f" to {meeting.effective_end_time:%H:%M}"
    cells = [Paragraph(text, BODY)]
    if meeting.monthly_week:
        cells.append(Paragraph(markup_text(f"{meeting.get_monthly_week_display()} {day_name} only"), SMALL))
    return cells


def where_cell(meeting):
    location = meeting.location
    if location and not location.approximate:
        text = ", ".join(part for part in (location.name, location.address, location.town) if part)
    else:
        text = "Online"
    cells = [Paragraph(markup_text(text), BODY)]
    if meeting.status == meeting.Status.TEMPORARILY_CLOSED:
        cells.append(Paragraph("<b>Temporarily closed in person</b>", SMALL))
    return cells


def day_table(day):
    header = [Paragraph(label, HEADER) for label in ("Time", "Meeting", "Where", "Types")]
    rows = [header]
    for row in day["rows"]:
        meeting = row.meeting
        rows.append(
            [
                time_cell(meeting, day["name"]),
                [Paragraph(markup_text(meeting.name), BODY), Paragraph(markup_text(meeting.fellowship), SMALL)],
                where_cell(meeting),
                Paragraph(markup_text(" ".join(t.code for t in meeting.types.all())), BODY),
            ]
        )
    return Table(rows, colWidths=COLUMN_WIDTHS, repeatRows=1, style=TABLE_STYLE, hAlign="LEFT")


def types_used(days) -> list:
    """[(code, name)] of the meeting types that appear in the schedule, by code (from the prefetched types):
    the key to the Types column, in this PDF and on the HTML schedule page alike."""
    found = {t.code: t.name for day in days for row in day["rows"] for t in row.meeting.types.all()}
    return sorted(found.items())


def legend(days) -> list:
    codes = types_used(days)
    if not codes:
        return []
    table = Table(
        [[Paragraph(f"<b>{markup_text(code)}</b>", BODY), Paragraph(markup_text(name), BODY)] for code, name in codes],
        colWidths=[22 * mm, CONTENT_WIDTH - 22 * mm],
        style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3)]),
        hAlign="LEFT",
    )
    return [KeepTogether([Paragraph("Meeting type codes", DAY), table])]


def schedule_pdf(*, network, days, url, generated_at=None) -> bytes:
    """The PDF of `days` (from `views.schedule_days`) for `network`; `url` is the HTML schedule's address.
    Builds from what it is given, so it makes no database queries."""
    generated = format_date(timezone.localtime(generated_at or timezone.now()), "j F Y")
    total = sum(len(day["rows"]) for day in days)
    network_name = printable(network.name)
    footer_lines = [
        fit(f"{network_name} · {TAGLINE}", FONT, FOOTER_SIZE, CONTENT_WIDTH),
        fit(f"Generated {generated}. The latest version: {printable(url)}", FONT, FOOTER_SIZE, CONTENT_WIDTH - 20 * mm),
    ]

    def draw_footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, FOOTER_SIZE)
        canvas.setFillColor(BRAND)
        canvas.drawString(MARGIN, MARGIN - 4 * mm, footer_lines[0])
        canvas.setFillColor(colors.black)
        canvas.drawString(MARGIN, MARGIN - 8 * mm, footer_lines[1])
        canvas.drawRightString(A4[0] - MARGIN, MARGIN - 8 * mm, f"Page {doc.page}")
        canvas.restoreState()

    link = markup_text(url)
    href = escape(printable(url), {'"': "&quot;"})
    story = [
        Paragraph(f"{escape(network_name)} · {TAGLINE}", CAPTION),
        Paragraph("Weekly meeting schedule", TITLE),
        Paragraph(
            f"{total} meeting time{'' if total == 1 else 's'} a week. Times are UK time. Generated {generated}: "
            f'check <a href="{href}" color="#1d5c4d"><u>{link}</u></a> for changes.',
            BODY,
        ),
    ]
    for day in days:
        heading = Paragraph(markup_text(day["name"]), DAY)
        if len(day["rows"]) > KEEP_DAY_TOGETHER_ROWS:
            story += [CondPageBreak(DAY_START_SPACE), heading, day_table(day)]
        else:
            story.append(KeepTogether([heading, day_table(day) if day["rows"] else Paragraph("No meetings.", BODY)]))
    story += legend(days)

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 6 * mm,
        title=f"Weekly meeting schedule: {network_name}",
        author=AUTHOR,
        subject=f"{network_name} mutual-aid meetings. {TAGLINE}",
        creator=AUTHOR,
        lang="en-GB",
    )
    document.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()
