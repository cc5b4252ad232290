"""The directory's models in the Django admin, scoped like everything else
(recoverynet.core.admin_base): a network coordinator with staff status sees
and changes their own networks' meetings, locations and services; federation
coordinators see everything and look after the shared fellowships. Every add
and change goes through recoverynet.directory.services; nothing is deleted
(mark a meeting inactive, or a service defunct, instead). Imports and change
requests are history: read-only here (change requests are decided in Manage).
"""

from django import forms
from django.contrib import admin

from recoverynet.core.admin_base import ReadOnlyModelAdmin, ScopedModelAdmin
from recoverynet.federation import scoping
from recoverynet.federation.forms import formfield
from recoverynet.federation.models import Network, Organisation, Settlement

from . import services
from .models import (
    DAY_NAMES,
    ChangeRequest,
    FeedImport,
    FeedSource,
    Fellowship,
    Location,
    Meeting,
    MeetingType,
    Place,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceContact,
    ServicePhone,
    Taxonomy,
    TaxonomyTerm,
)

SLUG_HELP = "Leave blank to make one from the name. It becomes part of the page's web address."


def _optional_slug_on_add(form_class, change):
    if not change and "slug" in form_class.base_fields:
        form_class.base_fields["slug"].required = False
        form_class.base_fields["slug"].help_text = SLUG_HELP
    return form_class


class NetworkScopedAdmin(ScopedModelAdmin):
    """Rows with a `network`: the network choice limited to those the person coordinates."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "network":
            kwargs["queryset"] = self.coordinated_networks(request, Network.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _networks(self, request):
        return self.coordinated_networks(request, Network.objects.all())


# --- Shared reference data -----------------------------------------------------------


@admin.register(Fellowship)
class FellowshipAdmin(ScopedModelAdmin):
    change_perm = "directory.manage_fellowships"
    add_scope = "federation"
    list_display = ("name", "short_name", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")
    fields = ("name", "short_name", "slug", "kind", "description", "website", "email", "organisation")

    def scope_queryset(self, request, queryset):
        return queryset  # shared by every network

    def get_readonly_fields(self, request, obj=None):
        return ("slug",) if obj else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _optional_slug_on_add(super().get_form(request, obj, change, **kwargs), change)

    def service_create(self, request, data):
        return services.create_fellowship(actor=request.user, data=data)

    def service_update(self, request, obj, data):
        return services.update_fellowship(actor=request.user, fellowship=obj, data=data)


@admin.register(MeetingType)
class MeetingTypeAdmin(ReadOnlyModelAdmin):
    """Synced from the Meeting Guide spec on every migrate: not edited by hand."""

    list_display = ("code", "name", "proposed")
    list_filter = ("proposed",)
    search_fields = ("code", "name")

    def scope_queryset(self, request, queryset):
        return queryset


@admin.register(Taxonomy)
class TaxonomyAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "version")

    def scope_queryset(self, request, queryset):
        return queryset


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "code", "taxonomy")
    list_filter = ("taxonomy",)
    list_select_related = ("taxonomy",)
    search_fields = ("name", "code")

    def scope_queryset(self, request, queryset):
        return queryset


@admin.register(Place)
class PlaceAdmin(ReadOnlyModelAdmin):
    """The offline gazetteer, loaded by `manage.py load_places`."""

    list_display = ("name", "kind", "county", "latitude", "longitude")
    list_filter = ("kind",)
    search_fields = ("search_name",)

    def may_browse(self, user):
        return scoping.is_federation_coordinator(user)


# --- Listings ------------------------------------------------------------------------


@admin.register(Location)
class LocationAdmin(NetworkScopedAdmin):
    change_perm = "directory.change_location"
    add_scope = "coordinators"
    list_display = ("__str__", "network", "town", "postcode", "approximate")
    list_filter = (("network", admin.RelatedOnlyFieldListFilter), "approximate")
    list_select_related = ("network",)
    search_fields = ("name", "address", "town", "postcode")
    fields = ("network", "settlement", "name", "address", "town", "postcode", "region", "latitude", "longitude",
              "approximate", "notes")  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        return ("network",) if obj else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "settlement":
            kwargs["queryset"] = Settlement.objects.filter(network__in=self._networks(request)).select_related(
                "network"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def service_create(self, request, data):
        network = data.pop("network")
        return services.create_location(actor=request.user, network=network, data=data)

    def service_update(self, request, obj, data):
        return services.update_location(actor=request.user, location=obj, data=data)


MEETING_FIELDS = (
    "network", "fellowship", "name", "slug", "group_name", "location", "days", "monthly_week", "start_time",
    "end_time", "timezone", "types", "notes", "conference_url", "conference_url_notes", "conference_phone",
    "conference_phone_notes", "status", "last_verified", "contact_name", "contact_email", "contact_phone", "url",
)  # fmt: skip


class MeetingAdminForm(forms.ModelForm):
    days = forms.TypedMultipleChoiceField(
        choices=[(str(i), name) for i, name in enumerate(DAY_NAMES)],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Weekly on these days (the week of the month for monthly meetings).",
    )

    class Meta:
        model = Meeting
        fields = [f for f in MEETING_FIELDS if f != "days"]
        formfield_callback = formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["days"] = [str(d) for d in self.instance.days.values_list("day", flat=True)]


@admin.register(Meeting)
class MeetingAdmin(NetworkScopedAdmin):
    change_perm = "directory.change_meeting"
    add_scope = "coordinators"
    form = MeetingAdminForm
    list_display = ("name", "network", "fellowship", "start_time", "status")
    list_filter = ("status", ("network", admin.RelatedOnlyFieldListFilter), "fellowship")
    list_select_related = ("network", "fellowship")
    search_fields = ("name", "slug")
    fields = MEETING_FIELDS
    actions = ("mark_temporarily_closed", "mark_active")

    def get_readonly_fields(self, request, obj=None):
        return ("network", "slug") if obj else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _optional_slug_on_add(super().get_form(request, obj, change, **kwargs), change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "location":
            kwargs["queryset"] = Location.objects.filter(network__in=self._networks(request)).select_related("network")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Days are not a model field: hand them to the service with the rest.
        request._directory_days = form.cleaned_data.get("days", [])
        request._directory_days_changed = "days" in form.changed_data
        if change and request._directory_days_changed and not (set(form.changed_data) - {"days"}):
            form.changed_data.append("status")  # make the service run; an unchanged status is not recorded
        super().save_model(request, obj, form, change)

    def service_create(self, request, data):
        network = data.pop("network")
        types = data.pop("types", [])
        data.pop("days", None)
        return services.create_meeting(
            actor=request.user, network=network, data=data, days=request._directory_days, types=types
        )

    def service_update(self, request, obj, data):
        data.pop("days", None)
        types = data.pop("types", None)
        days = request._directory_days if request._directory_days_changed else None
        return services.update_meeting(actor=request.user, meeting=obj, data=data, days=days, types=types)

    @admin.action(description="Mark selected meetings as temporarily closed", permissions=["change"])
    def mark_temporarily_closed(self, request, queryset):
        self.apply_to_each(
            request,
            queryset,
            lambda m: services.update_meeting(
                actor=request.user, meeting=m, data={"status": Meeting.Status.TEMPORARILY_CLOSED}
            ),
            "{count} meetings marked as temporarily closed.",
        )

    @admin.action(description="Mark selected meetings as active", permissions=["change"])
    def mark_active(self, request, queryset):
        self.apply_to_each(
            request,
            queryset,
            lambda m: services.update_meeting(actor=request.user, meeting=m, data={"status": Meeting.Status.ACTIVE}),
            "{count} meetings marked as active.",
        )


class ReadOnlyInline(admin.TabularInline):
    """A service's parts, shown for reference; they are added in Manage, through the services."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceAtLocationInline(ReadOnlyInline):
    model = ServiceAtLocation
    fields = ("location",)
    readonly_fields = fields


class ScheduleInline(ReadOnlyInline):
    model = Schedule
    fields = ("freq", "byday", "opens_at", "closes_at", "description")
    readonly_fields = fields


class ServiceContactInline(ReadOnlyInline):
    model = ServiceContact
    fields = ("name", "title", "email")
    readonly_fields = fields


class ServicePhoneInline(ReadOnlyInline):
    model = ServicePhone
    fields = ("number", "description", "contact")
    readonly_fields = fields


@admin.register(Service)
class ServiceAdmin(NetworkScopedAdmin):
    change_perm = "directory.change_service"
    add_scope = "coordinators"
    list_display = ("name", "network", "organisation", "status")
    list_filter = ("status", ("network", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("network", "organisation")
    search_fields = ("name", "slug")
    fields = ("network", "organisation", "name", "slug", "description", "url", "email", "status", "fees",
              "minimum_age", "maximum_age", "accreditations", "alert", "assured_date", "taxonomy_terms")  # fmt: skip
    inlines = (ServiceAtLocationInline, ScheduleInline, ServiceContactInline, ServicePhoneInline)

    def get_readonly_fields(self, request, obj=None):
        return ("network", "organisation", "slug") if obj else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _optional_slug_on_add(super().get_form(request, obj, change, **kwargs), change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = Organisation.objects.filter(networks__in=self._networks(request)).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def service_create(self, request, data):
        network = data.pop("network")
        terms = data.pop("taxonomy_terms", [])
        return services.create_service(actor=request.user, network=network, data=data, taxonomy_terms=terms)

    def service_update(self, request, obj, data):
        return services.update_service(actor=request.user, service=obj, data=data)


# --- History -------------------------------------------------------------------------


@admin.register(FeedSource)
class FeedSourceAdmin(ReadOnlyModelAdmin):
    """Feeds are set up and imported in Manage (imports), where every run is previewed first."""

    list_display = ("name", "network", "url", "scheduled", "last_imported_at")
    list_filter = (("network", admin.RelatedOnlyFieldListFilter), "scheduled")
    list_select_related = ("network",)


@admin.register(FeedImport)
class FeedImportAdmin(ReadOnlyModelAdmin):
    list_display = ("source", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("source", "source__network")
    fields = ("source", "status", "report", "error", "created_at")
    readonly_fields = fields

    def scope_queryset(self, request, queryset):
        return queryset.filter(source__network_id__in=scoping.coordinated_network_ids(request.user))


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyModelAdmin):
    """People's reports, for reference. The reporter's email address is never shown here."""

    list_display = ("meeting", "field", "status", "created_at", "decided_at")
    list_filter = ("status", "field")
    list_select_related = ("meeting",)
    search_fields = ("meeting__name",)
    fields = ("meeting", "field", "proposed_value", "reason", "status", "decided_at", "decision_reason",
              "created_at")  # fmt: skip
    readonly_fields = fields

    def scope_queryset(self, request, queryset):
        return queryset.filter(meeting__network_id__in=scoping.coordinated_network_ids(request.user))
