"""The federation API: public reads of networks, settlements, organisations and
partnerships; writes for those the rules allow; scoped memberships.

Views stay thin: serializers check the input's shape, recoverynet.federation.
services decide and write (permission, validation, audit, one transaction).
Every list runs a constant number of queries whatever its length.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from recoverynet.core import viewsets as core_viewsets
from recoverynet.core.api import (
    RulesObjectPermission,
    count_of,
    error_responses,
)
from recoverynet.core.viewsets import PublicReadOnlyViewSet
from recoverynet.federation import selectors, services
from recoverynet.federation.models import Membership, Network, Organisation, Partnership, Settlement

from . import filters, serializers


def public_networks():
    return Network.objects.active()


class PublicWritableViewSet(core_viewsets.PublicWritableViewSet):
    def reread(self, instance):
        """The object as the read endpoints show it, for the response to a write."""
        return self.read_queryset().filter(pk=instance.pk).first() or instance


_WRITE_ERRORS = error_responses(400, 403)
_UPDATE_ERRORS = error_responses(400, 403, 404)


@extend_schema_view(
    list=extend_schema(summary="List networks", description="Active networks of the federation."),
    retrieve=extend_schema(summary="A network", responses={200: serializers.NetworkSerializer, **error_responses(404)}),
)
class NetworkViewSet(PublicReadOnlyViewSet):
    """The federation's community-led recovery networks, by slug."""

    serializer_class = serializers.NetworkSerializer
    filterset_class = filters.NetworkFilterSet
    ordering_fields = ["name"]

    def get_queryset(self):
        return public_networks().annotate(
            settlement_count=count_of(Settlement.objects.filter(is_active=True), "network"),
            organisation_count=count_of(
                Organisation.networks.through.objects.filter(organisation__is_active=True), "network"
            ),
        )


@extend_schema_view(
    list=extend_schema(summary="List recovery settlements", description="Active settlements of active networks."),
    retrieve=extend_schema(
        summary="A recovery settlement", responses={200: serializers.SettlementSerializer, **error_responses(404)}
    ),
    create=extend_schema(
        summary="Set up a recovery settlement",
        description="For coordinators of the network named in `network`.",
        responses={201: serializers.SettlementSerializer, **_WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change a recovery settlement",
        description="For its network's coordinators and its hosts. Moving it to another network takes a "
        "coordinator of both.",
        responses={200: serializers.SettlementSerializer, **_UPDATE_ERRORS},
    ),
)
class SettlementViewSet(PublicWritableViewSet):
    """Recovery settlements (community hubs), by slug. Only active ones in active networks are shown."""

    serializer_class = serializers.SettlementSerializer
    filterset_class = filters.SettlementFilterSet
    ordering_fields = ["name", "town"]
    object_perms = {"partial_update": "federation.change_settlement"}

    def read_queryset(self):
        return Settlement.objects.active().select_related("network")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        network = data.pop("network")
        settlement = services.create_settlement(actor=self.request.user, network=network, data=data)
        serializer.instance = self.reread(settlement)

    def perform_update(self, serializer):
        services.update_settlement(
            actor=self.request.user, settlement=serializer.instance, data=dict(serializer.validated_data)
        )
        serializer.instance = self.reread(serializer.instance)


@extend_schema_view(
    list=extend_schema(summary="List organisations", description="Active organisations."),
    retrieve=extend_schema(
        summary="An organisation", responses={200: serializers.OrganisationSerializer, **error_responses(404)}
    ),
    create=extend_schema(
        summary="Add an organisation",
        description="For coordinators of every network named in `networks`.",
        responses={201: serializers.OrganisationSerializer, **_WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change an organisation",
        description="For coordinators of one of its networks and the professionals who work for it. Adding or "
        "removing a network takes a coordinator of that network.",
        responses={200: serializers.OrganisationSerializer, **_UPDATE_ERRORS},
    ),
)
class OrganisationViewSet(PublicWritableViewSet):
    """Organisations working with the networks, by slug. Only active ones are shown."""

    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilterSet
    ordering_fields = ["name", "town", "sector"]
    object_perms = {"partial_update": "federation.change_organisation"}

    def write_queryset(self):
        return Organisation.objects.filter(is_active=True)

    def read_queryset(self):
        return self.write_queryset().prefetch_related(Prefetch("networks", queryset=public_networks()))

    def perform_create(self, serializer):
        organisation = services.create_organisation(actor=self.request.user, data=dict(serializer.validated_data))
        serializer.instance = self.reread(organisation)

    def perform_update(self, serializer):
        services.update_organisation(
            actor=self.request.user, organisation=serializer.instance, data=dict(serializer.validated_data)
        )
        serializer.instance = self.reread(serializer.instance)


@extend_schema_view(
    list=extend_schema(summary="List partnerships", description="Partnerships looked after by an active network."),
    retrieve=extend_schema(
        summary="A partnership", responses={200: serializers.PartnershipSerializer, **error_responses(404)}
    ),
    create=extend_schema(
        summary="Set up a partnership",
        description="For coordinators of the lead network.",
        responses={201: serializers.PartnershipSerializer, **_WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change a partnership",
        description="For coordinators of its lead network (and of the new lead network when it changes).",
        responses={200: serializers.PartnershipSerializer, **_UPDATE_ERRORS},
    ),
)
class PartnershipViewSet(PublicWritableViewSet):
    """Partnerships between organisations and networks, by slug."""

    serializer_class = serializers.PartnershipSerializer
    filterset_class = filters.PartnershipFilterSet
    ordering_fields = ["name", "start_date", "status"]
    object_perms = {"partial_update": "federation.change_partnership"}

    def write_queryset(self):
        return Partnership.objects.filter(lead_network__is_active=True).select_related("lead_network")

    def read_queryset(self):
        return self.write_queryset().prefetch_related(
            Prefetch("networks", queryset=public_networks()),
            Prefetch("organisations", queryset=Organisation.objects.filter(is_active=True)),
        )

    def perform_create(self, serializer):
        partnership = services.create_partnership(actor=self.request.user, data=dict(serializer.validated_data))
        serializer.instance = self.reread(partnership)

    def perform_update(self, serializer):
        services.update_partnership(
            actor=self.request.user, partnership=serializer.instance, data=dict(serializer.validated_data)
        )
        serializer.instance = self.reread(serializer.instance)


# --- Memberships ----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List memberships",
        description="Memberships you may see: your own; your settlement's when you host it; your networks' when "
        "you coordinate them; all for federation coordinators.",
        responses={200: serializers.MembershipSerializer(many=True), **error_responses(403)},
    ),
    retrieve=extend_schema(
        summary="A membership", responses={200: serializers.MembershipSerializer, **error_responses(403, 404)}
    ),
    create=extend_schema(
        summary="Join a network",
        description="Ask to join a network (and optionally one of its settlements) as yourself. Networks that "
        "require approval put the request in front of their coordinators.",
        request=serializers.JoinNetworkSerializer,
        responses={201: serializers.MembershipSerializer, **_WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change a membership's role, settlement or organisation",
        description="For the network's coordinators.",
        request=serializers.ChangeMembershipSerializer,
        responses={200: serializers.MembershipSerializer, **_UPDATE_ERRORS},
    ),
)
class MembershipViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """People's memberships of networks, as far as you may see them (others are not found)."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [permissions.IsAuthenticated, RulesObjectPermission]
    serializer_class = serializers.MembershipSerializer
    filterset_class = filters.MembershipFilterSet
    ordering_fields = ["joined_at", "decided_at", "status", "role"]
    object_perms = {
        "partial_update": "federation.change_membership_role",
        "decide": "federation.decide_membership",
        "leave": "federation.leave_membership",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Membership.objects.none()
        queryset = Membership.objects.select_related("user", "network", "settlement", "organisation")
        return selectors.memberships_visible_to(self.request.user, queryset)

    def _respond(self, membership, status_code=status.HTTP_200_OK):
        membership = self.get_queryset().filter(pk=membership.pk).first() or membership
        return Response(self.get_serializer(membership).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = serializers.JoinNetworkSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        membership = services.join_network(
            actor=request.user,
            network=serializer.validated_data["network"],
            settlement=serializer.validated_data.get("settlement"),
        )
        return self._respond(membership, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        membership = self.get_object()
        serializer = serializers.ChangeMembershipSerializer(
            instance=membership, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.change_membership(actor=request.user, membership=membership, data=dict(serializer.validated_data))
        return self._respond(membership)

    @extend_schema(
        summary="Approve or decline a request to join",
        description="For the network's coordinators and, for their settlement, its hosts. A reason is needed "
        "when declining.",
        request=serializers.MembershipDecisionSerializer,
        responses={200: serializers.MembershipSerializer, **_UPDATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        membership = self.get_object()
        serializer = serializers.MembershipDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.decide_membership(
            actor=request.user,
            membership=membership,
            approve=serializer.validated_data["approve"],
            reason=serializer.validated_data["reason"],
        )
        return self._respond(membership)

    @extend_schema(
        summary="Leave a network",
        description="Your own membership only.",
        request=None,
        responses={200: serializers.MembershipSerializer, **error_responses(403, 404)},
    )
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        membership = self.get_object()
        services.leave_network(actor=request.user, membership=membership)
        return self._respond(membership)


def register(router):
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("networks", NetworkViewSet, basename="network")
    router.register("settlements", SettlementViewSet, basename="settlement")
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("partnerships", PartnershipViewSet, basename="partnership")
    router.register("memberships", MembershipViewSet, basename="membership")
