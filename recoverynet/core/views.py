import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from .site_contacts import contact_details

logger = logging.getLogger(__name__)
HEALTH_CACHE_KEY = "healthz"


class AccessibilityStatementView(TemplateView):
    template_name = "core/accessibility.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | contact_details()


@never_cache
@require_GET
def healthz(request):
    """For load balancers and monitoring: 200 when the database and the cache
    answer, 503 otherwise. Says nothing about anyone, sets no cookie, and is
    no DRF view, so no rate limit counts it."""
    checks = {"database": database_answers(), "cache": cache_answers()}
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": {k: "ok" if v else "failing" for k, v in checks.items()},
        },
        status=200 if healthy else 503,
    )


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure, whatever the driver raises, is "unavailable"
        logger.warning("Health check: the database did not answer", exc_info=True)
        return False


def cache_answers() -> bool:
    token = secrets.token_hex(8)
    try:
        cache.set(HEALTH_CACHE_KEY, token, timeout=30)
        return cache.get(HEALTH_CACHE_KEY) == token
    except Exception:  # a Redis client raises its own errors
        logger.warning("Health check: the cache did not answer", exc_info=True)
        return False
