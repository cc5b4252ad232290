"""The time bank's FilterSets: the offers and requests list, filtered by a GET
form that works without JavaScript (invalid values are errors, left out)."""

import django_filters
from django.db.models import Q

from .models import Category, Post


class PostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search", max_length=100)
    kind = django_filters.ChoiceFilter(
        choices=[("offer", "Offers of help"), ("request", "Requests for help")],
        label="Offers or requests",
        empty_label="Both",
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.filter(is_active=True).order_by("name"),
        to_field_name="slug",
        label="Category",
        empty_label="Any category",
    )

    class Meta:
        model = Post
        fields = ["q", "kind", "category"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))
