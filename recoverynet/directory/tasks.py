"""Scheduled work for the directory (Django's tasks framework, django-tasks).

`reimport_feed(source_id)` fetches a feed source's URL, applies it as the
system (no person: services.feeds.apply_system_import) and emails the
network's coordinators the change report: only those who have said yes to
being contacted, and only when something changed, the feed was refused, the
import failed, or it was held for review (it would remove more than
FEED_IMPORT_MAX_REMOVAL_SHARE of the feed's meetings). Whatever goes wrong is
recorded as a FeedImport and reported: the task never dies silently.

`manage.py reimport_feeds` enqueues it for every scheduled source; run that
nightly from cron or a systemd timer (see docs/). With the default
ImmediateBackend the work happens inside the command; a production queue
needs a database or broker backend (django-tasks-db, a separate package).
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django_tasks import task

from recoverynet.accounts.models import ConsentPurpose, User
from recoverynet.accounts.privacy import consented_user_ids
from recoverynet.federation.models import Membership

from .models import FeedImport, FeedSource
from .services import feeds

logger = logging.getLogger(__name__)


def coordinators_to_tell(network) -> list:
    """Active coordinators of the network whose latest contact consent is yes."""
    ids = Membership.objects.filter(
        network=network, role=Membership.Role.NETWORK_COORDINATOR, status=Membership.Status.ACTIVE
    ).values_list("user_id", flat=True)
    consented = consented_user_ids(ConsentPurpose.CONTACT, ids)
    return list(User.objects.filter(pk__in=consented, is_active=True).exclude(email="").order_by("pk"))


def notify_coordinators(feed_import: FeedImport) -> int:
    """Email the change report, one message per person (no shared address list).
    Returns how many were sent."""
    source = feed_import.source
    recipients = coordinators_to_tell(source.network)
    if not recipients:
        return 0
    report = feed_import.report or {}
    body = render_to_string(
        "directory/imports/email_report.txt",
        {
            "source": source,
            "network": source.network,
            "feed_import": feed_import,
            "report": report,
            "counts": {k: len(report.get(k, [])) for k in ("added", "changed", "removed", "rejected")},
        },
    )
    subject = f"[RecoveryNet] Meeting feed {source.name}: " + {
        FeedImport.Status.REFUSED: "could not be imported",
        FeedImport.Status.FAILED: "could not be imported",
        FeedImport.Status.HELD: "held for review",
    }.get(feed_import.status, "changes imported")
    connection = get_connection()
    messages = [
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], connection=connection)
        for user in recipients
    ]
    return connection.send_messages(messages) or 0


def _reimport(source) -> FeedImport:
    try:
        payload = feeds.fetch_feed(source.url)
    except ValidationError as exc:
        return feeds.record_failed_fetch(source=source, message=" ".join(exc.messages))
    return feeds.apply_system_import(source=source, payload=payload)


def _record_failure(source, exc) -> FeedImport:
    try:
        return feeds.record_failed_import(source=source, exc=exc)
    except Exception:  # the database itself is failing: still tell the coordinators
        logger.exception("Feed source %s: the failed re-import could not be recorded", source.pk)
        return FeedImport(source=source, status=FeedImport.Status.FAILED, report={}, error=f"{type(exc).__name__}")


def _notify_safely(feed_import) -> int:
    try:
        return notify_coordinators(feed_import)
    except Exception:  # a mail server that is down must not lose the import's record
        logger.exception("Feed source %s: the report could not be emailed", feed_import.source_id)
        return 0


@task()
def reimport_feed(source_id: int) -> dict:
    source = FeedSource.objects.select_related("network").filter(pk=source_id).first()
    if source is None or not source.url or not source.network.is_active:
        return {"status": "skipped"}
    try:
        feed_import = _reimport(source)
    except Exception as exc:  # anything at all: record it and tell the coordinators
        logger.exception("Feed source %s: the re-import failed", source.pk)
        feed_import = _record_failure(source, exc)
    tell = feed_import.status != FeedImport.Status.APPLIED or feeds.has_changes(feed_import.report)
    sent = _notify_safely(feed_import) if tell else 0
    logger.info(
        "Feed source %s re-imported: import %s, %s, %s emails", source.pk, feed_import.pk, feed_import.status, sent
    )
    return {"import_id": feed_import.pk, "status": feed_import.status, "emails": sent}
