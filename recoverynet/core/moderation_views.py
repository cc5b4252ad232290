"""The coordinators' queue of members' reports from every app (/manage/reports/), and its section
on /manage/. The report models are collected by registration (AppConfig.report_models); each row
links to its app's own page for closing it."""

from collections import defaultdict

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import CharField, Value
from django.template.loader import render_to_string
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from .moderation import OPEN, reports_visible_to
from .registry import report_models

PER_PAGE = 50


def _visible(user, model, status):
    reports = reports_visible_to(user, model)
    return reports.filter(status=OPEN) if status == OPEN else reports.exclude(status=OPEN)


def report_rows(user, status):
    """(model label, pk, created_at) of every app's reports `user` may review, as one query
    (a UNION), oldest first when open (the longest waiting), newest first when closed."""
    parts = [
        _visible(user, model, status)
        .order_by()
        .annotate(kind=Value(model._meta.label_lower, output_field=CharField()))
        .values_list("kind", "pk", "created_at")
        for model in report_models()
    ]
    if not parts:
        return []
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return rows.order_by("created_at", "pk") if status == OPEN else rows.order_by("-created_at", "-pk")


def load_reports(rows) -> list:
    """The report objects of `rows`, in order: one query per app with reports on the page."""
    wanted = defaultdict(list)
    for kind, pk, _ in rows:
        wanted[kind].append(pk)
    found = {}
    for model in report_models():
        kind = model._meta.label_lower
        if wanted[kind]:
            related = ("reporter", *model.queue_related)
            found[kind] = model.objects.select_related(*related).in_bulk(wanted[kind])
    return [found[kind][pk] for kind, pk, _ in rows if pk in found.get(kind, {})]


class ReportQueueView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Every app's reports in the coordinator's networks (every network for the federation's)."""

    permission_required = "core.review_reports"
    template_name = "core/moderation/queue.html"

    def get_context_data(self, **kwargs):
        status = "closed" if self.request.GET.get("status") == "closed" else OPEN
        page = Paginator(report_rows(self.request.user, status), PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page_obj=page,
            reports=load_reports(page.object_list),
            status=status,
            filter_query=f"status={status}",
            **kwargs,
        )


def manage_panel(request, user):
    """/manage/: how many reports wait for this coordinator, with the way to the queue."""
    if not user.has_perm("core.review_reports"):
        return None
    waiting = sum(_visible(user, model, OPEN).count() for model in report_models())
    return render_to_string("core/moderation/includes/manage_section.html", {"waiting": waiting}, request=request)
