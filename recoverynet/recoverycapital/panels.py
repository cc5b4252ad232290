"""Recovery capital's section on other apps' pages (declared on RecoveryCapitalConfig.panels)."""

from django.template.loader import render_to_string

from .models import Assessment


def profile_journey(request, user):
    """/me/: the member's latest score and a link to their journey."""
    latest = (
        Assessment.objects.filter(person=user, completed_at__isnull=False)
        .select_related("instrument")
        .order_by("-completed_at")
        .first()
    )
    in_progress = Assessment.objects.filter(person=user, completed_at__isnull=True).count()
    return render_to_string(
        "recoverycapital/includes/profile_section.html",
        {"latest": latest, "in_progress": in_progress},
        request=request,
    )
