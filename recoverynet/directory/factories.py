import datetime

import factory

from recoverynet.federation.factories import NetworkFactory, OrganisationFactory

from .models import Fellowship, Location, Meeting, MeetingDay, MeetingType, Service


class FellowshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fellowship
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Fellowship {n}")
    short_name = factory.Sequence(lambda n: f"F{n}")
    slug = factory.Sequence(lambda n: f"fellowship-{n}")
    kind = Fellowship.Kind.TWELVE_STEP


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Community Centre {n}")
    address = factory.Sequence(lambda n: f"{n} High Street")
    town = "Preston"
    postcode = "PR1 2AA"
    latitude = "53.75900"
    longitude = "-2.69900"


class MeetingFactory(factory.django.DjangoModelFactory):
    """A weekly in-person meeting; pass `days=[...]` and `types=[codes]`."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    fellowship = factory.SubFactory(FellowshipFactory)
    location = factory.SubFactory(LocationFactory, network=factory.SelfAttribute("..network"))
    name = factory.Sequence(lambda n: f"Meeting {n}")
    slug = factory.Sequence(lambda n: f"meeting-{n}")
    start_time = datetime.time(19, 30)

    @factory.post_generation
    def days(self, create, extracted, **kwargs):
        if create:
            MeetingDay.objects.add(self, extracted or [2])

    @factory.post_generation
    def types(self, create, extracted, **kwargs):
        if create and extracted:
            self.types.set(MeetingType.objects.filter(code__in=extracted))


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    network = factory.SubFactory(NetworkFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")
    description = "Peer support and advice."
