import datetime

import factory

from recoverynet.accounts.factories import UserFactory

from .models import CommissionerAccess, Federation, Membership, Network, Organisation, Partnership, Sector, Settlement


class FederationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Federation
        django_get_or_create = ("slug",)

    name = "North West Recovery Federation"
    slug = "north-west"


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    federation = factory.SubFactory(FederationFactory)
    name = factory.Sequence(lambda n: f"Network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    summary = "A community-led recovery network."
    latitude = "53.48000"
    longitude = "-2.24000"
    requires_approval = True


class SettlementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Settlement

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Settlement {n}")
    slug = factory.Sequence(lambda n: f"settlement-{n}")
    town = "Preston"
    postcode = "PR1 1AA"
    latitude = "53.76000"
    longitude = "-2.70000"
    opening_times = "Monday to Friday, 10am to 4pm"
    activities = "Recovery café, art group, allotment project"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    sector = Sector.VOLUNTARY

    @factory.post_generation
    def networks(self, create, extracted, **kwargs):
        if create and extracted:
            self.networks.set(extracted)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    purpose = "Warm referrals from treatment into the recovery community."
    lead_network = factory.SubFactory(NetworkFactory)
    start_date = datetime.date(2026, 1, 1)
    status = Partnership.Status.ACTIVE

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    network = factory.SubFactory(NetworkFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE


class CommissionerAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommissionerAccess

    user = factory.SubFactory(UserFactory)
    network = factory.SubFactory(NetworkFactory)
    body = "Public health team"
