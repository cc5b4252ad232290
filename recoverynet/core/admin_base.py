"""The Django admin, scoped by the same rules as the rest of RecoveryNet.

`ScopedModelAdmin` is the base of every RecoveryNet model admin:

* what a person sees is `get_queryset` scoped to them (superusers and
  federation coordinators see everything; a network coordinator their own
  networks); anything outside it is a 404, never a redirect;
* what they may change is asked of the django-rules perms, object by object;
* every add and change goes through the app's services (`service_create`,
  `service_update`), so it is validated, permission-checked and audited
  exactly like the same change made anywhere else. A service's
  ValidationError or PermissionDenied comes back as errors on the form;
* nothing is deleted: no service deletes these objects (deactivate instead).

`ReadOnlyModelAdmin` is for records nobody may change (audit entries,
consent records).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from recoverynet.core import scoping


class _ServiceRejected(Exception):
    """A service refused a change made in the admin (carries the ValidationError)."""

    def __init__(self, error: ValidationError):
        super().__init__(str(error))
        self.error = error


def _as_validation_error(exc) -> ValidationError:
    if isinstance(exc, ValidationError):
        return exc
    return ValidationError(str(exc) or "You do not have permission to make this change.")


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


class ScopedModelAdmin(admin.ModelAdmin):
    #: rules perm asked with the object for changes (None: nobody changes it here).
    change_perm = None
    #: who may add: None (nobody), "federation" (federation coordinators) or "coordinators" (any coordinator).
    add_scope = None

    actions = ()
    save_as = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Web addresses typed without a scheme are https (Django 6's default), in every app's admin.
        self.formfield_overrides.setdefault(models.URLField, {}).setdefault("assume_scheme", "https")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Checkboxes: a multiple select is hard to use without JavaScript. Unless the admin
        # chose another way for this field (raw ids, autocomplete, the filter widget).
        chosen = (*self.raw_id_fields, *self.get_autocomplete_fields(request), *self.filter_horizontal)
        if db_field.name not in (*chosen, *self.filter_vertical):
            kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # --- who sees what ---------------------------------------------------------

    def may_browse(self, user) -> bool:
        """Whether this admin appears at all for `user` (objects are then scoped)."""
        return scoping.is_coordinator(user)

    def scope_queryset(self, request, queryset):
        """The rows a network coordinator may see; federation coordinators see all."""
        return queryset.filter(network_id__in=scoping.coordinated_network_ids(request.user))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if scoping.is_federation_coordinator(request.user):
            return queryset
        if not self.may_browse(request.user):
            return queryset.none()
        return self.scope_queryset(request, queryset)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            if not self.has_view_or_change_permission(request):
                raise PermissionDenied  # no access to this part of the admin at all
            # Outside the person's scope (or no such row): not found, as everywhere else.
            raise Http404
        return obj

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff and self.may_browse(request.user)

    def has_view_permission(self, request, obj=None):
        # Objects only ever come from the scoped queryset, so seeing the list means seeing its rows.
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        if self.change_perm is None or not self.has_module_permission(request):
            return False
        if obj is None:
            return True  # decided row by row
        return request.user.has_perm(self.change_perm, obj)

    def has_add_permission(self, request):
        if not self.has_module_permission(request) or self.add_scope is None:
            return False
        if scoping.is_federation_coordinator(request.user):
            return True
        return self.add_scope == "coordinators" and bool(scoping.coordinated_network_ids(request.user))

    def has_delete_permission(self, request, obj=None):
        # No service deletes these objects: deactivate them instead (is_active).
        return False

    def coordinated_networks(self, request, queryset):
        """Limit a queryset of networks to those the person coordinates (all for federation coordinators)."""
        if scoping.is_federation_coordinator(request.user):
            return queryset
        return queryset.filter(pk__in=scoping.coordinated_network_ids(request.user))

    # --- changes go through the services ------------------------------------------

    def service_create(self, request, data: dict):
        """Create the object through the app's service; return it."""
        raise PermissionDenied("Objects of this kind cannot be added here.")

    def service_update(self, request, obj, data: dict):
        """Apply `data` (only the changed fields) through the app's service."""
        raise PermissionDenied("Objects of this kind cannot be changed here.")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        error = getattr(request, "_recoverynet_service_error", None)
        if error is None:
            return form_class

        class ServiceErrorForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                _add_errors(self, error)
                return cleaned_data

        return ServiceErrorForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _ServiceRejected as rejected:
            # The transaction has rolled back; show the same form again with the service's errors.
            request._recoverynet_service_error = rejected.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        model_fields = {f.name for f in self.model._meta.get_fields()}
        try:
            if change:
                # The form has already copied its values onto `obj`: start from the stored row,
                # so the service sees (and audits) the real difference.
                original = self.get_queryset(request).get(pk=obj.pk)
                data = {name: self._value(form, name) for name in form.changed_data if name in model_fields}
                if data:
                    self.service_update(request, original, data)
            else:
                data = {name: self._value(form, name) for name in form.cleaned_data if name in model_fields}
                created = self.service_create(request, data)
                for model_field in self.model._meta.concrete_fields:
                    setattr(obj, model_field.attname, getattr(created, model_field.attname))
                obj._state.adding = False
                obj._state.db = created._state.db
        except (ValidationError, PermissionDenied) as exc:
            raise _ServiceRejected(_as_validation_error(exc)) from exc

    @staticmethod
    def _value(form, name):
        value = form.cleaned_data[name]
        if isinstance(value, QuerySet):  # many-to-many
            return list(value)
        return value

    def save_related(self, request, form, formsets, change):
        # Many-to-many values went to the service with the rest; only inline formsets remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    # --- bulk actions through the services --------------------------------------

    def apply_to_each(self, request, queryset, change, done_message):
        """Run `change(obj)` (a service call) for each selected object; report what happened."""
        done, refused = 0, 0
        for obj in queryset:
            try:
                change(obj)
                done += 1
            except (ValidationError, PermissionDenied):
                refused += 1
        if done:
            self.message_user(request, done_message.format(count=done), messages.SUCCESS)
        if refused:
            self.message_user(
                request, f"{refused} could not be changed: you may not change them, or they were not valid.",
                messages.WARNING,
            )  # fmt: skip


class ReadOnlyModelAdmin(ScopedModelAdmin):
    """Nobody adds, changes or deletes these through the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
