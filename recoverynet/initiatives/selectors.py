"""Who sees which pitch and update: published pitches (and their later states) are
public; a draft only to its author; a pitch or update a coordinator hid after a
report only to the coordinators of its network (and the federation's)."""

from django.db.models import Q

from recoverynet.core import scoping
from recoverynet.core.suppression import protect_count, protect_rate

from .models import DecisionParticipant, Pitch, Update, lived_experience_share


def _moderator_networks(user):
    """None for a federation coordinator (every network), else the networks they coordinate."""
    if scoping.is_federation_coordinator(user):
        return None
    return scoping.coordinated_network_ids(user)


def pitches_visible_to(user, queryset=None):
    queryset = Pitch.objects.all() if queryset is None else queryset
    published = Q(published_at__isnull=False) & ~Q(state=Pitch.State.DRAFT)
    public = published & Q(hidden_at__isnull=True)
    if user is None or not user.is_authenticated:
        return queryset.filter(public)
    visible = public | (Q(author=user) & Q(state=Pitch.State.DRAFT))
    moderated = _moderator_networks(user)
    if moderated is None:
        visible |= published
    elif moderated:
        visible |= published & Q(network_id__in=moderated)
    return queryset.filter(visible)


def public_pitches(queryset=None):
    """The list at /initiatives/: published pitches and every later state; never drafts or hidden ones."""
    queryset = Pitch.objects.all() if queryset is None else queryset
    return queryset.public()


def updates_visible_to(user, queryset=None):
    queryset = Update.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated:
        return queryset.filter(hidden_at__isnull=True)
    moderated = _moderator_networks(user)
    if moderated is None:
        return queryset
    return queryset.filter(Q(hidden_at__isnull=True) | Q(initiative__network_id__in=moderated))


def decision_makers_share(**filters) -> dict:
    """The share of an initiative's (or a network's) decision-makers with lived experience,
    aggregate only: {"people": Figure, "share": Figure} where share is a whole percentage,
    shown only when at least 5 people took part (core.suppression). One query.
    filters: initiative=… or network=… (on the decision's initiative)."""
    lookups = {
        ("decision__initiative" if name == "initiative" else f"decision__initiative__{name}"): value
        for name, value in filters.items()
    }
    rows = DecisionParticipant.objects.filter(**lookups).values_list(
        "user_id", "decision__decided_on", "decision_id", "lived_experience"
    )
    with_lived, people = lived_experience_share(rows)
    group = protect_count(people)
    share = round(100 * with_lived / people) if people else None
    return {"people": group, "share": protect_rate(share, group)}
