"""People in the API: the ones you may see (yourself, and the people whose
memberships you may see), and your own profile at /api/v1/members/me/."""

import django_filters
from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from recoverynet.accounts import services
from recoverynet.accounts.models import ConsentPurpose, User
from recoverynet.accounts.privacy import consented_user_ids
from recoverynet.core.api import error_responses
from recoverynet.federation.models import Membership
from recoverynet.federation.selectors import memberships_visible_to

from . import serializers


class MemberFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="display_name", lookup_expr="icontains", max_length=60, help_text="Text in the display name."
    )

    class Meta:
        model = User
        fields = ["q"]


def _membership_rows():
    return Membership.objects.select_related("network", "settlement", "organisation")


@extend_schema_view(
    list=extend_schema(
        summary="List people",
        description="You, and the people whose memberships you may see (as coordinator, host or federation "
        "coordinator), each with the memberships you may see. Email addresses only with consent to be contacted.",
        responses={200: serializers.MemberSerializer(many=True), **error_responses(403)},
    ),
    retrieve=extend_schema(
        summary="A person", responses={200: serializers.MemberSerializer, **error_responses(403, 404)}
    ),
)
class MemberViewSet(viewsets.ReadOnlyModelViewSet):
    """People you may see, by display name (which may be a pseudonym); others are not found."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = serializers.MemberSerializer
    filterset_class = MemberFilterSet
    ordering_fields = ["display_name"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return User.objects.none()
        user = self.request.user
        visible = memberships_visible_to(user, _membership_rows())
        return (
            User.objects.filter(Q(pk=user.pk) | Q(pk__in=visible.values("user_id")))
            # Never load (and decrypt) the personal details this endpoint does not show.
            .only("id", "display_name", "email", "erased_at")
            .prefetch_related(Prefetch("memberships", queryset=visible, to_attr="visible_memberships"))
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["email_visible_ids"] = getattr(self, "email_visible_ids", set())
        return context

    def _allow_emails_of(self, people):
        """Whose email the reader may see: their own, and consenting people's (one query per page)."""
        others = [p.pk for p in people if p.pk != self.request.user.pk]
        self.email_visible_ids = {self.request.user.pk} | consented_user_ids(ConsentPurpose.CONTACT, others)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        self._allow_emails_of(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        self._allow_emails_of([person])
        return Response(self.get_serializer(person).data)

    def _profile(self, request):
        person = User.objects.prefetch_related(Prefetch("memberships", queryset=_membership_rows())).get(
            pk=request.user.pk
        )
        return Response(serializers.ProfileSerializer(person, context=self.get_serializer_context()).data)

    @extend_schema(
        methods=["GET"],
        summary="Your profile",
        description="Everything in your own profile. Only you can see this.",
        responses={200: serializers.ProfileSerializer, **error_responses(403)},
    )
    @extend_schema(
        methods=["PATCH"],
        summary="Change your profile",
        request=serializers.ProfileSerializer,
        responses={200: serializers.ProfileSerializer, **error_responses(400, 403)},
    )
    @action(detail=False, methods=["get", "patch"], pagination_class=None, filterset_class=None)
    def me(self, request):
        if request.method == "PATCH":
            person = User.objects.get(pk=request.user.pk)
            serializer = serializers.ProfileSerializer(
                person, data=request.data, partial=True, context=self.get_serializer_context()
            )
            serializer.is_valid(raise_exception=True)
            services.update_profile(actor=request.user, user=person, data=dict(serializer.validated_data))
        return self._profile(request)


def register(router):
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("members", MemberViewSet, basename="member")
