"""The public list of pitches: search and filters (a GET form that works without JavaScript).
Invalid values show an error and are left out of the query."""

import django_filters
from django.db.models import Q

from recoverynet.federation.filters import active_network_choices
from recoverynet.federation.models import Settlement

from .models import Initiative, Pitch, Theme

SEARCH_MAX_LENGTH = 100
PUBLIC_STATES = [(value, label) for value, label in Pitch.State.choices if value != Pitch.State.DRAFT]


def settlement_choices():
    return list(
        Settlement.objects.filter(is_active=True, network__is_active=True).order_by("name").values_list("slug", "name")
    )


class PitchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Search",
        help_text="Words in the title, problem or idea",
        max_length=SEARCH_MAX_LENGTH,
        error_messages={"max_length": f"Search must be {SEARCH_MAX_LENGTH} characters or fewer"},
    )
    network = django_filters.ChoiceFilter(
        field_name="network__slug",
        label="Network",
        choices=active_network_choices,
        empty_label="All networks",
        error_messages={"invalid_choice": "Choose a network from the list"},
    )
    settlement = django_filters.ChoiceFilter(
        field_name="settlement__slug",
        label="Recovery settlement",
        choices=settlement_choices,
        empty_label="All settlements",
        error_messages={"invalid_choice": "Choose a settlement from the list"},
    )
    theme = django_filters.ChoiceFilter(
        label="Theme",
        choices=Theme.choices,
        empty_label="All themes",
        error_messages={"invalid_choice": "Choose a theme from the list"},
    )
    state = django_filters.ChoiceFilter(
        label="Stage",
        choices=PUBLIC_STATES,
        empty_label="Any stage",
        error_messages={"invalid_choice": "Choose a stage from the list"},
    )

    class Meta:
        model = Pitch
        fields = ["q", "network", "settlement", "theme", "state"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(problem__icontains=value) | Q(idea__icontains=value))


class InitiativeFilterSet(django_filters.FilterSet):
    """The API's filters on initiatives (the list page's: network and kind)."""

    network = django_filters.ChoiceFilter(
        field_name="network__slug",
        label="Network",
        choices=active_network_choices,
        error_messages={"invalid_choice": "Choose a network from the list"},
    )
    kind = django_filters.ChoiceFilter(
        label="Kind",
        choices=Initiative.Kind.choices,
        error_messages={"invalid_choice": "Choose a kind from the list"},
    )

    class Meta:
        model = Initiative
        fields = ["network", "kind"]
