"""The directory's FilterSets: lists on the coordinators' pages, filtered by a
GET form that works without JavaScript (invalid values are errors, left out)."""

import django_filters
from django.db.models import Q

from .forms import DAY_CHOICES
from .models import ChangeRequest, Fellowship, Meeting


class MeetingManageFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Name or place", max_length=100)
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices, label="Status", empty_label="Any status")
    fellowship = django_filters.ModelChoiceFilter(
        queryset=Fellowship.objects.order_by("name"), label="Fellowship", empty_label="Any fellowship"
    )
    day = django_filters.ChoiceFilter(choices=DAY_CHOICES, field_name="days__day", label="Day", empty_label="Any day")

    class Meta:
        model = Meeting
        fields = ["q", "status", "fellowship", "day"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(location__town__icontains=value) | Q(location__name__icontains=value)
        )

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).distinct()


class ChangeRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ChangeRequest.Status.choices, label="Status", empty_label="Any status")

    class Meta:
        model = ChangeRequest
        fields = ["status"]
