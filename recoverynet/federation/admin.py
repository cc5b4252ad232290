"""The federation's models in the Django admin, scoped like everything else:
a network coordinator (with staff status) works on their own networks only,
and every change goes through recoverynet.federation.services."""

from django.contrib import admin

from recoverynet.core.admin_base import ReadOnlyModelAdmin, ScopedModelAdmin

from . import scoping, selectors, services
from .models import Federation, Membership, Network, Organisation, Partnership, Settlement

SLUG_HELP = "Leave blank to make one from the name. It becomes part of the page's web address."


def _optional_slug_on_add(form_class, change):
    if not change and "slug" in form_class.base_fields:
        form_class.base_fields["slug"].required = False
        form_class.base_fields["slug"].help_text = SLUG_HELP
    return form_class


def _set_active_actions(noun, update):
    """'Mark as inactive' / 'Mark as active' actions that call `update(actor, obj, data)` per object."""

    @admin.action(description=f"Mark selected {noun} as inactive (hidden from public pages)", permissions=["change"])
    def deactivate(modeladmin, request, queryset):
        modeladmin.apply_to_each(
            request, queryset, lambda obj: update(request.user, obj, {"is_active": False}),
            f"{{count}} {noun} marked as inactive.",
        )  # fmt: skip

    @admin.action(description=f"Mark selected {noun} as active", permissions=["change"])
    def reactivate(modeladmin, request, queryset):
        modeladmin.apply_to_each(
            request, queryset, lambda obj: update(request.user, obj, {"is_active": True}),
            f"{{count}} {noun} marked as active.",
        )  # fmt: skip

    return [deactivate, reactivate]


@admin.register(Federation)
class FederationAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "slug")
    fields = ("name", "slug", "description", "coordinator_names")
    readonly_fields = fields

    def may_browse(self, user):
        return scoping.is_federation_coordinator(user)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("coordinators")

    @admin.display(description="Coordinators")
    def coordinator_names(self, obj):
        return ", ".join(sorted(user.display_name for user in obj.coordinators.all())) or "None"


@admin.register(Network)
class NetworkAdmin(ScopedModelAdmin):
    change_perm = "federation.change_network"
    add_scope = "federation"
    list_display = ("name", "summary", "requires_approval", "is_active")
    list_filter = ("requires_approval", "is_active")
    search_fields = ("name",)
    fields = (
        "federation", "name", "slug", "summary", "description", "latitude", "longitude", "contact_email", "website",
        "requires_approval", "is_active", "created_at",
    )  # fmt: skip
    actions = _set_active_actions(
        "networks", lambda actor, obj, data: services.update_network(actor=actor, network=obj, data=data)
    )

    def scope_queryset(self, request, queryset):
        return queryset.filter(pk__in=scoping.coordinated_network_ids(request.user))

    def get_readonly_fields(self, request, obj=None):
        return ("federation", "slug", "created_at") if obj else ("created_at",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _optional_slug_on_add(super().get_form(request, obj, change, **kwargs), change)

    def service_create(self, request, data):
        federation = data.pop("federation")
        return services.create_network(actor=request.user, federation=federation, data=data)

    def service_update(self, request, obj, data):
        return services.update_network(actor=request.user, network=obj, data=data)


@admin.register(Settlement)
class SettlementAdmin(ScopedModelAdmin):
    change_perm = "federation.change_settlement"
    add_scope = "coordinators"
    list_display = ("name", "network", "town", "is_active")
    list_filter = (("network", admin.RelatedOnlyFieldListFilter), "is_active")
    list_select_related = ("network",)
    search_fields = ("name", "town", "postcode")
    fields = (
        "network", "name", "slug", "summary", "activities", "address_line_1", "address_line_2", "town", "postcode",
        "latitude", "longitude", "opening_times", "accessibility", "contact_email", "phone", "is_active",
        "created_at",
    )  # fmt: skip
    actions = _set_active_actions(
        "settlements", lambda actor, obj, data: services.update_settlement(actor=actor, settlement=obj, data=data)
    )

    def get_readonly_fields(self, request, obj=None):
        return ("slug", "created_at") if obj else ("created_at",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _optional_slug_on_add(super().get_form(request, obj, change, **kwargs), change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "network":
            kwargs["queryset"] = self.coordinated_networks(request, Network.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def service_create(self, request, data):
        network = data.pop("network")
        return services.create_settlement(actor=request.user, network=network, data=data)

    def service_update(self, request, obj, data):
        return services.update_settlement(actor=request.user, settlement=obj, data=data)


@admin.register(Organisation)
class OrganisationAdmin(ScopedModelAdmin):
    change_perm = "federation.change_organisation"
    add_scope = "coordinators"
    list_display = ("name", "sector", "town", "is_active")
    list_filter = ("sector", ("networks", admin.RelatedOnlyFieldListFilter), "is_active")
    search_fields = ("name", "town")
    fields = ("name", "slug", "sector", "networks", "description", "town", "website", "email", "phone", "is_active",
              "created_at")  # fmt: skip
    actions = _set_active_actions(
        "organisations",
        lambda actor, obj, data: services.update_organisation(actor=actor, organisation=obj, data=data),
    )

    def scope_queryset(self, request, queryset):
        in_networks = Organisation.networks.through.objects.filter(
            network_id__in=scoping.coordinated_network_ids(request.user)
        ).values("organisation_id")
        return queryset.filter(pk__in=in_networks)

    def get_readonly_fields(self, request, obj=None):
        return ("slug", "created_at") if obj else ("created_at",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = _optional_slug_on_add(super().get_form(request, obj, change, **kwargs), change)
        if "networks" in form_class.base_fields:
            form_class.base_fields["networks"].required = True
        return form_class

    def service_create(self, request, data):
        return services.create_organisation(actor=request.user, data=data)

    def service_update(self, request, obj, data):
        return services.update_organisation(actor=request.user, organisation=obj, data=data)


@admin.register(Partnership)
class PartnershipAdmin(ScopedModelAdmin):
    change_perm = "federation.change_partnership"
    add_scope = "coordinators"
    list_display = ("name", "lead_network", "status", "start_date", "end_date")
    list_filter = ("status", ("lead_network", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("lead_network",)
    search_fields = ("name",)
    fields = ("name", "slug", "purpose", "lead_network", "networks", "organisations", "status", "start_date",
              "end_date", "created_at")  # fmt: skip

    def scope_queryset(self, request, queryset):
        # The partnerships their networks lead (and look after).
        return queryset.filter(lead_network_id__in=scoping.coordinated_network_ids(request.user))

    def get_readonly_fields(self, request, obj=None):
        return ("slug", "created_at") if obj else ("created_at",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _optional_slug_on_add(super().get_form(request, obj, change, **kwargs), change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_network":
            kwargs["queryset"] = self.coordinated_networks(request, Network.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def service_create(self, request, data):
        return services.create_partnership(actor=request.user, data=data)

    def service_update(self, request, obj, data):
        return services.update_partnership(actor=request.user, partnership=obj, data=data)


@admin.register(Membership)
class MembershipAdmin(ScopedModelAdmin):
    """Coordinators change a person's role, settlement or organisation here and
    approve waiting requests; declining (which needs a reason) is in Manage."""

    change_perm = "federation.change_membership_role"
    list_display = ("person", "network", "settlement", "role", "status", "joined_at")
    list_filter = ("status", "role", ("network", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "network", "settlement", "organisation")
    search_fields = ("user__display_name",)
    fields = ("person", "network", "role", "settlement", "organisation", "status", "joined_at", "decided_at",
              "decision_reason")  # fmt: skip
    readonly_fields = ("person", "network", "status", "joined_at", "decided_at", "decision_reason")
    actions = ("approve",)

    def scope_queryset(self, request, queryset):
        return selectors.memberships_visible_to(request.user, queryset)

    @admin.display(description="Person", ordering="user__display_name")
    def person(self, obj):
        # The display name (often a pseudonym); never the email address.
        return obj.user.display_name

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        networks = self.coordinated_networks(request, Network.objects.all())
        if db_field.name == "settlement":
            kwargs["queryset"] = Settlement.objects.filter(network__in=networks).select_related("network")
        elif db_field.name == "organisation":
            kwargs["queryset"] = Organisation.objects.filter(networks__in=networks).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def service_update(self, request, obj, data):
        return services.change_membership(actor=request.user, membership=obj, data=data)

    @admin.action(description="Approve selected requests to join", permissions=["change"])
    def approve(self, request, queryset):
        self.apply_to_each(
            request,
            queryset.filter(status=Membership.Status.PENDING),
            lambda membership: services.decide_membership(actor=request.user, membership=membership, approve=True),
            "{count} requests approved.",
        )
