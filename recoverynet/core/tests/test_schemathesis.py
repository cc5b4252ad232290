"""Property-based tests of the whole REST API with Schemathesis.

The OpenAPI schema is read from the running Django WSGI application, and every
operation in it is called with generated requests (valid ones, and invalid
ones that should be refused with a 4xx), as an anonymous visitor and as a
signed-in network coordinator. Every response must be free of server errors
and match the schema for its status code.

Every status an operation gives must be one its schema documents (an
undocumented 404 for page=0 was a failure), with the documented content type
and a body matching the schema. No network: the WSGI application is called
in-process, on the test database (the coordinator's writes included).

Bounded and deterministic: SCHEMATHESIS_EXAMPLES examples per operation and
generation mode (10 by default; raise it for a long local run), derandomised,
no example database, no deadline.
"""

import os

import pytest
import schemathesis
from django.test import Client
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from recoverynet.federation.models import Membership
from recoverynet.testing import run_schemathesis, sign_in

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Examples per operation and generation mode (valid, then invalid input).
# Generated path parameters mostly name nothing (404), so detail operations
# run mostly against real objects (`real_objects`).
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
EXAMPLES_WITH_GENERATED_PATH = max(1, EXAMPLES * 2 // 5)
# A CSRF secret for the signed-in runs: the cookie and the header must match.
CSRF_TOKEN = "schemathesisSchemathesis12345678"


@pytest.fixture
def api_schema(wsgi_app):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)


def session_cookies(user):
    """Cookies (and the CSRF header) that sign `user` in, as a browser would send them."""
    if user is None:
        return {}, {}
    client = Client()
    sign_in(client, user)
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_TOKEN}
    return cookies, {"X-CSRFToken": CSRF_TOKEN}


def real_objects(world):
    """Path parameters that name real objects, for each resource."""
    return {
        "networks": {"slug": world.own_network.slug},
        "settlements": {"slug": world.own_settlement.slug},
        "organisations": {"slug": world.own_organisation.slug},
        "partnerships": {"slug": world.own_partnership.slug},
        "memberships": {"id": world.own_membership.pk},
        "members": {"id": world.users["member"].pk},
        "outcomes": {"slug": world.own_network.slug},
        **directory_objects(world),
        **recovery_capital_objects(world),
        **timebank_objects(world),
        "volunteering": volunteering_objects(world),
        **initiatives_objects(world),
    }


def initiatives_objects(world):
    """A published pitch by someone else in own_network, and an initiative with a team,
    milestone, results and an update (made once per world)."""
    from recoverynet.initiatives.factories import PublishedPitchFactory
    from recoverynet.initiatives.models import Initiative, Milestone, Result, TeamMember, Update

    if not hasattr(world, "initiatives"):
        pitch = PublishedPitchFactory(network=world.own_network, needs_hours=20)
        initiative = Initiative.objects.create(
            network=world.own_network, name="Café", summary="s", started_on="2026-07-01"
        )
        TeamMember.objects.create(initiative=initiative, user=world.users["member"], role=TeamMember.Role.LEAD)
        Milestone.objects.create(initiative=initiative, title="Open", due_on="2026-09-01")
        root = Result.objects.create(initiative=initiative, title="Open the café")
        Result.objects.create(initiative=initiative, parent=root, title="Find a room", progress=50)
        Update.objects.create(initiative=initiative, author=world.users["member"], text="We opened.")
        world.initiatives = {"pitches": {"id": pitch.pk}, "initiatives": {"id": initiative.pk}}
    return world.initiatives


def volunteering_objects(world):
    """A role with a shift coming up in own_network, the signed-in coordinator's place on it,
    and an open job (made once per world), by the resource after /volunteering/."""
    from recoverynet.volunteering.factories import JobFactory, RoleFactory, RoleSkillFactory, ShiftFactory
    from recoverynet.volunteering.models import SignUp

    if not hasattr(world, "volunteering"):
        role = RoleFactory(network=world.own_network, settlement=world.own_settlement)
        RoleSkillFactory(role=role)
        shift = ShiftFactory(role=role)
        signup = SignUp.objects.create(shift=shift, user=world.users["network_coordinator"])
        job = JobFactory(network=world.own_network)
        world.volunteering = {
            "roles": {"slug": role.slug},
            "signups": {"id": signup.pk},
            "jobs": {"slug": job.slug},
            "organised-roles": {"slug": role.slug},
            "organised-shifts": {"id": shift.pk},
            "organised-signups": {"id": signup.pk},
        }
    return world.volunteering


def directory_objects(world):
    """A meeting, a service and their fellowship and location in own_network (made once per world)."""
    from recoverynet.directory.factories import LocationFactory, MeetingFactory, ServiceFactory

    if not hasattr(world, "directory"):
        location = LocationFactory(network=world.own_network)
        meeting = MeetingFactory(network=world.own_network, location=location, types=["O"])
        service = ServiceFactory(network=world.own_network, organisation=world.own_organisation)
        world.directory = {
            "meetings": {"slug": meeting.slug},
            "fellowships": {"slug": meeting.fellowship.slug},
            "services": {"slug": service.slug},
            "locations": {"uuid": str(location.uuid)},
        }
    return world.directory


def recovery_capital_objects(world):
    """An assessment in progress of the signed-in coordinator's own (made once per world)."""
    from recoverynet.accounts.models import ConsentPurpose, ConsentRecord
    from recoverynet.recoverycapital.models import Assessment, Instrument
    from recoverynet.recoverycapital.services import load_shipped_instruments

    if not hasattr(world, "recovery_capital"):
        load_shipped_instruments()
        person = world.users["network_coordinator"]
        ConsentRecord.objects.create(
            user=person, purpose=ConsentPurpose.OUTCOME_MEASUREMENT, granted=True, wording_version="test"
        )
        barc = Instrument.objects.get(slug="barc-10", version=1)
        assessment = Assessment.objects.create(person=person, network=world.own_network, instrument=barc)
        world.recovery_capital = {"recovery-capital": {"id": assessment.pk}}
    return world.recovery_capital


def timebank_objects(world):
    """The member's time bank account in own_network, an exchange waiting for them and an offer by the
    giver (made once per world)."""
    from recoverynet.timebank.factories import MemberAccountFactory
    from recoverynet.timebank.models import Account, Category, Exchange, Post

    if not hasattr(world, "timebank"):
        account = Account.objects.create(
            network=world.own_network, kind=Account.Kind.MEMBER, user=world.users["member"]
        )
        giver = MemberAccountFactory(network=world.own_network)
        exchange = Exchange.objects.create(
            network=world.own_network,
            giver=giver,
            receiver=account,
            minutes=30,
            description="Lift",
            recorded_by=giver.user,
        )
        category, _ = Category.objects.get_or_create(slug="gardening", defaults={"name": "Gardening"})
        post = Post.objects.create(
            network=world.own_network, poster=giver, kind=Post.Kind.OFFER, category=category, title="Garden help"
        )
        world.timebank = {
            "timebank-accounts": {"id": account.pk},
            "timebank-exchanges": {"id": exchange.pk},
            "timebank-posts": {"id": post.pk},
        }
    return world.timebank


def runs(operation, world):
    """(path parameters, examples): generated ones (None) and, for detail operations, a real object."""
    if "{" not in operation.path:
        yield None, EXAMPLES
        return
    yield None, EXAMPLES_WITH_GENERATED_PATH
    resource, *rest = operation.path.removeprefix("/api/v1/").split("/")
    objects = real_objects(world)[resource]
    yield (objects[rest[0]] if resource == "volunteering" else objects), EXAMPLES


@pytest.mark.parametrize("role", ["anonymous", "network_coordinator"])
def test_every_operation_never_fails_and_matches_the_schema(world, api_schema, role):
    cookies, headers = session_cookies(world.users[role])
    # Someone waiting for approval, so decisions have something to decide.
    Membership.objects.filter(pk=world.own_membership.pk).update(status=Membership.Status.PENDING)

    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 92  # every method of every path (see test_api_schema.py)
    for operation in operations:
        for path_parameters, examples in runs(operation, world):
            for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
                run_schemathesis(
                    operation,
                    mode=mode,
                    path_parameters=path_parameters,
                    examples=examples,
                    checks=CHECKS,
                    cookies=cookies,
                    headers=headers,
                )


def test_the_signed_in_runs_really_are_signed_in(world, api_schema):
    """Guard against a silently anonymous "coordinator" run: the same cookies
    and header read a membership and can write."""
    cookies, headers = session_cookies(world.users["network_coordinator"])
    operation = api_schema["/api/v1/memberships/{id}/"]["GET"]
    case = operation.Case(path_parameters={"id": world.own_membership.pk})
    assert case.call(headers=headers, cookies=cookies).status_code == 200

    operation = api_schema["/api/v1/settlements/{slug}/"]["PATCH"]
    case = operation.Case(path_parameters={"slug": world.own_settlement.slug}, body={"town": "Keswick"})
    response = case.call(headers=headers, cookies=cookies)
    assert response.status_code == 200, response.text
    world.own_settlement.refresh_from_db()
    assert world.own_settlement.town == "Keswick"
