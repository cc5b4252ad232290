"""The federation's FilterSets: the public lists of organisations and
partnerships, and the coordinators' and hosts' member lists (GET forms that
work without JavaScript).

Bad values never reach the database: each filter's form field validates first,
an invalid field shows a GOV.UK error message and is left out of the query.
"""

import django_filters
from django import forms
from django.db.models import Q

from .models import Membership, Network, Organisation, Partnership, Sector, Settlement

SEARCH_MAX_LENGTH = 100


def active_network_choices():
    return list(Network.objects.active().order_by("name").values_list("slug", "name"))


def search_filter():
    return django_filters.CharFilter(
        method="filter_q",
        label="Search",
        help_text="Name, description or town",
        max_length=SEARCH_MAX_LENGTH,
        error_messages={"max_length": f"Search must be {SEARCH_MAX_LENGTH} characters or fewer"},
    )


def network_filter(method):
    return django_filters.ChoiceFilter(
        method=method,
        label="Network",
        choices=active_network_choices,
        empty_label="All networks",
        error_messages={"invalid_choice": "Choose a network from the list"},
    )


class OrganisationFilterSet(django_filters.FilterSet):
    q = search_filter()
    sector = django_filters.ChoiceFilter(
        label="Sector",
        choices=Sector.choices,
        empty_label="All sectors",
        error_messages={"invalid_choice": "Choose a sector from the list"},
    )
    network = network_filter("filter_network")

    class Meta:
        model = Organisation
        fields = ["q", "sector", "network"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value) | Q(town__icontains=value))

    def filter_network(self, queryset, name, value):
        return queryset.filter(networks__slug=value, networks__is_active=True)


class PartnershipFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=Partnership.Status.choices,
        empty_label="Any status",
        error_messages={"invalid_choice": "Choose a status from the list"},
    )
    sector = django_filters.ChoiceFilter(
        label="Sector",
        help_text="Partnerships with at least one organisation from this sector",
        method="filter_sector",
        choices=Sector.choices,
        empty_label="All sectors",
        error_messages={"invalid_choice": "Choose a sector from the list"},
    )
    network = network_filter("filter_network")

    class Meta:
        model = Partnership
        fields = ["status", "sector", "network"]

    def filter_sector(self, queryset, name, value):
        return queryset.filter(
            pk__in=Partnership.objects.filter(organisations__sector=value, organisations__is_active=True).values("pk")
        )

    def filter_network(self, queryset, name, value):
        return queryset.filter(
            Q(lead_network__slug=value)
            | Q(pk__in=Partnership.objects.filter(networks__slug=value, networks__is_active=True).values("pk"))
        )


class MembershipFilter(django_filters.FilterSet):
    """Filter one network's (or one settlement's) memberships.

    Pass `network` to limit the settlement choices to that network's
    settlements, and `settlement` to drop the settlement filter altogether
    (a host's list is already limited to their settlement).
    """

    q = django_filters.CharFilter(
        field_name="user__display_name",
        lookup_expr="icontains",
        label="Display name",
        help_text="All or part of the name.",
        max_length=60,
    )
    status = django_filters.ChoiceFilter(choices=Membership.Status.choices, label="Status", empty_label="Any status")
    role = django_filters.ChoiceFilter(choices=Membership.Role.choices, label="Role", empty_label="Any role")
    settlement = django_filters.ModelChoiceFilter(
        queryset=Settlement.objects.none(), label="Settlement", empty_label="Any settlement"
    )

    class Meta:
        model = Membership
        fields = ["q", "status", "role", "settlement"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, network=None, settlement=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        if settlement is not None:
            del self.filters["settlement"]
        else:
            self.filters["settlement"].queryset = (
                Settlement.objects.filter(network=network).only("pk", "name", "network_id").order_by("name")
                if network is not None
                else Settlement.objects.none()
            )
        self.form.fields["q"].widget = forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})
