"""Coordinators' pages for Meeting Guide feeds: sources, dry runs, change
reports and applying them. Thin views over services/feeds.py.

Feed sources and their imports belong to a network and are not public: one
the user may not manage is 404. Adding a source to a network (a public
object) the user does not coordinate is 403.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView, ListView, View

from recoverynet.core.manage_pages import ManageView, ServiceFormMixin, add_service_errors, editable_copy
from recoverynet.federation import scoping
from recoverynet.federation.forms import manageable_networks
from recoverynet.federation.mixins import NetworkObjectMixin

from ..import_forms import FeedSourceForm, ImportForm
from ..models import DAY_NAMES, FeedImport, FeedSource
from ..selectors import sources_visible_to
from ..services import feeds

SOURCES_PER_PAGE = 50
FIELD_LABELS = {
    "name": "Name",
    "start_time": "Start time",
    "end_time": "End time",
    "timezone": "Time zone",
    "notes": "Notes",
    "group_name": "Group",
    "conference_url": "Online meeting link",
    "conference_url_notes": "Online meeting notes",
    "conference_phone": "Dial-in phone number",
    "conference_phone_notes": "Dial-in notes",
    "status": "Status",
    "url": "Web page",
    "contact_name": "Contact name",
    "contact_email": "Contact email",
    "contact_phone": "Contact phone",
    "days": "Days",
    "types": "Types",
    "source": "Feed",
    "location_name": "Venue",
    "location_address": "Street address",
    "location_town": "Town",
    "location_postcode": "Postcode",
    "location_region": "Area",
    "location_notes": "Venue notes",
    "location_approximate": "Approximate location",
    "location_latitude": "Latitude",
    "location_longitude": "Longitude",
}
IMPORTS_PER_PAGE = 20


def display_value(field, value) -> str:
    if value in (None, "", []):
        return "(none)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field == "days" and isinstance(value, list):
        return ", ".join(DAY_NAMES[d] if isinstance(d, int) and 0 <= d <= 6 else str(d) for d in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def changed_rows(report) -> list:
    """The report's changes, ready to show: [{slug, name, fields: [(label, old, new)]}]."""
    rows = []
    for change in report.get("changed", []):
        fields = [
            (FIELD_LABELS.get(field, field), display_value(field, old), display_value(field, new))
            for field, (old, new) in change.get("fields", {}).items()
        ]
        rows.append({"slug": change.get("slug"), "name": change.get("name"), "fields": fields})
    return rows


class SourceListView(ManageView, ListView):
    template_name = "directory/imports/source_list.html"
    context_object_name = "sources"
    paginate_by = SOURCES_PER_PAGE

    def has_permission(self):
        return scoping.is_coordinator(self.request.user)

    def get_queryset(self):
        return (
            sources_visible_to(self.request.user)
            .select_related("network", "default_fellowship")
            .annotate(last_run=Max("imports__created_at"))
            .order_by("network__name", "name")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            networks=list(manageable_networks(self.request.user).order_by("name")), **kwargs
        )


class SourceCreateView(NetworkObjectMixin, ManageView, ServiceFormMixin, FormView):
    permission_required = "directory.import_feed"
    form_class = FeedSourceForm
    template_name = "directory/imports/source_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": FeedSource(network=self.network)}

    def perform(self, form):
        return feeds.create_feed_source(actor=self.request.user, network=self.network, data=form.cleaned_data)

    def get_success_message(self, form):
        return f"The feed {self.result.name} has been added."

    def get_success_url(self):
        return reverse("directory:imports:import", kwargs={"pk": self.result.pk})


class SourceObjectMixin:
    @cached_property
    def source(self):
        visible = sources_visible_to(self.request.user, FeedSource.objects.select_related("network"))
        return get_object_or_404(visible, pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.source.network

    def get_context_data(self, **kwargs):
        return super().get_context_data(source=self.source, network=self.source.network, **kwargs)


class SourceEditView(SourceObjectMixin, ManageView, ServiceFormMixin, FormView):
    permission_required = "directory.import_feed"
    form_class = FeedSourceForm
    template_name = "directory/imports/source_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": editable_copy(self.source)}

    def perform(self, form):
        return feeds.update_feed_source(actor=self.request.user, source=self.source, data=form.cleaned_data)

    def get_success_message(self, form):
        return "Your changes have been saved." if self.result else "Nothing was changed."

    def get_success_url(self):
        return reverse("directory:imports:import", kwargs={"pk": self.source.pk})


class ImportView(SourceObjectMixin, ManageView, FormView):
    """Upload or fetch a feed → dry run → its change report."""

    permission_required = "directory.import_feed"
    form_class = ImportForm
    template_name = "directory/imports/import.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "source": self.source}

    def form_valid(self, form):
        try:
            if form.cleaned_data["method"] == ImportForm.FETCH:
                payload = feeds.fetch_feed(self.source.url)
            else:
                payload = form.payload()
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        result = feeds.preview_import(actor=self.request.user, source=self.source, payload=payload)
        if result.status == FeedImport.Status.REFUSED:
            form.add_error("file" if form.cleaned_data["method"] == ImportForm.UPLOAD else None, result.error)
            return self.form_invalid(form)
        return HttpResponseRedirect(reverse("directory:imports:import_detail", kwargs={"pk": result.pk}))

    def get_context_data(self, **kwargs):
        imports = FeedImport.objects.filter(source=self.source).select_related("started_by").defer("payload", "report")
        page = Paginator(imports, IMPORTS_PER_PAGE).get_page(self.request.GET.get("page"))
        held = (
            FeedImport.objects.filter(source=self.source, status=FeedImport.Status.HELD)
            .exclude(payload="")
            .defer("payload")
        )
        return super().get_context_data(page_obj=page, imports=page.object_list, held_imports=held, **kwargs)


class ImportObjectMixin:
    @cached_property
    def feed_import(self):
        visible = FeedImport.objects.select_related("source__network", "started_by").filter(
            source__in=sources_visible_to(self.request.user)
        )
        return get_object_or_404(visible.defer("payload"), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.feed_import.source.network


class ImportDetailView(ImportObjectMixin, ManageView, View):
    permission_required = "directory.import_feed"

    def get(self, request, *args, **kwargs):
        feed_import = self.feed_import
        report = feed_import.report or {}
        can_apply = (
            feed_import.status in feeds.AWAITING_DECISION
            and FeedImport.objects.filter(pk=feed_import.pk).exclude(payload="").exists()
            and feeds.has_changes({**report, "rejected": []})
        )
        return render(
            request,
            "directory/imports/import_detail.html",
            {
                "feed_import": feed_import,
                "source": feed_import.source,
                "network": feed_import.source.network,
                "report": report,
                "changed": changed_rows(report),
                "counts": {k: len(report.get(k, [])) for k in ("added", "changed", "removed", "rejected")},
                "can_apply": can_apply,
            },
        )


class ApplyImportView(ImportObjectMixin, ManageView, View):
    permission_required = "directory.import_feed"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            result, applied = feeds.apply_previewed_import(actor=request.user, feed_import=self.feed_import)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(reverse("directory:imports:import_detail", kwargs={"pk": self.feed_import.pk}))
        if applied:
            messages.success(request, "The changes have been applied.")
        else:
            messages.warning(
                request, "The directory changed since the dry run, so nothing was applied. Check the new report."
            )
        return HttpResponseRedirect(reverse("directory:imports:import_detail", kwargs={"pk": result.pk}))


class DismissImportView(ImportObjectMixin, ManageView, View):
    """ "Dismiss" a nightly import held for review: nothing is applied."""

    permission_required = "directory.import_feed"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            feeds.dismiss_held_import(actor=request.user, feed_import=self.feed_import)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(reverse("directory:imports:import_detail", kwargs={"pk": self.feed_import.pk}))
        messages.success(request, "The held import has been dismissed. Nothing was changed.")
        return HttpResponseRedirect(reverse("directory:imports:import", kwargs={"pk": self.feed_import.source_id}))
