"""The volunteering API's shapes: roles as the public sees them (requirements, never anything about a person)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from ..models import Job, JobOutcome, Role, RoleSkill, Shift, SignUp

SHIFT_FIELDS = ["kind", "starts_at", "ends_at", "day_starts", "day_ends", "expected_minutes", "expected_per", "when"]
SHIFT_HELP = {
    "kind": "fixed: come from starts_at to ends_at. flexible: a window from starts_at to ends_at in which "
    "each volunteer gives expected_minutes (in total, or each week), choosing their own time.",
    "day_starts": "Flexible windows only: each day from (local time), or null for any time of day.",
    "day_ends": "Flexible windows only: each day until (local time), or null.",
    "expected_minutes": "Flexible windows only: the time each volunteer gives, in minutes.",
    "expected_per": 'Flexible windows only: "total" or "week"; null for fixed times.',
    "when": "The shift's time in plain English, as the pages say it.",
}


class ExpectedPerField(serializers.ChoiceField):
    """A shift's expected_per: "total" or "week", and null (not "") on a fixed shift."""

    def to_representation(self, value):
        return value or None


def expected_per_field():
    return ExpectedPerField(
        choices=Shift.Per.choices, read_only=True, allow_null=True, help_text=SHIFT_HELP["expected_per"]
    )


class RoleSkillSerializer(serializers.ModelSerializer):
    level = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = RoleSkill
        fields = ["name", "level"]


class ShiftSerializer(serializers.ModelSerializer):
    places_left = serializers.SerializerMethodField(help_text="Places not yet taken or asked for.")
    when = serializers.CharField(read_only=True, help_text=SHIFT_HELP["when"])
    expected_per = expected_per_field()

    class Meta:
        model = Shift
        fields = ["id", *SHIFT_FIELDS, "places", "places_left"]
        extra_kwargs = {name: {"help_text": text} for name, text in SHIFT_HELP.items() if name != "when"}

    def get_places_left(self, shift) -> int:
        return max(shift.places - getattr(shift, "taken", 0), 0)


class RoleSerializer(serializers.ModelSerializer):
    """A volunteering role and its public requirements, with its shifts still to come."""

    url = serializers.HyperlinkedIdentityField(view_name="volunteering-role-detail", lookup_field="slug")
    web_url = serializers.SerializerMethodField()
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    settlement = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    offered_by = serializers.CharField(source="offered_by.name", read_only=True)
    location = serializers.CharField(read_only=True)
    skills = RoleSkillSerializer(many=True, read_only=True)
    interests = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True, help_text="The interests the role suits."
    )
    shifts = ShiftSerializer(source="next_shifts", many=True, read_only=True)

    class Meta:
        model = Role
        fields = [
            "id",
            "url",
            "web_url",
            "slug",
            "title",
            "network",
            "organisation",
            "settlement",
            "offered_by",
            "description",
            "involves",
            "location",
            "is_remote",
            "time_commitment",
            "skills",
            "interests",
            "min_recovery_months",
            "dbs_level",
            "supervision_available",
            "early_recovery",
            "alcohol_at_venue",
            "handles_medication",
            "lone_working",
            "confirm_automatically",
            "shifts",
        ]
        read_only_fields = fields

    def get_web_url(self, role) -> str:
        request = self.context.get("request")
        path = role.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class MySignUpSerializer(serializers.ModelSerializer):
    """One of the member's own places on a shift: the role, the times, and where it stands."""

    role = serializers.SlugRelatedField(source="shift.role", slug_field="slug", read_only=True)
    role_title = serializers.CharField(source="shift.role.title", read_only=True)
    kind = serializers.ChoiceField(source="shift.kind", choices=Shift.Kind.choices, read_only=True)
    starts_at = serializers.DateTimeField(source="shift.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="shift.ends_at", read_only=True)
    when = serializers.CharField(source="shift.when", read_only=True, help_text=SHIFT_HELP["when"])
    chosen_starts_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="Flexible windows: the time you chose (null: to agree with the organiser).",
    )
    chosen_ends_at = serializers.DateTimeField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=SignUp.Status.choices, read_only=True)
    minutes_confirmed = serializers.SerializerMethodField(help_text="Minutes volunteered, once you confirmed them.")

    class Meta:
        model = SignUp
        fields = [
            "id",
            "shift",
            "role",
            "role_title",
            "kind",
            "starts_at",
            "ends_at",
            "when",
            "chosen_starts_at",
            "chosen_ends_at",
            "status",
            "decline_reason",
            "created_at",
            "minutes_confirmed",
        ]
        read_only_fields = fields

    def get_minutes_confirmed(self, signup) -> int | None:
        return signup.minutes if signup.hours_confirmed_at else None


class ChosenTimeSerializer(serializers.Serializer):
    """A time within a flexible window, as the sign-up page asks for it: a day and two local
    times (all three, or none). Its validated data gains chosen: (start, end) or None."""

    date = serializers.DateField(
        required=False, help_text="Flexible windows: the day you come (YYYY-MM-DD), within the window."
    )
    start = serializers.TimeField(required=False, help_text="From (local time, HH:MM).")
    end = serializers.TimeField(required=False, help_text="Until (local time, HH:MM), after it starts.")
    required_together = False

    def validate(self, attrs):
        day, start, end = attrs.get("date"), attrs.get("start"), attrs.get("end")
        given = [value is not None for value in (day, start, end)]
        attrs["chosen"] = None
        if not any(given) and not self.required_together:
            return attrs
        if not all(given):
            raise serializers.ValidationError(
                {
                    name: "Give the day, from and until together" + ("" if self.required_together else ", or none")
                    for name, value in (("date", day), ("start", start), ("end", end))
                    if value is None
                }
            )
        if not 2000 <= day.year <= 9000:
            raise serializers.ValidationError({"date": "Enter a date in the next few years."})
        zone = timezone.get_current_timezone()
        starts_at = datetime.datetime.combine(day, start, tzinfo=zone)
        ends_at = datetime.datetime.combine(day, end, tzinfo=zone)
        if ends_at <= starts_at:
            raise serializers.ValidationError({"end": "Your time must end after it starts."})
        attrs["chosen"] = (starts_at, ends_at)
        return attrs


class SignUpRequestSerializer(ChosenTimeSerializer):
    """Ask for a place on a shift (a shift of a published role, by its id); on a flexible
    shift, optionally with the day and times you choose within the window."""

    shift = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        error_messages={"invalid": "Choose a shift by its number.", "required": "Choose a shift."},
    )


class ChooseTimeSerializer(ChosenTimeSerializer):
    """Set or change the time of a place on a flexible shift: the day and both times."""

    required_together = True
    date = serializers.DateField(help_text="The day (YYYY-MM-DD), within the window.")
    start = serializers.TimeField(help_text="From (local time, HH:MM).")
    end = serializers.TimeField(help_text="Until (local time, HH:MM), after it starts.")


class JobSerializer(serializers.ModelSerializer):
    """A paid opportunity, as on the jobs page."""

    url = serializers.HyperlinkedIdentityField(view_name="volunteering-job-detail", lookup_field="slug")
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "url",
            "slug",
            "kind",
            "title",
            "employer",
            "network",
            "organisation",
            "description",
            "hours",
            "pay",
            "closing_date",
            "how_to_apply",
            "lived_experience_welcomed",
            "recovery_friendly",
        ]
        read_only_fields = fields


class ForYouSerializer(serializers.Serializer):
    """One role on a member's "for you" list: what the page shows, for them alone."""

    role = serializers.CharField(source="role.slug", read_only=True)
    title = serializers.CharField(source="role.title", read_only=True)
    url = serializers.SerializerMethodField()
    network = serializers.CharField(source="role.network.slug", read_only=True)
    offered_by = serializers.CharField(source="role.offered_by.name", read_only=True)
    location = serializers.CharField(source="role.location", read_only=True)
    is_remote = serializers.BooleanField(source="role.is_remote", read_only=True)
    shared_skills = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The role's skills you listed."
    )
    shared_interests = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The role's interests you chose."
    )
    miles = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="From your settlement, in whole miles (none when remote)."
    )
    notes = serializers.ListField(
        source="verdict.notes", child=serializers.CharField(), read_only=True, help_text="Worth talking about first."
    )

    def get_url(self, match) -> str:
        request = self.context.get("request")
        path = reverse("volunteering-role-detail", kwargs={"slug": match.role.slug})
        return request.build_absolute_uri(path) if request else path


class JobOutcomeSerializer(serializers.ModelSerializer):
    """Where you are with a job: only you (and your network's coordinators, in counts) see it."""

    job = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status = serializers.ChoiceField(choices=JobOutcome.Status.choices, read_only=True)

    class Meta:
        model = JobOutcome
        fields = ["job", "status", "started_on", "updated_at"]
        read_only_fields = fields


class JobOutcomeRequestSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=JobOutcome.Status.choices,
        help_text="saved, applied, interview, offered, started or not_this_time.",
        error_messages={"invalid_choice": "Choose what happened from the list.", "required": "Choose a status."},
    )
