"""The pitches' part of seed_demo (declared on InitiativesConfig, after the
federation's): a year of pitches in every state in each network, written
through the services (so the audit log tells their story), then dated across
the year. Runs once: a database that already has pitches is left as it is."""

import datetime
import random

from django.utils import timezone

from recoverynet.federation.models import Membership

from . import notifications, services
from .models import COMPONENT_NAMES, CoproductionAssessment, DeclineReason, Initiative, Pitch, Pledge, Support, Theme

SEED = 20261206
PITCHES_PER_NETWORK = 18
IDEAS = [
    ("Sunday recovery café", "Sundays are the loneliest day after treatment.", "A café run by people in recovery."),
    ("Allotment for the hub", "People want something to do with their hands.", "Take on the empty allotment."),
    ("Bike repair workshop", "Getting to meetings costs money people do not have.", "Repair donated bikes together."),
    ("Family fun days", "Children miss out while a parent recovers.", "Monthly days out for families in recovery."),
    ("Recovery choir", "Confidence is hard to rebuild.", "A choir that meets weekly and sings in public."),
    ("Peer-led CV clinic", "Gaps in CVs stop people applying for work.", "Peers help each other write CVs."),
    ("Community fridge", "Food goes to waste while people go hungry.", "A shared fridge stocked by local shops."),
    ("Walking group", "Mornings are hard.", "A daily walk from the settlement at nine."),
    ("Recovery radio show", "Recovery stories are rarely heard.", "A weekly community radio show."),
]
# The share of each state among the demo's pitches (after publishing).
PLAN = [
    "draft",
    "published",
    "published",
    "published",
    "under_review",
    "under_review",
    "accepted",
    "accepted",
    "accepted",
    "not_taken_forward",
    "not_taken_forward",
    "withdrawn",
]


def _deciders(network):
    coordinators = [
        m.user
        for m in Membership.objects.filter(
            network=network, role=Membership.Role.NETWORK_COORDINATOR, status=Membership.Status.ACTIVE
        ).select_related("user")
    ]
    return coordinators or list(network.federation.coordinators.all())


def _support_and_pledge(rng, pitch, members) -> None:
    """A few supporters (fewer than the default threshold, so nothing moves by itself) and pledges."""
    for supporter in rng.sample(members, min(len(members), rng.randint(1, 7))):
        services.support_pitch(actor=supporter, pitch=pitch)
    for pledger in rng.sample(members, min(len(members), rng.randint(0, 3))):
        kind = rng.choice(["hours", "skills", "space", "equipment"])
        services.pledge_to_pitch(
            actor=pledger,
            pitch=pitch,
            kind=kind,
            hours=rng.choice([2, 4, 10]) if kind == "hours" else None,
            description={"hours": "", "skills": "Cooking", "space": "A room on Tuesdays", "equipment": "A laptop"}[
                kind
            ],
        )


def _review_round(rng, network, coordinator, members) -> None:
    """A round scoring now: a panel of up to four (all but one say they have lived experience),
    scores for each pitch under review, and a conflict of interest where a panel member pitched it."""
    panel = [m for m in members if m.pk != coordinator.pk][:4]
    if len(panel) < 2:
        return
    review_round = services.create_review_round(
        actor=coordinator,
        network=network,
        title="This quarter's ideas",
        criteria=["Meets a need people told us about", "Led by people with lived experience", "Can start soon"],
        members=panel,
    )
    for index, member in enumerate(panel):
        services.declare_lived_experience(actor=member, review_round=review_round, lived_experience=index != 1)
    services.open_scoring(actor=coordinator, review_round=review_round)
    for pitch in Pitch.objects.filter(network=network, state=Pitch.State.UNDER_REVIEW):
        for member in panel:
            if pitch.author_id == member.pk:
                services.declare_conflict(
                    actor=member, review_round=review_round, pitch=pitch, description="I pitched it."
                )
                continue
            services.score_pitch(
                actor=member, review_round=review_round, pitch=pitch, values={i: rng.randint(2, 5) for i in range(3)}
            )


INITIATIVES = 12
ENTERPRISES = 3
LEGAL_FORMS = ["cic", "cooperative", "charity"]


def _two_rounds_of_coproduction(rng, initiative, started) -> None:
    """Each team member scores the six components at the start and again now, usually a little higher."""
    team = [member.user for member in initiative.team.select_related("user")]
    for person in team:
        first = {name: rng.randint(1, 3) for name in COMPONENT_NAMES}
        made = services.assess_coproduction(actor=person, initiative=initiative, scores=first)
        at_start = min(started, timezone.localdate() - datetime.timedelta(days=60))  # never today: one a day
        CoproductionAssessment.objects.filter(pk=made.pk).update(taken_on=at_start)
        services.assess_coproduction(
            actor=person, initiative=initiative, scores={n: min(4, v + rng.choice([0, 1, 1])) for n, v in first.items()}
        )


PEOPLE_RESULTS = (("Volunteers in recovery", "volunteering", 10), ("People trained", "trained", 5))
DEMO_DECISIONS = (
    ("Where to meet", "In the community centre's upstairs room.", "consultation", "", ""),
    (
        "Opening hours",
        "Open on Sunday afternoons, when other services are closed.",
        "co_production",
        "There is nowhere to go on Sundays.",
        "We open every Sunday from 2 to 5.",
    ),
)


def _decisions(rng, coordinator, initiative, started) -> None:
    """Two decisions with their step on the ladder; the whole team takes part."""
    team = list(initiative.team.values_list("user_id", flat=True))
    for offset, (title, decided, step, you_said, we_did) in enumerate(DEMO_DECISIONS):
        services.record_decision(
            actor=coordinator,
            initiative=initiative,
            data={
                "title": title,
                "decided": decided,
                "decided_on": started + datetime.timedelta(days=7 + 30 * offset),
                "step": step,
                "you_said": you_said,
                "we_did": we_did,
            },
            participants=team,
            lived_experience=[user for user in team if rng.random() < 0.6],
        )


def _initiatives(rng, now) -> int:
    """A dozen of the accepted pitches become initiatives, the first three social enterprises,
    each with a team, milestones, a tree of results and a timeline."""
    made = 0
    accepted = Pitch.objects.filter(state=Pitch.State.ACCEPTED).select_related("network").order_by("pk")
    for pitch in accepted[:INITIATIVES]:
        coordinator = _deciders(pitch.network)[0]
        enterprise = made < ENTERPRISES
        started = (pitch.decided_at or now).date() + datetime.timedelta(days=14)
        initiative = services.start_initiative(
            actor=coordinator,
            pitch=pitch,
            data={
                "name": pitch.title,
                "summary": pitch.idea,
                "kind": Initiative.Kind.SOCIAL_ENTERPRISE if enterprise else Initiative.Kind.INITIATIVE,
                "legal_form": LEGAL_FORMS[made] if enterprise else "",
                "settlement": pitch.settlement,
                "started_on": started,
            },
            partners=list(pitch.network.organisations.filter(is_active=True).order_by("pk")[:1]),
        )
        members = [
            m.user
            for m in Membership.objects.filter(network=pitch.network, status=Membership.Status.ACTIVE)
            .exclude(user_id=pitch.author_id)
            .select_related("user")
            .order_by("user_id")[:3]
        ]
        for member, role in zip(members, ["member", "ally", "professional"], strict=False):
            services.add_team_member(actor=coordinator, initiative=initiative, user=member, role=role)
        for offset, (title, status) in enumerate(
            [("Find a space", "done"), ("First session", "done"), ("Run for a year", "in_progress")]
        ):
            milestone = services.add_milestone(
                actor=coordinator,
                initiative=initiative,
                title=title,
                due_on=started + datetime.timedelta(days=30 + 60 * offset),
            )
            services.set_milestone_status(actor=coordinator, milestone=milestone, status=status)
        root = services.add_result(actor=coordinator, initiative=initiative, title="Runs every week for a year")
        people = services.add_result(
            actor=coordinator, initiative=initiative, title="People in recovery involved", weight=2, parent=root
        )
        for title, measure, target in PEOPLE_RESULTS:
            leaf = services.add_result(
                actor=coordinator,
                initiative=initiative,
                title=title,
                parent=people,
                measure=measure,
                target_people=target,
            )
            services.set_people_achieved(actor=coordinator, result=leaf, achieved=rng.randint(0, target))
        sessions = services.add_result(
            actor=coordinator, initiative=initiative, title="52 sessions held", weight=3, parent=root
        )
        services.set_result_progress(actor=coordinator, result=sessions, progress=rng.randint(10, 90))
        services.post_update(actor=coordinator, initiative=initiative, text="We found a room and a team.")
        _decisions(rng, coordinator, initiative, started)
        _two_rounds_of_coproduction(rng, initiative, started)
        made += 1
    return made


def load_initiatives_demo(demo) -> None:
    with notifications.quiet():  # demo people get no emails
        _load(demo)


def _load(demo) -> None:
    if Pitch.objects.exists():
        demo.notes.append("Pitches: already present, left as they are.")
        return
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not security
    now = timezone.now()
    count = 0
    for network in sorted(demo.objects["networks"].values(), key=lambda n: n.slug):
        authors = [
            m.user
            for m in Membership.objects.filter(network=network, status=Membership.Status.ACTIVE)
            .select_related("user")
            .order_by("user_id")[:40]
        ]
        deciders = _deciders(network)
        if not authors or not deciders:
            continue
        settlements = list(network.settlements.filter(is_active=True).order_by("pk"))
        for index in range(PITCHES_PER_NETWORK):
            title, problem, idea = IDEAS[index % len(IDEAS)]
            author = rng.choice(authors)
            decider = rng.choice(deciders)
            target = PLAN[index % len(PLAN)]
            pitch = services.create_pitch(
                actor=author,
                network=network,
                data={
                    "title": title,
                    "theme": rng.choice(Theme.values),
                    "problem": problem,
                    "idea": idea,
                    "who_for": "People in recovery, their families and neighbours.",
                    "pitch_text": f"{problem} {idea} " * rng.randint(3, 20),
                    "settlement": rng.choice(settlements) if settlements and rng.random() < 0.6 else None,
                    "needs_money": rng.choice([0, 250, 500, 1500]),
                    "needs_hours": rng.choice([0, 10, 40, 100]),
                    "needs_space": rng.choice(["", "A room one evening a week", "An outdoor space"]),
                    "needs_skills": rng.choice(["", "Cooking", "Bookkeeping, driving"]),
                },
            )
            if target != "draft":
                services.publish_pitch(actor=author, pitch=pitch)
                _support_and_pledge(rng, pitch, [a for a in authors if a.pk != author.pk])
            if target in ("under_review", "accepted", "not_taken_forward"):
                services.start_review(actor=decider, pitch=pitch)
            if target == "accepted":
                services.accept_pitch(actor=decider, pitch=pitch, explanation="The panel liked the plan.")
            elif target == "not_taken_forward":
                services.decline_pitch(
                    actor=decider,
                    pitch=pitch,
                    reason=rng.choice(DeclineReason.values),
                    explanation="The panel thanks you and suggests trying again with a partner organisation.",
                )
            elif target == "withdrawn":
                services.withdraw_pitch(actor=author, pitch=pitch)
            published = now - datetime.timedelta(days=rng.randint(30, 365))
            decided = published + datetime.timedelta(days=rng.randint(7, 28))
            Pitch.objects.filter(pk=pitch.pk).update(
                published_at=published if target != "draft" else None,
                decided_at=decided if target in ("accepted", "not_taken_forward") else None,
            )
            count += 1
        _review_round(rng, network, deciders[0], authors)
    initiatives = _initiatives(rng, now)
    demo.notes.append(
        f"Initiatives: {initiatives}, the first {min(initiatives, ENTERPRISES)} social enterprises, "
        "with teams, milestones, results and timelines."
    )
    demo.notes.append(
        f"Pitches: {count} across the networks, in every state, over a year, "
        f"with {Support.objects.count()} supporters and {Pledge.objects.count()} pledges."
    )
