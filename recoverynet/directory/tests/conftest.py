import pytest

# --- The public finder (test_finder*.py, test_public_*.py, test_ics.py, test_places.py) ---


@pytest.fixture
def places(db):
    """The bundled offline gazetteer, loaded as `manage.py load_places` loads it."""
    from recoverynet.directory.places import load_places

    load_places()


@pytest.fixture(autouse=True)
def _no_online_geocoder(settings):
    """The optional postcode geocoder is never called in tests (mock it where a test needs it)."""
    settings.POSTCODE_GEOCODER_URL = ""
