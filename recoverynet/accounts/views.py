"""A person's own pages: profile, consent, memberships, their data, erasure.

Thin views: every change goes through accounts.services or
federation.services; their ValidationError becomes form errors and
PermissionDenied a 403."""

from urllib.parse import urlencode

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import TemplateView

from recoverynet.core.registry import render_panels
from recoverynet.core.site_contacts import contact_details
from recoverynet.core.text import sentence
from recoverynet.federation import services as federation_services
from recoverynet.federation.models import Membership, Network

from . import services
from .consent import CURRENT_WORDING, current_wording
from .forms import ConsentForm, EraseAccountForm, ExportForm, JoinNetworkForm, ProfileForm
from .models import ConsentPurpose, ConsentRecord
from .privacy import current_consents

CONSENT_HISTORY_PAGE_SIZE = 20
LEAVABLE = (Membership.Status.ACTIVE, Membership.Status.PENDING)


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has
    that field, otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _posted(request):
    """The POST data to bind a form to (even when empty), or None on GET."""
    return request.POST if request.method == "POST" else None


def _consent_rows(user):
    """The consents in force, one row per purpose, with the current wording."""
    rows = []
    for purpose, record in current_consents(user).items():
        purpose = ConsentPurpose(purpose)
        wording = current_wording(purpose)
        rows.append(
            {
                "purpose": purpose,
                "record": record,
                "wording": wording,
                "wording_changed": record is not None and record.wording_version != wording.version,
            }
        )
    return rows


@never_cache
@login_required
@require_GET
def profile(request):
    user = request.user
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("network", "settlement", "organisation")
        .order_by("network__name")
    )
    return render(
        request,
        "accounts/profile.html",
        {
            "person": user,
            "memberships": memberships,
            "leavable_statuses": LEAVABLE,
            "consent_rows": _consent_rows(user),
            "panels": render_panels("profile", request, user),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    form = ProfileForm(_posted(request), instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(actor=request.user, user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your profile has been updated.")
            return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def consent(request):
    user = request.user
    in_force = current_consents(user)
    form = ConsentForm(_posted(request), in_force=in_force)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.record_consents(actor=user, user=user, decisions=form.decisions())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if created:
                messages.success(request, "Your choices have been saved.")
            else:
                messages.info(request, "Nothing changed: your choices are the same as before.")
            return redirect("accounts:consent")
    history = Paginator(
        ConsentRecord.objects.filter(user=user).order_by("-recorded_at", "-id"), CONSENT_HISTORY_PAGE_SIZE
    )
    page = history.get_page(request.GET.get("page"))
    return render(request, "accounts/consent.html", {"form": form, "history_page": page})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def join_network(request, slug):
    network = get_object_or_404(Network.objects.active(), slug=slug)
    existing = Membership.objects.filter(user=request.user, network=network, status__in=LEAVABLE).first()
    form = JoinNetworkForm(_posted(request), network=network)
    if request.method == "POST" and form.is_valid():
        try:
            membership = federation_services.join_network(
                actor=request.user, network=network, settlement=form.cleaned_data.get("settlement")
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if membership.status == Membership.Status.ACTIVE:
                messages.success(request, sentence(f"You have joined {network.name}"))
            else:
                messages.success(
                    request,
                    f"Your request to join {network.name} has been sent. "
                    "A coordinator will look at it and you will see their answer on this page.",
                )
            return redirect("accounts:profile")
    return render(request, "accounts/join_network.html", {"form": form, "network": network, "existing": existing})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def leave_membership(request, pk):
    """GET: what leaving means, and a button; POST: leave (or cancel a request)."""
    # Only one's own memberships: anybody else's is "not found".
    membership = get_object_or_404(Membership.objects.select_related("network", "settlement"), pk=pk, user=request.user)
    was_pending = membership.status == Membership.Status.PENDING
    if request.method == "GET":
        if membership.status not in LEAVABLE:
            return redirect("accounts:profile")
        return render(request, "accounts/leave_membership.html", {"membership": membership, "pending": was_pending})
    federation_services.leave_network(actor=request.user, membership=membership)
    if was_pending:
        messages.success(request, sentence(f"You have cancelled your request to join {membership.network.name}"))
    else:
        messages.success(request, sentence(f"You have left {membership.network.name}"))
    return redirect("accounts:profile")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def export(request):
    form = ExportForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        content = services.export_personal_data(actor=request.user, user=request.user)
        response = HttpResponse(content, content_type="application/zip")
        filename = f"recoverynet-my-data-{timezone.localdate().isoformat()}.zip"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(request, "accounts/export.html", {"form": form})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def erase(request):
    if request.method == "POST":
        # The password check is a way to guess passwords: throttle it as
        # allauth throttles its own re-authentication.
        too_many = ratelimit.consume_or_429(request, action="reauthenticate", user=request.user)
        if too_many:
            return too_many
    form = EraseAccountForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        services.erase_user(actor=request.user, user=request.user)
        logout(request)
        return redirect("accounts:erased")
    return render(request, "accounts/erase.html", {"form": form})


@require_GET
def erased(request):
    return render(request, "accounts/erased.html")


@never_cache
@require_GET
def admin_login(request):
    """The admin's own sign-in page, replaced: everyone signs in through allauth,
    with its rate limits and two-factor step. A password POSTed here signs nobody in."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=False):
        next_url = ""
    next_url = next_url or reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_staff:
            return redirect(next_url)
        # Signed in without admin rights: sending them to sign in again would loop.
        raise PermissionDenied
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


class PrivacyNoticeView(TemplateView):
    """/privacy/: what we hold and why, with the consent wording people are asked to agree to."""

    template_name = "accounts/privacy.html"

    def get_context_data(self, **kwargs):
        purposes = [
            {"value": purpose.value, "label": purpose.label, "version": wording.version, "text": wording.text}
            for purpose, wording in CURRENT_WORDING.items()
        ]
        return super().get_context_data(**kwargs) | contact_details() | {"consent_purposes": purposes}
