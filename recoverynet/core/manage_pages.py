"""The machinery every app's coordinator pages (/manage/…) are built from:
sign-in and permission checks, and FormViews that hand cleaned data to a
service, showing its ValidationError on the form and redirecting on success.

A model's add and edit pages are then a few declared lines (in the spirit of
NetBox's ObjectEditView):

    class SettlementEditView(ObjectEditView):
        queryset = Settlement.objects.select_related("network")
        permission_required = "federation.change_settlement"
        form_class = SettlementForm
        template_name = "federation/manage/settlement_form.html"
        service = services.update_settlement  # (actor=, settlement=, data=) -> changed?
"""

import copy

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView
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


def saved_message(changed) -> str:
    return "Your changes have been saved." if changed else "Nothing was changed."


class ObjectCreateView(ManageView, ServiceFormMixin, FormView):
    """Add an object through its app's service: `service(actor=, **service_arguments(form))`
    returns the new object (self.result)."""

    service = None

    def service_arguments(self, form) -> dict:
        return {"data": form.cleaned_data}

    def perform(self, form):
        return type(self).service(actor=self.request.user, **self.service_arguments(form))

    def get_success_message(self, form):
        return f"{self.result} has been added."


class ObjectEditView(ManageView, ServiceFormMixin, FormView):
    """Change one object through its app's service: looked up in `queryset` by
    `lookup_field` (the URL keyword of the same name), permission checked on it,
    edited on a copy (the service audits the difference from the database), and
    `service(actor=, <model name>=object, **service_arguments(form))` says
    whether anything changed. The template gets the object under its model name."""

    queryset = None
    lookup_field = "slug"
    service = None

    @cached_property
    def object(self):
        return get_object_or_404(self.queryset.all(), **{self.lookup_field: self.kwargs[self.lookup_field]})

    @property
    def object_name(self) -> str:
        return self.queryset.model._meta.model_name

    def get_permission_object(self):
        return self.object

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": editable_copy(self.object)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**{self.object_name: self.object}, **kwargs)

    def service_arguments(self, form) -> dict:
        return {"data": form.cleaned_data}

    def perform(self, form):
        return type(self).service(
            actor=self.request.user, **{self.object_name: self.object}, **self.service_arguments(form)
        )

    def get_success_message(self, form):
        return saved_message(self.result)


class ConfirmActionView(ManageView, TemplateView):
    """A page that asks "Are you sure?" on GET and acts on POST: `perform()`
    calls the service; its ValidationError becomes an error message, success
    `get_success_message()`; both go back to `get_success_url()`. For removals
    and other one-button decisions that take no input."""

    def post(self, request, *args, **kwargs):
        try:
            self.perform()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, self.get_success_message())
        return HttpResponseRedirect(self.get_success_url())

    def perform(self):  # pragma: no cover - every view defines it
        raise NotImplementedError

    def get_success_message(self) -> str:  # pragma: no cover - every view defines it
        raise NotImplementedError
