import datetime

import factory
from django.utils import timezone

from recoverynet.accounts.factories import UserFactory
from recoverynet.federation.factories import NetworkFactory, SettlementFactory

from .models import Job, Role, RoleSkill, Shift, SignUp


class RoleFactory(factory.django.DjangoModelFactory):
    """A role offered by a settlement of its network."""

    class Meta:
        model = Role
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    settlement = factory.SubFactory(SettlementFactory, network=factory.SelfAttribute("..network"))
    title = factory.Sequence(lambda n: f"Role {n}")
    slug = factory.Sequence(lambda n: f"role-{n}")
    description = "Help at the recovery café."
    involves = "Making tea, welcoming people."
    time_commitment = "One morning a week"


class RoleSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleSkill

    role = factory.SubFactory(RoleFactory)
    name = factory.Sequence(lambda n: f"Skill {n}")


class ShiftFactory(factory.django.DjangoModelFactory):
    """A three-hour shift starting a week from now."""

    class Meta:
        model = Shift

    role = factory.SubFactory(RoleFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda shift: shift.starts_at + datetime.timedelta(hours=3))
    places = 3


class SignUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignUp

    shift = factory.SubFactory(ShiftFactory)
    user = factory.SubFactory(UserFactory)


class JobFactory(factory.django.DjangoModelFactory):
    """An open job, closing in a month."""

    class Meta:
        model = Job

    network = factory.SubFactory(NetworkFactory)
    employer = "Mersey Works"
    title = factory.Sequence(lambda n: f"Job {n}")
    slug = factory.Sequence(lambda n: f"job-{n}")
    description = "Serve customers in the café."
    hours = "16 hours a week"
    pay = "£12.60 an hour"
    closing_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    how_to_apply = "Send a short letter."
