"""Workers' and coordinators' pages: entering an assessment with a member,
and loading another instrument from a JSON file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from recoverynet.accounts.models import ConsentPurpose, User
from recoverynet.accounts.privacy import ConsentRequired, consented_user_ids
from recoverynet.core import scoping
from recoverynet.core.manage_pages import add_service_errors
from recoverynet.federation.models import Membership, Network

from .. import services
from ..forms import EnterWithMemberForm, InstrumentUploadForm
from ..models import Instrument


def _supported_memberships(user, network):
    """Active members of the network this person may enter assessments with."""
    memberships = Membership.objects.filter(network=network, status=Membership.Status.ACTIVE).exclude(user=user)
    if scoping.is_federation_coordinator(user) or network.pk in scoping.coordinated_network_ids(user):
        return memberships
    return memberships.filter(settlement_id__in=scoping.hosted_settlement_ids(user))


def _may_enter_with_members(user, network) -> bool:
    return (
        scoping.is_federation_coordinator(user)
        or network.pk in scoping.coordinated_network_ids(user)
        or Membership.objects.filter(network=network, settlement_id__in=scoping.hosted_settlement_ids(user)).exists()
    )


@login_required
@require_http_methods(["GET", "POST"])
def enter_with_member(request, slug):
    network = get_object_or_404(Network.objects.active(), slug=slug)
    if not _may_enter_with_members(request.user, network):
        raise PermissionDenied
    memberships = _supported_memberships(request.user, network)
    ids = consented_user_ids(ConsentPurpose.OUTCOME_MEASUREMENT, memberships.values_list("user_id", flat=True))
    members = User.objects.filter(pk__in=ids).order_by("display_name", "pk")
    instruments = Instrument.objects.ready().for_network(network.pk).order_by("short_name")
    form = EnterWithMemberForm(
        request.POST if request.method == "POST" else None, members=members, instruments=instruments
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.start_assessment(
                actor=request.user,
                person=form.cleaned_data["member"],
                network=network,
                instrument=form.cleaned_data["instrument"],
            )
        except ConsentRequired:
            form.add_error("member", "This member has not said yes to outcome measurement.")
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            return redirect(assessment.get_absolute_url())
    return render(request, "recoverycapital/manage/enter_with_member.html", {"form": form, "network": network})


@login_required
def instrument_list(request):
    user = request.user
    if not (scoping.is_federation_coordinator(user) or scoping.coordinated_network_ids(user)):
        raise PermissionDenied
    instruments = Instrument.objects.select_related("network").order_by("short_name", "-version")
    if not scoping.is_federation_coordinator(user):
        instruments = instruments.filter(network__isnull=True) | instruments.filter(
            network_id__in=scoping.coordinated_network_ids(user)
        )
    networks = Network.objects.active().order_by("name")
    if not scoping.is_federation_coordinator(user):
        networks = networks.filter(pk__in=scoping.coordinated_network_ids(user))
    return render(
        request, "recoverycapital/manage/instrument_list.html", {"instruments": instruments, "networks": networks}
    )


@login_required
@require_http_methods(["GET", "POST"])
def instrument_upload(request, slug):
    network = get_object_or_404(Network.objects.active(), slug=slug)
    if not request.user.has_perm("recoverycapital.load_instrument", network):
        raise PermissionDenied
    form = InstrumentUploadForm(
        request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            data = services.parse_instrument_file(form.cleaned_data["file"].read(services.MAX_INSTRUMENT_BYTES + 1))
            instrument = services.load_instrument(data, actor=request.user, network=network)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            messages.success(request, f"{instrument} is loaded for {network.name}.")
            return redirect("recoverycapital:manage:instrument_list")
    return render(request, "recoverycapital/manage/instrument_upload.html", {"form": form, "network": network})
