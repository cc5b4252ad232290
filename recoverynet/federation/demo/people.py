"""The demo federation's people, generated deterministically.

`build_people()` returns plain data (no database): the same lists every time,
because every random choice comes from one `random.Random` with a fixed seed.
Display names are pseudonyms, initials or first names, as people in recovery
often choose; every email address is @example.org.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.utils.text import slugify

from recoverynet.accounts.consent import CURRENT_WORDING
from recoverynet.accounts.models import ConsentPurpose, SelfDescription

from . import content

SEED = 20261120
NUMBER_OF_PEOPLE = 320  # generated people, on top of the demo logins

UTC = datetime.UTC
# Fixed dates, so the demo is the same whichever day it is loaded.
TODAY = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
FIRST_JOINED = datetime.datetime(2023, 1, 9, 9, 0, tzinfo=UTC)
# Consent wording 2026-11-v1 came into use on 2 November 2026.
CONSENT_START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

MEMBER = "member"
PROFESSIONAL = "professional"
SETTLEMENT_HOST = "settlement_host"
NETWORK_COORDINATOR = "network_coordinator"
ACTIVE, PENDING, DECLINED, LEFT = "active", "pending", "declined", "left"

FIRST_NAMES = [
    "Sam", "Alex", "Jo", "Chris", "Jamie", "Lee", "Kim", "Pat", "Robin", "Charlie", "Danny", "Gemma", "Kerry",
    "Mo", "Nadia", "Priya", "Tariq", "Aisha", "Callum", "Ewan", "Fiona", "Grace", "Hannah", "Imran", "Jess",
    "Kieran", "Liam", "Megan", "Niamh", "Owen", "Paula", "Rachel", "Shaun", "Tom", "Wendy", "Yusuf", "Zara",
    "Bev", "Carl", "Dawn", "Gary", "Helen", "Ian", "Janet", "Kev", "Lisa", "Mark", "Nicola", "Pete", "Sharon",
    "Steve", "Tracy", "Vince", "Anil", "Bronwen", "Declan", "Femi", "Siobhan", "Ravi", "Agnieszka", "Tomasz",
    "Kofi", "Ade", "Mei", "Lin", "Rhys", "Stacey", "Wayne", "Leanne", "Dean", "Ruth", "Colin", "Maureen",
]  # fmt: skip
INITIALS = "ABCDEFGHJKLMNOPRSTW"
NATURE_ADJECTIVES = [
    "Blue", "Quiet", "Morning", "Silver", "Steady", "Bright", "Gentle", "Wild", "Brave", "Still", "Golden",
    "Evening", "Hopeful", "Northern", "Little", "Patient", "Rising", "Open",
]  # fmt: skip
NATURE_NOUNS = [
    "Heron", "Oak", "Lark", "Fell", "River", "Robin", "Kestrel", "Rowan", "Otter", "Fox", "Willow", "Curlew",
    "Harbour", "Tide", "Beacon", "Hawthorn", "Swift", "Badger", "Stone", "Bracken", "Moss", "Wren",
]  # fmt: skip

D = SelfDescription
MEMBER_DESCRIPTIONS = [
    ((D.IN_RECOVERY,), 35),
    ((D.RECOVERING,), 12),
    ((D.IN_RECOVERY, D.ALLY), 8),
    ((D.FAMILY,), 15),
    ((D.ALLY,), 10),
    ((D.FAMILY, D.IN_RECOVERY), 5),
    ((), 15),  # prefers not to say
]
PROFESSIONAL_DESCRIPTIONS = [
    ((D.PROFESSIONAL,), 55),
    ((D.PROFESSIONAL, D.IN_RECOVERY), 30),
    ((D.PROFESSIONAL, D.ALLY), 15),
]

# Chance that a person says yes to each purpose, when they were asked.
CONSENT_LIKELIHOOD = {
    ConsentPurpose.CONTACT: 0.75,
    ConsentPurpose.OUTCOME_MEASUREMENT: 0.55,
    ConsentPurpose.RESEARCH: 0.3,
    ConsentPurpose.STORY_PUBLICATION: 0.2,
    ConsentPurpose.REFERRAL_SHARING: 0.4,
}

DECLINE_REASONS = [
    "We could not confirm a connection to this network. You are welcome to ask again or contact us.",
    "This looked like a second account for someone already in the network. Get in touch if we got it wrong.",
    "The settlement you chose is not open yet. Please ask again when it opens in the spring.",
]

# Organisations whose staff join as professionals: network slug -> organisation slugs.
ORGANISATIONS_BY_NETWORK = {}
for _slug, _name, _sector, _town, _networks, _description in content.ORGANISATIONS:
    for _network in _networks:
        ORGANISATIONS_BY_NETWORK.setdefault(_network, []).append(_slug)

NETWORK_SLUGS = [n["slug"] for n in content.NETWORKS]
REQUIRES_APPROVAL = {n["slug"]: n["requires_approval"] for n in content.NETWORKS}


def settlement_slug(name: str) -> str:
    return slugify(name)


SETTLEMENTS_BY_NETWORK = {
    network: [settlement_slug(row[0]) for row in rows] for network, rows in content.SETTLEMENTS.items()
}


@dataclass(frozen=True)
class Person:
    email: str
    display_name: str
    self_descriptions: tuple
    date_joined: datetime.datetime
    is_staff: bool = False
    is_superuser: bool = False
    federation_coordinator: bool = False
    needs_totp: bool = False


@dataclass(frozen=True)
class Join:
    """A membership."""

    email: str
    network: str
    role: str
    status: str
    joined_at: datetime.datetime
    settlement: str | None = None
    organisation: str | None = None
    decided_at: datetime.datetime | None = None
    decision_reason: str = ""


@dataclass(frozen=True)
class Consent:
    email: str
    purpose: str
    granted: bool
    recorded_at: datetime.datetime
    wording_version: str


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    display_name: str
    network: str  # what they can do, in words


@dataclass(frozen=True)
class Commission:
    """A commissioner's read access to aggregated outcomes (network None: the whole federation)."""

    email: str
    network: str | None
    body: str
    granted_by: str  # the federation coordinator's email
    granted_at: datetime.datetime


@dataclass
class People:
    people: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    commissions: list = field(default_factory=list)
    consents: list = field(default_factory=list)
    logins: list = field(default_factory=list)


def _minute(value: datetime.datetime) -> datetime.datetime:
    return value.replace(second=0, microsecond=0)


class _Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.names = set()
        self.result = People()
        self.index = 0

    # --- small random helpers ---------------------------------------------------

    def weighted(self, options):
        values, weights = zip(*options, strict=True)
        return self.rng.choices(values, weights=weights)[0]

    def moment(self, start, end):
        seconds = int((end - start).total_seconds())
        return _minute(start + datetime.timedelta(seconds=self.rng.randrange(max(seconds, 1))))

    def after(self, start, min_days, max_days, *, cap=TODAY):
        value = _minute(start + datetime.timedelta(days=self.rng.uniform(min_days, max_days)))
        return min(value, cap)

    def display_name(self):
        while True:
            style = self.weighted([("first_initial", 45), ("nature", 25), ("initials", 15), ("first", 15)])
            if style == "first_initial":
                name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(INITIALS)}."
            elif style == "nature":
                name = f"{self.rng.choice(NATURE_ADJECTIVES)} {self.rng.choice(NATURE_NOUNS)}"
            elif style == "initials":
                name = f"{self.rng.choice(INITIALS)}.{self.rng.choice(INITIALS)}."
            else:
                name = self.rng.choice(FIRST_NAMES)
            if name not in self.names:
                self.names.add(name)
                return name

    # --- people -----------------------------------------------------------------

    def add_person(self, *, display_name=None, email=None, descriptions=MEMBER_DESCRIPTIONS, joined=None, **flags):
        self.index += 1
        display_name = display_name or self.display_name()
        self.names.add(display_name)
        if email is None:
            local = slugify(display_name).replace("-", ".") or "member"
            email = f"{local}.{self.index:03d}@example.org"
        descriptions = descriptions if isinstance(descriptions, tuple) else self.weighted(descriptions)
        person = Person(
            email=email,
            display_name=display_name,
            self_descriptions=tuple(sorted(descriptions)),
            date_joined=joined or self.moment(FIRST_JOINED, TODAY - datetime.timedelta(days=30)),
            **flags,
        )
        self.result.people.append(person)
        return person

    def add_join(self, person, network, *, role=MEMBER, status=None, settlement=None, organisation=None, joined=None):
        joined = joined or self.after(person.date_joined, 0, 3)
        if status is None:
            status = self.weighted([(ACTIVE, 80), (PENDING, 9), (DECLINED, 4), (LEFT, 7)])
            if not REQUIRES_APPROVAL[network] and status in (PENDING, DECLINED):
                status = ACTIVE
        decided_at, reason = None, ""
        if status == PENDING:
            # Waiting now: the request is recent.
            joined = self.moment(TODAY - datetime.timedelta(days=21), TODAY - datetime.timedelta(hours=6))
        elif status == ACTIVE and REQUIRES_APPROVAL[network]:
            decided_at = self.after(joined, 0.2, 9)
        elif status == DECLINED:
            decided_at = self.after(joined, 0.5, 7)
            reason = self.rng.choice(DECLINE_REASONS)
        elif status == LEFT and joined > TODAY - datetime.timedelta(days=45):
            status = ACTIVE  # too new to have left already
            decided_at = self.after(joined, 0.2, 9) if REQUIRES_APPROVAL[network] else None
        elif status == LEFT:
            decided_at = self.after(joined, 40, 500, cap=TODAY - datetime.timedelta(days=2))
        join = Join(
            email=person.email,
            network=network,
            role=role,
            status=status,
            joined_at=joined,
            settlement=settlement,
            organisation=organisation,
            decided_at=decided_at,
            decision_reason=reason,
        )
        self.result.memberships.append(join)
        return join

    def add_consents(self, person, decisions=None):
        """Record `decisions` ({purpose: bool}) or random ones; some people have a history."""
        first = self.moment(CONSENT_START, TODAY - datetime.timedelta(days=1))
        if decisions is None:
            if self.rng.random() < 0.12:
                return  # never asked yet
            decisions = {p: self.rng.random() < chance for p, chance in CONSENT_LIKELIHOOD.items()}
        for purpose, granted in decisions.items():
            self.consent(person, purpose, granted, first)
        if self.rng.random() < 0.12:
            # Changed their mind later: the newest record is in force.
            purpose = self.rng.choice(list(decisions))
            self.consent(person, purpose, not decisions[purpose], self.after(first, 0.5, 10))

    def consent(self, person, purpose, granted, when):
        wording = CURRENT_WORDING[ConsentPurpose(purpose)]
        self.result.consents.append(
            Consent(
                email=person.email,
                purpose=str(ConsentPurpose(purpose).value),
                granted=granted,
                recorded_at=when,
                wording_version=wording.version,
            )
        )

    def login(self, role, person, network):
        self.result.logins.append(DemoLogin(role, person.email, person.display_name, network))

    # --- the federation ---------------------------------------------------------

    def build(self):
        self.demo_logins()
        self.coordinators_and_hosts()
        self.professionals()
        self.members()
        # Last, drawing nothing from the random generator, so the generated people stay the same.
        self.commissioner()
        return self.result

    def commissioner(self):
        """Someone from a commissioning body: reads Cumbria's aggregated outcomes, belongs to no network."""
        joined = datetime.datetime(2025, 11, 3, 9, 15, tzinfo=UTC)
        person = self.add_person(
            display_name="Alex R.",
            email="demo.commissioner@example.org",
            descriptions=(),
            joined=joined,
            needs_totp=True,
        )
        self.result.commissions.append(
            Commission(
                email=person.email,
                network="cumbria",
                body="Cumbria County Council public health team",
                granted_by="demo.federation@example.org",
                granted_at=_minute(joined + datetime.timedelta(days=1)),
            )
        )
        self.login("Commissioner", person, "Reads Cumbria's aggregated outcomes and report; sees no person")

    def demo_logins(self):
        joined = datetime.datetime(2024, 3, 4, 10, 30, tzinfo=UTC)
        carlisle = settlement_slug("Carlisle Recovery Settlement")
        P = ConsentPurpose

        member = self.add_person(
            display_name="Sam K.", email="demo.member@example.org", descriptions=(D.IN_RECOVERY,), joined=joined
        )
        self.add_join(member, "cumbria", status=ACTIVE, settlement=carlisle)
        self.add_join(member, "lancashire", status=PENDING)
        self.add_consents(
            member,
            {P.CONTACT: True, P.OUTCOME_MEASUREMENT: True, P.RESEARCH: False, P.STORY_PUBLICATION: True,
             P.REFERRAL_SHARING: False},
        )  # fmt: skip
        self.login("Member", member, "Cumbria, Carlisle settlement (waiting to join Lancashire)")

        professional = self.add_person(
            display_name="Priya N.",
            email="demo.professional@example.org",
            descriptions=(D.PROFESSIONAL,),
            joined=joined,
        )
        self.add_join(professional, "cumbria", role=PROFESSIONAL, status=ACTIVE, organisation="eden-fells-treatment")
        self.add_consents(professional, {P.CONTACT: True, P.REFERRAL_SHARING: True})
        self.login("Professional", professional, "Cumbria, Eden and Fells Treatment Service")

        host = self.add_person(
            display_name="Blue Heron", email="demo.host@example.org", descriptions=(D.IN_RECOVERY,), joined=joined
        )
        self.add_join(host, "cumbria", role=SETTLEMENT_HOST, status=ACTIVE, settlement=carlisle)
        self.add_consents(host, {P.CONTACT: True, P.STORY_PUBLICATION: True})
        self.login("Settlement host", host, "Cumbria, hosts Carlisle Recovery Settlement")

        coordinator = self.add_person(
            display_name="Morgan T.",
            email="demo.coordinator@example.org",
            descriptions=(D.ALLY, D.IN_RECOVERY),
            joined=joined,
            is_staff=True,
            needs_totp=True,
        )
        self.add_join(coordinator, "cumbria", role=NETWORK_COORDINATOR, status=ACTIVE)
        self.add_consents(coordinator, {P.CONTACT: True})
        self.login("Network coordinator", coordinator, "Coordinates Cumbria (admin: Cumbria only)")

        federation = self.add_person(
            display_name="Jordan A.",
            email="demo.federation@example.org",
            descriptions=(D.ALLY,),
            joined=joined,
            is_staff=True,
            federation_coordinator=True,
            needs_totp=True,
        )
        self.add_consents(federation, {P.CONTACT: True})
        self.login("Federation coordinator", federation, "Coordinates the whole federation")

        admin = self.add_person(
            display_name="Demo Admin",
            email="demo.admin@example.org",
            descriptions=(),
            joined=joined,
            is_staff=True,
            is_superuser=True,
            needs_totp=True,
        )
        self.login("Admin (superuser)", admin, "Everything, including the Django admin")

    def coordinators_and_hosts(self):
        for network in NETWORK_SLUGS:
            if network != "cumbria":  # Cumbria's coordinator is the demo login
                person = self.add_person(descriptions=(D.IN_RECOVERY, D.ALLY), is_staff=True, needs_totp=True)
                self.add_join(person, network, role=NETWORK_COORDINATOR, status=ACTIVE)
                self.add_consents(person, {ConsentPurpose.CONTACT: True})
            for settlement in SETTLEMENTS_BY_NETWORK[network]:
                if settlement == settlement_slug("Carlisle Recovery Settlement"):
                    continue  # the demo host
                person = self.add_person(descriptions=[((D.IN_RECOVERY,), 3), ((D.RECOVERING,), 1), ((D.ALLY,), 1)])
                self.add_join(person, network, role=SETTLEMENT_HOST, status=ACTIVE, settlement=settlement)
                self.add_consents(person)

    def professionals(self):
        for network in NETWORK_SLUGS:
            for organisation in ORGANISATIONS_BY_NETWORK[network]:
                # Every organisation has someone at every network it works in; larger ones more.
                for _ in range(self.rng.choice((1, 1, 2))):
                    person = self.add_person(descriptions=PROFESSIONAL_DESCRIPTIONS)
                    settlement = self.rng.choice(SETTLEMENTS_BY_NETWORK[network]) if self.rng.random() < 0.4 else None
                    self.add_join(
                        person, network, role=PROFESSIONAL, status=ACTIVE, settlement=settlement,
                        organisation=organisation,
                    )  # fmt: skip
                    self.add_consents(person)

    def members(self):
        # Bigger networks get more people.
        weights = {"cheshire": 18, "cumbria": 14, "greater-manchester": 30, "lancashire": 22, "merseyside": 22}
        while len(self.result.people) < NUMBER_OF_PEOPLE:
            person = self.add_person()
            network = self.weighted(list(weights.items()))
            settlement = self.rng.choice(SETTLEMENTS_BY_NETWORK[network]) if self.rng.random() < 0.7 else None
            self.add_join(person, network, settlement=settlement)
            if self.rng.random() < 0.12:
                second = self.rng.choice([n for n in NETWORK_SLUGS if n != network])
                self.add_join(person, second, joined=self.after(person.date_joined, 5, 300))
            self.add_consents(person)


def build_people(seed=SEED) -> People:
    """The demo people, memberships, consents and demo logins (plain data)."""
    return _Generator(seed).build()
