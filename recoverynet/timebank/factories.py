import factory

from recoverynet.accounts.factories import UserFactory
from recoverynet.federation.factories import MembershipFactory, NetworkFactory

from .models import Account


class MemberAccountFactory(factory.django.DjangoModelFactory):
    """A member's account in a network's time bank (with the membership it needs)."""

    class Meta:
        model = Account
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    kind = Account.Kind.MEMBER
    user = factory.SubFactory(UserFactory)

    @factory.post_generation
    def membership(self, create, extracted, **kwargs):
        if create:
            MembershipFactory(user=self.user, network=self.network)
