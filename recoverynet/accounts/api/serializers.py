"""Serializers for people. Everyone else sees a display name (which may be a
pseudonym); an email address only with the person's consent to be contacted;
the rest of a profile only the person themselves."""

import datetime

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from recoverynet.accounts.models import SelfDescription, User
from recoverynet.core.api import StrictCharField, StrictModelSerializer
from recoverynet.federation.models import Membership


class MemberMembershipSerializer(StrictModelSerializer):
    """A membership as listed under a person (only those visible to the reader)."""

    url = serializers.HyperlinkedIdentityField(view_name="membership-detail")
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    settlement = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = ["id", "url", "network", "settlement", "organisation", "role", "status"]
        read_only_fields = fields


class MemberSerializer(StrictModelSerializer):
    """Someone else, as the reader may see them. The view puts the ids of the
    people whose email the reader may see in the context (`email_visible_ids`)."""

    url = serializers.HyperlinkedIdentityField(view_name="member-detail")
    email = serializers.SerializerMethodField(
        help_text="Only when the person has agreed to be contacted (or it is you); otherwise null."
    )
    memberships = MemberMembershipSerializer(source="visible_memberships", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "url", "display_name", "email", "memberships"]
        read_only_fields = fields

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_email(self, obj):
        return obj.email if obj.pk in self.context.get("email_visible_ids", ()) else None


class ProfileSerializer(StrictModelSerializer):
    """Your own profile (GET and PATCH /api/v1/members/me/)."""

    legal_name = StrictCharField(
        max_length=150, allow_blank=True, allow_null=True, required=False, help_text="Kept encrypted."
    )
    phone = StrictCharField(
        max_length=30, allow_blank=True, allow_null=True, required=False, help_text="Kept encrypted."
    )
    date_of_birth = serializers.DateField(allow_null=True, required=False, help_text="Kept encrypted.")
    self_descriptions = serializers.ListField(
        child=serializers.ChoiceField(choices=SelfDescription.choices),
        max_length=len(SelfDescription.choices),
        required=False,
        help_text="Which of these describe you. Kept encrypted; only you can see it.",
    )
    memberships = MemberMembershipSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "display_name",
            "legal_name",
            "phone",
            "date_of_birth",
            "self_descriptions",
            "date_joined",
            "memberships",
        ]
        read_only_fields = ["id", "email", "date_joined", "memberships"]

    def validate_display_name(self, value):
        value = value.strip()
        if not value:
            raise serializers.ValidationError("Enter a display name.")
        return value

    def validate_date_of_birth(self, value):
        if value is not None and not (datetime.date(1900, 1, 1) <= value <= timezone.localdate()):
            raise serializers.ValidationError("Enter a date of birth in the past.")
        return value

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["self_descriptions"] = list(instance.self_descriptions or [])
        return data
