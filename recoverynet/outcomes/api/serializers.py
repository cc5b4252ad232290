"""The shapes of the outcomes API: aggregated, suppressed figures only."""

from rest_framework import serializers

from ..framework import QUARTER_CODE, Quarter


class QuerySerializer(serializers.Serializer):
    quarter = serializers.RegexField(
        QUARTER_CODE.pattern,
        required=False,
        help_text="The last quarter shown, like 2026Q3 (default: the current quarter).",
        error_messages={"invalid": "Enter a quarter like 2026Q3."},
    )
    quarters = serializers.IntegerField(
        required=False, min_value=1, max_value=8, default=4, help_text="How many quarters, 1 to 8 (default 4)."
    )

    def validate_quarter(self, value):
        try:
            return Quarter.parse(value).code
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class ValueSerializer(serializers.Serializer):
    quarter = serializers.CharField(help_text="Like 2026Q3.")
    value = serializers.FloatField(
        allow_null=True, help_text="The figure, or null when it is hidden or not yet measured."
    )
    display = serializers.CharField(help_text='As published: a number, "fewer than 5", "withheld"...')
    status = serializers.ChoiceField(choices=["shown", "small", "withheld"])


class IndicatorSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    outcomes = serializers.ListField(child=serializers.IntegerField())
    unit = serializers.CharField()
    period = serializers.CharField()
    definition = serializers.CharField()
    source = serializers.CharField()
    caveats = serializers.CharField(allow_blank=True)
    values = ValueSerializer(many=True, help_text="The network's figure for each quarter, oldest first.")
    federation = ValueSerializer(
        many=True, allow_null=True, help_text="All networks' total for each quarter; null where figures do not add up."
    )


class NotMeasuredSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    outcomes = serializers.ListField(child=serializers.IntegerField())
    why = serializers.CharField()


class NetworkOutcomesSerializer(serializers.Serializer):
    network = serializers.SlugField()
    name = serializers.CharField()
    quarters = serializers.ListField(child=serializers.CharField())
    indicators = IndicatorSerializer(many=True)
    not_yet_measured = NotMeasuredSerializer(many=True)
