"""The pitches and initiatives API (/api/v1/pitches/, /api/v1/initiatives/): public reads
with the list pages' filters, and members' support and pledges through the same services
and rules as the pages. Support is idempotent: asking again answers with how it stands."""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from recoverynet.core.api import error_responses
from recoverynet.federation.models import Organisation

from .. import services
from ..filters import InitiativeFilterSet, PitchFilterSet
from ..models import Initiative, Pitch, Support, TeamMember, support_threshold_of
from ..selectors import pitches_visible_to, public_pitches, updates_visible_to
from . import serializers

_WRITE_ERRORS = error_responses(400, 403, 404)


def _pitches():
    return Pitch.objects.select_related("network", "settlement").annotate(supporters=Count("supports", distinct=True))


@extend_schema_view(
    list=extend_schema(
        summary="List pitches",
        description="Published pitches and those in a later stage (never drafts or hidden ones), newest first, "
        "with the filters of /initiatives/.",
        responses={200: serializers.PitchSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        summary="A pitch",
        description="Its needs and the totals pledged against them; never who supported or pledged.",
        responses={200: serializers.PitchDetailSerializer, **error_responses(404)},
    ),
)
class PitchViewSet(viewsets.ReadOnlyModelViewSet):
    """Community ideas pitched to a network."""

    permission_classes = [permissions.AllowAny]
    filterset_class = PitchFilterSet
    ordering_fields = ["published_at", "title"]

    def get_serializer_class(self):
        return serializers.PitchDetailSerializer if self.action == "retrieve" else serializers.PitchSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Pitch.objects.none()
        if self.action == "list":
            return public_pitches(_pitches()).order_by("-published_at", "-pk")
        return pitches_visible_to(self.request.user, _pitches()).order_by("-published_at", "-pk")

    def retrieve(self, request, *args, **kwargs):
        pitch = self.get_object()
        pitch.support_threshold = support_threshold_of(pitch.network)
        return Response(self.get_serializer(pitch).data)

    def _support_status(self, pitch):
        pitch.refresh_from_db(fields=["state"])
        data = {
            "you_support": Support.objects.filter(pitch=pitch, user=self.request.user).exists(),
            "supporters": Support.objects.filter(pitch=pitch).count(),
            "state": pitch.state,
        }
        return Response(serializers.SupportStatusSerializer(data).data)

    @extend_schema(
        summary="Support a pitch",
        description="Members of the pitch's network, except its author. The support that reaches the network's "
        "threshold puts the pitch under review. Supporting again answers with your support as it stands.",
        request=None,
        responses={200: serializers.SupportStatusSerializer, **_WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated], filterset_class=None)
    def support(self, request, pk=None):
        pitch = self.get_object()
        try:
            services.support_pitch(actor=request.user, pitch=pitch)
        except ValidationError as exc:
            if getattr(exc, "code", None) != "twice":
                raise
        return self._support_status(pitch)

    @extend_schema(
        summary="Withdraw your support",
        description="Takes your support back (a pitch already under review stays there). Withdrawing support "
        "you do not give answers with how it stands.",
        request=None,
        responses={200: serializers.SupportStatusSerializer, **_WRITE_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="withdraw-support",
        permission_classes=[permissions.IsAuthenticated],
        filterset_class=None,
    )
    def withdraw_support(self, request, pk=None):
        pitch = self.get_object()
        supports = Support.objects.filter(pitch=pitch, user=request.user).exists()
        if not supports and not rules.has_perm("initiatives.support_pitch", request.user, pitch):
            raise PermissionDenied("Only members of the pitch's network support it.")
        try:
            services.withdraw_support(actor=request.user, pitch=pitch)
        except ValidationError as exc:
            if getattr(exc, "code", None) != "none":
                raise
        return self._support_status(pitch)

    @extend_schema(
        summary="Pledge to a pitch",
        description="Hours, skills, a space or equipment, for yourself or for an organisation you work for. "
        "Hours are a pledge only: nothing moves in the time bank.",
        request=serializers.PledgeWriteSerializer,
        responses={201: serializers.PledgeSerializer, **_WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated], filterset_class=None)
    def pledges(self, request, pk=None):
        pitch = self.get_object()
        if not rules.has_perm("initiatives.pledge_to_pitch", request.user, pitch):
            raise PermissionDenied("Only members of the pitch's network pledge to it.")
        body = serializers.PledgeWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        organisation = None
        if data.get("organisation"):
            organisation = Organisation.objects.filter(slug=data["organisation"]).first()
            if organisation is None:
                return Response(
                    {"organisation": ["Choose an organisation you work for."]}, status=status.HTTP_400_BAD_REQUEST
                )
        pledge = services.pledge_to_pitch(
            actor=request.user,
            pitch=pitch,
            kind=data["kind"],
            hours=data.get("hours"),
            description=data.get("description") or "",
            organisation=organisation,
        )
        return Response(serializers.PledgeSerializer(pledge).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="List initiatives and social enterprises",
        description="Every initiative and social enterprise, by name, with the filters of /initiatives/projects/.",
        responses={200: serializers.InitiativeSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        summary="An initiative or social enterprise",
        description="Its team (display names and roles), milestones, results with computed progress, "
        "public timeline and decisions.",
        responses={200: serializers.InitiativeDetailSerializer, **error_responses(404)},
    ),
)
class InitiativeViewSet(viewsets.ReadOnlyModelViewSet):
    """Community initiatives and social enterprises started from accepted pitches."""

    permission_classes = [permissions.AllowAny]
    filterset_class = InitiativeFilterSet
    ordering_fields = ["name", "started_on"]

    def get_serializer_class(self):
        return serializers.InitiativeDetailSerializer if self.action == "retrieve" else serializers.InitiativeSerializer

    def get_queryset(self):
        queryset = (
            Initiative.objects.select_related("network", "settlement")
            .annotate(team_size=Count("team", distinct=True))
            .order_by("name", "pk")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                "partners",
                "milestones",
                "decisions",
                Prefetch("team", TeamMember.objects.select_related("user").order_by("role", "pk")),
            )
        return queryset

    def retrieve(self, request, *args, **kwargs):
        initiative = self.get_object()
        updates = list(updates_visible_to(request.user, initiative.updates.select_related("author"))[:50])
        context = {**self.get_serializer_context(), "updates": updates}
        return Response(serializers.InitiativeDetailSerializer(initiative, context=context).data)


def register(router):
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("pitches", PitchViewSet, basename="initiatives-pitch")
    router.register("initiatives", InitiativeViewSet, basename="initiatives-initiative")
