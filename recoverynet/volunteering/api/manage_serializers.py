"""The organisers' API shapes. People appear by display name only: never an email, a
DBS record or anything a member keeps about their recovery."""

from rest_framework import serializers

from recoverynet.core.api import StrictCharField

from ..models import MAX_FLEXIBLE_HOURS, MAX_PLACES, MAX_SHIFT_HOURS, DBSLevel, Role, Shift, SignUp, SkillLevel
from ..services import MAX_COMMENDATION, MAX_INTERESTS, MAX_REASON, MAX_SKILLS
from .serializers import SHIFT_FIELDS, SHIFT_HELP, RoleSerializer, expected_per_field

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
    when = serializers.CharField(read_only=True, help_text=SHIFT_HELP["when"])
    expected_per = expected_per_field()

    class Meta:
        model = Shift
        fields = ["id", "role", *SHIFT_FIELDS, "places", "taken", "cancelled_at"]
        read_only_fields = fields
        extra_kwargs = {name: {"help_text": text} for name, text in SHIFT_HELP.items() if name != "when"}


def _sane_years(attrs):
    for name in ("starts_at", "ends_at"):
        if name in attrs and not 2000 <= attrs[name].year <= 9000:
            raise serializers.ValidationError({name: "Enter a date in the next few years."})


class ShiftFieldsSerializer(serializers.Serializer):
    """A shift's fields as the shift forms set them: fixed times, or a flexible window."""

    starts_at = serializers.DateTimeField(help_text="Fixed: when it starts, in the future. Flexible: the window opens.")
    ends_at = serializers.DateTimeField(
        help_text=f"Fixed: after it starts, at most {MAX_SHIFT_HOURS} hours later. Flexible: the window closes."
    )
    places = serializers.IntegerField(min_value=1, max_value=MAX_PLACES)
    expected_minutes = serializers.IntegerField(
        min_value=1,
        max_value=MAX_FLEXIBLE_HOURS * 60,
        required=False,
        help_text="Flexible only: the time each volunteer gives, in minutes.",
    )
    expected_per = serializers.ChoiceField(
        choices=Shift.Per.choices, required=False, help_text='Flexible only: "total" or "week".'
    )
    day_starts = serializers.TimeField(
        required=False, allow_null=True, help_text="Flexible only: each day from (local time), or null."
    )
    day_ends = serializers.TimeField(
        required=False, allow_null=True, help_text="Flexible only: each day until (local time), or null."
    )


FLEXIBLE_ONLY = ("expected_minutes", "expected_per", "day_starts", "day_ends")


class ShiftCreateSerializer(ShiftFieldsSerializer):
    kind = serializers.ChoiceField(
        choices=Shift.Kind.choices, required=False, default=Shift.Kind.FIXED, help_text=SHIFT_HELP["kind"]
    )
    idempotency_key = idempotency_key_field()

    def validate(self, attrs):
        _sane_years(attrs)
        if attrs["ends_at"] <= attrs["starts_at"]:
            raise serializers.ValidationError({"ends_at": "The shift must end after it starts."})
        if attrs["kind"] == Shift.Kind.FIXED:
            extra = [name for name in FLEXIBLE_ONLY if attrs.get(name) is not None]
            if extra:
                raise serializers.ValidationError(dict.fromkeys(extra, "Only a flexible window has this."))
        else:
            missing = {
                "expected_minutes": "Say how many minutes each volunteer gives.",
                "expected_per": 'Choose "total" or "week".',
            }
            missing = {name: text for name, text in missing.items() if attrs.get(name) is None}
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class ShiftUpdateSerializer(ShiftFieldsSerializer):
    """Only the fields sent change (a fixed shift has no flexible fields to change)."""

    def validate(self, attrs):
        _sane_years(attrs)
        if not attrs:
            raise serializers.ValidationError("Send at least one field to change.")
        return attrs


class ShiftCancelSerializer(serializers.Serializer):
    reason = StrictCharField(
        max_length=MAX_REASON,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why: everyone with a place is emailed this.",
    )


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
            "chosen_starts_at",
            "chosen_ends_at",
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
    idempotency_key = idempotency_key_field()


class CommendationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    role = serializers.CharField(source="role.slug", read_only=True)
    member = serializers.CharField(source="user.display_name", read_only=True)
    text = serializers.CharField(read_only=True)
    awaits_member = serializers.BooleanField(
        read_only=True,
        help_text="Its words may identify the member's recovery: nobody but the member sees it, and it goes in "
        "no reference, until the member approves it.",
    )
    created_at = serializers.DateTimeField(read_only=True)
