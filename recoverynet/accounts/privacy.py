"""Consent enforcement: code that uses personal data for a purpose asks here
first. The latest record per purpose is in force; no record means no; an
erased person never consents to anything."""

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.db.models.lookups import Exact

from recoverynet.core.registry import shared_measurement

from .models import ConsentPurpose, ConsentRecord, SelfDescription


class ConsentRequired(PermissionDenied):
    def __init__(self, purpose):
        self.purpose = ConsentPurpose(purpose)
        super().__init__(f"This person has not consented to {self.purpose.label.lower()}.")


def _is_real_person(user) -> bool:
    return user is not None and getattr(user, "pk", None) is not None and not getattr(user, "is_erased", True)


def current_consents(user) -> dict:
    """{purpose value: latest ConsentRecord or None} for every purpose (one query)."""
    latest = {}
    if user is not None and getattr(user, "pk", None) is not None:
        for record in ConsentRecord.objects.filter(user=user).order_by("purpose", "-recorded_at", "-id"):
            latest.setdefault(record.purpose, record)
    return {purpose: latest.get(purpose) for purpose in ConsentPurpose.values}


def has_consent(user, purpose) -> bool:
    purpose = ConsentPurpose(purpose)
    if not _is_real_person(user):
        return False
    record = ConsentRecord.objects.filter(user=user, purpose=purpose).order_by("-recorded_at", "-id").first()
    return bool(record and record.granted)


def require_consent(user, purpose) -> None:
    if not has_consent(user, purpose):
        raise ConsentRequired(purpose)


def consented_user_ids(purpose, user_ids) -> set:
    """Of `user_ids`, those whose latest decision for `purpose` is yes (one query)."""
    from .models import User

    purpose = ConsentPurpose(purpose)
    user_ids = list(user_ids)
    if not user_ids:
        return set()
    latest = ConsentRecord.objects.filter(user_id=OuterRef("pk"), purpose=purpose).order_by("-recorded_at", "-id")
    return set(
        User.objects.filter(pk__in=user_ids, erased_at__isnull=True)
        .annotate(latest_granted=Subquery(latest.values("granted")[:1]))
        .filter(latest_granted=True)
        .values_list("pk", flat=True)
    )


# How people describe themselves that counts as "a person in recovery" in the outcomes.
IN_RECOVERY_DESCRIPTIONS = frozenset({SelfDescription.IN_RECOVERY, SelfDescription.RECOVERING})


def in_recovery_among_measured(groups: dict) -> dict:
    """For outcome figures about people: {key: (measured, in recovery)} for `groups`
    ({key: set of user ids}, e.g. a network's volunteers). Only people whose latest
    decision for outcome measurement is yes are measured; of them, those whose profile
    describes them as in recovery or recovering. One query whatever the groups (none
    when they are empty): the self-descriptions are encrypted, so they are read per
    person, never grouped in the database, and only for people who agreed."""
    from .models import User

    everyone = set().union(*groups.values()) if groups else set()
    in_recovery = {}
    if everyone:
        agreed = User.objects.filter(
            consent_stands(ConsentPurpose.OUTCOME_MEASUREMENT, OuterRef("pk")), pk__in=everyone, erased_at__isnull=True
        ).only("pk", "self_descriptions")
        in_recovery = {user.pk: bool(IN_RECOVERY_DESCRIPTIONS & set(user.self_descriptions or [])) for user in agreed}
    return {
        key: (
            sum(1 for user_id in user_ids if user_id in in_recovery),
            sum(1 for user_id in user_ids if in_recovery.get(user_id)),
        )
        for key, user_ids in groups.items()
    }


def share_in_recovery(measured: dict) -> dict:
    """{key: per cent in recovery} from in_recovery_among_measured's {key: (measured, in recovery)}:
    of the people measured, those in recovery (None with nobody to measure)."""
    return {
        key: (round(100 * in_recovery / count, 1) if count else None) for key, (count, in_recovery) in measured.items()
    }


def measured_and_share_in_recovery(people):
    """The pair of outcome measures for a kind of people (volunteers, everyone giving back):
    how many agreed to outcome measurement, and the per cent of them in recovery. `people`
    is `(networks, period) -> {network id: user ids}`; both measures read one measurement of it
    while the outcomes framework measures them together (core.registry.shared_measurement)."""

    @shared_measurement
    def measured_once(networks, period):
        return in_recovery_among_measured(people(networks, period))

    def measured(networks, period):
        return {pk: count for pk, (count, _) in measured_once(tuple(networks), period).items()}

    def share(networks, period):
        return share_in_recovery(measured_once(tuple(networks), period))

    return measured, share


def consent_stands(purpose, user=None) -> Exact:
    """A condition for a query of rows about a person (`user`: an expression for their id,
    by default the outer row's ``user_id``): their latest decision for `purpose` is yes.
    Inside the query that counts them, so the number of queries does not change."""
    purpose = ConsentPurpose(purpose)
    user = OuterRef("user_id") if user is None else user
    latest = ConsentRecord.objects.filter(user_id=user, purpose=purpose).order_by("-recorded_at", "-id")
    return Exact(Subquery(latest.values("granted")[:1]), True)


CONSENT_STANDS_SQL = """(
    SELECT c.granted FROM {table} c WHERE c.user_id = {person} AND c.purpose = %s
    ORDER BY c.recorded_at DESC, c.id DESC LIMIT 1
) = %s"""


def consent_stands_sql(purpose, person_column: str) -> tuple[str, list]:
    """The same condition as ``consent_stands``, for raw SQL: (condition, parameters), where
    `person_column` is the (trusted) column holding the person's id."""
    purpose = ConsentPurpose(purpose)
    sql = CONSENT_STANDS_SQL.format(table=connection.ops.quote_name(ConsentRecord._meta.db_table), person=person_column)
    return sql, [purpose.value, True]
