from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied

from recoverynet.core.client_address import client_address

FALLBACK_DISPLAY_NAME = "New member"


class AccountAdapter(DefaultAccountAdapter):
    # Say what to do, and when (ACCOUNT_RATE_LIMITS: 5 failures per 5 minutes for an account).
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": (
            "Too many failed attempts to sign in. Wait 5 minutes, then try again, or reset your password."
        ),
        "incorrect_password": "The password is not right. Check it and try again.",
        "enter_current_password": "Enter your current password",
        "incorrect_code": "The code is not right. Check your authenticator app and enter the newest code.",
    }

    def get_client_ip(self, request):
        """Login rate limits count per client by the project's one rule (core.client_address)."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine the client's address.")
        return address

    def save_user(self, request, user, form, commit=True):
        """Set the display name from the sign-up form (it may be a pseudonym).

        Never derive it from the email address: that would show part of a
        person's address to everyone."""
        user = super().save_user(request, user, form, commit=False)
        display_name = (form.cleaned_data.get("display_name") or "").strip()
        user.display_name = display_name[:60] or FALLBACK_DISPLAY_NAME
        if commit:
            user.save()
        return user
