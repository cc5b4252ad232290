"""Micro-caching of public pages for people who are not signed in.

When a hundred people open the same search in the same minute, build the
page once. A cached page is served only to someone with no cookies that could
make their page different (no session, no pending message), and stored only
when it is a plain 200 that sets no cookie and holds no CSRF token (so a
view that adds a message must not use it). Its key holds the full address,
the current minute (so "starting in 10 minutes" stays true to the minute) and
a version the view supplies from its data (so a change shows at once).
Security headers (CSP, HSTS…) are added by the middleware on every response,
cached or not, because this wraps the view, not the response."""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

KEPT_HEADERS = ("Content-Type", "Content-Language", "ETag", "Last-Modified")


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return not request.user.is_authenticated


def cache_public_page(version, *, seconds=60):
    """@cache_public_page(version=lambda request: "…"): cache the view's page for
    anonymous people, keyed by address, minute and `version(request)`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            minute = int(timezone.now().timestamp() // 60)
            parts = f"{request.get_full_path()}|{minute}|{get_language()}|{version(request)}"
            key = f"page:{view.__module__}.{view.__qualname__}:{hashlib.sha256(parts.encode()).hexdigest()}"
            cached = cache.get(key)
            if cached is not None:
                response = HttpResponse(cached["body"])
                for name, value in cached["headers"].items():
                    response[name] = value
                return response
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response.render()
            # A page holding a CSRF token belongs to one browser: never shared.
            personal = response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            if response.status_code == 200 and not personal and not getattr(response, "streaming", False):
                headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
                cache.set(key, {"body": response.content, "headers": headers}, seconds)
            return response

        return wrapped

    return decorator
