"""Who may use volunteering's pages. Roles and shifts are public; a sign-up someone
may not see is "not found"; DBS records are for the network's own coordinators only; the shared
list of interests is the federation's coordinators' alone."""

import datetime

from django.utils import timezone

from recoverynet.testing.permissions import (
    ALL,
    COORDINATOR_OF_NETWORK,
    FEDERATION_ONLY,
    LOGIN,
    Case,
    roles,
    signed_in,
)
from recoverynet.volunteering.models import Commendation, Interest, Job, Role, Shift, SignUp

# Roles in the tests are offered by each network's settlement: its host and the network's coordinators organise.
ORGANISER = roles(
    403,
    anonymous=LOGIN,
    settlement_host=(200, 403),
    network_coordinator=(200, 403),
    federation_coordinator=200,
    admin=200,
)
OWN_SIGNUP = roles(404, anonymous=LOGIN, member=(200, 404))

CASES = {
    "volunteering:role_list": Case(ALL),
    "volunteering:role_detail": Case(ALL, obj="role"),
    "volunteering:sign_up": Case(signed_in(200), obj="shift"),
    "volunteering:for_you": Case(signed_in(200)),
    "volunteering:job_list": Case(ALL),
    "volunteering:job_detail": Case(ALL, obj="job"),
    "volunteering:manage:job_new": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "volunteering:mine": Case(signed_in(200)),
    "volunteering:mine_ics": Case(signed_in(200)),
    "volunteering:record_csv": Case(signed_in(200)),
    "volunteering:profile": Case(signed_in(200)),
    "volunteering:reference": Case(signed_in(200)),
    "volunteering:signup_cancel": Case(OWN_SIGNUP, obj="signup"),
    "volunteering:hours_confirm": Case(OWN_SIGNUP, obj="signup"),
    # A commendation mentioning the member's recovery, waiting for them: theirs alone to see.
    "volunteering:commendation_review": Case(OWN_SIGNUP, obj="commendation"),
    "volunteering:signup_time": Case(OWN_SIGNUP, obj="flexible_signup"),
    "volunteering:manage:home": Case(signed_in(200)),
    "volunteering:manage:role_new": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "volunteering:manage:role_edit": Case(ORGANISER, obj="role"),
    "volunteering:manage:shift_new": Case(ORGANISER, obj="role"),
    "volunteering:manage:shift_new_flexible": Case(ORGANISER, obj="role"),
    "volunteering:manage:shift_edit": Case(ORGANISER, obj="shift"),
    "volunteering:manage:shift_cancel": Case(ORGANISER, obj="shift"),
    "volunteering:manage:commend": Case(ORGANISER, obj="role"),
    "volunteering:manage:shift": Case(ORGANISER, obj="shift"),
    "volunteering:manage:signup_decline": Case(
        roles(
            404,
            anonymous=LOGIN,
            member=(403, 404),
            settlement_host=(200, 404),
            network_coordinator=(200, 404),
            federation_coordinator=200,
            admin=200,
        ),
        obj="signup",
    ),
    "volunteering:manage:signup_time": Case(
        roles(
            404,
            anonymous=LOGIN,
            member=(403, 404),
            settlement_host=(200, 404),
            network_coordinator=(200, 404),
            federation_coordinator=200,
            admin=200,
        ),
        obj="flexible_signup",
    ),
    "volunteering:manage:dbs": Case(roles(403, anonymous=LOGIN, network_coordinator=(200, 403)), obj="network"),
    "volunteering:manage:skill_search": Case(
        roles(403, anonymous=LOGIN, network_coordinator=(200, 403)), obj="network"
    ),
    # One list for the whole federation: the same answer for an interest in either scope.
    "volunteering:manage:interests": Case(FEDERATION_ONLY),
    # Without a name: the list again, with the error, once allowed.
    "volunteering:manage:interest_rename": Case(FEDERATION_ONLY, obj="interest", method="post"),
    # Nobody uses the test world's interest: removed, and back to the list.
    "volunteering:manage:interest_remove": Case(
        roles(403, anonymous=LOGIN, federation_coordinator=302, admin=302), obj="interest", method="post"
    ),
}

# The API: the same rules, with 403 for the signed-out and "not found" for someone else's place.
API_OWN_SIGNUP = roles(404, anonymous=403, member=(200, 404))

API_CASES = {
    "volunteering-role-list": Case(ALL),
    "volunteering-role-detail": Case(ALL, obj="role"),
    "volunteering-role-shifts": Case(ALL, obj="role"),
    "volunteering-signup-list": Case(signed_in(200, anonymous=403)),
    "volunteering-signup-detail": Case(API_OWN_SIGNUP, obj="signup"),
    "volunteering-signup-cancel": Case(API_OWN_SIGNUP, obj="signup", method="post"),
    "volunteering-job-list": Case(ALL),
    "volunteering-job-detail": Case(ALL, obj="job"),
    "volunteering-for-you-list": Case(signed_in(200, anonymous=403)),
    # Without a body (or without hours to confirm): refused (400) once it is your own place.
    "volunteering-signup-time": Case(
        roles(404, anonymous=403, member=(400, 404)), obj="flexible_signup", method="post"
    ),
    "volunteering-signup-confirm-hours": Case(
        roles(404, anonymous=403, member=(400, 404)), obj="signup", method="post"
    ),
    # Your own progress with any published job: "not found" until you save it.
    "volunteering-job-outcome": Case(
        signed_in(404, anonymous=403), obj="job", data={"status": "saved"}, post=signed_in(200, anonymous=403)
    ),
}

# The organisers' API: the organisers' pages' rules. A role or shift someone may see but not
# organise is "forbidden"; a place they may not see "not found". Writes without a body are
# refused (400) once the permission holds, so the 400 shows who may.
API_ORGANISER = roles(
    403, settlement_host=(200, 403), network_coordinator=(200, 403), federation_coordinator=200, admin=200
)
API_ORGANISER_BODY = roles(
    403, settlement_host=(400, 403), network_coordinator=(400, 403), federation_coordinator=400, admin=400
)
API_DECIDE = roles(
    404,
    anonymous=403,
    member=(403, 404),
    settlement_host=(200, 404),
    network_coordinator=(200, 404),
    federation_coordinator=200,
    admin=200,
)
NEW_ROLE = {
    "network": "cumbria",  # the test world's own network: its coordinators (and the federation's) add roles
    "settlement": "carlisle-hub",
    "title": "Greeter",
    "description": "Welcome people.",
    "involves": "Saying hello.",
    "time_commitment": "Weekly",
    "idempotency_key": "permission-matrix",
}

API_CASES |= {
    "volunteering-organised-role-list": Case(
        signed_in(200, anonymous=403),
        data=NEW_ROLE,
        post=roles(403, network_coordinator=201, federation_coordinator=201, admin=201),
    ),
    "volunteering-organised-role-detail": Case(API_ORGANISER, obj="role"),
    "volunteering-organised-role-shifts": Case(API_ORGANISER, obj="role"),
    "volunteering-organised-role-commendations": Case(API_ORGANISER_BODY, obj="role", method="post"),
    "volunteering-organised-shift-detail": Case(API_ORGANISER, obj="shift"),
    # Without a reason: cancelled all the same (the reason is optional), the member's place with it.
    "volunteering-organised-shift-cancel": Case(API_ORGANISER, obj="shift", method="post"),
    "volunteering-organised-shift-signups": Case(API_ORGANISER, obj="shift"),
    "volunteering-organised-shift-walk-ins": Case(API_ORGANISER_BODY, obj="shift", method="post"),
    "volunteering-organised-shift-hours": Case(API_ORGANISER_BODY, obj="shift", method="post"),
    # No time bank account pays for the test world's roles: a 400 saying so, once allowed.
    "volunteering-organised-shift-credit": Case(API_ORGANISER_BODY, obj="shift", method="post"),
    "volunteering-organised-signup-confirm": Case(API_DECIDE, obj="signup", method="post"),
    "volunteering-organised-signup-time": Case(
        roles(
            404,
            anonymous=403,
            member=(403, 404),
            settlement_host=(400, 404),
            network_coordinator=(400, 404),
            federation_coordinator=400,
            admin=400,
        ),
        obj="flexible_signup",
        method="post",
    ),
    "volunteering-organised-signup-decline": Case(
        API_DECIDE, obj="signup", method="post", data={"reason": "The café is full"}
    ),
}


def build(world):
    """In each network: a role offered by its settlement, a shift next week and a flexible window
    from then, and a member's sign-up on each."""
    objects = {}
    start = timezone.now() + datetime.timedelta(days=7)
    interest, _ = Interest.objects.get_or_create(name="Bird watching")
    for scope, network, settlement, user in (
        ("own", world.own_network, world.own_settlement, world.users["member"]),
        ("other", world.other_network, world.other_settlement, world.other_membership.user),
    ):
        role = Role.objects.create(
            network=network,
            settlement=settlement,
            title="Café host",
            slug=f"cafe-host-{scope}",
            description="Host the café.",
            involves="Making tea.",
            time_commitment="Weekly",
        )
        shift = Shift.objects.create(role=role, starts_at=start, ends_at=start + datetime.timedelta(hours=3), places=3)
        signup = SignUp.objects.create(shift=shift, user=user)
        commendation = Commendation.objects.create(
            user=user, role=role, text="Steady through her recovery.", mentions_recovery=True
        )
        window = Shift.objects.create(
            role=role,
            kind=Shift.Kind.FLEXIBLE,
            starts_at=start,
            ends_at=start + datetime.timedelta(days=5),
            expected_minutes=120,
            expected_per=Shift.Per.TOTAL,
            places=3,
        )
        flexible_signup = SignUp.objects.create(shift=window, user=user)
        job = Job.objects.create(
            network=network,
            employer="Café Co",
            title="Café assistant",
            slug=f"cafe-assistant-{scope}",
            description="Serve.",
            hours="16 a week",
            pay="£12.60 an hour",
            closing_date=start.date(),
            how_to_apply="Write to us.",
        )
        objects[scope] = {
            "role": {"slug": role.slug},
            "shift": {"pk": shift.pk},
            "signup": {"pk": signup.pk},
            "flexible_signup": {"pk": flexible_signup.pk},
            "job": {"slug": job.slug},
            "commendation": {"pk": commendation.pk},
            "interest": {"pk": interest.pk},
        }
    return objects
