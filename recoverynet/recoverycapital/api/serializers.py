from rest_framework import serializers

from ..models import Assessment


class AssessmentSerializer(serializers.ModelSerializer):
    instrument = serializers.CharField(source="instrument.slug", read_only=True)
    instrument_version = serializers.IntegerField(source="instrument.version", read_only=True)
    network = serializers.CharField(source="network.slug", read_only=True)
    answers = serializers.SerializerMethodField()
    bands = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "instrument",
            "instrument_version",
            "network",
            "mode",
            "started_at",
            "completed_at",
            "total_score",
            "domain_scores",
            "bands",
            "answers",
        ]
        read_only_fields = fields

    def get_answers(self, assessment) -> dict[str, int]:
        return {str(a.item.number): a.value for a in assessment.answers.all()}

    def get_bands(self, assessment) -> dict[str, str]:
        from ..scoring import band_for

        if not assessment.is_complete:
            return {}
        definition = assessment.instrument.definition
        scores = dict(assessment.domain_scores)
        if assessment.total_score is not None:
            scores["total"] = assessment.total_score
        return {key: band["label"] for key, value in scores.items() if (band := band_for(definition, key, value))}


class StartAssessmentSerializer(serializers.Serializer):
    instrument = serializers.SlugField(max_length=60, help_text="The instrument's slug, e.g. barc-10 (latest version).")
    network = serializers.SlugField(max_length=100, help_text="The slug of a network you are an active member of.")


class AnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.IntegerField(min_value=-1000, max_value=1000),
        allow_empty=False,
        help_text='{"item number": answer value}, e.g. {"1": 5, "2": 4}. Partial sets are saved for later.',
    )
    finish = serializers.BooleanField(default=False, help_text="Score and finish (every item must be answered).")

    def validate_answers(self, value):
        try:
            return {int(key): v for key, v in value.items()}
        except ValueError:
            raise serializers.ValidationError("Use item numbers as keys.") from None
