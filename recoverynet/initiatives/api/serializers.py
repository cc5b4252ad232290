"""The pitches and initiatives API's shapes. Pitches show what they need and what has
been pledged against it, as totals: never who supported or pledged. People on an
initiative's team are named by display name only."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from recoverynet.core.api import StrictCharField

from .. import services
from ..models import (
    MAX_PLEDGE_HOURS,
    PLEDGE_TEXT_MAX,
    Decision,
    DeclineReason,
    Initiative,
    Milestone,
    Pitch,
    Pledge,
    ResultMeasure,
    TeamMember,
    Update,
    reading_time,
)

MAX_ID = 2**31 - 1


class NeedsSerializer(serializers.Serializer):
    money = serializers.IntegerField(source="needs_money", help_text="Pounds.")
    hours = serializers.IntegerField(source="needs_hours", help_text="Volunteer hours.")
    space = serializers.CharField(source="needs_space")
    skills = serializers.CharField(source="needs_skills")


class PitchSerializer(serializers.ModelSerializer):
    """A published pitch (or one in a later stage)."""

    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    settlement = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    needs = NeedsSerializer(source="*", read_only=True)
    supporters = serializers.IntegerField(read_only=True, help_text="How many members support it.")
    video_url = serializers.SerializerMethodField(help_text="An https link to the pitch on video, or null.")
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Pitch
        fields = [
            "id",
            "web_url",
            "title",
            "theme",
            "state",
            "network",
            "settlement",
            "problem",
            "idea",
            "who_for",
            "pitch_text",
            "video_url",
            "needs",
            "supporters",
            "published_at",
            "decided_at",
        ]
        read_only_fields = fields

    def get_web_url(self, pitch) -> str:
        return pitch.get_absolute_url()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_video_url(self, pitch):
        return pitch.video_url or None


class PledgeTotalsSerializer(serializers.Serializer):
    hours = serializers.IntegerField(help_text="Hours pledged, in all.")
    hours_still_needed = serializers.IntegerField()
    skills = serializers.IntegerField(help_text="Pledges of skills.")
    space = serializers.IntegerField(help_text="Pledges of a space.")
    equipment = serializers.IntegerField(help_text="Pledges of equipment.")


class PitchDetailSerializer(PitchSerializer):
    """A pitch with the totals pledged against its needs and its decision, if taken."""

    reading_time = serializers.SerializerMethodField()
    pledged = serializers.SerializerMethodField()
    support_threshold = serializers.IntegerField(read_only=True, help_text="Supporters that send it to review.")
    decline_reason = serializers.ChoiceField(
        choices=DeclineReason.choices, allow_blank=True, read_only=True, help_text="When not taken forward."
    )

    class Meta(PitchSerializer.Meta):
        fields = [
            *PitchSerializer.Meta.fields,
            "reading_time",
            "decline_reason",
            "decision_explanation",
            "support_threshold",
            "pledged",
        ]
        read_only_fields = fields

    def get_reading_time(self, pitch) -> str:
        return reading_time(pitch.pitch_text)

    @staticmethod
    def totals(pitch) -> dict:
        counts = dict.fromkeys(Pledge.Kind.values, 0)
        hours = 0
        for kind, pledged_hours in pitch.pledges.values_list("kind", "hours"):
            counts[kind] += 1
            hours += pledged_hours or 0
        return {
            "hours": hours,
            "hours_still_needed": max(pitch.needs_hours - hours, 0),
            "skills": counts[Pledge.Kind.SKILLS],
            "space": counts[Pledge.Kind.SPACE],
            "equipment": counts[Pledge.Kind.EQUIPMENT],
        }

    @extend_schema_field(PledgeTotalsSerializer)
    def get_pledged(self, pitch):
        return PledgeTotalsSerializer(self.totals(pitch)).data


class SupportStatusSerializer(serializers.Serializer):
    """Your support of a pitch after the request, and where the pitch stands."""

    you_support = serializers.BooleanField()
    supporters = serializers.IntegerField()
    state = serializers.ChoiceField(choices=Pitch.State.choices)


class PledgeWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Pledge.Kind.choices)
    hours = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_PLEDGE_HOURS,
        help_text=f"For hours only: 1 to {MAX_PLEDGE_HOURS} (in all, from you to one pitch).",
    )
    description = StrictCharField(required=False, allow_blank=True, max_length=PLEDGE_TEXT_MAX, default="")
    organisation = StrictCharField(
        required=False,
        allow_null=True,
        max_length=100,
        default=None,
        help_text="The slug of an organisation you work for, to pledge for it; leave out to pledge yourself.",
    )


class PledgeSerializer(serializers.ModelSerializer):
    """Your pledge, as recorded."""

    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Pledge
        fields = ["id", "pitch", "kind", "hours", "description", "organisation", "created_at"]
        read_only_fields = fields


# --- Initiatives ---------------------------------------------------------------------


class InitiativeSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    settlement = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    legal_form = serializers.ChoiceField(
        choices=Initiative.LegalForm.choices, allow_blank=True, read_only=True, help_text="Social enterprises only."
    )
    team_size = serializers.IntegerField(read_only=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Initiative
        fields = [
            "id",
            "web_url",
            "name",
            "summary",
            "kind",
            "legal_form",
            "status",
            "network",
            "settlement",
            "pitch",
            "started_on",
            "team_size",
        ]
        read_only_fields = fields

    def get_web_url(self, initiative) -> str:
        return initiative.get_absolute_url()


class TeamMemberSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = TeamMember
        fields = ["display_name", "role"]
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "status"]
        read_only_fields = fields


class ResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    parent = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    weight = serializers.IntegerField()
    depth = serializers.IntegerField(help_text="0 for a top-level result.")
    progress = serializers.FloatField(help_text="0 to 100; a parent's is the weighted mean of its parts'.")
    measure = serializers.ChoiceField(choices=ResultMeasure.choices)
    target_people = serializers.IntegerField(allow_null=True, help_text="For a result measured in people.")
    achieved_people = serializers.IntegerField(
        allow_null=True, help_text="People reached so far; null when not measured in people or fewer than 5."
    )


class UpdateSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = Update
        fields = ["id", "text", "created_at", "author"]
        read_only_fields = fields

    def get_author(self, update) -> str | None:
        return update.author.display_name if update.author_id else None


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "title", "decided", "decided_on", "step", "you_said", "we_did"]
        read_only_fields = fields


class InitiativeDetailSerializer(InitiativeSerializer):
    partners = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    team = TeamMemberSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    results = serializers.SerializerMethodField()
    updates = serializers.SerializerMethodField()
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta(InitiativeSerializer.Meta):
        fields = [
            *InitiativeSerializer.Meta.fields,
            *("partners", "team", "milestones", "results", "updates", "decisions"),
        ]
        read_only_fields = fields

    @extend_schema_field(ResultSerializer(many=True))
    def get_results(self, initiative):
        rows = [
            {
                "id": r.id,
                "parent": r.parent_id,
                "title": r.title,
                "weight": r.weight,
                "depth": depth,
                "progress": p,
                "measure": r.measure,
                "target_people": r.target_people,
                "achieved_people": r.achieved_figure.public_value if r.in_people else None,
            }
            for r, depth, p in services.results_of(initiative)
        ]
        return ResultSerializer(rows, many=True).data

    @extend_schema_field(UpdateSerializer(many=True))
    def get_updates(self, initiative):
        return UpdateSerializer(self.context.get("updates", []), many=True).data
