from allauth.account.adapter import DefaultAccountAdapter

FALLBACK_DISPLAY_NAME = "New member"


class AccountAdapter(DefaultAccountAdapter):
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
