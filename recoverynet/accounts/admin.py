"""People in the Django admin: only superusers and federation coordinators
see them, read-only. No encrypted (special-category) field is shown, and
there is no service for changing someone else's account from here."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin

from recoverynet.core.admin_base import ReadOnlyModelAdmin
from recoverynet.federation import scoping

from .models import ConsentRecord, User


class PeopleAdmin(ReadOnlyModelAdmin):
    def may_browse(self, user):
        return scoping.is_federation_coordinator(user)

    def scope_queryset(self, request, queryset):
        return queryset.none()


@admin.register(User)
class UserAdmin(PeopleAdmin):
    list_display = ("display_name", "email", "date_joined", "is_active")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("display_name", "email")
    ordering = ("display_name", "id")
    # Never legal name, phone, date of birth or self-descriptions (encrypted), nor the password hash.
    fields = ("display_name", "email", "date_joined", "last_login", "is_active", "is_staff", "is_superuser",
              "erased_at")  # fmt: skip
    readonly_fields = fields


@admin.register(ConsentRecord)
class ConsentRecordAdmin(PeopleAdmin):
    """Append-only evidence of each person's decisions."""

    list_display = ("person", "purpose", "granted", "wording_version", "recorded_at")
    list_filter = ("purpose", "granted", "wording_version")
    list_select_related = ("user",)
    search_fields = ("user__display_name",)
    fields = ("person", "purpose", "granted", "wording_version", "recorded_at")
    readonly_fields = fields

    @admin.display(description="Person", ordering="user__display_name")
    def person(self, obj):
        return obj.user.display_name


# allauth's own admins would let a superuser edit email addresses and read or
# delete two-factor secrets with no audit entry: replace them with read-only views.
for model in (EmailAddress, Authenticator):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(EmailAddress)
class EmailAddressAdmin(PeopleAdmin):
    list_display = ("email", "person", "verified", "primary")
    list_filter = ("verified", "primary")
    list_select_related = ("user",)
    search_fields = ("email", "user__display_name")
    fields = ("email", "person", "verified", "primary")
    readonly_fields = fields

    def may_browse(self, user):
        return user.is_superuser

    @admin.display(description="Person", ordering="user__display_name")
    def person(self, obj):
        return obj.user.display_name


@admin.register(Authenticator)
class AuthenticatorAdmin(PeopleAdmin):
    # Never the secret itself ("data").
    list_display = ("person", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    list_select_related = ("user",)
    search_fields = ("user__display_name",)
    fields = ("person", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def may_browse(self, user):
        return user.is_superuser

    @admin.display(description="Person", ordering="user__display_name")
    def person(self, obj):
        return obj.user.display_name
