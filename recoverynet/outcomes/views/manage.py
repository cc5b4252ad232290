"""The outcomes dashboard and the commissioners' report (/manage/outcomes/…).

Aggregates only: every figure comes from figures.compute(), suppressed once for
all networks, so the federation's page, a network's page, the CSV, the PDF and
the API publish the same figure, hidden or shown, whoever reads it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_http_methods

from recoverynet.core.downloads import DownloadOnPostMixin
from recoverynet.core.manage_pages import add_service_errors
from recoverynet.federation.models import Network, Settlement

from .. import services
from ..figures import by_settlement, compute
from ..formats.report_csv import render_csv
from ..formats.report_pdf import render_pdf
from ..forms import DashboardFilterForm, ReportForm, SavingsAssumptionsForm
from ..framework import quarters_ending
from ..report import build_report


def _dashboard_context(request, settlements=None):
    form = DashboardFilterForm(request.GET or None, settlements=settlements)
    last, count = form.selection()
    quarters = quarters_ending(last, count)
    figures = compute(quarters)
    return form, figures


@login_required
def federation_dashboard(request):
    if not request.user.has_perm("outcomes.view_federation_dashboard"):
        raise PermissionDenied
    form, figures = _dashboard_context(request)
    response = render(
        request, "outcomes/dashboard.html", {"form": form, "figures": figures, "network": None, "federation": True}
    )
    add_never_cache_headers(response)
    return response


def _network_for(request, slug):
    network = get_object_or_404(Network.objects.active(), slug=slug)
    if not request.user.has_perm("outcomes.view_network_outcomes", network):
        raise PermissionDenied
    return network


@login_required
def network_dashboard(request, slug):
    network = _network_for(request, slug)
    settlements = list(Settlement.objects.filter(network=network, is_active=True).order_by("name", "pk"))
    form, figures = _dashboard_context(request, settlements)
    coverage = [row for row in figures.coverage() if row["network"].pk == network.pk]
    settlement = form.chosen_settlement()
    context = {
        "form": form,
        "figures": figures,
        "network": network,
        "federation": False,
        "coverage": coverage,
        "savings": services.assumptions_for(network),
        "settlement": settlement,
        "settlement_figures": by_settlement(figures, network, settlement) if settlement else {},
    }
    response = render(request, "outcomes/dashboard.html", context)
    add_never_cache_headers(response)
    return response


@method_decorator(login_required, name="dispatch")
class ReportDownloadView(DownloadOnPostMixin, View):
    """GET: the report's page with a download button for each format; POST: the file, audited."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.network = _network_for(request, kwargs["slug"])
        self.form = ReportForm(request.GET)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        valid = self.form.is_valid()
        response = render(
            request,
            "outcomes/report_download.html",
            {"network": self.network, "form": self.form, "action": request.path},
            status=200 if valid else 400,
        )
        add_never_cache_headers(response)
        return response

    def post(self, request, *args, **kwargs):
        form = ReportForm(request.POST)
        if not form.is_valid():
            response = render(
                request,
                "outcomes/report_download.html",
                {"network": self.network, "form": form, "action": request.path},
                status=400,
            )
            add_never_cache_headers(response)
            return response
        quarter, file_format = form.cleaned_data["quarter"], form.cleaned_data["format"]
        report = build_report(self.network, quarter)
        services.record_report_download(
            actor=request.user, network=self.network, quarter=quarter, file_format=file_format
        )
        filename = f"outcomes-{self.network.slug}-{quarter.code}.{file_format}"
        if file_format == "pdf":
            response = HttpResponse(render_pdf(report), content_type="application/pdf")
        else:
            response = HttpResponse(render_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        add_never_cache_headers(response)
        return response


@login_required
@require_http_methods(["GET", "POST"])
def savings_edit(request, slug):
    network = get_object_or_404(Network.objects.active(), slug=slug)
    if not request.user.has_perm("outcomes.change_savings_assumptions", network):
        raise PermissionDenied
    current = services.assumptions_for(network)
    form = SavingsAssumptionsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.set_savings_assumptions(actor=request.user, network=network, data=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Savings assumptions for {network.name} saved.")
            return redirect("outcomes:network", slug=network.slug)
    return render(request, "outcomes/savings_form.html", {"form": form, "network": network})
