"""/changes/: anyone, signed in or not, reports that a meeting's details are
out of date. The report goes to the network's coordinators
(/manage/directory/changes/).

Anti-abuse: CSRF (as every form), a honeypot field bots fill in (the report
is then quietly dropped), length limits on every field, and a limit on
reports per IP address per hour (Django's cache; the address is stored only
as a keyed hash, and only for the hour)."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from recoverynet.federation.manage_views import add_service_errors

from . import services
from .forms import ChangeReportForm
from .models import Meeting

RATE_WINDOW_SECONDS = 60 * 60


def reports_per_hour() -> int:
    return getattr(settings, "DIRECTORY_CHANGE_REPORTS_PER_HOUR", 10)


def _rate_key(request) -> str:
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    digest = salted_hmac("recoverynet.directory.change-report", address).hexdigest()
    return f"directory:change-report:{digest}"


def over_rate_limit(request) -> bool:
    """Count this attempt; True once the address has made too many in the hour."""
    key = _rate_key(request)
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    return count > reports_per_hour()


class MeetingMixin:
    @cached_property
    def meeting(self):
        return get_object_or_404(
            Meeting.objects.listed().select_related("network", "location", "fellowship"), slug=self.kwargs["slug"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)


class ReportChangeView(MeetingMixin, FormView):
    form_class = ChangeReportForm
    template_name = "directory/changes/report.html"

    def post(self, request, *args, **kwargs):
        self.meeting  # noqa: B018 - 404 before anything else
        form = self.get_form()
        if over_rate_limit(request):
            form.is_valid()
            form.add_error(None, "You have sent a lot of reports recently. Please try again in an hour.")
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        if form.is_bot:
            # Pretend it worked: a bot learns nothing, and nothing is written.
            return HttpResponseRedirect(self.get_success_url())
        if form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != ChangeReportForm.HONEYPOT}
        try:
            services.submit_change_request(actor=self.request.user, meeting=self.meeting, data=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return reverse("directory_changes:report_done", kwargs={"slug": self.meeting.slug})


class ReportDoneView(MeetingMixin, TemplateView):
    template_name = "directory/changes/report_done.html"
