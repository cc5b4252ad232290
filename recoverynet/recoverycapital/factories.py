"""factory_boy factories. Instruments are the shipped ones (services.load_shipped_instruments)."""

import factory

from recoverynet.accounts.factories import UserFactory
from recoverynet.accounts.models import ConsentPurpose, ConsentRecord
from recoverynet.accounts.privacy import has_consent
from recoverynet.federation.factories import NetworkFactory

from .models import Assessment, Goal, Instrument, ReminderPreference, Step
from .services import load_shipped_instruments


def shipped(slug="barc-10") -> Instrument:
    load_shipped_instruments()
    return Instrument.objects.get(slug=slug, version=1)


def give_consent(person, granted=True) -> ConsentRecord:
    """Record the person's outcome-measurement decision (yes by default), as the consent page does."""
    return ConsentRecord.objects.create(
        user=person, purpose=ConsentPurpose.OUTCOME_MEASUREMENT, granted=granted, wording_version="test"
    )


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment in progress (answer and finish it through the services). Assessments are
    taken only with outcome-measurement consent, so the person's is recorded unless it stands
    already (``consent=False``: leave their consent as it is)."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    person = factory.SubFactory(UserFactory)
    network = factory.SubFactory(NetworkFactory)
    instrument = factory.LazyFunction(shipped)

    @factory.post_generation
    def consent(obj, create, extracted, **kwargs):
        if create and extracted is not False and not has_consent(obj.person, ConsentPurpose.OUTCOME_MEASUREMENT):
            give_consent(obj.person)


class ReminderPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderPreference
        skip_postgeneration_save = True

    person = factory.SubFactory(UserFactory)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal
        skip_postgeneration_save = True

    person = factory.SubFactory(UserFactory)
    domain = Goal.Domain.SOCIAL
    title = factory.Sequence(lambda n: f"Goal {n}")


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step
        skip_postgeneration_save = True

    goal = factory.SubFactory(GoalFactory)
    text = factory.Sequence(lambda n: f"Step {n}")
