"""`manage.py seed_demo` on an empty database: its guard against production. (Everything
about what it loads is in test_seed_demo.py, over one load shared by the module.)"""

import io

import pytest
from django.core.management import CommandError, call_command

from recoverynet.accounts.models import User


@pytest.mark.django_db
def test_it_refuses_to_run_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists()
