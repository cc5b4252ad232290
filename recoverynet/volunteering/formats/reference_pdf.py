"""A member's volunteering reference as an A4 PDF, built with the same ReportLab
setup as the directory's schedule (its fonts, `printable` and `markup_text`:
every piece of typed text is escaped before it reaches a Paragraph). Only what
the member chose goes in; it names them by their display name."""

import io

from django.utils import timezone
from django.utils.dateformat import format as format_date
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from recoverynet.directory.formats.schedule_pdf import (
    AUTHOR,
    BODY,
    CAPTION,
    DAY,
    MARGIN,
    SMALL,
    TAGLINE,
    TITLE,
    markup_text,
    printable,
)

from ..models import format_minutes


def reference_pdf(*, name, record, include_hours, include_commendations, generated_at=None) -> bytes:
    """`record`: rows from selectors.volunteering_record. Makes no database queries."""
    generated = format_date(timezone.localtime(generated_at or timezone.now()), "j F Y")
    story = [
        Paragraph(f"RecoveryNet · {TAGLINE}", CAPTION),
        Paragraph(f"Volunteering reference: {markup_text(name)}", TITLE),
        Paragraph(f"Generated {generated} from the volunteering records of RecoveryNet's networks.", BODY),
    ]
    if not record:
        story.append(Paragraph("No volunteering has been confirmed yet.", BODY))
    for row in record:
        role = row["role"]
        story.append(Paragraph(markup_text(role.title), DAY))
        story.append(Paragraph(markup_text(f"{role.offered_by_name}, {role.network.name}"), SMALL))
        story.append(Paragraph(markup_text(role.involves), BODY))
        if include_hours:
            first = format_date(timezone.localtime(row["first"]), "F Y")
            last = format_date(timezone.localtime(row["last"]), "F Y")
            span = first if first == last else f"{first} to {last}"
            story.append(
                Paragraph(
                    markup_text(
                        f"{row['shifts']} shift{'' if row['shifts'] == 1 else 's'}, "
                        f"{format_minutes(row['minutes'])} in all, {span}."
                    ),
                    BODY,
                )
            )
        if include_commendations:
            for commendation in row["commendations"]:
                written = format_date(timezone.localtime(commendation.created_at), "j F Y")
                story += [
                    Spacer(1, 4),
                    Paragraph(f"“{markup_text(commendation.text)}”", BODY),
                    Paragraph(markup_text(f"Organiser's commendation, {written}"), SMALL),
                ]
    buffer = io.BytesIO()
    title = printable(f"Volunteering reference: {name}")
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=AUTHOR,
        creator=AUTHOR,
        lang="en-GB",
    )
    document.build(story)
    return buffer.getvalue()
