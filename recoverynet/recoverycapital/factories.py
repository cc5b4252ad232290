"""factory_boy factories. Instruments are the shipped ones (services.load_shipped_instruments)."""

import factory

from recoverynet.accounts.factories import UserFactory
from recoverynet.federation.factories import NetworkFactory

from .models import Assessment, Goal, Instrument, ReminderPreference, Step
from .services import load_shipped_instruments


def shipped(slug="barc-10") -> Instrument:
    load_shipped_instruments()
    return Instrument.objects.get(slug=slug, version=1)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment in progress (answer and finish it through the services)."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    person = factory.SubFactory(UserFactory)
    network = factory.SubFactory(NetworkFactory)
    instrument = factory.LazyFunction(shipped)


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
