"""Coordinators' time bank pages (/timebank/manage/<network>/): the network's
organisation and settlement accounts, exchanges recorded for members without
internet access, group activities, disputes, and the report. Thin: writes go
through timebank.services; the permission object is the network."""

import csv

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from recoverynet.core import audit
from recoverynet.core.downloads import DownloadOnPostMixin
from recoverynet.core.manage_pages import ManageView, ServiceFormMixin
from recoverynet.core.models import AuditEntry
from recoverynet.federation.models import Network

from .. import reports, services
from ..forms import GroupActivityForm, OfflineExchangeForm, OpenHolderAccountForm
from ..models import Account, Exchange, format_minutes


class NetworkMixin:
    """The network named by the URL's slug, the object permissions are checked on."""

    @cached_property
    def network(self):
        return get_object_or_404(Network.objects.active(), slug=self.kwargs["slug"])

    def get_permission_object(self):
        return self.network

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"network": self.network}

    def get_success_url(self):
        return reverse("timebank:manage", kwargs={"slug": self.network.slug})


class Overview(NetworkMixin, ManageView, TemplateView):
    permission_required = "timebank.record_for_members"
    template_name = "timebank/manage/overview.html"

    def get_context_data(self, **kwargs):
        holders = (
            Account.objects.with_balance()
            .filter(network=self.network, kind__in=(Account.Kind.ORGANISATION, Account.Kind.SETTLEMENT))
            .select_related("organisation", "settlement")
            .order_by("kind", "pk")
        )
        disputed = (
            Exchange.objects.filter(network=self.network, status=Exchange.Status.DISPUTED)
            .select_related("giver__user", "receiver__user")
            .order_by("-decided_at", "-pk")[:50]
        )
        rows = [
            {"account": a, "holder": a.organisation or a.settlement, "balance": format_minutes(a.balance)}
            for a in holders
        ]
        return super().get_context_data(**kwargs) | {"holders": rows, "disputed": list(disputed)}


class OpenHolderAccount(NetworkMixin, ManageView, ServiceFormMixin, FormView):
    permission_required = "timebank.open_account"
    template_name = "timebank/manage/form.html"
    form_class = OpenHolderAccountForm
    extra_context = {"title": "Open an organisation's or settlement's account", "button": "Open the account"}

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"network": self.network}

    def perform(self, form):
        return services.open_holder_account(
            actor=self.request.user, network=self.network, **form.cleaned_data["holder"]
        )

    def get_success_message(self, form):
        holder = self.result.organisation or self.result.settlement
        return f"{holder.name}'s time bank account is open."


class RecordForMembers(NetworkMixin, ManageView, ServiceFormMixin, FormView):
    permission_required = "timebank.record_for_members"
    template_name = "timebank/manage/form.html"
    form_class = OfflineExchangeForm
    extra_context = {
        "title": "Record an exchange for members without internet access",
        "lead": "You act for both of them: the exchange is recorded and confirmed at once, in your name, "
        "with your note.",
        "button": "Record and confirm",
    }

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"network": self.network}

    def perform(self, form):
        data = form.cleaned_data
        return services.record_for_members(
            actor=self.request.user,
            giver=data["giver"],
            receiver=data["receiver"],
            minutes=data["total_minutes"],
            description=data["description"],
            note=data["note"],
            idempotency_key=data["idempotency_key"],
            category=data.get("category"),
        )

    def get_success_message(self, form):
        exchange = self.result
        return (
            f"Recorded and confirmed {exchange.shown_minutes} from {exchange.giver.user.display_name} "
            f"to {exchange.receiver.user.display_name}."
        )


class GroupActivity(NetworkMixin, ManageView, ServiceFormMixin, FormView):
    permission_required = "timebank.record_for_members"
    template_name = "timebank/manage/form.html"
    form_class = GroupActivityForm
    extra_context = {
        "title": "Record a group activity",
        "lead": "Everyone you tick is credited the same time, from the account you choose, in one go: "
        "all of it is recorded, or none of it.",
        "button": "Record the activity",
    }

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"network": self.network}

    def perform(self, form):
        data = form.cleaned_data
        credits = [(account, data["total_minutes"]) for account in data["members"]]
        return services.record_group_activity(
            actor=self.request.user,
            payer=data["payer"],
            credits=credits,
            description=data["description"],
            idempotency_key=data["idempotency_key"],
            category=data.get("category"),
        )

    def get_success_message(self, form):
        people = len(form.cleaned_data["members"])
        each = format_minutes(form.cleaned_data["total_minutes"])
        return f"Recorded {people} {'person' if people == 1 else 'people'} × {each}."


class Report(NetworkMixin, ManageView, TemplateView):
    permission_required = "timebank.view_reports"
    template_name = "timebank/manage/report.html"

    def get_context_data(self, **kwargs):
        report = reports.network_report(self.network, timezone.localdate())
        return super().get_context_data(**kwargs) | {"report": report, "fewer": reports.FEWER}


class ReportCsv(NetworkMixin, ManageView, DownloadOnPostMixin, View):
    """The report as CSV: a POST, because it writes an audit entry (core.downloads)."""

    permission_required = "timebank.view_reports"
    download_title = "Download the time bank report"
    download_description = (
        "A CSV file of the last 12 months: hours credited, people active, givers, receivers and the reciprocity "
        "rate, by month; hours by month and category; co-production hours; the social value estimate and its "
        "assumption. Counts of people below 5 are shown as “fewer than 5”."
    )

    def download(self, request):
        report = reports.network_report(self.network, timezone.localdate())
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"timebank-report-{self.network.slug}-{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        writer = csv.writer(response)
        writer.writerow(["Month", "Hours credited", "Active members", "Gave help", "Received help", "Reciprocity rate"])
        for row in [*report["months"], report["total"]]:
            shown = row.shown
            writer.writerow(
                [row.label, row.hours, shown["active"], shown["givers"], shown["receivers"], shown["reciprocity"]]
            )
        categories = report["categories"]
        if categories:
            writer.writerow([])
            writer.writerow(["Hours by month and category", *categories["columns"]])
            for label, hours in categories["rows"]:
                writer.writerow([label, *hours])
            writer.writerow(["All 12 months", *categories["totals"]])
        writer.writerow([])
        writer.writerow(
            [
                "Co-production hours",
                report["coproduction_hours"],
                "Hours given in categories marked as co-production with services",
            ]
        )
        writer.writerow(
            [
                "Social value estimate (GBP)",
                str(report["social_value"]),
                f"Assumes each hour is worth £{report['hourly_rate']} (TIMEBANK_SOCIAL_VALUE_HOURLY_RATE_GBP)",
            ]
        )
        audit.record(
            actor=request.user,
            action=AuditEntry.Action.EXPORT,
            network=self.network,
            summary="Downloaded the time bank report",
        )
        return response
