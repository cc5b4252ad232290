"""CSV exports of the directory for coordinators:
/manage/directory/export/meetings.csv?network=<slug> and services.csv. A GET shows a
Download CSV button; the download itself is a POST (core.downloads).

Network coordinators export their own network's listings (every status, so
they can check them); federation coordinators may leave out `network` to
export every network's. Each download is audited (services.record_directory_
export), streamed in chunks (constant memory and queries per chunk), and safe
to open in a spreadsheet: a cell that would start a formula gets a leading quote.
"""

import csv

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views import View

from recoverynet.core.downloads import DownloadOnPostMixin
from recoverynet.core.spreadsheets import Echo, spreadsheet_safe
from recoverynet.federation import scoping
from recoverynet.federation.models import Network

from .. import services
from ..models import DAY_NAMES, Meeting, Service, TaxonomyTerm

CHUNK_SIZE = 500

MEETING_HEADER = [
    "Slug", "Name", "Network", "Fellowship", "Group", "Days", "Monthly week", "Start time", "End time", "Time zone",
    "Types", "Attendance", "Status", "Venue", "Address", "Town", "Postcode", "District", "Latitude", "Longitude",
    "Approximate location", "Conference URL", "Conference URL notes", "Conference phone", "Conference phone notes",
    "Notes", "Contact name", "Contact email", "Contact phone", "Website", "Last verified", "Updated",
]  # fmt: skip
SERVICE_HEADER = [
    "Slug", "Name", "Organisation", "Sector", "Network", "Status", "Description", "Website", "Email", "Fees",
    "Minimum age", "Maximum age", "Taxonomy terms", "Locations", "Opening times", "Phones", "Alert", "Assured date",
    "Updated",
]  # fmt: skip


def iso_time(value) -> str:
    return value.isoformat(timespec="minutes") if value is not None else ""


def iso_date(value) -> str:
    return value.isoformat() if value is not None else ""


def yes_no(value) -> str:
    return "Yes" if value else "No"


def meeting_row(meeting) -> list:
    location = meeting.location
    return [
        meeting.slug,
        meeting.name,
        meeting.network.name,
        meeting.fellowship.name,
        meeting.group_name,
        "; ".join(DAY_NAMES[d] for d in meeting.weekdays),
        meeting.get_monthly_week_display() if meeting.monthly_week else "",
        iso_time(meeting.start_time),
        iso_time(meeting.effective_end_time),
        meeting.timezone,
        " ".join(sorted(t.code for t in meeting.types.all())),
        meeting.attendance.label,
        meeting.get_status_display(),
        location.name if location else "",
        location.address if location else "",
        location.town if location else "",
        location.postcode if location else "",
        location.region if location else "",
        location.latitude if location and location.latitude is not None else "",
        location.longitude if location and location.longitude is not None else "",
        yes_no(location.approximate) if location else "",
        meeting.conference_url,
        meeting.conference_url_notes,
        meeting.conference_phone,
        meeting.conference_phone_notes,
        meeting.notes,
        meeting.contact_name,
        meeting.contact_email,
        meeting.contact_phone,
        meeting.url,
        iso_date(meeting.last_verified),
        timezone.localtime(meeting.updated_at).isoformat(timespec="seconds"),
    ]


def schedule_text(schedule) -> str:
    times = "-".join(iso_time(t) for t in (schedule.opens_at, schedule.closes_at) if t is not None)
    parts = [schedule.get_freq_display(), schedule.byday, times, schedule.description]
    return " ".join(p for p in parts if p)


def service_row(service) -> list:
    return [
        service.slug,
        service.name,
        service.organisation.name,
        service.organisation.get_sector_display(),
        service.network.name,
        service.get_status_display(),
        service.description,
        service.url,
        service.email,
        service.fees,
        "" if service.minimum_age is None else service.minimum_age,
        "" if service.maximum_age is None else service.maximum_age,
        "; ".join(f"{t.taxonomy.name}: {t.name}" for t in service.taxonomy_terms.all()),
        "; ".join(location.formatted_address for location in service.locations.all()),
        "; ".join(schedule_text(s) for s in service.schedules.all()),
        "; ".join(p.number for p in service.phones.all()),
        service.alert,
        iso_date(service.assured_date),
        timezone.localtime(service.updated_at).isoformat(timespec="seconds"),
    ]


class DirectoryExportView(DownloadOnPostMixin, View):
    """GET: the Download CSV button; POST: the file, audited (see core.downloads)."""

    kind = ""
    header: list = []

    def queryset(self):
        raise NotImplementedError

    def row(self, obj) -> list:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        # The same refusals for the button page and the download.
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        slug = request.GET.get("network", "").strip()
        self.network = None
        if slug:
            self.network = get_object_or_404(Network.objects.active(), slug=slug[:80])
        if self.network is None and not scoping.is_federation_coordinator(request.user):
            if not scoping.coordinated_network_ids(request.user):
                raise PermissionDenied
            # Not an error: which network's? (Only federation coordinators export them all.)
            networks = Network.objects.active().filter(pk__in=scoping.coordinated_network_ids(request.user))
            return render(
                request,
                "directory/manage/export_choose_network.html",
                {"kind": self.kind, "networks": networks.order_by("name"), "path": request.path},
            )
        if not rules.has_perm("directory.export_directory", request.user, self.network):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def download_title(self):
        return f"Download {self.kind}"

    @property
    def download_description(self):
        where = f"the {self.network.name} network" if self.network else "every network"
        return f"A spreadsheet of the {self.kind} of {where}, whatever their status."

    def download(self, request):
        network = self.network
        objects = self.queryset()
        if network is not None:
            objects = objects.filter(network=network)
        services.record_directory_export(actor=request.user, kind=self.kind, network=network, rows=objects.count())
        writer = csv.writer(Echo())

        def rows():
            yield writer.writerow(self.header)
            for obj in objects.iterator(chunk_size=CHUNK_SIZE):
                yield writer.writerow([spreadsheet_safe(cell) for cell in self.row(obj)])

        filename = f"recoverynet-{self.kind}-{network.slug if network else 'all'}-{timezone.localdate():%Y-%m-%d}.csv"
        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


class MeetingExportView(DirectoryExportView):
    kind = "meetings"
    header = MEETING_HEADER

    def queryset(self):
        return (
            Meeting.objects.select_related("network", "fellowship", "location")
            .prefetch_related("days", "types")
            .order_by("network__name", "name", "pk")
        )

    def row(self, meeting):
        return meeting_row(meeting)


class ServiceExportView(DirectoryExportView):
    kind = "services"
    header = SERVICE_HEADER

    def queryset(self):
        return (
            Service.objects.select_related("network", "organisation")
            .prefetch_related(
                Prefetch("taxonomy_terms", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
                "locations",
                "schedules",
                "phones",
            )
            .order_by("network__name", "name", "pk")
        )

    def row(self, service):
        return service_row(service)
