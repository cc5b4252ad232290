"""Coordinators' time bank pages (/manage/timebank/): marking members vetted for
the categories that need it, and the reports members made, closed with an
outcome (a reported post can be hidden). The network is a public object, so
another network's coordinator gets 403 on its pages; a report is private to
its network, so another network's is "not found"."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from recoverynet.core.manage_pages import ManageView, add_service_errors
from recoverynet.federation.mixins import NetworkObjectMixin

from .. import services
from ..forms import CloseReportForm
from ..models import Account, Report, Vetting
from ..selectors import reports_visible_to

PER_PAGE = 50
ID = re.compile(r"[0-9]{1,18}")  # ASCII digits that fit a database key; anything else matches nothing


class VettingView(NetworkObjectMixin, ManageView, TemplateView):
    """The network's time bank members, each marked vetted or not, with a button to change it."""

    permission_required = "timebank.vet_members"
    template_name = "timebank/manage/vetting.html"

    def get_context_data(self, **kwargs):
        members = (
            Account.objects.filter(network=self.network, kind=Account.Kind.MEMBER)
            .select_related("user")
            .annotate(vetted=Exists(Vetting.objects.filter(network=self.network, user_id=OuterRef("user_id"))))
            .order_by("user__display_name", "pk")
        )
        page = Paginator(members, PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, members=page.object_list, **kwargs)

    def post(self, request, *args, **kwargs):
        account_id = request.POST.get("account", "")
        account = (
            Account.objects.filter(network=self.network, kind=Account.Kind.MEMBER, pk=account_id)
            .select_related("user")
            .first()
            if ID.fullmatch(account_id)
            else None
        )
        if account is None:
            messages.error(request, "Choose a member of this network's time bank.")
        else:
            vetted = request.POST.get("action") == "vet"
            try:
                services.set_vetted(actor=request.user, user=account.user, network=self.network, vetted=vetted)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                name = account.user.display_name
                messages.success(
                    request, f"{name} is marked vetted." if vetted else f"{name} is no longer marked vetted."
                )
        return HttpResponseRedirect(request.get_full_path())


class ReportListView(NetworkObjectMixin, ManageView, TemplateView):
    """The network's reports, open ones first by default (?status=closed for the others)."""

    permission_required = "timebank.moderate"
    template_name = "timebank/manage/report_list.html"

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status")
        status = status if status in Report.Status.values else Report.Status.OPEN
        reports = (
            Report.objects.filter(network=self.network, status=status)
            .select_related("post", "reported_member", "reporter")
            .order_by("-created_at", "-pk")
        )
        page = Paginator(reports, PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page_obj=page, reports=page.object_list, status=status, filter_query=f"status={status}", **kwargs
        )


class ReportDetailView(ManageView, TemplateView):
    """One report: what was reported and by whom; close it with an outcome, hide or show the post."""

    permission_required = "timebank.moderate"
    template_name = "timebank/manage/report_detail.html"

    @cached_property
    def report(self):
        visible = reports_visible_to(
            self.request.user,
            Report.objects.select_related(
                "network", "post__category", "post__poster__user", "reported_member", "reporter", "closed_by"
            ),
        )
        return get_object_or_404(visible, pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.report

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", CloseReportForm())
        return super().get_context_data(report=self.report, network=self.report.network, **kwargs)

    def post(self, request, *args, **kwargs):
        report = self.report
        action = request.POST.get("action")
        if action in ("hide", "show") and report.post is not None:
            services.set_post_hidden(actor=request.user, post=report.post, hidden=action == "hide")
            messages.success(request, "The post is hidden." if action == "hide" else "The post shows again.")
            return redirect("timebank:manage:report_detail", pk=report.pk)
        if action != "close":
            return redirect("timebank:manage:report_detail", pk=report.pk)
        form = CloseReportForm(request.POST)
        if form.is_valid():
            try:
                data = form.cleaned_data
                services.close_report(actor=request.user, report=report, outcome=data["outcome"], note=data["note"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "The report is closed.")
                return redirect(reverse("timebank:manage:reports", kwargs={"slug": report.network.slug}))
        return render(request, self.template_name, self.get_context_data(form=form))
