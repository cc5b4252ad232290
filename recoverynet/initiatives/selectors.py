"""Who sees which pitch: published ones (and their later states) are public;
a draft only to its author."""

from django.db.models import Q

from .models import Pitch


def pitches_visible_to(user, queryset=None):
    queryset = Pitch.objects.all() if queryset is None else queryset
    public = Q(published_at__isnull=False) & ~Q(state=Pitch.State.DRAFT)
    if user is None or not user.is_authenticated:
        return queryset.filter(public)
    return queryset.filter(public | Q(author=user))


def public_pitches(queryset=None):
    """The list at /initiatives/: published pitches and every later state, never drafts."""
    queryset = Pitch.objects.all() if queryset is None else queryset
    return queryset.public()
