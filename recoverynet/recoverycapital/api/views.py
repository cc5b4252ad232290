"""The member's own assessments in the API: list, read with scores, start,
answer and finish — through the same services and rules as the pages."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from recoverynet.core.api import error_responses
from recoverynet.federation.models import Network

from .. import services
from ..models import Answer, Assessment, Instrument
from ..selectors import assessments_visible_to
from . import serializers


@extend_schema_view(
    list=extend_schema(
        summary="Your assessments",
        description="Your own recovery capital and wellbeing assessments (and any you are entering with a member).",
        responses={200: serializers.AssessmentSerializer(many=True), **error_responses(403)},
    ),
    retrieve=extend_schema(
        summary="One of your assessments, with its answers and scores",
        responses={200: serializers.AssessmentSerializer, **error_responses(403, 404)},
    ),
    create=extend_schema(
        summary="Start an assessment",
        description="Needs your outcome-measurement consent (given at /me/consent/).",
        request=serializers.StartAssessmentSerializer,
        responses={201: serializers.AssessmentSerializer, **error_responses(400, 403)},
    ),
)
class AssessmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = serializers.AssessmentSerializer
    filter_backends = []
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assessment.objects.none()
        answers = Answer.objects.select_related("item").order_by("item__number")
        return assessments_visible_to(
            self.request.user,
            Assessment.objects.select_related("instrument", "network").prefetch_related(
                Prefetch("answers", queryset=answers)
            ),
        ).order_by("-started_at", "-pk")

    def create(self, request, *args, **kwargs):
        start = serializers.StartAssessmentSerializer(data=request.data)
        start.is_valid(raise_exception=True)
        network = Network.objects.filter(slug=start.validated_data["network"]).first()
        instrument = (
            Instrument.objects.filter(slug=start.validated_data["instrument"], ready_for_use=True)
            .order_by("-version")
            .first()
        )
        if network is None:
            raise ValidationError({"network": ["No network has that slug."]})
        if instrument is None:
            raise ValidationError({"instrument": ["No instrument ready for use has that slug."]})
        assessment = services.start_assessment(
            actor=request.user, person=request.user, network=network, instrument=instrument
        )
        data = serializers.AssessmentSerializer(self.get_queryset().get(pk=assessment.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Answer (some or all) and optionally finish",
        request=serializers.AnswersSerializer,
        responses={200: serializers.AssessmentSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        assessment = get_object_or_404(self.get_queryset(), pk=pk)
        body = serializers.AnswersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.save_answers(actor=request.user, assessment=assessment, answers=body.validated_data["answers"])
        if body.validated_data["finish"]:
            services.complete_assessment(actor=request.user, assessment=assessment)
        return Response(serializers.AssessmentSerializer(self.get_queryset().get(pk=assessment.pk)).data)


def register(router):
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("recovery-capital/assessments", AssessmentViewSet, basename="recovery-capital-assessment")
