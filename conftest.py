import pytest

from recoverynet.testing import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate limits and cached feeds never leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
