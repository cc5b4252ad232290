"""Coordinators and admins must pass two-factor authentication (TOTP) in the session they use.

Every way in ends up here: allauth's sign-in, the admin (whose own sign-in page
sends people to allauth's), the API's session authentication, and a session
whose owner became a coordinator after signing in. A privileged session that
has not passed the second factor may only reach the pages that let it do so
(or sign out); it also ends after a spell without activity and after a fixed
time, whatever it does.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .second_factor import needs_second_factor, privileged_session_expired, session_passed_second_factor

# Public pages anyone may read, whatever state their session is in.
PUBLIC_PREFIXES = ("/static/", "/privacy/", "/accessibility/")
# The pages that enrol a first TOTP device (allauth asks for the password again first).
ENROLMENT_VIEWS = frozenset({"account_logout", "account_reauthenticate", "mfa_index", "mfa_activate_totp"})
# The page that asks a session's second factor of someone who has a device.
CHALLENGE_VIEWS = frozenset({"account_logout", "mfa_reauthenticate"})

EXPIRED_MESSAGES = {
    "idle": "You were signed out because your coordinator account was not used for a while. Sign in again.",
    "age": "Coordinator sign-ins last a limited time. Sign in again to carry on.",
}


def has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def with_next(url_name, request) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}"


class RequireMFAForPrivilegedRolesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not needs_second_factor(user):
            return None
        expired = privileged_session_expired(request.session)
        if expired:
            logout(request)
            if is_api(request):
                return None  # carries on as a signed-out request
            messages.info(request, EXPIRED_MESSAGES[expired])
            return redirect(with_next("account_login", request))
        if session_passed_second_factor(request.session, user) or request.path.startswith(PUBLIC_PREFIXES):
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        if has_mfa(user):
            if view_name in CHALLENGE_VIEWS:
                request.second_factor_owed = True  # the code page then offers no password alternative
                return None
            if is_api(request):
                return JsonResponse(
                    {"detail": "Confirm your two-factor authentication code to use your coordinator account."},
                    status=403,
                )
            messages.info(request, "Your role needs two-factor authentication. Enter the code from your app.")
            return redirect(with_next("mfa_reauthenticate", request))
        if view_name in ENROLMENT_VIEWS:
            return None
        if is_api(request):
            return JsonResponse(
                {"detail": "Set up two-factor authentication to use your coordinator account."}, status=403
            )
        messages.warning(request, "Your role needs two-factor authentication. Set it up to continue.")
        return redirect(reverse("mfa_activate_totp"))
