"""Recovery capital's part of seed_demo (declared on RecoveryCapitalConfig, after
the federation's): two years of quarterly BARC-10 assessments, with ONS4 at the
same sittings, for every active member who said yes to outcome measurement (about 180),
with realistic improvement (slow, uneven, some setbacks) and drop-out. Bulk
inserts keep it fast. A database that already has assessments is left alone."""

import datetime
import random

from django.utils import timezone

from recoverynet.accounts.consent import current_wording
from recoverynet.accounts.models import ConsentPurpose, ConsentRecord
from recoverynet.accounts.privacy import consented_user_ids
from recoverynet.federation.models import Membership

from . import scoring
from .models import Answer, Assessment, Goal, Item
from .services import load_shipped_instruments

SEED = 20261206
MAX_MEMBERS = 400
QUARTERS = 8
DROP_OUT_PER_QUARTER = 0.12


def _barc_answers(rng, level):
    """Ten answers 1-6 around `level` (a member's current mean answer)."""
    return [min(6, max(1, round(rng.gauss(level, 0.9)))) for _ in range(10)]


def _ons_answers(rng, level):
    wellbeing = (level - 1) / 5 * 10  # BARC level 1-6 → 0-10
    good = [min(10, max(0, round(rng.gauss(wellbeing, 1.5)))) for _ in range(3)]
    anxious = min(10, max(0, round(rng.gauss(10 - wellbeing, 2))))
    return [*good, anxious]


def load_recoverycapital_demo(demo) -> None:
    instruments = {i.slug: i for i in load_shipped_instruments()}
    if Assessment.objects.exists():
        demo.notes.append("Recovery capital: already has assessments, left as they are.")
        return
    barc, ons = instruments["barc-10"], instruments["ons4"]
    items = {
        slug: list(Item.objects.filter(instrument=instruments[slug]).order_by("number")) for slug in ("barc-10", "ons4")
    }
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not security
    now = timezone.now()
    start = now - datetime.timedelta(days=730)
    memberships = list(
        Membership.objects.filter(
            network__in=demo.objects["networks"].values(),
            status=Membership.Status.ACTIVE,
        )
        .select_related("network")
        .order_by("user_id", "network_id")
    )
    seen, chosen = set(), []
    for membership in memberships:
        if membership.user_id not in seen:
            seen.add(membership.user_id)
            chosen.append(membership)
    # Those who said yes to outcome measurement; those who never answered are asked (most say yes).
    ids = [m.user_id for m in chosen]
    consented = consented_user_ids(ConsentPurpose.OUTCOME_MEASUREMENT, ids)
    answered = set(
        ConsentRecord.objects.filter(user_id__in=ids, purpose=ConsentPurpose.OUTCOME_MEASUREMENT).values_list(
            "user_id", flat=True
        )
    )
    asked = [pk for pk in ids if pk not in answered and rng.random() < 0.85]
    ConsentRecord.objects.bulk_create(
        ConsentRecord(
            user_id=pk,
            purpose=ConsentPurpose.OUTCOME_MEASUREMENT,
            granted=True,
            wording_version=current_wording(ConsentPurpose.OUTCOME_MEASUREMENT).version,
            recorded_at=start,
        )
        for pk in asked
    )
    consented |= set(asked)
    chosen = [m for m in chosen if m.user_id in consented][:MAX_MEMBERS]
    planned = []  # (assessment, [answer values], items)
    for membership in chosen:
        level = rng.uniform(2.0, 3.8)  # where they start
        gain = rng.uniform(-0.05, 0.35)  # per quarter: most improve, a few do not
        when = start + datetime.timedelta(days=rng.randint(0, 180))
        for _quarter in range(QUARTERS):
            if when > now:
                break
            for instrument, values in ((barc, _barc_answers(rng, level)), (ons, _ons_answers(rng, level))):
                result = scoring.score(instrument.definition, dict(enumerate(values, start=1)))
                assessment = Assessment(
                    person_id=membership.user_id,
                    network=membership.network,
                    instrument=instrument,
                    started_at=when,
                    completed_at=when + datetime.timedelta(minutes=rng.randint(4, 20)),
                    total_score=result.total,
                    domain_scores=result.domains,
                )
                planned.append((assessment, values, items[instrument.slug]))
            if rng.random() < DROP_OUT_PER_QUARTER:
                break
            level = min(5.8, max(1.2, level + gain + rng.gauss(0, 0.25)))
            when += datetime.timedelta(days=rng.randint(80, 110))
    Assessment.objects.bulk_create([a for a, _, _ in planned], batch_size=1000)
    Answer.objects.bulk_create(
        (
            Answer(assessment=a, item=item, value=v)
            for a, values, its in planned
            for item, v in zip(its, values, strict=True)
        ),
        batch_size=2000,
    )
    Goal.objects.bulk_create(
        Goal(person_id=m.user_id, domain=rng.choice(Goal.Domain.values), title=rng.choice(GOALS), created_at=start)
        for m in chosen[:50]
    )
    demo.notes.append(f"Recovery capital: {len(planned)} assessments over two years for {len(chosen)} members.")


GOALS = [
    "Get back in touch with my sister",
    "Find a volunteering role",
    "Sort out my benefits",
    "Walk three times a week",
    "Go to a recovery café every week",
    "Start a college course",
]
