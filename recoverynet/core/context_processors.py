from django.conf import settings


def site(request):
    return {"FEDERATION_NAME": settings.FEDERATION_NAME, "SITE_NAME": "RecoveryNet"}
