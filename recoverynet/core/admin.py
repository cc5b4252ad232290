"""The audit log in the Django admin: read-only, scoped like the audit pages."""

import json

from django.contrib import admin
from django.utils.html import format_html

from .admin_base import ReadOnlyModelAdmin
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyModelAdmin):
    """Append-only: nobody adds, changes or deletes an entry, here or anywhere."""

    list_display = ("created_at", "action", "object_repr", "network", "actor_name", "summary")
    list_filter = ("action", ("network", admin.RelatedOnlyFieldListFilter), "created_at")
    list_select_related = ("actor", "network", "content_type")
    search_fields = ("object_repr",)
    date_hierarchy = "created_at"
    fields = ("created_at", "action", "object_repr", "content_type", "object_id", "network", "actor_name",
              "summary", "changes_display")  # fmt: skip
    readonly_fields = fields

    def scope_queryset(self, request, queryset):
        # The same scope as the audit pages: their own networks' entries for network coordinators.
        return queryset.visible_to(request.user)

    @admin.display(description="By", ordering="actor__display_name")
    def actor_name(self, obj):
        return obj.actor.display_name if obj.actor_id else "System"

    @admin.display(description="Changes")
    def changes_display(self, obj):
        if not obj.changes:
            return "None"
        return format_html("<pre>{}</pre>", json.dumps(obj.changes, indent=2, ensure_ascii=False, sort_keys=True))
