"""Coordinators and admins must use two-factor authentication (TOTP)."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from recoverynet.federation.scoping import is_coordinator

ALLOWED_PREFIXES = ("/accounts/", "/static/", "/privacy/", "/accessibility/")


def needs_mfa(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.is_superuser or is_coordinator(user))


def has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireMFAForPrivilegedRolesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and not request.path.startswith(ALLOWED_PREFIXES) and needs_mfa(user) and not has_mfa(user):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Set up two-factor authentication to use your coordinator account."}, status=403
                )
            messages.warning(request, "Your role needs two-factor authentication. Set it up to continue.")
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
