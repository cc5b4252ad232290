"""/changes/: anyone, signed in or not, reports that a meeting's details are
out of date. The report goes to the network's coordinators
(/manage/directory/changes/).

Anti-abuse: CSRF (as every form), a honeypot field bots fill in (the report
is then quietly dropped), length limits on every field, and a limit on
reports per client address per hour (`core.client_address`, the same rule as
logins and the API; Django's cache; the address is stored only as a keyed
hash, and only for the hour). Over the limit: 429 with Retry-After."""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from recoverynet.core.client_address import client_address
from recoverynet.core.manage_pages import add_service_errors

from .. import services
from ..forms import ChangeReportForm
from ..models import Meeting

RATE_WINDOW_SECONDS = 60 * 60


def reports_per_hour() -> int:
    return getattr(settings, "DIRECTORY_CHANGE_REPORTS_PER_HOUR", 10)


# Seconds since the epoch; tests move it by hand.
clock = time.time


def _rate_key(request) -> str:
    address = client_address(request) or "unknown"
    digest = salted_hmac("recoverynet.directory.change-report", address).hexdigest()
    return f"directory:change-report:{digest}"


def over_rate_limit(request) -> int:
    """Count this attempt. 0 while the client is within its hourly allowance,
    else the seconds until its hour is over (for Retry-After).

    The window (its end time and its count) lives in one cache entry, so the
    answer depends on our clock, not on when the cache happens to expire it."""
    key = _rate_key(request)
    now = clock()
    window = cache.get(key)
    if not window or window[0] <= now:
        window = (now + RATE_WINDOW_SECONDS, 0)
    ends_at, count = window[0], window[1] + 1
    cache.set(key, (ends_at, count), max(1, math.ceil(ends_at - now)))
    if count > reports_per_hour():
        return max(1, math.ceil(ends_at - now))
    return 0


def try_again_in(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


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
        wait = over_rate_limit(request)
        if wait:
            form.is_valid()
            form.add_error(None, f"You have sent a lot of reports recently. Try again in {try_again_in(wait)}.")
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(wait)
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
        return reverse("directory:changes:report_done", kwargs={"slug": self.meeting.slug})


class ReportDoneView(MeetingMixin, TemplateView):
    template_name = "directory/changes/report_done.html"
