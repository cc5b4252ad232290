"""`manage.py run_daily` enqueues every app's declared daily task (core.registry.daily_tasks)."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from recoverynet.core.registry import daily_tasks

pytestmark = pytest.mark.django_db


def test_every_declared_daily_task_is_a_task_and_runs(world):
    declared = [(c.label, path) for c in apps.get_app_configs() for path in getattr(c, "daily_tasks", ())]
    assert {label for label, _ in declared} >= {"timebank", "recoverycapital", "volunteering", "initiatives"}
    found = daily_tasks()
    assert len(found) == len(declared)
    out = io.StringIO()
    call_command("run_daily", stdout=out)  # the test settings run tasks at once (ImmediateBackend)
    for label, task in found:
        assert f"{label}: enqueued {task.name}" in out.getvalue()
