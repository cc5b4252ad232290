"""Who may use a person's own pages, and django-allauth's sign-in, password and
two-factor pages as they answer here."""

from recoverynet.testing import PRIVILEGED_ROLES
from recoverynet.testing.permissions import ALL, API_PERSON_VISIBLE, API_SIGNED_IN, LOGIN, Case, roles, signed_in

SIGNED_IN_ELSEWHERE = roles(302, anonymous=200)  # signed-in people are sent on to their profile

CASES = {
    "accounts:privacy": Case(ALL),
    "accounts:profile": Case(signed_in(200)),
    "accounts:profile_edit": Case(signed_in(200)),
    "accounts:consent": Case(signed_in(200)),
    "accounts:export": Case(signed_in(200)),
    "accounts:erase": Case(signed_in(200)),
    "accounts:erased": Case(ALL),
    "accounts:join_network": Case(signed_in(200), obj="network"),
    # A confirmation page, then the POST that leaves.
    "accounts:leave_membership": Case(
        roles(404, anonymous=LOGIN, member=(200, 404)),
        obj="membership",
        post=roles(404, anonymous=LOGIN, member=(302, 404)),
    ),
    # The admin's sign-in page hands over to allauth's; staff are sent on, others refused.
    "accounts:admin_login": Case(roles(403, anonymous=LOGIN, admin=302)),
    # django-allauth's own pages.
    "account_login": Case(SIGNED_IN_ELSEWHERE),
    "account_signup": Case(SIGNED_IN_ELSEWHERE),
    "account_logout": Case(roles(200, anonymous=302)),
    "account_inactive": Case(ALL),
    "account_email_verification_sent": Case(ALL),
    "account_reset_password": Case(ALL),
    "account_reset_password_done": Case(ALL),
    "account_reset_password_from_key_done": Case(ALL),
    "account_change_password": Case(signed_in(200)),
    "account_set_password": Case(signed_in(302)),  # they have a password: sent to "change"
    "account_email": Case(signed_in(200)),
    "account_reauthenticate": Case(signed_in(200)),
    "account_confirm_login_code": Case(roles(302)),
    "mfa_index": Case(signed_in(200)),
    "mfa_authenticate": Case(roles(302)),
    "mfa_activate_totp": Case(signed_in(302)),  # already active, or reauthenticate first
    "mfa_deactivate_totp": Case(roles(404, anonymous=LOGIN, **dict.fromkeys(PRIVILEGED_ROLES, 302))),
    "mfa_generate_recovery_codes": Case(signed_in(302)),
    "mfa_view_recovery_codes": Case(signed_in(404)),
    "mfa_download_recovery_codes": Case(signed_in(404)),
    "mfa_reauthenticate": Case(roles(302, anonymous=LOGIN, **dict.fromkeys(PRIVILEGED_ROLES, 200))),
}


API_CASES = {
    "member-list": Case(API_SIGNED_IN),
    "member-me": Case(API_SIGNED_IN),
    "member-detail": Case(
        API_PERSON_VISIBLE,
        obj="person",
    ),
}
