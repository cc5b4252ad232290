import pytest

from recoverynet.accounts.models import ConsentPurpose, ConsentRecord
from recoverynet.recoverycapital.models import Instrument
from recoverynet.recoverycapital.services import load_shipped_instruments


@pytest.fixture
def instruments(db):
    load_shipped_instruments()
    return {i.slug: i for i in Instrument.objects.all()}


@pytest.fixture
def barc(instruments):
    return instruments["barc-10"]


def give_consent(user, granted=True):
    ConsentRecord.objects.create(
        user=user, purpose=ConsentPurpose.OUTCOME_MEASUREMENT, granted=granted, wording_version="test"
    )


@pytest.fixture
def consenting_member(world):
    member = world.users["member"]
    give_consent(member)
    return member
