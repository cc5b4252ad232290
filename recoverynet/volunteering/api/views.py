"""The volunteering API, with the same services and rules as the pages: public reads of
roles (filters as on /volunteering/) and their shifts, and of open jobs (as on
/volunteering/jobs/), by slug; a member's own places on shifts (list, sign up, on a flexible
shift with the time they choose; cancel; choose or change their time; confirm their hours),
saving jobs and recording how an application went, and their "for you" list.
The organisers' side is in manage.py.

Signing up has no idempotency key (the page has none either): the same shift twice is
refused ("You already have a place"), and cancelling a place already cancelled answers
with it as it stands."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from recoverynet.core.api import error_responses
from recoverynet.core.viewsets import PublicReadOnlyViewSet

from .. import services
from ..filters import JobFilterSet, RoleFilterSet
from ..matching import for_you as rank_for_you
from ..models import Job, JobOutcome, Shift, SignUp
from ..selectors import public_roles, roles_with_next_shifts, signups_visible_to, upcoming_shifts
from . import serializers
from .manage import register as register_organisers


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

    @extend_schema(
        summary="A role's shifts",
        description="The role's shifts still to start, soonest first, each with its places left.",
        responses={200: serializers.ShiftSerializer(many=True), **error_responses(404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def shifts(self, request, slug=None):
        role = get_object_or_404(public_roles(), slug=slug)
        page = self.paginate_queryset(upcoming_shifts().filter(role=role))
        return self.get_paginated_response(serializers.ShiftSerializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Your places on shifts",
        description="Your own sign-ups, soonest shift first (as on /volunteering/mine/).",
        responses={200: serializers.MySignUpSerializer(many=True), **error_responses(403)},
    ),
    retrieve=extend_schema(
        summary="One of your places", responses={200: serializers.MySignUpSerializer, **error_responses(403, 404)}
    ),
    create=extend_schema(
        summary="Sign up for a shift",
        description="Confirmed at once where the role allows, otherwise waiting for the organiser. On a flexible "
        "shift, date, start and end (all three, or none to agree it with the organiser) choose your time within "
        "the window, as on the sign-up page. Refused, with nothing written, for a full, started or past shift, a "
        "role you cannot take, an overlapping place, a place you already have, or a time outside the window.",
        request=serializers.SignUpRequestSerializer,
        responses={201: serializers.MySignUpSerializer, **error_responses(400, 403)},
    ),
)
class SignUpViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """A member's own places on shifts; anyone else's is "not found"."""

    http_method_names = ["get", "post", "head", "options"]
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = serializers.MySignUpSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SignUp.objects.none()
        user = self.request.user
        return (
            signups_visible_to(user)
            .filter(user=user)
            .select_related("shift__role__network")
            .order_by("shift__starts_at", "pk")
        )

    def _respond(self, signup, status_code=status.HTTP_200_OK):
        signup = self.get_queryset().get(pk=signup.pk)
        return Response(self.get_serializer(signup).data, status=status_code)

    def create(self, request, *args, **kwargs):
        body = serializers.SignUpRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        shift = (
            Shift.objects.select_related("role__network")
            .filter(role__in=public_roles(), pk=body.validated_data["shift"])
            .first()
        )
        if shift is None:  # in the body, not the address: a 400 naming the field
            return Response({"shift": ["Choose a shift of a published role."]}, status=status.HTTP_400_BAD_REQUEST)
        signup = services.sign_up(actor=request.user, shift=shift, chosen=body.validated_data["chosen"])
        return self._respond(signup, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel your place",
        description="Before the shift starts. A place already cancelled answers as it stands.",
        request=None,
        responses={200: serializers.MySignUpSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        signup = self.get_object()
        try:
            services.cancel_signup(actor=request.user, signup=signup)
        except ValidationError as exc:
            if getattr(exc, "code", None) == "decided" and signup.status == SignUp.Status.CANCELLED:
                return self._respond(signup)
            raise
        return self._respond(signup)

    @extend_schema(
        summary="Choose or change your time",
        description="On a flexible shift, after signing up: a day and times within the window (and its daily "
        "hours), in the future, overlapping none of your other places, as on the page. Not once your time has "
        "started, the window has closed or hours are recorded. The organisers are emailed.",
        request=serializers.ChooseTimeSerializer,
        responses={200: serializers.MySignUpSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def time(self, request, pk=None):
        signup = self.get_object()
        body = serializers.ChooseTimeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.choose_time(actor=request.user, signup=signup, chosen=body.validated_data["chosen"])
        return self._respond(signup)

    @extend_schema(
        summary="Confirm your hours",
        description="The hours the organiser recorded for you. Hours already confirmed answer as they stand.",
        request=None,
        responses={200: serializers.MySignUpSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="confirm-hours", url_name="confirm-hours")
    def confirm_hours(self, request, pk=None):
        signup = self.get_object()
        try:
            services.confirm_hours(actor=request.user, signup=signup)
        except ValidationError as exc:
            if getattr(exc, "code", None) != "confirmed":
                raise
        return self._respond(signup)


@extend_schema_view(
    list=extend_schema(
        summary="Jobs",
        description="Open paid opportunities (not yet closed), closing soonest first, as on /volunteering/jobs/.",
        responses={200: serializers.JobSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(summary="A job", responses={200: serializers.JobSerializer, **error_responses(404)}),
)
class JobViewSet(PublicReadOnlyViewSet):
    """Paid opportunities, by slug: the list shows open ones; a published job stays readable after it closes."""

    serializer_class = serializers.JobSerializer
    filterset_class = JobFilterSet
    ordering_fields = ["closing_date", "title"]

    def get_queryset(self):
        if self.action == "list":
            jobs = Job.objects.open_on(timezone.localdate())
        else:
            jobs = Job.objects.filter(is_published=True)
        return jobs.select_related("network", "organisation").order_by("closing_date", "title", "pk")

    @extend_schema(
        methods=["GET"],
        summary="Where you are with a job",
        description="Only you see it. Not found when you have not saved the job.",
        responses={200: serializers.JobOutcomeSerializer, **error_responses(403, 404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Save a job, or record how it went",
        description="saved, applied, interview, offered, started or not_this_time, as on the job's page. A job "
        "that has closed can be tracked only if you saved it before.",
        request=serializers.JobOutcomeRequestSerializer,
        responses={200: serializers.JobOutcomeSerializer, **error_responses(400, 403, 404)},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Remove a saved job",
        description="Only a job merely saved: once you recorded how an application went, choose not_this_time "
        "instead. A job not saved answers 204 too.",
        request=None,
        responses={204: None, **error_responses(400, 403, 404)},
    )
    @action(
        detail=True,
        methods=["get", "post", "delete"],
        permission_classes=[permissions.IsAuthenticated],
        filter_backends=[],
    )
    def outcome(self, request, slug=None):
        job = get_object_or_404(Job.objects.filter(is_published=True).select_related("network"), slug=slug)
        if request.method == "DELETE":
            services.unsave_job(actor=request.user, job=job)
            return Response(status=status.HTTP_204_NO_CONTENT)
        if request.method == "POST":
            body = serializers.JobOutcomeRequestSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            services.record_job_outcome(actor=request.user, job=job, status=body.validated_data["status"])
        outcome = get_object_or_404(JobOutcome.objects.select_related("job"), user=request.user, job=job)
        return Response(serializers.JobOutcomeSerializer(outcome).data)


@extend_schema_view(
    list=extend_schema(
        summary="Roles for you",
        description="The roles you can take in your networks, best fit first (as on /volunteering/for-you/): "
        "those that use your skills, then the nearest to your settlement, then those with fewer things to "
        "weigh up. At most 50.",
        responses={200: serializers.ForYouSerializer(many=True), **error_responses(403)},
    ),
)
class ForYouViewSet(viewsets.GenericViewSet):
    """A member's own "for you" list: only they see it (it weighs their private profile)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = serializers.ForYouSerializer
    filter_backends = []
    pagination_class = None

    def list(self, request):
        matches = rank_for_you(request.user, timezone.localdate())
        return Response(self.get_serializer(matches, many=True).data)


def register(router):
    router.register("volunteering/roles", RoleViewSet, basename="volunteering-role")
    router.register("volunteering/signups", SignUpViewSet, basename="volunteering-signup")
    router.register("volunteering/jobs", JobViewSet, basename="volunteering-job")
    router.register("volunteering/for-you", ForYouViewSet, basename="volunteering-for-you")
    register_organisers(router)
