"""The public site: the federation, its networks, recovery settlements,
organisations and partnerships. Read-only, open to everyone, no personal data.

Every list page runs a constant number of queries whatever its length
(annotations, select_related, prefetch_related) and is paginated.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from recoverynet.core.registry import render_panels

from ..filters import OrganisationFilterSet, PartnershipFilterSet
from ..models import Federation, Membership, Network, Organisation, Partnership, Sector, Settlement

PAGE_SIZE = 20


# --- Querysets: what the public may see -------------------------------------------


def public_networks():
    return Network.objects.active()


def public_settlements():
    return Settlement.objects.active().select_related("network")


def public_organisations():
    return Organisation.objects.filter(is_active=True)


def public_partnerships():
    """Partnerships looked after by an active network."""
    return Partnership.objects.filter(lead_network__is_active=True).select_related("lead_network")


def networks_with_counts():
    return (
        public_networks()
        .annotate(
            settlement_count=Count("settlements", filter=Q(settlements__is_active=True), distinct=True),
            organisation_count=Count("organisations", filter=Q(organisations__is_active=True), distinct=True),
        )
        .order_by("name", "pk")
    )


def _active_networks_prefetch():
    return Prefetch("networks", queryset=public_networks(), to_attr="public_networks")


def _active_organisations_prefetch():
    return Prefetch("organisations", queryset=public_organisations().order_by("name"), to_attr="public_organisations")


# --- Helpers ----------------------------------------------------------------------


def paginate(request, queryset, per_page=PAGE_SIZE):
    """The requested page; a page number that is not a number shows the first
    page, one past the end shows the last (never an error)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request, form=None) -> str:
    """The current filters as a query string, for shareable pagination links;
    values the filter form rejected (and so did not use) are left out."""
    params = request.GET.copy()
    params.pop("page", None)
    for name in form.errors if form is not None else ():
        params.pop(name, None)
    return params.urlencode()


def marker(obj, kind) -> dict | None:
    if obj.latitude is None or obj.longitude is None:
        return None
    return {
        "name": obj.name,
        "url": obj.get_absolute_url(),
        "lat": float(obj.latitude),
        "lng": float(obj.longitude),
        "kind": kind,
    }


def markers_for(networks=(), settlements=()) -> list:
    found = [marker(n, "network") for n in networks] + [marker(s, "settlement") for s in settlements]
    return [m for m in found if m]


def group_by_sector(items, sectors_of) -> list:
    """[{value, label, items}] for every sector, in the order of `Sector`;
    an item appears under each of the sectors `sectors_of(item)` returns."""
    groups = {value: [] for value in Sector.values}
    for item in items:
        for sector in sectors_of(item):
            if sector in groups:
                groups[sector].append(item)
    return [{"value": value, "label": label, "items": groups[value]} for value, label in Sector.choices]


def partnership_sectors(partnership) -> list:
    return sorted({organisation.sector for organisation in partnership.public_organisations})


# --- Pages ------------------------------------------------------------------------


def home(request):
    federation = Federation.objects.order_by("pk").first()
    networks = list(networks_with_counts())
    settlements = list(public_settlements())
    for network in networks:
        network.public_settlements = [s for s in settlements if s.network_id == network.pk]
    return render(
        request,
        "federation/home.html",
        {
            "federation": federation,
            "federation_name": federation.name if federation else settings.FEDERATION_NAME,
            "networks": networks,
            "settlements": settlements,
            "settlement_total": len(settlements),
            "organisation_total": public_organisations().filter(networks__is_active=True).distinct().count(),
            "markers": markers_for(networks, settlements),
            "panels": render_panels("home", request, federation),
        },
    )


def network_list(request):
    page_obj = paginate(request, networks_with_counts())
    return render(
        request,
        "federation/network_list.html",
        {
            "page_obj": page_obj,
            "networks": page_obj.object_list,
            "markers": markers_for(page_obj.object_list),
            "query_string": query_without_page(request),
        },
    )


def network_detail(request, slug):
    network = get_object_or_404(public_networks(), slug=slug)
    settlements = list(public_settlements().filter(network=network).order_by("name"))
    organisations = list(public_organisations().filter(networks=network).order_by("name"))
    partnerships = list(
        public_partnerships()
        .filter(Q(lead_network=network) | Q(pk__in=Partnership.objects.filter(networks=network).values("pk")))
        .prefetch_related(_active_organisations_prefetch())
        .order_by("name")
    )
    membership = None
    can_manage = False
    if request.user.is_authenticated:
        membership = Membership.objects.filter(user=request.user, network=network).first()
        can_manage = request.user.has_perm("federation.manage_network", network)
    return render(
        request,
        "federation/network_detail.html",
        {
            "network": network,
            "settlements": settlements,
            "markers": markers_for([network], settlements),
            "organisation_count": len(organisations),
            "organisations_by_sector": group_by_sector(organisations, lambda o: [o.sector]),
            "partnerships": partnerships,
            "partnerships_by_sector": group_by_sector(partnerships, partnership_sectors),
            "partnerships_without_organisations": [p for p in partnerships if not p.public_organisations],
            "membership": membership,
            "can_manage": can_manage,
            "panels": render_panels("network", request, network),
        },
    )


def settlement_detail(request, slug):
    settlement = get_object_or_404(public_settlements(), slug=slug)
    return render(
        request,
        "federation/settlement_detail.html",
        {
            "settlement": settlement,
            "network": settlement.network,
            "markers": markers_for(settlements=[settlement]),
            "panels": render_panels("settlement", request, settlement),
        },
    )


def organisation_list(request):
    queryset = public_organisations().prefetch_related(_active_networks_prefetch()).order_by("name", "pk")
    filterset = OrganisationFilterSet(request.GET or None, queryset=queryset)
    page_obj = paginate(request, filterset.qs)
    return render(
        request,
        "federation/organisation_list.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page_obj": page_obj,
            "organisations": page_obj.object_list,
            "query_string": query_without_page(request, filterset.form),
            "is_filtered": any(request.GET.get(name) for name in filterset.filters),
        },
    )


def organisation_detail(request, slug):
    organisation = get_object_or_404(public_organisations(), slug=slug)
    return render(
        request,
        "federation/organisation_detail.html",
        {
            "organisation": organisation,
            "networks": list(public_networks().filter(organisations=organisation)),
            "partnerships": list(
                public_partnerships()
                .filter(organisations=organisation)
                .prefetch_related(_active_organisations_prefetch())
                .order_by("name")
            ),
        },
    )


def partnership_list(request):
    queryset = public_partnerships().prefetch_related(_active_organisations_prefetch()).order_by("name", "pk")
    filterset = PartnershipFilterSet(request.GET or None, queryset=queryset)
    page_obj = paginate(request, filterset.qs)
    return render(
        request,
        "federation/partnership_list.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page_obj": page_obj,
            "partnerships": page_obj.object_list,
            "query_string": query_without_page(request, filterset.form),
            "is_filtered": any(request.GET.get(name) for name in filterset.filters),
        },
    )


def partnership_detail(request, slug):
    partnership = get_object_or_404(
        public_partnerships().prefetch_related(_active_networks_prefetch(), _active_organisations_prefetch()),
        slug=slug,
    )
    return render(
        request,
        "federation/partnership_detail.html",
        {"partnership": partnership, "sectors": [Sector(s).label for s in partnership_sectors(partnership)]},
    )
