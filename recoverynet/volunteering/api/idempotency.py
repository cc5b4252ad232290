"""Idempotency keys for the organisers' API writes that make something new (a role, a
shift, a commendation), as the time bank's API has for exchanges.

Volunteering's rows have no column for a key, so the key lives in the cache (Redis in
production) for a day: per person and kind of write, the request's fingerprint and the
id of what it made. The same key with the same body again answers with that object
and writes nothing; the same key with another body is refused. While the first request
is still being handled, a second one with its key is refused too (send it again)."""

import hashlib
import json

from django.core.cache import cache
from django.core.exceptions import ValidationError

KEEP_SECONDS = 24 * 3600
PENDING_SECONDS = 60


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def once(*, user, kind: str, key: str, body: dict, make, find):
    """make() -> a new object, the first time `key` is sent; after that find(pk) -> the
    object it made (None when it is gone). Returns (object, made_now)."""
    cache_key = f"volunteering-api:{kind}:{user.pk}:{_digest(key)}"
    fingerprint = _digest(body)
    if not cache.add(cache_key, {"fingerprint": fingerprint, "pk": None}, PENDING_SECONDS):
        stored = cache.get(cache_key) or {}
        if stored.get("fingerprint") != fingerprint:
            raise ValidationError(
                {"idempotency_key": "This key was already sent with other details. Use a new key."},
                code="idempotency",
            )
        made = find(stored["pk"]) if stored.get("pk") is not None else None
        if made is None:
            raise ValidationError(
                {"idempotency_key": "A request with this key is still being handled, or what it made is gone."},
                code="idempotency",
            )
        return made, False
    try:
        made = make()
    except BaseException:
        cache.delete(cache_key)
        raise
    cache.set(cache_key, {"fingerprint": fingerprint, "pk": made.pk}, KEEP_SECONDS)
    return made, True
