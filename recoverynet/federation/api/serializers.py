"""Serializers for the federation API.

They check the *shape* of input (types, lengths, that a slug names something
that exists); the services layer decides whether the change is allowed and
valid, and writes it. Related objects are named by slug.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from recoverynet.core.api import ChangeCheckMixin, StrictCharField, StrictModelSerializer
from recoverynet.federation.models import Membership, Network, Organisation, Partnership, Settlement


def active_networks():
    return Network.objects.active()


def active_settlements():
    return Settlement.objects.active()


def active_organisations():
    return Organisation.objects.filter(is_active=True)


class WebUrlMixin(serializers.Serializer):
    """`web_url`: the object's page on the public site."""

    web_url = serializers.SerializerMethodField(help_text="The page about this on the RecoveryNet website.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, obj) -> str:
        url = obj.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class NetworkSerializer(WebUrlMixin, StrictModelSerializer):
    """A community-led recovery network of the federation."""

    url = serializers.HyperlinkedIdentityField(view_name="network-detail", lookup_field="slug")
    settlement_count = serializers.IntegerField(read_only=True, help_text="Active recovery settlements.")
    organisation_count = serializers.IntegerField(read_only=True, help_text="Active organisations.")
    # Declared so the schema says they may be "" (read-only model fields lose allow_blank).
    contact_email = serializers.EmailField(read_only=True, allow_blank=True)
    website = serializers.URLField(read_only=True, allow_blank=True)

    class Meta:
        model = Network
        fields = [
            "id",
            "url",
            "web_url",
            "slug",
            "name",
            "summary",
            "description",
            "latitude",
            "longitude",
            "contact_email",
            "website",
            "requires_approval",
            "settlement_count",
            "organisation_count",
        ]
        read_only_fields = fields


class SettlementSerializer(ChangeCheckMixin, WebUrlMixin, StrictModelSerializer):
    """A recovery settlement: a community hub where people in recovery, allies, groups and organisations
    link up. The slug is made from the name when it is set up."""

    url = serializers.HyperlinkedIdentityField(view_name="settlement-detail", lookup_field="slug")
    network = serializers.SlugRelatedField(
        slug_field="slug", queryset=active_networks(), help_text="The slug of the network it belongs to."
    )
    network_name = serializers.CharField(source="network.name", read_only=True)

    class Meta:
        model = Settlement
        fields = [
            "id",
            "url",
            "web_url",
            "slug",
            "name",
            "network",
            "network_name",
            "summary",
            "activities",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "latitude",
            "longitude",
            "opening_times",
            "accessibility",
            "contact_email",
            "phone",
        ]
        read_only_fields = ["id", "slug"]
        # The unique (network, name) check is validate()'s, with a message on the name field.
        validators = []

    def validate(self, attrs):
        network = self.value_after(attrs, "network")
        name = self.value_after(attrs, "name")
        if network is not None and name:
            clash = Settlement.objects.filter(network=network, name=name)
            if self.instance is not None:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise serializers.ValidationError({"name": "This network already has a settlement with this name."})
        return attrs


class OrganisationSerializer(WebUrlMixin, StrictModelSerializer):
    """An organisation working with one or more networks."""

    url = serializers.HyperlinkedIdentityField(view_name="organisation-detail", lookup_field="slug")
    networks = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=active_networks(),
        many=True,
        allow_empty=False,
        help_text="The slugs of the networks it belongs to (at least one).",
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "url",
            "web_url",
            "slug",
            "name",
            "sector",
            "networks",
            "description",
            "town",
            "website",
            "email",
            "phone",
        ]
        read_only_fields = ["id", "slug"]


class PartnershipSerializer(WebUrlMixin, StrictModelSerializer):
    """Organisations and networks working together for a purpose."""

    url = serializers.HyperlinkedIdentityField(view_name="partnership-detail", lookup_field="slug")
    lead_network = serializers.SlugRelatedField(
        slug_field="slug", queryset=active_networks(), help_text="The slug of the network that looks after it."
    )
    networks = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=active_networks(),
        many=True,
        required=False,
        help_text="The slugs of the partner networks (the lead network is always one).",
    )
    organisations = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=active_organisations(),
        many=True,
        required=False,
        help_text="The slugs of the partner organisations.",
    )

    class Meta:
        model = Partnership
        fields = [
            "id",
            "url",
            "web_url",
            "slug",
            "name",
            "purpose",
            "status",
            "lead_network",
            "networks",
            "organisations",
            "start_date",
            "end_date",
        ]
        read_only_fields = ["id", "slug"]


# --- Memberships ----------------------------------------------------------------


class PersonSummarySerializer(serializers.Serializer):
    """Who a membership belongs to: their display name only (it may be a pseudonym)."""

    id = serializers.IntegerField(read_only=True)
    display_name = serializers.CharField(read_only=True)


class MembershipSerializer(StrictModelSerializer):
    """A person's place in a network (and perhaps one of its settlements), with their role."""

    url = serializers.HyperlinkedIdentityField(view_name="membership-detail")
    person = PersonSummarySerializer(source="user", read_only=True)
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    network_name = serializers.CharField(source="network.name", read_only=True)
    settlement = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "url",
            "person",
            "network",
            "network_name",
            "settlement",
            "organisation",
            "role",
            "status",
            "joined_at",
            "decided_at",
            "decision_reason",
        ]
        read_only_fields = fields


class JoinNetworkSerializer(serializers.Serializer):
    """Ask to join a network, as yourself."""

    network = serializers.SlugRelatedField(
        slug_field="slug", queryset=active_networks(), help_text="The slug of the network to join."
    )
    settlement = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=active_settlements(),
        allow_null=True,
        required=False,
        help_text="Optionally, the slug of one of the network's settlements.",
    )

    def validate(self, attrs):
        settlement = attrs.get("settlement")
        if settlement is not None and settlement.network_id != attrs["network"].pk:
            raise serializers.ValidationError({"settlement": "Choose a settlement in this network."})
        return attrs


class ChangeMembershipSerializer(serializers.Serializer):
    """A coordinator changes someone's role, settlement or organisation.
    The membership being changed is the serializer's `instance`."""

    role = serializers.ChoiceField(choices=Membership.Role.choices, required=False)
    settlement = serializers.SlugRelatedField(
        slug_field="slug", queryset=active_settlements(), allow_null=True, required=False
    )
    organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=active_organisations(), allow_null=True, required=False
    )

    def validate_settlement(self, settlement):
        if settlement is not None and settlement.network_id != self.instance.network_id:
            raise serializers.ValidationError("Choose a settlement in this network.")
        return settlement

    def validate_organisation(self, organisation):
        if organisation is not None and not organisation.networks.filter(pk=self.instance.network_id).exists():
            raise serializers.ValidationError("Choose an organisation that belongs to this network.")
        return organisation


class MembershipDecisionSerializer(serializers.Serializer):
    """A coordinator's or host's decision on a request to join."""

    approve = serializers.BooleanField(help_text="true to let them in, false to decline.")
    reason = StrictCharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="Needed when declining, so the person knows why.",
    )
