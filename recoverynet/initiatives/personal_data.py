"""Erasure of a person's pitches (declared on Pitch.personal_data)."""


def erase_pitches(*, actor, user, rows) -> None:
    """Drafts nobody else has seen are deleted; a pitch the network has seen stays
    (others supported and reviewed it) but no longer names its author."""
    from .models import Pitch

    ids = [row.pk for row in rows]
    Pitch.objects.filter(pk__in=ids, state=Pitch.State.DRAFT).delete()
    Pitch.objects.filter(pk__in=ids).update(author=None)


def erase_pledges(*, actor, user, rows) -> None:
    """A person's own pledges go; one made for an organisation stays (the organisation
    still gives it) but no longer names the person or keeps what they wrote."""
    from .models import Pledge

    ids = [row.pk for row in rows]
    Pledge.objects.filter(pk__in=ids, organisation__isnull=True).delete()
    Pledge.objects.filter(pk__in=ids).update(pledged_by=None, description="")
