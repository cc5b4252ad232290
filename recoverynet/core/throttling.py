"""REST framework's throttles, counting per client by `core.client_address`
(the same rule as logins and change reports), not by their own reading of
X-Forwarded-For."""

from rest_framework import throttling

from .client_address import client_address


class ClientAddressMixin:
    def get_ident(self, request):
        return client_address(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass
