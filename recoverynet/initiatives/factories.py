import datetime

import factory

from recoverynet.accounts.factories import UserFactory
from recoverynet.federation.factories import MembershipFactory, NetworkFactory

from .models import Pitch, Theme

START = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)  # fixed: tests never read the real clock


class PitchFactory(factory.django.DjangoModelFactory):
    """A draft pitch by a member of its network (with the membership it needs)."""

    class Meta:
        model = Pitch
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Idea {n}")
    theme = Theme.PEER_SUPPORT
    problem = "People leaving treatment have nowhere to go on Sunday afternoons."
    idea = "A Sunday recovery café in the community centre."
    who_for = "People in recovery and their families."
    pitch_text = "We would open the doors at two, put the kettle on, and see who comes."
    needs_hours = 20

    @factory.post_generation
    def membership(self, create, extracted, **kwargs):
        wanted = create and self.author is not None and extracted is not False
        if wanted and not self.author.memberships.filter(network=self.network).exists():
            MembershipFactory(user=self.author, network=self.network)


class PublishedPitchFactory(PitchFactory):
    state = Pitch.State.PUBLISHED
    published_at = factory.Sequence(lambda n: START + datetime.timedelta(hours=n))
