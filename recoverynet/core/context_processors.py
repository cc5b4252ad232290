from django.conf import settings


def site(request):
    return {
        "FEDERATION_NAME": settings.FEDERATION_NAME,
        "SITE_NAME": "RecoveryNet",
        # Map tiles for templates/includes/map.html; empty means no tile layer.
        "MAP_TILE_URL": getattr(settings, "MAP_TILE_URL", ""),
        "MAP_TILE_ATTRIBUTION": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
    }
