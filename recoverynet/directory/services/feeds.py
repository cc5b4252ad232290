"""Meeting Guide JSON imports: preview (dry run) and apply.

Both run the same code: `_run` writes every row inside a transaction, each
row in its own savepoint (a row that breaks a rule, or fails the model's
validation, is rolled back and reported as rejected; the rest proceeds). A
preview then rolls the whole transaction back, so its report is exactly what
applying would do. The FeedImport row with the report is written afterwards.

Keyed by slug within the source's network:
- added: a slug not yet in the directory;
- changed: a meeting of this network (from this feed, or entered by hand and
  now adopted by the feed) whose values differ, field by field;
- removed: a meeting from this feed whose slug is no longer in it → inactive
  (never deleted: its history and change requests stay);
- rejected: a row that breaks a rule, or whose slug belongs to another
  network or another feed.
Re-importing the same feed finds nothing to add, change or remove, and
writes nothing but the FeedImport record.

Audit: one entry per created or changed meeting (the normal create/update
entries, so a meeting's history shows the import that changed it) plus one
summary entry for the import. A nightly import of an unchanged feed writes
only the summary. We keep per-meeting entries because the audit log is read
per object ("who changed this meeting and when"), and a feed of a few
hundred meetings is a few hundred rows at most.

System imports (the nightly task) have no user: they go through
`apply_system_import`, never through a skipped permission check.
"""

import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from recoverynet.core import audit
from recoverynet.core.models import AuditEntry
from recoverynet.core.services import create_instance, require, update_instance

from .. import safe_fetch
from ..formats import meeting_guide
from ..models import FeedImport, FeedSource, Location, Meeting, MeetingDay, MeetingType

logger = logging.getLogger(__name__)

MAX_PAYLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_INTEGER_DIGITS = 1000  # longer integers are read as infinity, which the row's rules reject
UNREADABLE_ROW = "this row could not be read"

# The fields a change report compares, with how to read them from a meeting.
LOCATION_FIELDS = ("name", "address", "town", "postcode", "region", "notes", "approximate", "latitude", "longitude")


class _Rollback(Exception):
    """Raised inside the preview's transaction to undo everything."""


def parse_payload(payload) -> list:
    """The feed's rows, or ValidationError with a message for a person."""
    if payload is None:
        raise ValidationError("The feed is empty.")
    if isinstance(payload, str):
        payload = payload.encode("utf-8", errors="replace")
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise ValidationError(
            f"The feed is too large ({len(payload) / 1024 / 1024:.1f} MB); the most we accept is 20 MB."
        )
    if not payload.strip():
        raise ValidationError("The feed is empty.")
    try:
        rows = json.loads(payload.decode("utf-8-sig"), parse_int=_parse_int)
    except UnicodeDecodeError:
        raise ValidationError("The feed is not UTF-8 text.") from None
    except (ValueError, RecursionError) as exc:
        raise ValidationError(f"The feed is not valid JSON ({str(exc)[:120]}).") from None
    if not isinstance(rows, list):
        kind = {dict: "an object", str: "a string"}.get(type(rows), "not a list")
        raise ValidationError(f"A Meeting Guide feed must be a JSON array of meetings; this file is {kind}.")
    if len(rows) > MAX_ROWS:
        raise ValidationError(f"The feed has {len(rows):,} meetings; the most we accept is {MAX_ROWS:,}.")
    return rows


def _parse_int(text: str):
    # Python refuses to read an integer of more than 4,300 digits: that would refuse the
    # whole feed for one row's value.
    return int(text) if len(text) <= MAX_INTEGER_DIGITS else float("inf" if text[0] != "-" else "-inf")


def _storable(value):
    """The report as plain JSON that any database stores: no NUL, no lone surrogate."""
    if isinstance(value, str):
        return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, list):
        return [_storable(v) for v in value]
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    return value


def _plain(value):
    if value is None or isinstance(value, (bool, int, str, list)):
        return value
    if hasattr(value, "strftime") and not hasattr(value, "year"):
        return value.strftime("%H:%M")
    return str(value)


def _location_view(location) -> dict:
    if location is None:
        return {f"location_{f}": "" for f in LOCATION_FIELDS}
    return {f"location_{f}": _plain(getattr(location, f)) for f in LOCATION_FIELDS}


def _meeting_view(meeting) -> dict:
    """What a report compares, in JSON-friendly values."""
    view = {
        name: _plain(getattr(meeting, name))
        for name in (
            "name",
            "start_time",
            "end_time",
            "timezone",
            "notes",
            "group_name",
            "conference_url",
            "conference_url_notes",
            "conference_phone",
            "conference_phone_notes",
            "status",
            "url",
            "contact_name",
            "contact_email",
            "contact_phone",
        )
    }
    view["end_time"] = _plain(meeting.effective_end_time)  # an explicit 20:30 after 19:30 is the default
    view["days"] = meeting.weekdays
    view["types"] = sorted(t.code for t in meeting.types.all())
    view.update(_location_view(meeting.location))
    return view


def _data_view(data) -> dict:
    view = {k: _plain(v) for k, v in data["meeting"].items()}
    view["end_time"] = _plain(Meeting(**data["meeting"]).effective_end_time)
    view["days"] = list(data["days"])
    view["types"] = list(data["types"])
    view.update({f"location_{k}": _plain(v) for k, v in data["location"].items()})
    return view


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {message}" for field, errors in exc.message_dict.items() for message in errors]
    return list(exc.messages)


class _Importer:
    def __init__(self, *, actor, source):
        self.actor = actor
        self.source = source
        self.network = source.network
        self.types = {t.code: t for t in MeetingType.objects.all()}
        self.locations = {}
        self.venues = {}  # venue key → the location values of the first row written with it
        self.report = {"added": [], "changed": [], "removed": [], "rejected": [], "warnings": [], "unchanged": 0}

    @staticmethod
    def venue_key(values) -> tuple:
        return (values["name"], values["address"], values["town"], values["postcode"])

    def same_venue(self, data) -> list[str]:
        """Rows naming one venue must agree on its other details, or every
        import would flip them back and forth: the first row's win."""
        first = self.venues.get(self.venue_key(data["location"]))
        if first is None or first == data["location"]:
            return []
        data["location"] = first
        return ["the venue's details differ from an earlier row's with the same venue; the earlier row's are used"]

    def location_for(self, values) -> Location:
        key = self.venue_key(values)
        if key in self.locations:
            return self.locations[key]
        location = (
            Location.objects.filter(network=self.network, name=key[0], address=key[1], town=key[2], postcode=key[3])
            .order_by("pk")
            .first()
        )
        if location is None:
            location = create_instance(
                actor=self.actor,
                instance=Location(network=self.network, **values),
                network=self.network,
                summary=f"From the feed {self.source.name}",
            )
        else:
            extra = {k: v for k, v in values.items() if k not in ("name", "address", "town", "postcode")}
            if any(getattr(location, k) != v for k, v in extra.items()):
                update_instance(
                    actor=self.actor,
                    instance=location,
                    data=extra,
                    network=self.network,
                    summary=f"From the feed {self.source.name}",
                )
        self.locations[key] = location
        return location

    def run(self, rows):
        seen = set()
        in_feed = set()
        slugs = list({s for s in map(meeting_guide.row_slug, rows) if meeting_guide.SLUG_RE.match(s)})
        existing = {}
        for i in range(0, len(slugs), 500):  # in chunks: SQLite limits a query's parameters
            chunk = (
                Meeting.objects.filter(slug__in=slugs[i : i + 500])
                .select_related("location", "network")
                .prefetch_related("days", "types")
            )
            existing.update({m.slug: m for m in chunk})
        for index, row in enumerate(rows):
            slug = meeting_guide.row_slug(row)[: meeting_guide.MAX_SLUG]
            try:
                errors, warnings = meeting_guide.validate_meeting(row, seen_slugs=seen)
                data = None if errors else meeting_guide.row_to_data(row)
                warnings += self.same_venue(data) if data else []
            except Exception:  # a value no rule foresaw: reject this row, never the whole import
                logger.exception("Feed source %s: row %s could not be read", self.source.pk, index)
                errors, warnings = [UNREADABLE_ROW], []
            if slug and not errors:
                in_feed.add(slug)
            if warnings:
                self.report["warnings"].append({"row": index, "slug": slug, "warnings": warnings})
            meeting = existing.get(slug)
            if not errors and meeting is not None:
                if meeting.network_id != self.network.pk:
                    errors.append("slug already used by another network")
                elif meeting.source_id not in (None, self.source.pk):
                    errors.append("slug already used by another feed of this network")
            if errors:
                if slug:
                    in_feed.add(slug)  # a rejected row is still in the feed: do not remove its meeting
                self.reject(index, slug, errors)
                continue
            try:
                with transaction.atomic():
                    self.write(slug, data, meeting)
                self.venues.setdefault(self.venue_key(data["location"]), data["location"])
            except ValidationError as exc:
                self.locations.clear()  # locations made in the rolled-back savepoint are gone
                self.reject(index, slug, _messages(exc))
            except Exception:  # e.g. a value the database refuses: the savepoint is rolled back
                logger.exception("Feed source %s: row %s could not be written", self.source.pk, index)
                self.locations.clear()
                self.reject(index, slug, [UNREADABLE_ROW])
        self.remove_missing(in_feed)

    def reject(self, index, slug, reasons):
        self.report["rejected"].append({"row": index, "slug": slug, "reasons": reasons})

    def write(self, slug, data, meeting):
        location = self.location_for(data["location"])
        types = [self.types[c] for c in data["types"] if c in self.types]
        if meeting is None:
            meeting = Meeting(
                network=self.network,
                fellowship=self.source.default_fellowship,
                source=self.source,
                location=location,
                slug=slug,
                **data["meeting"],
            )
            if data["meeting"]["start_time"] is not None and not data["days"]:
                raise ValidationError({"day": "a meeting with a time needs a day"})
            create_instance(
                actor=self.actor,
                instance=meeting,
                network=self.network,
                m2m={"types": types},
                summary=f"Imported from the feed {self.source.name}",
            )
            MeetingDay.objects.add(meeting, data["days"])
            self.report["added"].append({"slug": slug, "name": meeting.name})
            return
        before, after = _meeting_view(meeting), _data_view(data)
        fields = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        if meeting.source_id is None:
            fields["source"] = ["", self.source.name]
        if not fields:
            self.report["unchanged"] += 1
            return
        old_days = meeting.weekdays
        if old_days != data["days"]:
            meeting.days.exclude(day__in=data["days"]).delete()
            MeetingDay.objects.add(meeting, [d for d in data["days"] if d not in old_days])
        update_instance(
            actor=self.actor,
            instance=meeting,
            data={**data["meeting"], "location": location, "source": self.source, "types": types},
            network=self.network,
            summary=f"Imported from the feed {self.source.name}",
            extra_changes={"days": [old_days, data["days"]]} if old_days != data["days"] else None,
        )
        self.report["changed"].append({"slug": slug, "name": meeting.name, "fields": fields})

    def remove_missing(self, in_feed):
        in_feed = {s for s in in_feed if meeting_guide.SLUG_RE.match(s)}  # only these can be a meeting's
        gone = (
            Meeting.objects.filter(source=self.source)
            .exclude(status=Meeting.Status.INACTIVE)
            .exclude(slug__in=in_feed)
            .order_by("slug")
        )
        for meeting in gone:
            update_instance(
                actor=self.actor,
                instance=meeting,
                data={"status": Meeting.Status.INACTIVE},
                network=self.network,
                summary=f"No longer in the feed {self.source.name}",
            )
            self.report["removed"].append({"slug": meeting.slug, "name": meeting.name})


def _counts(report) -> str:
    return ", ".join(f"{len(report.get(k, []))} {k}" for k in ("added", "changed", "removed", "rejected"))


def _refused(*, actor, source, exc) -> FeedImport:
    message = " ".join(exc.messages)
    return FeedImport.objects.create(
        source=source, started_by=_user(actor), status=FeedImport.Status.REFUSED, error=message, report={}
    )


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _as_text(payload) -> str:
    return payload.decode("utf-8-sig") if isinstance(payload, bytes) else payload


def _flag_mass_removal(report, feed_meetings: int) -> None:
    """Mark a report that would remove more than the allowed share of the feed's
    meetings (a feed that suddenly serves [] or loses most of its rows)."""
    share = settings.FEED_IMPORT_MAX_REMOVAL_SHARE
    removed = len(report["removed"])
    if feed_meetings and removed / feed_meetings > share:
        report["mass_removal"] = {"removed": removed, "of": feed_meetings, "share": share}


def _run(*, actor, source, payload, apply: bool, expected_report=None, hold_mass_removal=False) -> FeedImport:
    """Run the import. With `expected_report`, apply only if the report is
    still the one the person saw; otherwise roll back and return a new dry run.
    With `hold_mass_removal`, an import removing too many meetings is rolled
    back and kept, held for a coordinator's review."""
    try:
        rows = parse_payload(payload)
    except ValidationError as exc:
        return _refused(actor=actor, source=source, exc=exc)
    importer = _Importer(actor=actor, source=source)
    feed_meetings = Meeting.objects.filter(source=source).exclude(status=Meeting.Status.INACTIVE).count()
    held = False
    try:
        with transaction.atomic():
            importer.run(rows)
            _flag_mass_removal(importer.report, feed_meetings)
            report = json.loads(json.dumps(_storable(importer.report)))
            held = apply and hold_mass_removal and "mass_removal" in report
            if held or not apply or (expected_report is not None and report != expected_report):
                raise _Rollback
            source.last_imported_at = timezone.now()
            source.save(update_fields=["last_imported_at"])
            feed_import = FeedImport.objects.create(
                source=source, started_by=_user(actor), status=FeedImport.Status.APPLIED, report=report
            )
            if has_changes({**report, "rejected": []}):
                audit.record(
                    actor=actor,
                    action=AuditEntry.Action.UPDATE,
                    instance=source,
                    network=source.network,
                    summary=f"Feed import #{feed_import.pk} applied: {_counts(report)}",
                )
            return feed_import
    except _Rollback:
        pass
    return FeedImport.objects.create(
        source=source,
        started_by=_user(actor),
        status=FeedImport.Status.HELD if held else FeedImport.Status.PREVIEWED,
        report=report,
        payload=_as_text(payload),
    )


def preview_import(*, actor, source: FeedSource, payload) -> FeedImport:
    """A dry run: nothing changes but a FeedImport ("previewed") with the report."""
    require(actor, "directory.import_feed", source.network)
    return _run(actor=actor, source=source, payload=payload, apply=False)


def apply_import(*, actor, source: FeedSource, payload) -> FeedImport:
    """Apply the feed in one transaction; the report equals the preview's."""
    require(actor, "directory.import_feed", source.network)
    return _run(actor=actor, source=source, payload=payload, apply=True)


AWAITING_DECISION = (FeedImport.Status.PREVIEWED, FeedImport.Status.HELD)


def _lock_awaiting(*, actor, feed_import: FeedImport, statuses) -> FeedImport:
    require(actor, "directory.import_feed", feed_import.source.network)
    feed_import = FeedImport.objects.select_for_update().select_related("source__network").get(pk=feed_import.pk)
    if feed_import.status not in statuses or not feed_import.payload:
        raise ValidationError("This import has already been decided, or can no longer be applied.")
    return feed_import


@transaction.atomic
def apply_previewed_import(*, actor, feed_import: FeedImport) -> tuple[FeedImport, bool]:
    """ "Apply these changes" after a dry run, or "Apply anyway" to a nightly
    import held for review: applies the feed that run checked, if the report
    is still the same. Returns (import, applied); when the directory changed
    meanwhile, nothing is written and the new dry run is returned for the
    person to check again."""
    feed_import = _lock_awaiting(actor=actor, feed_import=feed_import, statuses=AWAITING_DECISION)
    source = feed_import.source
    result = _run(
        actor=actor, source=source, payload=feed_import.payload, apply=True, expected_report=feed_import.report
    )
    if result.status == FeedImport.Status.APPLIED:
        feed_import.payload = ""
        feed_import.save(update_fields=["payload"])
        if feed_import.status == FeedImport.Status.HELD:
            audit.record(
                actor=actor,
                action=AuditEntry.Action.APPROVE,
                instance=source,
                network=source.network,
                summary=f"Held feed import #{feed_import.pk} applied anyway as import #{result.pk}",
            )
        return result, True
    return result, False


@transaction.atomic
def dismiss_held_import(*, actor, feed_import: FeedImport) -> FeedImport:
    """ "Dismiss": a nightly import held for review is not applied; the feed's
    meetings stay as they are until the next re-import."""
    feed_import = _lock_awaiting(actor=actor, feed_import=feed_import, statuses=(FeedImport.Status.HELD,))
    feed_import.status = FeedImport.Status.DISMISSED
    feed_import.payload = ""
    feed_import.save(update_fields=["status", "payload"])
    audit.record(
        actor=actor,
        action=AuditEntry.Action.DECLINE,
        instance=feed_import.source,
        network=feed_import.source.network,
        summary=f"Held feed import #{feed_import.pk} dismissed",
    )
    return feed_import


def apply_system_import(*, source: FeedSource, payload) -> FeedImport:
    """The scheduled re-import: no person, so no permission to check. Only
    tasks call this; views always go through apply_import."""
    if not source.network.is_active:
        raise PermissionDenied("The network is inactive.")
    return _run(actor=None, source=source, payload=payload, apply=True, hold_mass_removal=True)


def create_feed_source(*, actor, network, data) -> FeedSource:
    require(actor, "directory.import_feed", network)
    return create_instance(actor=actor, instance=FeedSource(network=network, **data), network=network)


def update_feed_source(*, actor, source, data) -> dict:
    require(actor, "directory.import_feed", source.network)
    return update_instance(actor=actor, instance=source, data=data, network=source.network)


def has_changes(report) -> bool:
    return any(report.get(k) for k in ("added", "changed", "removed", "rejected"))


# --- Fetching a feed from its URL --------------------------------------------------

FETCH_TIMEOUT = 20  # seconds


def fetch_feed(url: str) -> bytes:
    """The body at `url`, at most MAX_PAYLOAD_BYTES, within FETCH_TIMEOUT seconds
    for all hops together. Every redirect is checked and the socket connects
    to the address that was checked (see safe_fetch). FeedFetchError (a
    ValidationError) with a message for a person when it cannot be had."""
    try:
        return safe_fetch.fetch(url, max_bytes=MAX_PAYLOAD_BYTES, timeout=FETCH_TIMEOUT)
    except safe_fetch.FeedFetchError as exc:
        logger.info("Feed fetch failed for source URL host %s: %s", _host_of(url), " ".join(exc.messages))
        raise


def _host_of(url) -> str:
    try:
        return urlsplit(url or "").hostname or ""
    except ValueError:
        return ""


def record_failed_fetch(*, source: FeedSource, message: str) -> FeedImport:
    """A scheduled re-import whose feed could not be fetched: kept in the history."""
    return FeedImport.objects.create(source=source, status=FeedImport.Status.REFUSED, error=message, report={})


def record_failed_import(*, source: FeedSource, exc: BaseException) -> FeedImport:
    """A scheduled re-import that raised: kept in the history, with the kind of
    error only (its message may quote the feed, or worse)."""
    message = f"The import failed unexpectedly ({type(exc).__name__}). Nothing was changed; the error is in the log."
    return FeedImport.objects.create(source=source, status=FeedImport.Status.FAILED, error=message, report={})
