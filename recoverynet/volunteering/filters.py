"""The public list of roles: search and filters (a GET form that works without JavaScript).
An invalid value shows an error and is left out of the query."""

import django_filters
from django.db.models import Q

from recoverynet.federation.filters import network_filter, search_filter
from recoverynet.federation.models import Sector

from .models import DBS_RANK, DBSLevel, Job, Role

YES_NO = [("yes", "Yes")]


class RoleFilterSet(django_filters.FilterSet):
    q = search_filter()
    network = network_filter("filter_network")
    sector = django_filters.ChoiceFilter(
        label="Sector",
        method="filter_sector",
        choices=Sector.choices,
        empty_label="All sectors",
        error_messages={"invalid_choice": "Choose a sector from the list"},
    )
    dbs = django_filters.ChoiceFilter(
        label="DBS check",
        help_text="Roles that need at most this level",
        method="filter_dbs",
        choices=DBSLevel.choices,
        empty_label="Any",
        error_messages={"invalid_choice": "Choose a DBS level from the list"},
    )
    early = django_filters.ChoiceFilter(
        label="Suitable early in recovery",
        method="filter_early",
        choices=Role.EarlyRecovery.choices,
        empty_label="Any",
        error_messages={"invalid_choice": "Choose yes, no or ask us"},
    )
    remote = django_filters.ChoiceFilter(
        label="Remote",
        method="filter_remote",
        choices=[("yes", "Can be done remotely"), ("no", "In person")],
        empty_label="Either",
        error_messages={"invalid_choice": "Choose remote or in person"},
    )
    no_alcohol = django_filters.ChoiceFilter(
        label="Alcohol",
        method="filter_no_alcohol",
        choices=[("yes", "Only venues where no alcohol is served")],
        empty_label="Any venue",
        error_messages={"invalid_choice": "Choose from the list"},
    )

    class Meta:
        model = Role
        fields = ["q", "network", "sector", "dbs", "early", "remote", "no_alcohol"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(involves__icontains=value)
            | Q(skills__name__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(settlement__name__icontains=value)
            | Q(settlement__town__icontains=value)
            | Q(initiative__name__icontains=value)
        ).distinct()

    def filter_network(self, queryset, name, value):
        return queryset.filter(network__slug=value)

    def filter_sector(self, queryset, name, value):
        return queryset.filter(organisation__sector=value)

    def filter_dbs(self, queryset, name, value):
        allowed = [level for level, rank in DBS_RANK.items() if rank <= DBS_RANK[DBSLevel(value)]]
        return queryset.filter(dbs_level__in=allowed)

    def filter_early(self, queryset, name, value):
        return queryset.filter(early_recovery=value)

    def filter_remote(self, queryset, name, value):
        return queryset.filter(is_remote=value == "yes")

    def filter_no_alcohol(self, queryset, name, value):
        return queryset.filter(alcohol_at_venue=False)


class JobFilterSet(django_filters.FilterSet):
    """The jobs list's search (title or employer) and "lived experience welcomed", as on /volunteering/jobs/."""

    q = search_filter()
    lived_experience = django_filters.ChoiceFilter(
        label="Lived experience welcomed",
        method="filter_lived_experience",
        choices=YES_NO,
        empty_label="Any",
        error_messages={"invalid_choice": "Choose yes, or leave it out"},
    )

    class Meta:
        model = Job
        fields = ["q", "lived_experience"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(employer__icontains=value))

    def filter_lived_experience(self, queryset, name, value):
        return queryset.filter(lived_experience_welcomed=True)
