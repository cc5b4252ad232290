"""The directory's rows for the personal-data tests (recoverynet.testing.personal_data)."""

from recoverynet.directory import services
from recoverynet.directory.factories import MeetingFactory
from recoverynet.directory.models import ChangeRequest, FeedImport, FeedSource


def add(person, world):
    email = person.email
    meeting = MeetingFactory(network=world.own_network)
    services.submit_change_request(
        actor=person,
        meeting=meeting,
        data={
            "field": "notes",
            "proposed_value": "Step-free entrance",
            "reason": f"I am {person.display_name}, write to {email}",
            "reporter_email": email,
        },
    )
    # Reported while signed out, with the same address.
    services.submit_change_request(
        actor=None,
        meeting=meeting,
        data={"field": "name", "proposed_value": "New name", "reason": "Renamed.", "reporter_email": email.upper()},
    )
    ChangeRequest.objects.create(meeting=meeting, field="other", reason="x", decided_by=person, status="declined")
    source = FeedSource.objects.create(network=world.own_network, name="Feed", default_fellowship=meeting.fellowship)
    FeedImport.objects.create(source=source, started_by=person, status=FeedImport.Status.PREVIEWED)
