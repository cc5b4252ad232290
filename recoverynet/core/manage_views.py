"""The machinery every app's coordinator pages (/manage/…) are built from:
sign-in and permission checks, and FormViews that hand cleaned data to a
service, showing its ValidationError on the form and redirecting on success."""

import copy

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from rules.contrib.views import PermissionRequiredMixin


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when
    the form has that field, at the top of the form otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


def editable_copy(instance):
    """A ModelForm changes its instance while validating; the service must see
    the object as it is in the database to audit the difference."""
    return copy.copy(instance)


class ManageView(LoginRequiredMixin, PermissionRequiredMixin):
    """Signed-out people go to the sign-in page; signed-in people without the
    permission get 403 (AccessMixin raises for authenticated users)."""

    permission_required = ()


class ServiceFormMixin:
    """FormView glue: call `perform(form)`, turn ValidationError into form
    errors, and POST-redirect-GET with a message on success."""

    def form_valid(self, form):
        try:
            self.result = self.perform(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        message = self.get_success_message(form)
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())

    def perform(self, form):  # pragma: no cover - every view defines it
        raise NotImplementedError

    def get_success_message(self, form):
        return ""
