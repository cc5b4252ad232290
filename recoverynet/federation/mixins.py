"""View mixins for pages about one network, for this app's and other apps' /manage/ pages."""

from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from .models import Network


class NetworkObjectMixin:
    """Views under /manage/networks/<slug>/: the network is a public object,
    so a wrong-scope coordinator gets 403, not 404."""

    @cached_property
    def network(self):
        return get_object_or_404(Network.objects.select_related("federation"), slug=self.kwargs["slug"])

    def get_permission_object(self):
        return self.network

    def get_context_data(self, **kwargs):
        return super().get_context_data(network=self.network, **kwargs)
