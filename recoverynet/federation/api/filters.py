"""Query-string filters for the federation API. Each value is validated by its
form field first: a bad value is a 400, never a database error."""

import django_filters
from django.db.models import Q

from recoverynet.federation.models import Membership, Network, Organisation, Partnership, Sector, Settlement

SEARCH_MAX_LENGTH = 100


def search(help_text):
    return django_filters.CharFilter(method="filter_q", max_length=SEARCH_MAX_LENGTH, help_text=help_text)


def slug(field_name, help_text):
    return django_filters.CharFilter(field_name=field_name, max_length=80, help_text=help_text)


class SearchFilterSet(django_filters.FilterSet):
    search_fields: tuple = ()

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class NetworkFilterSet(SearchFilterSet):
    search_fields = ("name", "summary", "description")
    q = search("Text in the name, summary or description.")

    class Meta:
        model = Network
        fields = ["q"]


class SettlementFilterSet(SearchFilterSet):
    search_fields = ("name", "summary", "activities", "town")
    q = search("Text in the name, summary, activities or town.")
    network = slug("network__slug", "The network's slug.")
    town = django_filters.CharFilter(field_name="town", lookup_expr="iexact", max_length=100, help_text="Town.")

    class Meta:
        model = Settlement
        fields = ["q", "network", "town"]


class OrganisationFilterSet(SearchFilterSet):
    search_fields = ("name", "description", "town")
    q = search("Text in the name, description or town.")
    sector = django_filters.ChoiceFilter(choices=Sector.choices, help_text="Sector.")
    network = slug("networks__slug", "The slug of a network the organisation belongs to.")

    class Meta:
        model = Organisation
        fields = ["q", "sector", "network"]


class PartnershipFilterSet(SearchFilterSet):
    search_fields = ("name", "purpose")
    q = search("Text in the name or purpose.")
    status = django_filters.ChoiceFilter(choices=Partnership.Status.choices, help_text="Status.")
    network = django_filters.CharFilter(
        method="filter_network", max_length=80, help_text="The slug of the lead network or a partner network."
    )
    organisation = django_filters.CharFilter(
        method="filter_organisation", max_length=80, help_text="The slug of a partner organisation."
    )
    sector = django_filters.ChoiceFilter(
        method="filter_sector", choices=Sector.choices, help_text="The sector of a partner organisation."
    )

    class Meta:
        model = Partnership
        fields = ["q", "status", "network", "organisation", "sector"]

    # Filters across many-to-many relations use a subquery so a partnership is listed once.
    def filter_network(self, queryset, name, value):
        return queryset.filter(
            Q(lead_network__slug=value)
            | Q(pk__in=Partnership.networks.through.objects.filter(network__slug=value).values("partnership_id"))
        )

    def filter_organisation(self, queryset, name, value):
        through = Partnership.organisations.through.objects
        return queryset.filter(pk__in=through.filter(organisation__slug=value).values("partnership_id"))

    def filter_sector(self, queryset, name, value):
        through = Partnership.organisations.through.objects
        return queryset.filter(pk__in=through.filter(organisation__sector=value).values("partnership_id"))


class MembershipFilterSet(django_filters.FilterSet):
    network = slug("network__slug", "The network's slug.")
    settlement = slug("settlement__slug", "The settlement's slug.")
    status = django_filters.ChoiceFilter(choices=Membership.Status.choices, help_text="Status.")
    role = django_filters.ChoiceFilter(choices=Membership.Role.choices, help_text="Role.")

    class Meta:
        model = Membership
        fields = ["network", "settlement", "status", "role"]
