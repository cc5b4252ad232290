"""The directory part of `manage.py seed_demo`: a realistic North West
schedule of mutual-aid meetings and support services. Clearly fictional.

Real fellowship names; every meeting, venue and service is invented and says
so ("(demo)" in addresses, "Fictional demo meeting" in notes). Venues are in
real towns of each network's county, from the bundled gazetteer
(data/nw_england_places.csv), with small deterministic offsets (the
seed_demo command loads the gazetteer itself). Phone numbers are from
Ofcom's drama ranges, email addresses @example.org, conference links
fictional Zoom ids.

Deterministic: every choice comes from random.Random seeded with a fixed
string and the row's name, and every row with a `uuid` gets uuid5(DEMO_NAMESPACE,
"<kind>:<key>"), so two machines get the same ids. Idempotent: rows are
matched by their natural keys through the federation loader's writer (same
create / put back / leave alone rules), in the same transaction and audit entry.
"""

import csv
import datetime
import random
import uuid
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q
from django.utils.text import slugify

from recoverynet.federation.demo import content
from recoverynet.federation.demo.loader import DEMO_NAMESPACE

from .models import (
    ChangeRequest,
    FeedSource,
    Fellowship,
    Location,
    Meeting,
    MeetingDay,
    MeetingType,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceContact,
    ServicePhone,
    Taxonomy,
    TaxonomyTerm,
)
from .places import load_places
from .reference import DATA_DIR

ORGANISATION_NETWORKS = {o[0]: o[4] for o in content.ORGANISATIONS}

SEED = "recoverynet-directory-demo-2026"
CREATED_AT = datetime.datetime(2023, 1, 9, 9, 0, tzinfo=datetime.UTC)
UPDATED_AT = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.UTC)
VERIFIED_FROM = datetime.date(2026, 5, 1)
MEETINGS_PER_NETWORK = {"cheshire": 95, "cumbria": 80, "greater-manchester": 130, "lancashire": 105, "merseyside": 110}
COUNTY = {"cheshire": "Cheshire", "cumbria": "Cumbria", "greater-manchester": "Greater Manchester",
          "lancashire": "Lancashire", "merseyside": "Merseyside"}  # fmt: skip
TOWNS_PER_NETWORK = 14
DEMO_NOTE = "Fictional demo meeting: not a real group."


def demo_uuid(kind: str, key: str) -> uuid.UUID:
    """The same id for the same seeded row on every machine."""
    return uuid.uuid5(DEMO_NAMESPACE, f"{kind}:{key}")


def rng(*parts) -> random.Random:
    return random.Random(":".join([SEED, *map(str, parts)]))  # noqa: S311 (demo data, not secrets)


# --- Fellowships ------------------------------------------------------------------------

# slug, name, short name, kind, weight (share of meetings), usual types, website
FELLOWSHIPS = [
    ("alcoholics-anonymous", "Alcoholics Anonymous", "AA", "twelve_step", 34, ["O", "C", "D", "SP", "B", "ST", "BE",
     "LIT", "12x12"], "https://www.alcoholics-anonymous.org.uk"),
    ("narcotics-anonymous", "Narcotics Anonymous", "NA", "twelve_step", 16, ["O", "C", "D", "SP", "ST", "BE"],
     "https://ukna.org"),
    ("cocaine-anonymous", "Cocaine Anonymous", "CA", "twelve_step", 7, ["O", "C", "D", "SP", "ST"],
     "https://cocaineanonymous.org.uk"),
    ("gamblers-anonymous", "Gamblers Anonymous", "GA", "twelve_step", 3, ["C", "D"],
     "https://www.gamblersanonymous.org.uk"),
    ("smart-recovery", "SMART Recovery", "SMART", "smart", 12, ["O", "D"], "https://smartrecovery.org.uk"),
    ("smart-family-and-friends", "SMART Recovery Family & Friends", "SMART F&F", "family", 3, ["O", "D"],
     "https://smartrecovery.org.uk"),
    ("al-anon", "Al-Anon Family Groups", "Al-Anon", "family", 8, ["AL-AN", "O", "C", "D"], "https://www.al-anonuk.org.uk"),
    ("alateen", "Alateen", "Alateen", "family", 1, ["AL", "Y", "C"], "https://www.al-anonuk.org.uk"),
    ("families-anonymous", "Families Anonymous", "FA", "family", 3, ["C", "D"], "https://famanon.org.uk"),
    ("recovery-cafe", "Recovery café", "Café", "cafe", 8, ["O"], ""),
    ("peer-led-recovery-group", "Peer-led recovery group", "Peer group", "peer_led", 5, ["O", "D"], ""),
]  # fmt: skip
EXTRA_TYPES = [("W", 5), ("M", 4), ("Y", 3), ("LGBTQ", 3), ("BE", 6), ("SEN", 2), ("ASL", 1), ("POL", 1)]

VENUES = [
    "St Mary's Church Hall", "Methodist Church", "Community Centre", "Quaker Meeting House", "Library meeting room",
    "United Reformed Church", "Scout Hut", "Salvation Army Hall", "Village Hall", "Health Centre community room",
    "St John's Parish Rooms", "Baptist Church", "Friends Meeting Room", "Wellbeing Centre",
]  # fmt: skip
STREETS = ["Church Street", "Market Street", "Chapel Lane", "King Street", "Station Road", "Queen's Road",
           "Victoria Street", "Mill Lane", "Park Road", "High Street"]  # fmt: skip
NAME_WORDS = ["Serenity", "New Beginnings", "Hope", "Just for Today", "Freedom", "Keep It Simple", "Step by Step",
              "Fresh Start", "Lifeline", "Recovery", "Spiritual Awakening", "Big Book", "Unity", "Promises",
              "Daily Reprieve", "Open Door", "Lighthouse", "Courage to Change", "Pathways", "Acceptance"]  # fmt: skip
# Start times and how often each is used: evenings heavy, some mornings and lunchtimes.
START_TIMES = [("07:00", 3), ("09:30", 3), ("10:00", 6), ("10:30", 4), ("12:00", 6), ("12:30", 5), ("13:00", 3),
               ("14:00", 2), ("15:00", 2), ("17:30", 3), ("18:00", 6), ("18:30", 7), ("19:00", 17), ("19:30", 19),
               ("20:00", 13), ("20:30", 4), ("21:00", 2)]  # fmt: skip
CONTACT_NAMES = ["Sam", "Jo", "Alex", "Chris", "Pat", "Ruth", "Dave", "Mo", "Kim", "Lee"]


def nw_towns():
    """{network slug: [(town, latitude, longitude, outcode)]}, the largest first."""
    by_county = defaultdict(list)
    with (DATA_DIR / "nw_england_places.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["population"] and row["outcodes"]:
                by_county[row["county"]].append(row)
    towns = {}
    for network, county in COUNTY.items():
        rows = sorted(by_county[county], key=lambda r: (-int(r["population"]), r["name"]))
        seen, chosen = set(), []
        for row in rows:
            if row["name"] in seen:
                continue
            seen.add(row["name"])
            outcode = row["outcodes"].split()[0]
            chosen.append((row["name"], Decimal(row["latitude"]), Decimal(row["longitude"]), outcode))
            if len(chosen) == TOWNS_PER_NETWORK:
                break
        towns[network] = chosen
    return towns


def offset(value: Decimal, r: random.Random, spread=0.012) -> Decimal:
    return (value + Decimal(str(round(r.uniform(-spread, spread), 5)))).quantize(Decimal("0.00001"))


def weighted(r, items):
    return r.choices([i[0] for i in items], weights=[i[-1] if isinstance(i[-1], int) else 1 for i in items])[0]


# --- Loading ---------------------------------------------------------------------------


class DirectoryDemo:
    """Writes the directory demo through the federation loader's `_Writer`."""

    def __init__(self, writer, networks, settlements, organisations):
        self.writer, self.networks, self.settlements, self.organisations = writer, networks, settlements, organisations
        self.types = dict(MeetingType.objects.values_list("code", "pk"))

    def load(self):
        fellowships = self.fellowships()
        locations = self.locations()
        meetings = self.meetings(fellowships, locations)
        self.services(locations)
        self.feed_sources(fellowships)
        self.change_requests(meetings)

    def fellowships(self):
        rows = {
            slug: {"uuid": demo_uuid("fellowship", slug), "slug": slug, "name": name, "short_name": short,
                   "kind": kind, "website": website,
                   "description": f"{name}: mutual aid for recovery. The meetings listed here are fictional demo "
                                  "data."}
            for slug, name, short, kind, _weight, _types, website in FELLOWSHIPS
        }  # fmt: skip
        existing = {f.slug: f for f in Fellowship.objects.filter(slug__in=rows)}
        return self.writer.upsert(Fellowship, rows, existing, label="fellowships")

    def locations(self):
        """{network: {"venues": [...keys], "online": key}}, and every Location by key."""
        rows, plan = {}, {}
        for network_slug, towns in nw_towns().items():
            network = self.networks[network_slug]
            keys = []
            for number, (town, lat, lng, outcode) in enumerate(towns):
                r = rng("venues", network_slug, town)
                for venue in r.sample(VENUES, 3 if number < 5 else 2):
                    key = f"{network_slug}/{slugify(town)}/{slugify(venue)}"
                    rows[key] = {
                        "network_id": network.pk, "settlement_id": None, "name": venue,
                        "address": f"{r.randint(1, 120)} {r.choice(STREETS)} (demo)", "town": town,
                        "postcode": f"{outcode} 9ZZ", "region": "", "latitude": offset(lat, r),
                        "longitude": offset(lng, r), "approximate": False,
                        "notes": r.choice(["Side entrance, ground floor.", "Upstairs; there is a lift.",
                                           "Parking at the back.", "Ring the bell at the main door.", ""]),
                        "updated_at": UPDATED_AT,
                    }  # fmt: skip
                    keys.append(key)
            for settlement in sorted(self.settlements.values(), key=lambda s: s.slug):
                if settlement.network_id != network.pk:
                    continue
                key = f"{network_slug}/settlement/{settlement.slug}"
                rows[key] = {
                    "network_id": network.pk, "settlement_id": settlement.pk, "name": settlement.name,
                    "address": settlement.address_line_1, "town": settlement.town, "postcode": settlement.postcode,
                    "region": "", "latitude": settlement.latitude, "longitude": settlement.longitude,
                    "approximate": False, "notes": "At the recovery settlement.", "updated_at": UPDATED_AT,
                }  # fmt: skip
                keys.append(key)
            online = f"{network_slug}/online"
            main_town = towns[0]
            rows[online] = {
                "network_id": network.pk, "settlement_id": None, "name": "", "address": "", "town": main_town[0],
                "postcode": "", "region": COUNTY[network_slug], "latitude": main_town[1], "longitude": main_town[2],
                "approximate": True, "notes": "Online meetings based in this area.", "updated_at": UPDATED_AT,
            }  # fmt: skip
            plan[network_slug] = {"venues": keys, "online": online}
        for key, values in rows.items():
            values["uuid"] = demo_uuid("location", key)
        uuids = {values["uuid"]: key for key, values in rows.items()}
        existing = {uuids[loc.uuid]: loc for loc in Location.objects.filter(uuid__in=list(uuids))}
        self.location_objects = self.writer.upsert(Location, rows, existing, label="locations",
                                                   auto_now_add=("updated_at",))  # fmt: skip
        return plan

    def meeting_plan(self, locations):
        """[(slug, values, days, type codes)] for every network, deterministic."""
        fellowship_weights = [(f[0], f[4]) for f in FELLOWSHIPS]
        fellowship_types = {f[0]: f[5] for f in FELLOWSHIPS}
        short = {f[0]: f[2] for f in FELLOWSHIPS}
        plan, used = [], set()
        for network_slug, count in MEETINGS_PER_NETWORK.items():
            network = self.networks[network_slug]
            venues = locations[network_slug]["venues"]
            for number in range(count):
                r = rng("meeting", network_slug, number)
                fellowship = weighted(r, fellowship_weights)
                venue_key = venues[(number * 7 + r.randrange(len(venues))) % len(venues)]
                venue = self.location_objects[venue_key]
                # Fixed shares by position, so every network has some of each.
                mode = {1: "online", 5: "hybrid"}.get(number % 10, "in_person")
                location = self.location_objects[locations[network_slug]["online"]] if mode == "online" else venue
                start = datetime.time.fromisoformat(weighted(r, START_TIMES))
                monthly = number % 20 == 3
                if monthly:
                    days = [r.randrange(7)]
                elif start.hour < 14 and r.random() < 0.25:
                    days = sorted(r.sample([1, 2, 3, 4, 5], r.choice([2, 3, 5])))
                else:
                    days = [r.randrange(7)]
                types = set(r.sample(fellowship_types[fellowship], min(2, len(fellowship_types[fellowship]))))
                if "O" in types and "C" in types:
                    types.discard("C")
                for code, percent in EXTRA_TYPES:
                    if r.randrange(100) < percent:
                        types.add(code)
                if mode != "online" and r.random() < 0.45:
                    types.add("X")
                word = r.choice(NAME_WORDS)
                when = "Monthly" if monthly else ("Lunchtime" if 12 <= start.hour < 14 else
                                                  "Morning" if start.hour < 12 else "")  # fmt: skip
                base = " ".join(p for p in (location.town, when, word, short[fellowship]) if p)
                name = base
                n = 1
                while slugify(name)[:64] in used:
                    n += 1
                    name = f"{base} {n}"
                slug = slugify(name)[:64]
                used.add(slug)
                status = (Meeting.Status.INACTIVE if number % 40 == 17 else
                          Meeting.Status.TEMPORARILY_CLOSED if number % 25 == 9 else Meeting.Status.ACTIVE)  # fmt: skip
                conference = mode in ("online", "hybrid")
                values = {
                    "uuid": demo_uuid("meeting", slug), "network_id": network.pk,
                    "fellowship_id": self.fellowship_objects[fellowship].pk, "location_id": location.pk,
                    "name": name, "slug": slug, "group_name": f"{base} Group" if r.random() < 0.3 else "",
                    "notes": DEMO_NOTE + (" " + location.notes if location.notes else ""),
                    "start_time": start,
                    "end_time": (datetime.datetime.combine(datetime.date(2000, 1, 3), start)
                                 + datetime.timedelta(minutes=90)).time() if r.random() < 0.25 else None,
                    "timezone": "Europe/London", "monthly_week": r.choice([1, 2, 3, -1]) if monthly else None,
                    "conference_url": f"https://zoom.us/j/{r.randrange(10**9, 10**10)}" if conference else "",
                    "conference_url_notes": "Password: recovery (fictional)" if conference else "",
                    "conference_phone": "", "conference_phone_notes": "", "status": status,
                    "last_verified": VERIFIED_FROM + datetime.timedelta(days=r.randrange(180)),
                    "contact_name": r.choice(CONTACT_NAMES) if r.random() < 0.3 else "",
                    "contact_email": f"{slug[:40]}@example.org" if r.random() < 0.3 else "",
                    "contact_phone": "", "url": "", "source_id": None,
                    "created_at": CREATED_AT, "updated_at": UPDATED_AT,
                }  # fmt: skip
                plan.append((slug, values, days, sorted(types)))
        return plan

    def meetings(self, fellowships, locations):
        self.fellowship_objects = fellowships
        plan = self.meeting_plan(locations)
        rows = {slug: values for slug, values, _days, _types in plan}
        existing = {m.slug: m for m in Meeting.objects.filter(slug__in=rows)}
        meetings = self.writer.upsert(Meeting, rows, existing, label="meetings",
                                      auto_now_add=("created_at", "updated_at"))  # fmt: skip
        ids = [m.pk for m in meetings.values()]
        wanted_days = {(meetings[slug].pk, d) for slug, _v, days, _t in plan for d in days}
        current = {(d.meeting_id, d.day): d.pk for d in MeetingDay.objects.filter(meeting_id__in=ids)}
        missing = sorted(wanted_days - set(current))
        if missing:
            MeetingDay.objects.bulk_create([MeetingDay(meeting_id=m, day=d) for m, d in missing], batch_size=500)
            self.writer.result.created["meeting days"] += len(missing)
        extra = [pk for pair, pk in current.items() if pair not in wanted_days]
        if extra:
            MeetingDay.objects.filter(pk__in=extra).delete()
            self.writer.result.changed["meeting days"] += len(extra)
        # The loader writes meetings and locations in bulk, past Meeting.save() and Location.save().
        MeetingDay.objects.filter(
            Q(meeting_id__in=ids) | Q(meeting__location__in=list(self.location_objects.values()))
        ).refresh_copies()
        wanted_types = {(meetings[slug].pk, self.types[code]) for slug, _v, _d, codes in plan for code in codes}
        self.writer.sync_m2m(Meeting.types.through, "meeting", "meetingtype", wanted_types, ids, label="meeting types")
        return meetings

    # --- Services (Open Referral UK) -----------------------------------------------------

    TERMS = [
        ("mutual-aid", "Mutual aid", "Peer-run groups where people support each other."),
        ("peer-support", "Peer support", "Support from people with lived experience of recovery."),
        ("treatment", "Drug and alcohol treatment", "Assessment, prescribing, detox and psychosocial support."),
        ("harm-reduction", "Harm reduction", "Needle exchange, naloxone and safer-use advice."),
        ("family-support", "Family support", "For families, friends and carers."),
        ("housing", "Housing", "Recovery housing and help to keep a home."),
        ("employment", "Employment and training", "Work placements, training and help into jobs."),
        ("education", "Education", "Courses and learning in recovery."),
        ("wellbeing", "Wellbeing", "Activity, food, creativity and the outdoors."),
        ("advice", "Advice and information", "Benefits, debt and legal advice."),
    ]
    # By sector: (name pattern, term codes, days, opens, closes, description)
    SECTOR_SERVICES = {
        "public": [("{org} drop-in", ["treatment", "harm-reduction"], "MO,TU,WE,TH,FR", "09:00", "17:00",
                    "Walk in for a first conversation about drugs or alcohol; no referral needed."),
                   ("{org} naloxone and needle exchange", ["harm-reduction"], "MO,WE,FR", "10:00", "16:00",
                    "Free naloxone kits and training, clean equipment and safer-use advice.")],
        "voluntary": [("{org} family support group", ["family-support", "peer-support"], "TU", "18:30", "20:30",
                       "A friendly group for anyone affected by someone else's drinking or drug use."),
                      ("{org} advice line", ["advice"], "MO,TU,WE,TH", "10:00", "15:00",
                       "Benefits, debt and housing advice from trained volunteers.")],
        "social_enterprise": [("{org} work placements", ["employment", "wellbeing"], "MO,TU,WE,TH,FR", "09:30",
                               "15:30", "Paid placements and training for people in recovery.")],
        "private": [("{org} recovery-friendly jobs", ["employment"], "WE", "10:00", "12:00",
                     "Interviews and on-the-job training for people in recovery; ask at reception.")],
        "mutual_aid": [("{org} peer circle", ["mutual-aid", "peer-support"], "SA", "11:00", "13:00",
                        "A peer-led circle; come along, listen, share if you want to.")],
    }  # fmt: skip

    def services(self, locations):
        taxonomy_rows = {"RecoveryNet demo service types": {
            "uuid": demo_uuid("taxonomy", "recoverynet"), "name": "RecoveryNet demo service types",
            "description": "Kinds of recovery support, used by the demo data.", "uri": "", "version": "1"}}  # fmt: skip
        taxonomy = self.writer.upsert(
            Taxonomy,
            taxonomy_rows,
            {t.name: t for t in Taxonomy.objects.filter(name__in=taxonomy_rows)},
            label="taxonomies",
        )["RecoveryNet demo service types"]
        term_rows = {
            code: {"uuid": demo_uuid("taxonomy_term", code), "taxonomy_id": taxonomy.pk, "parent_id": None,
                   "code": code, "name": name, "description": description, "term_uri": ""}
            for code, name, description in self.TERMS
        }  # fmt: skip
        terms = self.writer.upsert(
            TaxonomyTerm, term_rows,
            {t.code: t for t in TaxonomyTerm.objects.filter(taxonomy=taxonomy, code__in=term_rows)},
            label="taxonomy terms",
        )  # fmt: skip

        service_rows, plan = {}, []
        for org_slug, organisation in sorted(self.organisations.items()):
            network_slug = ORGANISATION_NETWORKS[org_slug][0]
            for name_pattern, codes, byday, opens, closes, description in self.SECTOR_SERVICES[organisation.sector]:
                name = name_pattern.format(org=organisation.name)
                slug = slugify(name)[:80]
                r = rng("service", slug)
                service_rows[slug] = {
                    "uuid": demo_uuid("service", slug), "network_id": self.networks[network_slug].pk,
                    "organisation_id": organisation.pk, "name": name, "slug": slug,
                    "description": f"{description} (Demo data: fictional.)",
                    "url": f"https://example.org/demo/{slug}", "email": f"{slug[:50]}@example.org",
                    "status": Service.Status.ACTIVE if r.random() > 0.08 else Service.Status.TEMPORARILY_CLOSED,
                    "fees": "" if r.random() > 0.1 else "Small charge for lunch (optional).",
                    "minimum_age": 18 if "family" not in slug else 16, "maximum_age": None, "accreditations": "",
                    "alert": "", "assured_date": VERIFIED_FROM + datetime.timedelta(days=r.randrange(150)),
                    "created_at": CREATED_AT, "updated_at": UPDATED_AT,
                }  # fmt: skip
                venues = locations[network_slug]["venues"]
                location_key = next((k for k in venues if f"/{slugify(organisation.town)}/" in k), venues[0])
                plan.append((slug, codes, byday, opens, closes, location_key, network_slug))
        services = self.writer.upsert(
            Service, service_rows, {s.slug: s for s in Service.objects.filter(slug__in=service_rows)},
            label="services", auto_now_add=("created_at", "updated_at"),
        )  # fmt: skip
        ids = [s.pk for s in services.values()]
        self.writer.sync_m2m(
            Service.taxonomy_terms.through, "service", "taxonomyterm",
            {(services[slug].pk, terms[c].pk) for slug, codes, *_ in plan for c in codes}, ids,
            label="service taxonomy terms",
        )  # fmt: skip
        at_rows = {
            slug: {"uuid": demo_uuid("service_at_location", slug), "service_id": services[slug].pk,
                   "location_id": self.location_objects[location_key].pk}
            for slug, _codes, _byday, _o, _c, location_key, _n in plan
        }  # fmt: skip
        by_uuid = {v["uuid"]: k for k, v in at_rows.items()}
        at = self.writer.upsert(
            ServiceAtLocation, at_rows,
            {by_uuid[a.uuid]: a for a in ServiceAtLocation.objects.filter(uuid__in=list(by_uuid))},
            label="services at locations",
        )  # fmt: skip
        schedule_rows, contact_rows, phone_rows = {}, {}, {}
        for number, (slug, _codes, byday, opens, closes, _loc, _network) in enumerate(plan, start=1):
            schedule_rows[slug] = {
                "uuid": demo_uuid("schedule", slug), "service_id": services[slug].pk,
                "service_at_location_id": at[slug].pk, "freq": Schedule.Freq.WEEKLY, "byday": byday,
                "opens_at": datetime.time.fromisoformat(opens), "closes_at": datetime.time.fromisoformat(closes),
                "valid_from": None, "valid_to": None, "description": "", "attending_type": "in person",
            }  # fmt: skip
            contact_rows[slug] = {
                "uuid": demo_uuid("service_contact", slug), "service_id": services[slug].pk, "name": "",
                "title": "Duty worker" if number % 2 else "Volunteer coordinator",
                "email": f"{slug[:50]}@example.org",
            }  # fmt: skip
        schedules_by_uuid = {v["uuid"]: k for k, v in schedule_rows.items()}
        self.writer.upsert(
            Schedule, schedule_rows,
            {schedules_by_uuid[s.uuid]: s for s in Schedule.objects.filter(uuid__in=list(schedules_by_uuid))},
            label="service schedules",
        )  # fmt: skip
        contacts_by_uuid = {v["uuid"]: k for k, v in contact_rows.items()}
        contacts = self.writer.upsert(
            ServiceContact, contact_rows,
            {contacts_by_uuid[c.uuid]: c for c in ServiceContact.objects.filter(uuid__in=list(contacts_by_uuid))},
            label="service contacts",
        )  # fmt: skip
        for number, (slug, *_rest, network_slug) in enumerate(plan, start=1):
            phone_rows[slug] = {
                "uuid": demo_uuid("service_phone", slug), "service_id": services[slug].pk,
                "contact_id": contacts[slug].pk, "number": self.drama_phone(network_slug, number),
                "description": "Main number",
            }  # fmt: skip
        phones_by_uuid = {v["uuid"]: k for k, v in phone_rows.items()}
        self.writer.upsert(
            ServicePhone, phone_rows,
            {phones_by_uuid[p.uuid]: p for p in ServicePhone.objects.filter(uuid__in=list(phones_by_uuid))},
            label="service phones",
        )  # fmt: skip

    @staticmethod
    def drama_phone(network_slug, number):
        """Ofcom's numbers reserved for drama: 0161 496 0xxx, 0151 496 0xxx, 01632 960xxx."""
        if network_slug == "greater-manchester":
            return f"0161 496 0{500 + number:03d}"
        if network_slug == "merseyside":
            return f"0151 496 0{500 + number:03d}"
        return f"01632 960{500 + number:03d}"

    # --- Keeping it current ---------------------------------------------------------

    def feed_sources(self, fellowships):
        sources = [
            ("merseyside", "Merseyside intergroup feed (demo)", "alcoholics-anonymous"),
            ("greater-manchester", "Manchester NA area feed (demo)", "narcotics-anonymous"),
        ]
        rows = {
            (self.networks[n].pk, name): {
                "network_id": self.networks[n].pk, "name": name,
                "url": f"https://example.org/demo/{slugify(name)}/meeting-guide.json",
                "default_fellowship_id": fellowships[f].pk, "scheduled": False,
            }
            for n, name, f in sources
        }  # fmt: skip
        existing = {
            (s.network_id, s.name): s
            for s in FeedSource.objects.filter(network__in=[self.networks[n] for n, *_ in sources])
            if (s.network_id, s.name) in rows
        }
        self.writer.upsert(FeedSource, rows, existing, label="feed sources")

    def change_requests(self, meetings):
        wanted = [
            ("start_time", "19:30", "The meeting starts half an hour later since September."),
            ("notes", "Use the side door on Chapel Lane; the front is locked.", "The entrance has changed."),
            ("status", "temporarily_closed", "The hall is being refurbished until the new year."),
            ("conference_url", "https://zoom.us/j/5550001234", "We moved to a new Zoom room."),
            ("name", "", "The group has a new name; the secretary will confirm."),
        ]
        slugs = sorted(meetings)
        rows = {}
        for number, (field, value, reason) in enumerate(wanted):
            meeting = meetings[slugs[(number * 97) % len(slugs)]]
            rows[(meeting.pk, field, reason)] = {
                "meeting_id": meeting.pk, "field": field, "proposed_value": value, "reason": reason,
                "reporter_email": None, "reporter_id": None, "status": ChangeRequest.Status.OPEN,
                "decided_by_id": None, "decided_at": None, "decision_reason": "",
                "created_at": CREATED_AT + datetime.timedelta(days=1300 + number),
            }  # fmt: skip
        existing = {
            (c.meeting_id, c.field, c.reason): c
            for c in ChangeRequest.objects.filter(meeting_id__in=[k[0] for k in rows])
            if (c.meeting_id, c.field, c.reason) in rows
        }
        self.writer.upsert(ChangeRequest, rows, existing, label="change requests", auto_now_add=("created_at",))


def load_directory_demo(demo):
    """The directory's part of seed_demo (declared on DirectoryConfig, after the
    federation's, in the same transaction): the gazetteer, then meetings,
    services and feeds in the demo networks."""
    demo.notes.append(f"Gazetteer: {load_places()} places and postcode districts loaded.")
    objects = demo.objects
    DirectoryDemo(objects["writer"], objects["networks"], objects["settlements"], objects["organisations"]).load()
