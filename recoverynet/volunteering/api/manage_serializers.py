"""The organisers' API shapes. People appear by display name only: never an email, a
DBS record or anything a member keeps about their recovery."""

from rest_framework import serializers

from recoverynet.core.api import StrictCharField

from ..models import MAX_PLACES, MAX_SHIFT_HOURS, DBSLevel, Role, Shift, SignUp, SkillLevel
from ..services import MAX_COMMENDATION, MAX_INTERESTS, MAX_REASON, MAX_SKILLS
from .serializers import RoleSerializer

MAX_ID = 2**31 - 1
KEY_HELP = "Unique for this request: sending the same key (and body) again makes nothing new."


def idempotency_key_field():
    return StrictCharField(max_length=80, help_text=KEY_HELP)


class ManagedRoleSerializer(RoleSerializer):
    """A role someone organises: the public description, whether it is published, and its shifts still to come."""

    class Meta(RoleSerializer.Meta):
        fields = [*RoleSerializer.Meta.fields, "is_published"]
        read_only_fields = fields


class SkillInputSerializer(serializers.Serializer):
    name = StrictCharField(max_length=60, help_text="As members write it, for example: Cooking.")
    level = serializers.ChoiceField(choices=SkillLevel.choices, help_text="1 some, 2 confident, 3 expert.")


class RoleWriteSerializer(serializers.Serializer):
    """A role's details, as on the role form. Either an organisation or a settlement (by slug) offers it."""

    title = StrictCharField(max_length=120)
    organisation = StrictCharField(
        max_length=80, required=False, allow_blank=True, help_text="The offering organisation's slug, or empty."
    )
    settlement = StrictCharField(
        max_length=80, required=False, allow_blank=True, help_text="The offering settlement's slug, or empty."
    )
    description = StrictCharField(max_length=5000)
    involves = StrictCharField(max_length=5000)
    time_commitment = StrictCharField(max_length=150)
    is_remote = serializers.BooleanField(required=False)
    min_recovery_months = serializers.IntegerField(min_value=0, max_value=600, required=False)
    dbs_level = serializers.ChoiceField(choices=DBSLevel.choices, required=False)
    early_recovery = serializers.ChoiceField(choices=Role.EarlyRecovery.choices, required=False)
    supervision_available = serializers.BooleanField(required=False)
    alcohol_at_venue = serializers.BooleanField(required=False)
    handles_medication = serializers.BooleanField(required=False)
    lone_working = serializers.BooleanField(required=False)
    confirm_automatically = serializers.BooleanField(required=False)
    is_published = serializers.BooleanField(required=False)
    skills = SkillInputSerializer(many=True, required=False, max_length=MAX_SKILLS, help_text="Replaces the skills.")
    interests = serializers.ListField(
        child=StrictCharField(max_length=60),
        required=False,
        max_length=MAX_INTERESTS,
        help_text="Replaces the interests the role suits: their names, for example: Cooking and food.",
    )


class RoleCreateSerializer(RoleWriteSerializer):
    network = StrictCharField(max_length=80, help_text="The slug of the network the role is offered in.")
    idempotency_key = idempotency_key_field()


class OrganisedShiftSerializer(serializers.ModelSerializer):
    """A shift, with how many places are taken (asked for or confirmed)."""

    role = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    taken = serializers.IntegerField(read_only=True, help_text="Places asked for or confirmed.")

    class Meta:
        model = Shift
        fields = ["id", "role", "starts_at", "ends_at", "places", "taken"]
        read_only_fields = fields


class ShiftCreateSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(help_text="In the future.")
    ends_at = serializers.DateTimeField(help_text=f"After it starts, at most {MAX_SHIFT_HOURS} hours later.")
    places = serializers.IntegerField(min_value=1, max_value=MAX_PLACES)
    idempotency_key = idempotency_key_field()

    def validate(self, attrs):
        for name in ("starts_at", "ends_at"):
            if not 2000 <= attrs[name].year <= 9000:
                raise serializers.ValidationError({name: "Enter a date in the next few years."})
        if attrs["ends_at"] <= attrs["starts_at"]:
            raise serializers.ValidationError({"ends_at": "The shift must end after it starts."})
        return attrs


class OrganisedSignUpSerializer(serializers.ModelSerializer):
    """A place on a shift as its organisers see it (as on the shift's page): the member by display name."""

    member = serializers.CharField(source="user.display_name", read_only=True, help_text="Their display name.")
    status = serializers.ChoiceField(choices=SignUp.Status.choices, read_only=True)
    credited = serializers.SerializerMethodField(help_text="Whether the hours were credited to the time bank.")

    class Meta:
        model = SignUp
        fields = [
            "id",
            "shift",
            "member",
            "status",
            "walk_in",
            "decline_reason",
            "created_at",
            "decided_at",
            "attended",
            "minutes",
            "hours_recorded_at",
            "hours_confirmed_at",
            "credited",
        ]
        read_only_fields = fields

    def get_credited(self, signup) -> bool:
        return signup.credit_id is not None


class DeclineSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=MAX_REASON, help_text="Why: the member sees this.")


class WalkInSerializer(serializers.Serializer):
    membership = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The id of the member's active membership of the role's network."
    )


class HoursEntrySerializer(serializers.Serializer):
    signup = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="A confirmed place on this shift.")
    attended = serializers.BooleanField(help_text="Whether they came.")
    minutes = serializers.IntegerField(
        min_value=0, max_value=MAX_SHIFT_HOURS * 60, required=False, default=0, help_text="How long, when they came."
    )


class HoursSerializer(serializers.Serializer):
    entries = HoursEntrySerializer(many=True, min_length=1, max_length=MAX_PLACES)

    def validate_entries(self, entries):
        ids = [entry["signup"] for entry in entries]
        if len(set(ids)) != len(ids):
            raise serializers.ValidationError("List each place once.")
        return entries


class CreditSerializer(serializers.Serializer):
    credited = serializers.ListField(child=serializers.IntegerField(), help_text="Places credited now.")
    no_account = serializers.ListField(
        child=serializers.IntegerField(), help_text="Places not credited: the member has no time bank account."
    )


class CommendationCreateSerializer(serializers.Serializer):
    membership = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The id of the member's active membership of the role's network."
    )
    text = StrictCharField(max_length=MAX_COMMENDATION, help_text="What they did well; it may go in references.")
    member_agreed = serializers.BooleanField(
        required=False, default=False, help_text="The member agreed that this may mention their recovery."
    )
    idempotency_key = idempotency_key_field()


class CommendationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    role = serializers.CharField(source="role.slug", read_only=True)
    member = serializers.CharField(source="user.display_name", read_only=True)
    text = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
