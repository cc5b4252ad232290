"""Filters for the audit log pages (django-filter)."""

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst

from . import scoping
from .forms import DATE_INPUT_FORMATS
from .models import AuditEntry


class ObjectTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return capfirst(obj.name)


class ObjectTypeFilter(django_filters.ModelChoiceFilter):
    field_class = ObjectTypeChoiceField


def networks():
    """The audit log's networks (core names the federation's model only through the foreign key)."""
    return AuditEntry._meta.get_field("network").related_model.objects


def visible_networks(user):
    """The networks whose entries the user may read (see AuditEntry.objects.visible_to)."""
    if scoping.is_federation_coordinator(user):
        return networks().order_by("name")
    return networks().filter(pk__in=scoping.coordinated_network_ids(user)).order_by("name")


class AuditFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The ‘to’ date must be the same as or after the ‘from’ date.")
        return cleaned


class AuditEntryFilter(django_filters.FilterSet):
    network = django_filters.ModelChoiceFilter(
        queryset=lambda request: networks().none(), label="Network", empty_label="All your networks"
    )
    action = django_filters.ChoiceFilter(choices=AuditEntry.Action.choices, label="Action", empty_label="Any action")
    object_type = ObjectTypeFilter(
        field_name="content_type",
        queryset=ContentType.objects.none(),
        label="Type of record",
        empty_label="Any type",
    )
    date_from = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label="From",
        help_text="For example, 2026-03-27 or 27 3 2026.",
        input_formats=DATE_INPUT_FORMATS,
    )
    date_to = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        label="To",
        help_text="For example, 2026-04-30 or 30 4 2026.",
        input_formats=DATE_INPUT_FORMATS,
    )

    class Meta:
        model = AuditEntry
        form = AuditFilterForm
        fields = ["network", "action", "object_type", "date_from", "date_to"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = user if user is not None else getattr(request, "user", None)
        self.filters["network"].queryset = visible_networks(user) if user is not None else networks().none()
        self.filters["object_type"].queryset = audited_types(user)


def audited_types(user):
    """The types of record in the entries `user` may read. Taken from the log itself,
    so every audited model (a new app's too) is offered with no list to keep."""
    entries = AuditEntry.objects.visible_to(user) if user is not None else AuditEntry.objects.none()
    return ContentType.objects.filter(pk__in=entries.values("content_type_id")).order_by("model")
