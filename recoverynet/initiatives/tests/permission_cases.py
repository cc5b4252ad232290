"""Who may use the pitch pages. A draft anyone but its author asks for is "not found"."""

from recoverynet.initiatives.models import Initiative, PanelMember, Pitch, ReviewRound, TeamMember, Update
from recoverynet.testing.permissions import ALL, COORDINATOR_OF_NETWORK, LOGIN, Case, roles, signed_in

# Who may support or pledge through the API: members of the pitch's network (the page's rule);
# the member wrote the own-network pitch, so cannot support it, but may pledge to it.
API_SUPPORTERS = roles(
    403, anonymous=403, professional=(200, 403), settlement_host=(200, 403), network_coordinator=(200, 403)
)
API_PLEDGERS = roles(
    403,
    anonymous=403,
    member=(201, 403),
    professional=(201, 403),
    settlement_host=(201, 403),
    network_coordinator=(201, 403),
)

PANEL_ONLY = roles(403, anonymous=LOGIN, member=(200, 403))

CASES = {
    "initiatives:pitch_list": Case(ALL),
    "initiatives:my_pitches": Case(signed_in(200)),
    # Anyone signed in gets the form (it says to join a network when they belong to none).
    "initiatives:pitch_new": Case(signed_in(200)),
    # A published pitch is public, in any network.
    "initiatives:pitch_detail": Case(ALL, obj="pitch"),
    # A draft: only its author (the member, in own_network) sees it.
    "initiatives:pitch_edit": Case(roles(404, anonymous=LOGIN, member=(200, 404)), obj="draft"),
    # A published pitch: its author may withdraw it; the network's coordinators may put it under review.
    "initiatives:pitch_state": Case(
        roles(
            403,
            anonymous=LOGIN,
            member=(200, 403),
            network_coordinator=(200, 403),
            federation_coordinator=200,
            admin=200,
        ),
        obj="pitch",
    ),
    # Members of the pitch's network support it, except its author (the member, in own_network).
    # The federation coordinator and the admin belong to no network: they cannot support or pledge.
    "initiatives:pitch_support": Case(
        roles(
            403, anonymous=LOGIN, professional=(200, 403), settlement_host=(200, 403), network_coordinator=(200, 403)
        ),
        obj="pitch",
    ),
    "initiatives:pitch_pledge": Case(
        roles(
            403,
            anonymous=LOGIN,
            member=(200, 403),
            professional=(200, 403),
            settlement_host=(200, 403),
            network_coordinator=(200, 403),
        ),
        obj="pitch",
    ),
    "initiatives:network_settings": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "initiatives:round_new": Case(COORDINATOR_OF_NETWORK, obj="network"),
    # The round's criteria (and, once closed, its scores) are public.
    "initiatives:round_detail": Case(ALL, obj="round"),
    "initiatives:round_state": Case(COORDINATOR_OF_NETWORK, obj="round"),
    # Only the panel's members (the member sits on the own-network round's panel).
    "initiatives:round_declare": Case(PANEL_ONLY, obj="round"),
    "initiatives:round_score": Case(PANEL_ONLY, obj="round_pitch"),
    "initiatives:initiative_list": Case(ALL),
    "initiatives:initiative_detail": Case(ALL, obj="initiative"),
    # An accepted pitch: its network's coordinators start the initiative.
    "initiatives:initiative_start": Case(COORDINATOR_OF_NETWORK, obj="accepted"),
    # Its lead (the member, in own_network) and the network's coordinators.
    "initiatives:initiative_manage": Case(
        roles(
            403,
            anonymous=LOGIN,
            member=(200, 403),
            network_coordinator=(200, 403),
            federation_coordinator=200,
            admin=200,
        ),
        obj="initiative",
    ),
    # Anyone signed in reports what they can see; each network's coordinators deal with its reports.
    "initiatives:pitch_report": Case(signed_in(200), obj="pitch"),
    "initiatives:update_report": Case(signed_in(200), obj="update"),
    "initiatives:moderation": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "initiatives:network_feed": Case(ALL, obj="network"),
    # Only the initiative's team scores its co-production (the member leads the own-network one).
    "initiatives:coproduction": Case(roles(403, anonymous=LOGIN, member=(200, 403)), obj="initiative"),
}


API_CASES = {
    "initiatives-pitch-list": Case(ALL),
    "initiatives-pitch-detail": Case(ALL, obj="pitch"),
    "initiatives-pitch-support": Case(API_SUPPORTERS, obj="pitch", method="post"),
    # The same rule as the page: those who may support may take it back (asking when not supporting is a no-op).
    "initiatives-pitch-withdraw-support": Case(API_SUPPORTERS, obj="pitch", method="post"),
    "initiatives-pitch-pledges": Case(
        API_PLEDGERS, obj="pitch", method="post", data={"kind": "skills", "description": "Cooking"}
    ),
    "initiatives-initiative-list": Case(ALL),
    "initiatives-initiative-detail": Case(ALL, obj="initiative"),
}


def build(world):
    """In each network: a published pitch and a draft, by the member (own) or someone there (other)."""
    objects = {}
    for scope, network, user in (
        ("own", world.own_network, world.users["member"]),
        ("other", world.other_network, world.other_membership.user),
    ):
        fields = {"network": network, "author": user, "problem": "p", "idea": "i", "who_for": "w"}
        published = Pitch.objects.create(title="Published", state=Pitch.State.PUBLISHED, **fields)
        Pitch.objects.filter(pk=published.pk).update(published_at="2026-06-01T12:00:00Z")
        draft = Pitch.objects.create(title="Draft", **fields)
        review_round = ReviewRound.objects.create(network=network, title="Round", criteria=["Need"])
        PanelMember.objects.create(round=review_round, user=user)
        accepted = Pitch.objects.create(title="Accepted", state=Pitch.State.ACCEPTED, **fields)
        Pitch.objects.filter(pk=accepted.pk).update(published_at="2026-06-01T12:00:00Z")
        initiative = Initiative.objects.create(network=network, name="Café", summary="s", started_on="2026-07-01")
        TeamMember.objects.create(initiative=initiative, user=user, role=TeamMember.Role.LEAD)
        update = Update.objects.create(initiative=initiative, author=user, text="We opened.")
        objects[scope] = {
            "accepted": {"pk": accepted.pk},
            "initiative": {"pk": initiative.pk},
            "update": {"pk": update.pk},
            "pitch": {"pk": published.pk},
            "draft": {"pk": draft.pk},
            "round": {"pk": review_round.pk},
            "round_pitch": {"pk": review_round.pk, "pitch_pk": published.pk},
        }
    return objects
