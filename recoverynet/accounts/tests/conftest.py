import pytest

from recoverynet.accounts.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def person(db):
    """Someone with every optional detail filled in."""
    import datetime

    return UserFactory(
        display_name="Robin Pseudonym",
        email="robin@example.org",
        legal_name="Roberta Legalname",
        phone="07700 900982",
        date_of_birth=datetime.date(1980, 3, 27),
        self_descriptions=["in_recovery", "family"],
    )


@pytest.fixture
def someone_else(db):
    return UserFactory(
        display_name="Other Person",
        email="other.person@example.org",
        legal_name="Otto Otherlegal",
        phone="07700 900111",
    )
