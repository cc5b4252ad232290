"""Writing the demo federation to the database, idempotently.

This is a system loader, not a user action, so it writes with the ORM in bulk
rather than through the services (which check a person's permissions and
audit each change one by one). Every row is matched by its natural key (slug,
email, person + network, ...): missing rows are created, rows whose seeded
fields differ are put back, nothing else is touched, and a second run writes
nothing at all. Consent records are append-only, so they are only ever added.
One audit entry, "Demo data loaded", records a run that changed something.
"""

import datetime
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt, encrypt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction

from recoverynet.accounts.models import ConsentRecord
from recoverynet.core import audit, registry
from recoverynet.core.models import AuditEntry
from recoverynet.core.registry import DemoContext

from ..models import CommissionerAccess, Federation, Membership, Network, Organisation, Partnership, Settlement
from . import content
from .people import SEED, TODAY, build_people, settlement_slug

# Printed by the command on purpose: this is demo data. Never load it in production.
DEMO_PASSWORD = "recovery-demo-2026"  # noqa: S105
# The TOTP secret of every demo coordinator and admin (base32, as authenticator apps expect).
DEMO_TOTP_SECRET = "RECOVERYNETDEMOTOTPSECRETKEY2345"  # noqa: S105

# Seeded rows with a `uuid` get uuid5(DEMO_NAMESPACE, "<kind>:<slug>"): the same ids on every machine.
DEMO_NAMESPACE = uuid.UUID("6f1c2a52-8d1e-5b7a-9c3e-2f4b6d8a0e11")

# When the hand-written rows were "created" (fixed, so every load is identical).
CREATED_AT = datetime.datetime(2023, 1, 9, 9, 0, tzinfo=datetime.UTC)

User = get_user_model()


@dataclass
class LoadResult:
    created: Counter = field(default_factory=Counter)
    changed: Counter = field(default_factory=Counter)
    logins: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # what other apps' demo loaders report
    audit_entry: AuditEntry | None = None

    @property
    def touched(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.changed.values()))


def _same(current, wanted) -> bool:
    if isinstance(wanted, Decimal) and current is not None:
        return Decimal(current) == wanted
    if wanted in (None, [], ()) and current in (None, [], ()):
        return True
    if isinstance(wanted, tuple):
        wanted = list(wanted)
    return current == wanted


class _Writer:
    def __init__(self):
        self.result = LoadResult()

    def upsert(self, model, rows: dict, existing, *, label, auto_now_add=()):
        """rows: {key: {attname: value}}; existing: {key: instance}. Creates the
        missing rows, puts back fields that differ, and
        returns {key: instance} for every row."""
        to_create, to_update, fields = [], [], set()
        for key, values in rows.items():
            obj = existing.get(key)
            if obj is None:
                to_create.append((key, model(**values)))
                continue
            changed = [name for name, value in values.items() if not _same(getattr(obj, name), value)]
            for name in changed:
                setattr(obj, name, values[name])
            if changed:
                to_update.append(obj)
                fields.update(changed)
        if to_create:
            model.objects.bulk_create([obj for _, obj in to_create], batch_size=500)
            if auto_now_add:
                # bulk_create stamps auto_now_add fields with now; put the demo's fixed values back.
                for key, obj in to_create:
                    for name in auto_now_add:
                        setattr(obj, name, rows[key][name])
                model.objects.bulk_update([obj for _, obj in to_create], list(auto_now_add), batch_size=500)
            self.result.created[label] += len(to_create)
        if to_update:
            model.objects.bulk_update(to_update, sorted(fields), batch_size=500)
            self.result.changed[label] += len(to_update)
        objects = dict(existing)
        objects.update(to_create)
        return objects

    def sync_m2m(self, through, owner_field, target_field, wanted: set, owner_ids, *, label):
        """Make the (owner_id, target_id) pairs of `owner_ids` exactly `wanted`."""
        owner_attname, target_attname = f"{owner_field}_id", f"{target_field}_id"
        current = {
            (getattr(row, owner_attname), getattr(row, target_attname)): row.pk
            for row in through.objects.filter(**{f"{owner_attname}__in": owner_ids})
        }
        missing = wanted - set(current)
        extra = [pk for pair, pk in current.items() if pair not in wanted]
        if missing:
            through.objects.bulk_create(
                [through(**{owner_attname: o, target_attname: t}) for o, t in sorted(missing)], batch_size=500
            )
            self.result.created[label] += len(missing)
        if extra:
            through.objects.filter(pk__in=extra).delete()
            self.result.changed[label] += len(extra)

    # --- the hand-written structure ---------------------------------------------

    def federation(self):
        rows = {content.FEDERATION["slug"]: dict(content.FEDERATION)}
        existing = {f.slug: f for f in Federation.objects.filter(slug__in=rows)}
        return self.upsert(Federation, rows, existing, label="federations")[content.FEDERATION["slug"]]

    def networks(self, federation):
        rows = {}
        for network in content.NETWORKS:
            rows[network["slug"]] = {
                "federation_id": federation.pk,
                "slug": network["slug"],
                "name": network["name"],
                "summary": network["summary"],
                "description": network["description"],
                "latitude": Decimal(network["latitude"]),
                "longitude": Decimal(network["longitude"]),
                "contact_email": f"{network['slug']}@example.org",
                "website": f"https://example.org/demo/{network['slug']}",
                "requires_approval": network["requires_approval"],
                "is_active": True,
                "created_at": CREATED_AT,
            }
        existing = {n.slug: n for n in Network.objects.filter(slug__in=rows)}
        return self.upsert(Network, rows, existing, label="networks", auto_now_add=("created_at",))

    def settlements(self, networks, rng_pick):
        rows = {}
        for network_slug, settlements in content.SETTLEMENTS.items():
            prefix = content.PHONE_PREFIX[network_slug]
            for number, (name, town, district, latitude, longitude, street) in enumerate(settlements, start=1):
                slug = settlement_slug(name)
                activities = rng_pick(content.ACTIVITIES, 4 + number % 3, slug)
                rows[slug] = {
                    "network_id": networks[network_slug].pk,
                    "slug": slug,
                    "name": name,
                    "summary": rng_pick(content.SETTLEMENT_SUMMARIES, 1, slug)[0].format(town=town)
                    + " "
                    + content.DEMO_NOTE,
                    "activities": "\n".join(activities),
                    "address_line_1": f"Unit {number + 2}, {street} (demo)",
                    "address_line_2": "",
                    "town": town,
                    "postcode": f"{district} 9ZZ",
                    "latitude": Decimal(latitude),
                    "longitude": Decimal(longitude),
                    "opening_times": content.OPENING_TIMES[number % len(content.OPENING_TIMES)],
                    "accessibility": content.ACCESSIBILITY[(number + len(slug)) % len(content.ACCESSIBILITY)],
                    "contact_email": f"{slug}@example.org",
                    "phone": f"{prefix}{number * 7:02d}",
                    "is_active": True,
                    "created_at": CREATED_AT,
                }
        existing = {s.slug: s for s in Settlement.objects.filter(slug__in=rows)}
        return self.upsert(Settlement, rows, existing, label="settlements", auto_now_add=("created_at",))

    def organisations(self, networks):
        rows = {}
        for number, (slug, name, sector, town, _networks, description) in enumerate(content.ORGANISATIONS, start=1):
            rows[slug] = {
                "uuid": uuid.uuid5(DEMO_NAMESPACE, f"organisation:{slug}"),
                "slug": slug,
                "name": name,
                "sector": sector,
                "description": f"{description} {content.DEMO_NOTE}",
                "town": town,
                "website": f"https://example.org/demo/{slug}",
                "email": f"{slug}@example.org",
                "phone": f"01632 9605{number:02d}",
                "is_active": True,
                "created_at": CREATED_AT,
            }
        existing = {o.slug: o for o in Organisation.objects.filter(slug__in=rows)}
        organisations = self.upsert(Organisation, rows, existing, label="organisations", auto_now_add=("created_at",))
        wanted = {
            (organisations[slug].pk, networks[n].pk)
            for slug, _name, _sector, _town, network_slugs, _description in content.ORGANISATIONS
            for n in network_slugs
        }
        self.sync_m2m(
            Organisation.networks.through, "organisation", "network", wanted,
            [o.pk for o in organisations.values()], label="organisation networks",
        )  # fmt: skip
        return organisations

    def partnerships(self, networks, organisations):
        rows, wanted_networks, wanted_organisations = {}, set(), set()
        for slug, name, purpose, lead, _networks, _organisations, status, start, end in content.PARTNERSHIPS:
            rows[slug] = {
                "slug": slug,
                "name": name,
                "purpose": f"{purpose} {content.DEMO_NOTE}",
                "lead_network_id": networks[lead].pk,
                "start_date": start,
                "end_date": end,
                "status": status,
                "created_at": CREATED_AT,
            }
        existing = {p.slug: p for p in Partnership.objects.filter(slug__in=rows)}
        partnerships = self.upsert(Partnership, rows, existing, label="partnerships", auto_now_add=("created_at",))
        for slug, _name, _purpose, lead, network_slugs, org_slugs, *_ in content.PARTNERSHIPS:
            pk = partnerships[slug].pk
            wanted_networks.update((pk, networks[n].pk) for n in {lead, *network_slugs})
            wanted_organisations.update((pk, organisations[o].pk) for o in org_slugs)
        ids = [p.pk for p in partnerships.values()]
        self.sync_m2m(Partnership.networks.through, "partnership", "network", wanted_networks, ids,
                      label="partnership networks")  # fmt: skip
        self.sync_m2m(Partnership.organisations.through, "partnership", "organisation", wanted_organisations, ids,
                      label="partnership organisations")  # fmt: skip
        return partnerships

    # --- people -----------------------------------------------------------------

    def users(self, people, login_emails):
        existing = {u.email: u for u in User.objects.filter(email__in=[p.email for p in people])}
        password_hash = None
        rows = {}
        for person in people:
            rows[person.email] = {
                "email": person.email,
                "display_name": person.display_name,
                "self_descriptions": list(person.self_descriptions),
                "date_joined": person.date_joined,
                "is_active": True,
                "is_staff": person.is_staff,
                "is_superuser": person.is_superuser,
            }
            user = existing.get(person.email)
            # Everyone gets the demo password when created; demo logins get it back if it was changed.
            if user is None or (person.email in login_emails and not check_password(DEMO_PASSWORD, user.password)):
                password_hash = password_hash or make_password(DEMO_PASSWORD)  # hashed once: it is slow on purpose
                rows[person.email]["password"] = password_hash
        return self.upsert(User, rows, existing, label="people")

    def email_addresses(self, users):
        existing = {(a.user_id, a.email.lower()): a for a in EmailAddress.objects.filter(user__in=list(users.values()))}
        rows = {
            (user.pk, email): {"user_id": user.pk, "email": email, "verified": True, "primary": True}
            for email, user in users.items()
        }
        self.upsert(EmailAddress, rows, existing, label="verified email addresses")

    def authenticators(self, users, people):
        privileged = [users[p.email] for p in people if p.needs_totp]
        existing = {
            a.user_id: a for a in Authenticator.objects.filter(user__in=privileged, type=Authenticator.Type.TOTP)
        }
        to_create, to_update = [], []
        for user in privileged:
            authenticator = existing.get(user.pk)
            if authenticator is None:
                to_create.append(
                    Authenticator(
                        user=user,
                        type=Authenticator.Type.TOTP,
                        data={"secret": encrypt(DEMO_TOTP_SECRET)},
                        created_at=CREATED_AT,
                    )
                )
            elif decrypt(authenticator.data.get("secret", "")) != DEMO_TOTP_SECRET:
                authenticator.data = {**authenticator.data, "secret": encrypt(DEMO_TOTP_SECRET)}
                to_update.append(authenticator)
        if to_create:
            Authenticator.objects.bulk_create(to_create)
            self.result.created["TOTP authenticators"] += len(to_create)
        if to_update:
            Authenticator.objects.bulk_update(to_update, ["data"])
            self.result.changed["TOTP authenticators"] += len(to_update)

    def federation_coordinators(self, federation, users, people):
        through = Federation.coordinators.through
        wanted = {users[p.email].pk for p in people if p.federation_coordinator}
        current = set(through.objects.filter(federation=federation).values_list("user_id", flat=True))
        # Only ever adds: a real coordinator added by hand stays.
        missing = wanted - current
        if missing:
            through.objects.bulk_create([through(federation=federation, user_id=pk) for pk in sorted(missing)])
            self.result.created["federation coordinators"] += len(missing)

    def memberships(self, joins, users, networks, settlements, organisations):
        rows = {}
        for join in joins:
            user, network = users[join.email], networks[join.network]
            rows[(user.pk, network.pk)] = {
                "user_id": user.pk,
                "network_id": network.pk,
                "settlement_id": settlements[join.settlement].pk if join.settlement else None,
                "organisation_id": organisations[join.organisation].pk if join.organisation else None,
                "role": join.role,
                "status": join.status,
                "joined_at": join.joined_at,
                "decided_at": join.decided_at,
                "decision_reason": join.decision_reason,
            }
        existing = {(m.user_id, m.network_id): m for m in Membership.objects.filter(user__in=list(users.values()))}
        existing = {key: m for key, m in existing.items() if key in rows}
        self.upsert(Membership, rows, existing, label="memberships", auto_now_add=("joined_at",))

    def commissioner_accesses(self, commissions, users, networks):
        rows = {}
        for commission in commissions:
            user = users[commission.email]
            network = networks[commission.network] if commission.network else None
            rows[(user.pk, network.pk if network else None)] = {
                "user_id": user.pk,
                "network_id": network.pk if network else None,
                "body": commission.body,
                "granted_by_id": users[commission.granted_by].pk,
                "granted_at": commission.granted_at,
                "ends_on": None,
                "revoked_at": None,
                "revoked_by_id": None,
            }
        existing = {
            (a.user_id, a.network_id): a
            for a in CommissionerAccess.objects.filter(user__in=[users[c.email] for c in commissions]).order_by("pk")
        }
        existing = {key: a for key, a in existing.items() if key in rows}
        self.upsert(CommissionerAccess, rows, existing, label="commissioner access")

    def consents(self, consents, users):
        existing = {
            (r.user_id, r.purpose, r.recorded_at) for r in ConsentRecord.objects.filter(user__in=list(users.values()))
        }
        new = [
            ConsentRecord(
                user_id=users[c.email].pk,
                purpose=c.purpose,
                granted=c.granted,
                wording_version=c.wording_version,
                recorded_at=c.recorded_at,
            )
            for c in consents
            if (users[c.email].pk, c.purpose, c.recorded_at) not in existing
        ]
        if new:
            ConsentRecord.objects.bulk_create(new, batch_size=500)
            self.result.created["consent records"] += len(new)


def _picker(seed):
    """A deterministic pick of `n` items for a named row (same row, same pick)."""

    def pick(items, n, name):
        return random.Random(f"{seed}:{name}").sample(items, n)

    return pick


def load_federation_demo(demo: DemoContext) -> None:
    """The federation's part (declared on FederationConfig): networks, settlements,
    organisations, partnerships, people, memberships and consents; shares its
    writer and rows with the demo loaders that build on it."""
    writer = _Writer()
    plan = build_people()
    federation = writer.federation()
    networks = writer.networks(federation)
    settlements = writer.settlements(networks, _picker(SEED))
    organisations = writer.organisations(networks)
    writer.partnerships(networks, organisations)
    login_emails = {login.email for login in plan.logins}
    users = writer.users(plan.people, login_emails)
    writer.email_addresses(users)
    writer.authenticators(users, plan.people)
    writer.federation_coordinators(federation, users, plan.people)
    writer.memberships(plan.memberships, users, networks, settlements, organisations)
    writer.commissioner_accesses(plan.commissions, users, networks)
    writer.consents(plan.consents, users)
    demo.objects.update(
        writer=writer,
        federation=federation,
        networks=networks,
        settlements=settlements,
        organisations=organisations,
        logins=plan.logins,
    )


@transaction.atomic
def load_demo() -> LoadResult:
    """Create or restore every app's demo data (core.registry.demo_loaders, the
    federation's first), in one transaction. Returns what was created and changed."""
    demo = DemoContext()
    for _label, loader in registry.demo_loaders():
        loader(demo)
    writer, federation = demo.objects["writer"], demo.objects["federation"]
    result = writer.result
    result.logins = demo.objects["logins"]
    result.notes = demo.notes
    if result.touched:
        labels = sorted(set(result.created) | set(result.changed))
        result.audit_entry = audit.record(
            actor=None,
            action=AuditEntry.Action.CREATE if sum(result.created.values()) else AuditEntry.Action.UPDATE,
            instance=federation,
            summary="Demo data loaded",
            changes={
                label: [None, f"{result.created[label]} created, {result.changed[label]} changed"] for label in labels
            },
        )
    return result


__all__ = ["DEMO_PASSWORD", "DEMO_TOTP_SECRET", "TODAY", "LoadResult", "load_demo"]
