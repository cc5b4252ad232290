"""The volunteering API's shapes: roles as the public sees them (requirements, never anything about a person)."""

from django.urls import reverse
from rest_framework import serializers

from ..models import Job, Role, RoleSkill, Shift, SignUp


class RoleSkillSerializer(serializers.ModelSerializer):
    level = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = RoleSkill
        fields = ["name", "level"]


class ShiftSerializer(serializers.ModelSerializer):
    places_left = serializers.SerializerMethodField(help_text="Places not yet taken or asked for.")

    class Meta:
        model = Shift
        fields = ["id", "starts_at", "ends_at", "places", "places_left"]

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
    starts_at = serializers.DateTimeField(source="shift.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="shift.ends_at", read_only=True)
    status = serializers.ChoiceField(choices=SignUp.Status.choices, read_only=True)
    minutes_confirmed = serializers.SerializerMethodField(help_text="Minutes volunteered, once you confirmed them.")

    class Meta:
        model = SignUp
        fields = [
            "id",
            "shift",
            "role",
            "role_title",
            "starts_at",
            "ends_at",
            "status",
            "decline_reason",
            "created_at",
            "minutes_confirmed",
        ]
        read_only_fields = fields

    def get_minutes_confirmed(self, signup) -> int | None:
        return signup.minutes if signup.hours_confirmed_at else None


class SignUpRequestSerializer(serializers.Serializer):
    """Ask for a place on a shift (a shift of a published role, by its id)."""

    shift = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        error_messages={"invalid": "Choose a shift by its number.", "required": "Choose a shift."},
    )


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
