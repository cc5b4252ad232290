"""Schemathesis over the time bank's API operations only (the whole API runs in
core/tests/test_schemathesis.py): anonymous, as the member who holds the
account, and as their network's coordinator."""

import pytest
import schemathesis

from recoverynet.core.tests.test_schemathesis import CHECKS, EXAMPLES, session_cookies, timebank_objects
from recoverynet.testing import run_schemathesis

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_schema(wsgi_app):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)


@pytest.mark.parametrize("role", ["anonymous", "member", "network_coordinator"])
def test_the_time_bank_operations_never_fail_and_match_the_schema(world, api_schema, role):
    cookies, headers = session_cookies(world.users[role])
    objects = timebank_objects(world)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    ours = [operation for operation in operations if operation.path.startswith("/api/v1/timebank-")]
    assert len(ours) == 12
    for operation in ours:
        resource = operation.path.removeprefix("/api/v1/").split("/")[0]
        runs = [(None, EXAMPLES)] if "{" not in operation.path else [(None, 2), (objects[resource], EXAMPLES)]
        for path_parameters, examples in runs:
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
