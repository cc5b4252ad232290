"""The Meeting Guide feed out: public data for meeting apps.

Cached twice over. By conditional GET: the ETag and Last-Modified come from
the newest change among the feed's meetings and their locations (and how many
meetings there are), so an app that polls gets a 304 with no body until
something changes. And on the server: the body is kept in the cache under that
ETag, so a change to a meeting or its location makes a new key at once and
thousands of apps fetching the same feed cost one build. Renaming a network or
a fellowship moves no timestamp; FEED_CACHE_SECONDS bounds how long a feed can
show the old name.

Apps fetch it compressed (Accept-Encoding: gzip), so the cache holds the gzip
bytes too, compressed once per version: a distinct representation with its own
ETag (the identity one's with "-gzip"), and Vary: Accept-Encoding."""

import gzip
import hashlib
import json
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from recoverynet.federation.models import Network

from ..formats.meeting_guide import build_feed, feed_queryset
from ..models import Meeting

# The last few bodies this process served, by ETag: the same bytes again need no
# trip to the cache. Entries expire with the shared cache's timeout (renames).
_RECENT_BODIES: dict[str, tuple[float, tuple[bytes, bytes]]] = {}
_RECENT_LIMIT = 8
ACCEPTS_GZIP = re.compile(r"\bgzip\b(?!\s*;\s*q=0(\.0*)?\s*(,|$))")


def feed_bodies(etag, meetings, base_url) -> tuple[bytes, bytes]:
    """(identity, gzip) bytes of this version of the feed."""
    key = f"directory:meeting-guide:{etag.strip(chr(34))}"
    now = time.monotonic()
    recent = _RECENT_BODIES.get(key)
    if recent is not None and recent[0] > now:
        return recent[1]
    bodies = cache.get(key)
    if bodies is None:
        body = json.dumps(build_feed(meetings, base_url), ensure_ascii=False, separators=(",", ":")).encode()
        # mtime=0: the same feed compresses to the same bytes in every process.
        bodies = (body, gzip.compress(body, compresslevel=6, mtime=0))
        cache.set(key, bodies, settings.FEED_CACHE_SECONDS)
    if len(_RECENT_BODIES) >= _RECENT_LIMIT:
        _RECENT_BODIES.pop(next(iter(_RECENT_BODIES)))
    _RECENT_BODIES[key] = (now + settings.FEED_CACHE_SECONDS, bodies)
    return bodies


def accepts_gzip(request) -> bool:
    return bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "").lower()))


@require_safe
def meeting_guide_feed(request, slug=None):
    meetings = Meeting.objects.all()
    if slug is not None:
        network = get_object_or_404(Network, slug=slug, is_active=True)
        meetings = meetings.filter(network=network)
    newest, count = feed_queryset(meetings).change_stamp()
    base_url = request.build_absolute_uri("/")
    version = f"{newest.isoformat() if newest else ''}|{count}|{base_url}|{slug or ''}"
    etag = f'"{hashlib.sha256(version.encode()).hexdigest()[:32]}"'
    compressed = accepts_gzip(request)
    representation = f'{etag[:-1]}-gzip"' if compressed else etag
    last_modified = int(newest.timestamp()) if newest else None
    response = get_conditional_response(request, etag=representation, last_modified=last_modified)
    if response is None:
        identity, gzipped = feed_bodies(etag, meetings, base_url)
        response = HttpResponse(gzipped if compressed else identity, content_type="application/json")
        if compressed:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = representation
    patch_vary_headers(response, ["Accept-Encoding"])
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=300)
    return response
