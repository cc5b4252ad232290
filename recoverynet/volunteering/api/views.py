"""The volunteering API: public reads of roles (filters as on /volunteering/), by slug."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from recoverynet.core.api import error_responses
from recoverynet.core.viewsets import PublicReadOnlyViewSet

from ..filters import RoleFilterSet
from ..selectors import public_roles, roles_with_next_shifts
from . import serializers


@extend_schema_view(
    list=extend_schema(
        summary="List volunteering roles",
        description="Published roles with their requirements and upcoming shifts.",
        responses={200: serializers.RoleSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        summary="A volunteering role", responses={200: serializers.RoleSerializer, **error_responses(404)}
    ),
)
class RoleViewSet(PublicReadOnlyViewSet):
    """Volunteering roles, by slug."""

    serializer_class = serializers.RoleSerializer
    filterset_class = RoleFilterSet
    ordering_fields = ["title"]

    def get_queryset(self):
        return roles_with_next_shifts(public_roles().order_by("title", "pk"))


def register(router):
    router.register("volunteering/roles", RoleViewSet, basename="volunteering-role")
