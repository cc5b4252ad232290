"""/api/v1/outcomes/<network slug>/: a network's indicators by quarter, aggregated
and suppressed exactly as on the dashboard (figures.compute), for the same
readers: the network's coordinators, the federation coordinator and commissioners."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from recoverynet.core.api import error_responses
from recoverynet.federation.models import Network

from ..figures import compute
from ..framework import Quarter, not_yet_measured, quarters_ending
from . import serializers


def _value(quarter, figure):
    value = figure.public_value if isinstance(figure.public_value, int | float) else None
    return {"quarter": quarter.code, "value": value, "display": figure.display, "status": figure.status.value}


class NetworkOutcomesViewSet(viewsets.GenericViewSet):
    """Aggregated outcome indicators of one network."""

    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "slug"
    serializer_class = serializers.NetworkOutcomesSerializer
    queryset = Network.objects.none()

    @extend_schema(
        summary="A network's outcome indicators by quarter",
        description="Every registered indicator for the network, per quarter, with small numbers suppressed: "
        'counts from 1 to 4 are "fewer than 5" (value null) and figures that would give one away are '
        '"withheld". For the network\'s coordinators and the federation coordinator.',
        parameters=[serializers.QuerySerializer],
        responses={200: serializers.NetworkOutcomesSerializer, **error_responses(400, 403, 404)},
    )
    def retrieve(self, request, slug=None):
        network = get_object_or_404(Network.objects.active(), slug=slug)
        if not request.user.has_perm("outcomes.view_network_outcomes", network):
            raise PermissionDenied
        query = serializers.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        last = (
            Quarter.parse(query.validated_data["quarter"])
            if query.validated_data.get("quarter")
            else Quarter.containing(timezone.localdate())
        )
        quarters = quarters_ending(last, query.validated_data["quarters"])
        figures = compute(quarters)
        indicators = []
        for found in figures.indicators.values():
            indicator = found.indicator
            indicators.append(
                {
                    "key": indicator.key,
                    "name": indicator.name,
                    "outcomes": list(indicator.outcomes),
                    "unit": indicator.unit,
                    "period": indicator.period,
                    "definition": indicator.definition,
                    "source": indicator.source,
                    "caveats": indicator.caveats,
                    "values": [_value(q, f) for q, f in zip(quarters, found.rows[network.pk], strict=True)],
                    "federation": (
                        [_value(q, f) for q, f in zip(quarters, found.totals, strict=True)] if found.totals else None
                    ),
                }
            )
        missing = [
            {"key": m.key, "name": m.name, "outcomes": list(m.outcomes), "why": m.why} for m in not_yet_measured()
        ]
        data = {
            "network": network.slug,
            "name": network.name,
            "quarters": [q.code for q in quarters],
            "indicators": indicators,
            "not_yet_measured": missing,
        }
        return Response(serializers.NetworkOutcomesSerializer(data).data)


def register(router):
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("outcomes", NetworkOutcomesViewSet, basename="outcomes")
