"""Which client sent a request: the one rule every per-address limit uses
(allauth's login limits through the account adapter, the API throttles
through `core.api`, the change-report limit).

Behind `TRUSTED_PROXY_COUNT` proxies that each append the address they saw to
X-Forwarded-For, the client is the entry that many places from the right:
everything to its left was written by the client itself and is ignored. With
no trusted proxy (the default), or a header that does not hold enough valid
entries, it is the connecting address (REMOTE_ADDR)."""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    entries = [entry.strip() for entry in forwarded.split(",")]
    if len(entries) < count:
        return remote  # it did not come through every trusted proxy
    candidate = entries[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
