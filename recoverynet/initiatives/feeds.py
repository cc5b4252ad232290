"""A public Atom feed per network: pitches accepted and initiatives' updates, newest first."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from recoverynet.federation.models import Network

from .models import Pitch, Update
from .selectors import public_pitches

FEED_ITEMS = 30


class NetworkFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Network.objects.active(), slug=slug)

    def title(self, network):
        return f"Community ideas and initiatives in {network.name}"

    def subtitle(self, network):
        return "Pitches the network accepted, and news from the initiatives they became."

    def link(self, network):
        return reverse("initiatives:pitch_list") + f"?network={network.slug}"

    def items(self, network):
        accepted = list(
            public_pitches()
            .filter(network=network, state=Pitch.State.ACCEPTED, hidden_at__isnull=True)
            .order_by("-decided_at", "-pk")[:FEED_ITEMS]
        )
        updates = list(
            Update.objects.filter(initiative__network=network, hidden_at__isnull=True)
            .select_related("initiative")
            .order_by("-created_at", "-pk")[:FEED_ITEMS]
        )
        items = accepted + updates
        items.sort(key=self.item_pubdate, reverse=True)
        return items[:FEED_ITEMS]

    def item_title(self, item):
        if isinstance(item, Pitch):
            return f"Accepted: {item.title}"
        return f"{item.initiative.name}: an update"

    def item_description(self, item):
        if isinstance(item, Pitch):
            return item.decision_explanation or item.idea
        return item.text

    def item_link(self, item):
        if isinstance(item, Pitch):
            return item.get_absolute_url()
        return item.initiative.get_absolute_url() + f"#update-{item.pk}"

    def item_guid(self, item):
        return f"{type(item).__name__.lower()}-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.decided_at or item.published_at if isinstance(item, Pitch) else item.created_at
