"""Filters for the coordinators' and hosts' member lists (django-filter)."""

import django_filters
from django import forms

from .models import Membership, Settlement


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
