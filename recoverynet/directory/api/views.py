"""The directory API: meetings (with the finder's filters), fellowships
("groups"), support services and locations.

Views stay thin: serializers check the input's shape, recoverynet.directory.
services decide and write (permission, validation, audit, one transaction).
The meeting list is recoverynet.directory.finder's answer, so it agrees with
the public finder page. Every list runs a constant number of queries.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from recoverynet.core.api import (
    count_of,
    error_responses,
)
from recoverynet.core.viewsets import PublicReadOnlyViewSet, PublicWritableViewSet

from .. import finder, services
from ..models import Fellowship, Location, Meeting, Service, TaxonomyTerm
from . import filters, serializers

UUID_PATTERN = r"[0-9a-fA-F-]{36}"
_WRITE_ERRORS = error_responses(400, 403)
_UPDATE_ERRORS = error_responses(400, 403, 404)


def meeting_queryset():
    """Meetings with everything a row shows, in a fixed number of queries."""
    return Meeting.objects.select_related("fellowship", "network", "location").prefetch_related("days", "types")


class WritableViewSet(PublicWritableViewSet):
    """Anyone reads; people the rules allow create (POST) and change (PATCH).
    Requests are read with `write_serializer_class`, answers written with `serializer_class`."""

    write_serializer_class = None

    def respond(self, instance, status_code=status.HTTP_200_OK):
        """The object as the read endpoints show it (even when it is no longer listed)."""
        shown = self.shown_queryset().filter(pk=instance.pk).first() or instance
        return Response(self.get_serializer(shown).data, status=status_code)

    def shown_queryset(self):
        return self.read_queryset()

    def create(self, request, *args, **kwargs):
        serializer = self.write_serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        instance = self.perform_write_create(dict(serializer.validated_data))
        return self.respond(instance, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.write_serializer_class(
            instance=instance, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        self.perform_write_update(instance, dict(serializer.validated_data))
        return self.respond(instance)


# --- Meetings -----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Find meetings",
        description="Listed meetings matching the finder's parameters (the same answers as the finder page), "
        "sorted by next occurrence, or by distance with sort=distance and near. Temporarily closed meetings "
        "that do not meet online are left out.",
        parameters=[filters.MeetingQuerySerializer],
        responses={200: serializers.MeetingSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(summary="A meeting", responses={200: serializers.MeetingSerializer, **error_responses(404)}),
    create=extend_schema(
        summary="Add a meeting",
        description="For coordinators of the network named in `network`. A weekly meeting needs `days` and "
        "`start_time`; the slug is made from the name when none is given.",
        request=serializers.MeetingWriteSerializer,
        responses={201: serializers.MeetingSerializer, **_WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change a meeting",
        description="For its network's coordinators. `days` and `types`, when given, replace the meeting's.",
        request=serializers.MeetingWriteSerializer,
        responses={200: serializers.MeetingSerializer, **_UPDATE_ERRORS},
    ),
)
class MeetingViewSet(WritableViewSet):
    """Mutual-aid meetings, by slug. Days use the Meeting Guide numbering (0 = Sunday)."""

    serializer_class = serializers.MeetingSerializer
    write_serializer_class = serializers.MeetingWriteSerializer
    filter_backends = []  # the finder filters and sorts
    object_perms = {"partial_update": "directory.change_meeting"}

    def read_queryset(self):
        return meeting_queryset().listed()

    def write_queryset(self):
        return Meeting.objects.filter(network__is_active=True)

    def shown_queryset(self):
        return meeting_queryset()

    def list(self, request, *args, **kwargs):
        params = filters.MeetingQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        results = finder.find_meetings(params.to_query(), queryset=meeting_queryset())
        page = self.paginate_queryset(results)
        meetings = [row.meeting for row in page if row.meeting is not None]
        return self.get_paginated_response(self.get_serializer(meetings, many=True).data)

    def perform_write_create(self, data):
        network, days, types = data.pop("network"), data.pop("days", []), data.pop("types", [])
        return services.create_meeting(actor=self.request.user, network=network, data=data, days=days, types=types)

    def perform_write_update(self, meeting, data):
        days, types = data.pop("days", None), data.pop("types", None)
        services.update_meeting(actor=self.request.user, meeting=meeting, data=data, days=days, types=types)


# --- Fellowships ----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List fellowships and groups", description="AA, NA, SMART Recovery, Al-Anon, ..."),
    retrieve=extend_schema(
        summary="A fellowship or group", responses={200: serializers.FellowshipSerializer, **error_responses(404)}
    ),
)
class FellowshipViewSet(PublicReadOnlyViewSet):
    """Mutual-aid fellowships and kinds of group, by slug (the issue's "groups")."""

    serializer_class = serializers.FellowshipSerializer
    filterset_class = filters.FellowshipFilterSet
    ordering_fields = ["name"]

    def get_queryset(self):
        return Fellowship.objects.annotate(meeting_count=count_of(Meeting.objects.listed(), "fellowship"))


# --- Locations ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List locations", description="Venues of the active networks."),
    retrieve=extend_schema(
        summary="A location",
        parameters=[OpenApiParameter("uuid", str, OpenApiParameter.PATH, description="The location's id.")],
        responses={200: serializers.LocationSerializer, **error_responses(404)},
    ),
)
class LocationViewSet(PublicReadOnlyViewSet):
    """Where meetings and services happen, by id."""

    serializer_class = serializers.LocationSerializer
    filterset_class = filters.LocationFilterSet
    ordering_fields = ["town", "name"]
    lookup_field = "uuid"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self):
        return Location.objects.filter(network__is_active=True).select_related("network", "settlement")


# --- Services ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List support services",
        description="Public services of active organisations: active or temporarily closed (see `status`); "
        "the same ones as their pages and Open Referral.",
    ),
    retrieve=extend_schema(summary="A service", responses={200: serializers.ServiceSerializer, **error_responses(404)}),
    create=extend_schema(
        summary="Add a service",
        description="For coordinators of the network named in `network`.",
        request=serializers.ServiceWriteSerializer,
        responses={201: serializers.ServiceSerializer, **_WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change a service",
        description="For its network's coordinators and the professionals of its organisation. Moving it to "
        "another network or organisation takes a coordinator of its network.",
        request=serializers.ServiceWriteSerializer,
        responses={200: serializers.ServiceSerializer, **_UPDATE_ERRORS},
    ),
)
class ServiceViewSet(WritableViewSet):
    """Support services offered by organisations (Open Referral UK shape), by slug."""

    serializer_class = serializers.ServiceSerializer
    write_serializer_class = serializers.ServiceWriteSerializer
    filterset_class = filters.ServiceFilterSet
    ordering_fields = ["name", "assured_date"]
    object_perms = {"partial_update": "directory.change_service"}

    def full_queryset(self):
        return Service.objects.select_related("organisation", "network").prefetch_related(
            Prefetch("taxonomy_terms", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
            "locations",
            "schedules",
            "contacts__phones",
        )

    def read_queryset(self):
        return self.full_queryset().listed()

    def shown_queryset(self):
        return self.full_queryset()

    def write_queryset(self):
        return Service.objects.filter(network__is_active=True)

    def perform_write_create(self, data):
        network, terms = data.pop("network"), data.pop("taxonomy_terms", [])
        return services.create_service(actor=self.request.user, network=network, data=data, taxonomy_terms=terms)

    def perform_write_update(self, service, data):
        moves = (key for key in ("network", "organisation") if key in data and data[key] != getattr(service, key))
        for key in moves:
            target = data.get("network", service.network)
            if not rules.has_perm("directory.add_service", self.request.user, target):
                raise PermissionDenied(f"Only the network's coordinators may change a service's {key}.")
        services.update_service(actor=self.request.user, service=service, data=data)


def register(router):
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("fellowships", FellowshipViewSet, basename="fellowship")
    router.register("services", ServiceViewSet, basename="service")
    router.register("locations", LocationViewSet, basename="location")
