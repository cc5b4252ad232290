"""Shared REST API pieces: pagination, errors that never become a 500, a JSON
renderer safe to embed, and the rules-based object permission.

(The API documentation pages are in recoverynet.core.api_docs: this module is
imported by REST framework's settings, so it must not import drf-spectacular's views.)"""

import rules
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from rest_framework import exceptions, pagination, permissions, serializers
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from recoverynet.core.parsers import NULL_CHARACTER_MESSAGE, TextOnlyJSONParser  # noqa: F401 (re-exported)
from recoverynet.core.renderers import SafeJSONRenderer  # noqa: F401 (re-exported)


class StandardPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_schema_operation_parameters(self, view):
        # page: a 404 outside 1..last page; page_size: above 200 gives 200, anything else not 1..200 the default.
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


def _messages(error) -> list[str]:
    return [str(m) for m in error.messages]


def validation_error_detail(exc: DjangoValidationError) -> dict:
    """{field: [message, ...]} from a Django ValidationError; errors that belong
    to no field (NON_FIELD_ERRORS, "__all__") go under "non_field_errors"."""
    non_field_key = api_settings.NON_FIELD_ERRORS_KEY
    if not hasattr(exc, "error_dict"):
        return {non_field_key: _messages(exc)}
    detail = {}
    for field, errors in exc.error_dict.items():
        key = non_field_key if field in (NON_FIELD_ERRORS, None) else field
        detail.setdefault(key, []).extend(m for error in errors for m in _messages(error))
    return detail


def exception_handler(exc, context):
    """Turn the services layer's Django exceptions into 400 and 403 responses."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_error_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)


class RulesObjectPermission(permissions.BasePermission):
    """Object permission from django-rules for unsafe methods: `object_perms`
    on the view maps an action name to a permission ("federation.change_settlement").
    Reads are governed by the view's queryset (what the user may see).

    The rule itself is asked (rules.has_perm), not user.has_perm, which lets
    superusers do anything: an admin may not, say, leave someone else's network."""

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        perm = getattr(view, "object_perms", {}).get(getattr(view, "action", None))
        return perm is None or rules.has_perm(perm, request.user, obj)


class StrictStringMixin:
    """Text fields take JSON strings only: REST framework would turn 42 into "42"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(StrictStringMixin, serializers.CharField):
    pass


class StrictEmailField(StrictStringMixin, serializers.EmailField):
    pass


class StrictURLField(StrictStringMixin, serializers.URLField):
    pass


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose text fields refuse numbers, lists and objects."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.EmailField: StrictEmailField,
        models.URLField: StrictURLField,
    }


class ChangeCheckMixin:
    """For a write serializer's cross-field checks, which must also hold on a
    partial update (PATCH), where attrs has only the fields sent."""

    def value_after(self, attrs, field):
        """The field's value once this write is saved: the one sent, else the instance's."""
        return attrs.get(field, getattr(self.instance, field, None))


class ErrorSerializer(serializers.Serializer):
    """The body of a 403 or 404 response (for the schema)."""

    detail = serializers.CharField()


def error_responses(*status_codes) -> dict:
    """Schema documentation of the error responses an operation can give."""
    from drf_spectacular.types import OpenApiTypes
    from drf_spectacular.utils import OpenApiResponse

    described = {
        400: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="Invalid input: a list of messages per field name "
            "(errors about the whole request are under non_field_errors).",
        ),
        403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed to do this."),
        404: OpenApiResponse(ErrorSerializer, description="Not found, or not visible to you."),
    }
    return {code: described[code] for code in status_codes}


SLUG_PATTERN = r"[-a-zA-Z0-9_]+"


def count_of(queryset, link: str):
    """A subquery counting `queryset` rows whose `link` is the outer row (0 when none)."""
    counted = queryset.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
