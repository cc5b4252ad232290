"""The audit log for coordinators: a filtered list and a CSV export (a POST: core.downloads).

Federation coordinators read every entry; network coordinators read their
own networks' entries (AuditEntry.objects.visible_to). Personal fields were
already stored as "(changed)" when the entry was written.
"""

import csv
import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views import View
from django.views.generic import ListView
from rules.contrib.views import PermissionRequiredMixin

from .audit_display import ChangeDisplay
from .downloads import DownloadOnPostMixin
from .filters import AuditEntryFilter
from .models import AuditEntry
from .services import record_audit_export
from .spreadsheets import Echo, spreadsheet_safe

ENTRIES_PER_PAGE = 50
SYSTEM = "System"
CSV_HEADER = ["When", "Who", "Action", "Type of record", "Record ID", "Record", "Network", "Summary", "Changes"]


def actor_name(entry) -> str:
    return entry.actor.display_name if entry.actor_id else SYSTEM


def object_type_label(entry) -> str:
    return capfirst(entry.content_type.name) if entry.content_type_id else ""


class AuditAccessMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "core.view_auditentry"

    def filtered_entries(self):
        entries = AuditEntry.objects.visible_to(self.request.user).select_related("actor", "network", "content_type")
        self.filterset = AuditEntryFilter(self.request.GET or None, queryset=entries, user=self.request.user)
        return self.filterset.qs


class AuditListView(AuditAccessMixin, ListView):
    template_name = "core/audit_list.html"
    context_object_name = "entries"
    paginate_by = ENTRIES_PER_PAGE

    def get_queryset(self):
        return self.filtered_entries()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        display = ChangeDisplay(context["entries"])
        for entry in context["entries"]:
            entry.who = actor_name(entry)
            entry.object_type = object_type_label(entry)
            entry.change_rows = display.rows(entry)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter=self.filterset, filter_query=query.urlencode())
        return context


class AuditCsvView(AuditAccessMixin, DownloadOnPostMixin, View):
    """GET: the Download CSV button; POST: the file (see core.downloads)."""

    download_title = "Download audit entries"
    download_description = (
        "A spreadsheet of the audit entries you can read, limited by the filters you chose on the audit log page."
    )

    def download_context(self, request):
        return {"back_url": reverse("core:audit_list"), "back_label": "Audit log"}

    def download(self, request):
        entries = self.filtered_entries()
        export_entry = record_audit_export(
            actor=request.user,
            filters={k: v[:40] for k, v in request.GET.items() if k in AuditEntryFilter.base_filters},
        )
        # The file holds the trail as it was when asked for, not its own export entry.
        entries = entries.filter(pk__lt=export_entry.pk)
        writer = csv.writer(Echo())

        def rows():
            yield writer.writerow(CSV_HEADER)
            for entry in entries.iterator(chunk_size=500):
                yield writer.writerow(
                    [
                        spreadsheet_safe(cell)
                        for cell in (
                            entry.created_at.isoformat(),
                            actor_name(entry),
                            entry.get_action_display(),
                            object_type_label(entry),
                            entry.object_id,
                            entry.object_repr,
                            entry.network.name if entry.network_id else "",
                            entry.summary,
                            json.dumps(entry.changes, sort_keys=True, ensure_ascii=False) if entry.changes else "",
                        )
                    ]
                )

        filename = f"recoverynet-audit-{timezone.localdate().isoformat()}.csv"
        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
