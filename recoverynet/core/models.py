"""The audit log: an append-only record of every state change."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models

from .scoping import coordinated_network_ids, is_federation_coordinator


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("Audit entries are append-only.")

    def delete(self):
        raise PermissionDenied("Audit entries are append-only.")

    def visible_to(self, user):
        """Entries a user may read: everything for federation coordinators,
        their own networks' entries for network coordinators, nothing else."""
        if not user.is_authenticated:
            return self.none()
        if is_federation_coordinator(user):
            return self
        return self.filter(network_id__in=coordinated_network_ids(user))


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        APPROVE = "approve", "Approved"
        DECLINE = "decline", "Declined"
        CONSENT = "consent", "Consent recorded"
        EXPORT = "export", "Data exported"
        ERASE = "erase", "Erased"
        LOGIN = "login", "Signed in"

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    # A description of the object that never holds personal data (see core.audit).
    object_repr = models.CharField(max_length=200, blank=True)
    network = models.ForeignKey(
        "federation.Network", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_entries"
    )
    # {field: [old, new]}; personal and encrypted fields appear as "(changed)".
    changes = models.JSONField(default=dict, blank=True)
    summary = models.CharField(max_length=300, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["network", "-created_at"]), models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit entries are append-only.")
