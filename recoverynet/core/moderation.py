"""Reports and their review, shared by every app that lets members report something.

A member reports a thing (a time bank post or member, a pitch, an update...)
to the coordinators of the network it belongs to: a reason from the app's
list, optional details only coordinators read. A coordinator closes the
report with an outcome from the app's list and an optional note. The same
idea in every app, written once here:

* :class:`ReportBase`, an abstract model: the common fields (reporter, reason,
  details, status, outcome, outcome note, who closed it and when) and the
  constraints every report table keeps. Each app keeps its own concrete model
  (and table), declares its reasons, statuses and outcomes, what is reported
  (``target_fields``) and how a report reaches its network
  (``network_lookups``), and names the model on its AppConfig
  (``report_models``), so the coordinators' queue (``/manage/reports/``)
  collects every app's reports with no list to edit.
* :func:`report` and :func:`close_report`, the services: permission,
  validation, a rate limit per reporter, one open report per reporter and
  thing, the audit entry (details and notes are free text, recorded as
  "(text, not recorded)"), the app's own side effects through hooks, in one
  transaction; once it commits, the reporter is emailed that their report was
  looked at (never what was done).
* :class:`ReportForm` and :class:`CloseReportForm`, the shared forms, worded
  by the model; the templates under ``core/moderation/``.
* :func:`reports_visible_to`: a network's reports are for its coordinators
  (and the federation's), whatever the app.
"""

import datetime
import logging
from functools import partial, reduce
from operator import or_

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from . import audit, scoping
from .models import AuditEntry
from .services import create_instance, require, update_instance

logger = logging.getLogger(__name__)
OPEN = "open"
DETAILS_MAX = 1000
NOTE_MAX = 1000
# How many reports one person may send in an hour, over every app (settings.MODERATION_REPORTS_PER_HOUR).
REPORTS_PER_HOUR = 10
RATE_WINDOW = datetime.timedelta(hours=1)


class ReportBase(models.Model):
    """A member's report of something in a network, closed by one of its coordinators.

    A concrete report model declares (see ``timebank.Report``, ``initiatives.Report``):

    * ``Reason``, ``Status`` (with ``OPEN = "open"`` and the statuses a closed
      report may have) and ``Outcome``: TextChoices; and overrides ``reason``,
      ``status`` and ``outcome`` with the same fields given those choices;
    * ``target_fields``: the fields naming what is reported ("post",
      "reported_member"); a reporter has one open report per target;
    * ``network_lookups``: the paths from a report to its network's id
      ("network", or "pitch__network" and "update__initiative__network");
    * ``moderate_permission``: the rule a coordinator needs to close it;
    * ``area``: where it was reported, for the shared queue ("Time bank");
    * ``get_network()``, ``target_label()`` and ``get_review_url()``;
    * optionally the wording of the forms, ``check_reportable()`` and ``closed_status(outcome)``.
    """

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(app_label)s_reports_made",
    )
    reason = models.CharField(max_length=20)
    details = models.TextField(max_length=DETAILS_MAX, blank=True)
    status = models.CharField(max_length=10, default=OPEN)
    outcome = models.CharField(max_length=20, blank=True)
    outcome_note = models.TextField(max_length=NOTE_MAX, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    target_fields: tuple[str, ...] = ()
    network_lookups: tuple[str, ...] = ("network",)
    moderate_permission = ""
    area = ""
    # The related rows the shared queue shows for each report (one query per app, never per row).
    queue_related: tuple[str, ...] = ()

    # Wording of the shared forms and messages.
    reason_label = "Why are you reporting this?"
    reason_required = "Choose why you are reporting this"
    details_label = "What happened? (optional)"
    details_hint = "Only the network's coordinators see this. If someone is in danger now, call 999."
    outcome_label = "What was done?"
    outcome_required = "Choose what was done"
    note_label = "Note for the coordinators (optional)"
    already_closed = "This report is already closed."
    reported_twice = "You have reported this already: a coordinator will look at it."

    class Meta:
        abstract = True
        constraints = [
            # An open report has no outcome yet; a closed one says when it was closed.
            models.CheckConstraint(
                condition=~Q(status=OPEN) | Q(outcome=""), name="%(app_label)s_%(class)s_open_has_no_outcome"
            ),
            models.CheckConstraint(
                condition=Q(status=OPEN) | Q(closed_at__isnull=False), name="%(app_label)s_%(class)s_closed_when"
            ),
        ]

    # --- What each app says about its reports ---

    def get_network(self):
        raise NotImplementedError(f"{type(self).__name__} must say which network a report belongs to.")

    def target_label(self) -> str:
        """What was reported, in a few words for the coordinators' queue."""
        raise NotImplementedError(f"{type(self).__name__} must describe what was reported.")

    def get_review_url(self) -> str:
        raise NotImplementedError(f"{type(self).__name__} must say where a coordinator reviews it.")

    # --- Hooks (the defaults do nothing) ---

    def check_reportable(self) -> None:
        """Raise ValidationError when the target may not be reported now (hidden already, say)."""

    def closed_status(self, outcome: str) -> str:
        """The status a report closed with `outcome` takes."""
        return "closed"

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @classmethod
    def in_networks(cls, network_ids) -> Q:
        """Reports belonging to any of `network_ids`."""
        return reduce(or_, (Q(**{f"{lookup}__in": network_ids}) for lookup in cls.network_lookups))


# --- Services ----------------------------------------------------------------------


def check_reporter(actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied("Sign in to report something.")


def _choice(value, choices, name, message) -> str:
    if not isinstance(value, str) or value not in choices.values:
        raise ValidationError({name: f"{message}."}, code="invalid_choice")
    return value


def _text(value, name, limit) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({name: "Enter text."}, code="invalid")
    value = value.strip()
    if "\x00" in value:
        raise ValidationError({name: "Remove the control characters from this text."}, code="control")
    if len(value) > limit:
        raise ValidationError({name: f"Keep it to {limit:,} characters or fewer."}, code="max_length")
    return value


def _limit(model, name) -> int:
    return model._meta.get_field(name).max_length


def reports_per_hour() -> int:
    return getattr(settings, "MODERATION_REPORTS_PER_HOUR", REPORTS_PER_HOUR)


def recent_reports(user, since) -> int:
    """How many reports `user` made since `since`, in every app (one query per app)."""
    from .registry import report_models

    return sum(model.objects.filter(reporter=user, created_at__gte=since).count() for model in report_models())


def report(*, actor, instance: ReportBase, reason, details="", summary="Reported") -> ReportBase:
    """`actor` reports what `instance` (unsaved, its target fields set) names to its network's coordinators.

    Refused: someone signed out; a reason not in the list; details too long;
    what the app's ``check_reportable`` refuses; a second open report of the
    same thing by the same person; more than ``MODERATION_REPORTS_PER_HOUR``
    reports in the last hour. Nothing is written when refused."""
    check_reporter(actor)
    model = type(instance)
    instance.reporter = actor
    instance.reason = _choice(reason, model.Reason, "reason", model.reason_required)
    instance.details = _text(details, "details", _limit(model, "details"))
    instance.check_reportable()
    with transaction.atomic():
        # One report at a time per person, so the count below is exact however fast they send them.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).exists()
        target = {name: getattr(instance, name) for name in model.target_fields}
        if model.objects.filter(reporter=actor, status=OPEN, **target).exists():
            raise ValidationError(model.reported_twice, code="twice")
        if recent_reports(actor, timezone.now() - RATE_WINDOW) >= reports_per_hour():
            raise ValidationError(
                "You have sent a lot of reports in the last hour. Try again later, or if someone is in "
                "danger now, call 999.",
                code="rate",
            )
        return create_instance(actor=actor, instance=instance, network=instance.get_network(), summary=summary)


def close_report(*, actor, report: ReportBase, outcome, note="", check=None, after=None) -> ReportBase:
    """A coordinator of the report's network closes it with an outcome (and a note for the coordinators).

    The app's service may pass ``check(outcome, note)``, raising ValidationError
    when an outcome needs more (a note, say), and ``after(actor, report)``, run
    in the same transaction with the closed report locked (hiding what was
    reported, settling other reports of it). Refused when already closed.
    Returns the report, refreshed."""
    model = type(report)
    require(actor, model.moderate_permission, report)
    outcome = _choice(outcome, model.Outcome, "outcome", model.outcome_required)
    note = _text(note, "outcome_note", _limit(model, "outcome_note"))
    if check is not None:
        check(outcome, note)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=report.pk)
        if not locked.is_open:
            raise ValidationError(model.already_closed, code="closed")
        data = {
            "status": locked.closed_status(outcome),
            "outcome": outcome,
            "outcome_note": note,
            "closed_by": actor,
            "closed_at": timezone.now(),
        }
        update_instance(actor=actor, instance=locked, data=data, network=locked.get_network(), summary="Closed")
        if after is not None:
            after(actor, locked)
        tell_reporter(locked)
    report.refresh_from_db()
    return report


def close_alongside(*, actor, report: ReportBase, reports) -> int:
    """Close `reports` (other open reports of the same thing) as `report` was closed, each audited.
    For an app's ``after``. Returns how many it closed."""
    model = type(report)
    closed = 0
    for other in reports.select_for_update().exclude(pk=report.pk).filter(status=OPEN):
        changes = {"status": [OPEN, report.status], "outcome": [None, report.outcome]}
        model.objects.filter(pk=other.pk).update(
            status=report.status, outcome=report.outcome, closed_by=actor, closed_at=report.closed_at
        )
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            instance=other,
            network=report.get_network(),
            changes=changes,
            summary=f"Closed with report #{report.pk}",
        )
        tell_reporter(other)
        closed += 1
    return closed


def _send_report_closed(model, pk) -> int:
    try:
        report = model.objects.select_related("reporter").get(pk=pk)
        reporter = report.reporter
        if reporter is None or not reporter.is_active or not reporter.email:
            return 0
        body = render_to_string(
            "core/moderation/email/report_closed.txt",
            {"report": report, "reporter": reporter, "network": report.get_network()},
        )
        message = EmailMessage(
            "[RecoveryNet] Your report has been looked at", body, settings.DEFAULT_FROM_EMAIL, [reporter.email]
        )
        return message.send()
    except Exception:  # a mail server that is down never undoes the coordinator's decision
        logger.exception("The email about %s #%s could not be sent", model._meta.label, pk)
        return 0


def tell_reporter(report: ReportBase) -> None:
    """After the transaction commits: tell the reporter their report was looked at and closed (not
    what was done: that is between the coordinators and the people involved)."""
    transaction.on_commit(partial(_send_report_closed, type(report), report.pk))


# --- Reads -------------------------------------------------------------------------


def reports_visible_to(user, model, queryset=None):
    """A network's reports are for its coordinators and the federation's, whatever the app."""
    queryset = model.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated:
        return queryset.none()
    if scoping.is_federation_coordinator(user):
        return queryset
    return queryset.filter(model.in_networks(scoping.coordinated_network_ids(user)))


# --- Forms -------------------------------------------------------------------------


class ReportForm(forms.Form):
    """The "Report this" form: a reason from the model's list, and optional details."""

    reason = forms.ChoiceField(choices=[], widget=forms.RadioSelect)
    details = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, model, **kwargs):
        super().__init__(*args, **kwargs)
        limit = _limit(model, "details")
        reason, details = self.fields["reason"], self.fields["details"]
        reason.label, reason.choices = model.reason_label, model.Reason.choices
        reason.error_messages.update(required=model.reason_required, invalid_choice="Choose one of the options")
        details.label, details.help_text, details.max_length = model.details_label, model.details_hint, limit
        details.validators.append(MaxLengthValidator(limit))
        details.error_messages["max_length"] = f"Keep it to {limit:,} characters or fewer"
        details.widget.attrs["maxlength"] = str(limit)


class CloseReportForm(forms.Form):
    """The coordinator's decision: an outcome from the model's list, and an optional note."""

    outcome = forms.ChoiceField(choices=[], widget=forms.RadioSelect)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, model, **kwargs):
        super().__init__(*args, **kwargs)
        limit = _limit(model, "outcome_note")
        outcome, note = self.fields["outcome"], self.fields["note"]
        outcome.label, outcome.choices = model.outcome_label, model.Outcome.choices
        outcome.error_messages.update(required=model.outcome_required, invalid_choice="Choose one of the options")
        note.label, note.max_length = model.note_label, limit
        note.validators.append(MaxLengthValidator(limit))
        note.error_messages["max_length"] = f"Keep it to {limit:,} characters or fewer"
        note.widget.attrs["maxlength"] = str(limit)
