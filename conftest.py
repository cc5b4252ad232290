import pytest

from recoverynet.core.testing import build_world


@pytest.fixture
def world(db):
    return build_world()
