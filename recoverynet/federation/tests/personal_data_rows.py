"""The federation's rows for the personal-data tests (recoverynet.testing.personal_data):
commissioner access held, given and ended. (Memberships and the federation's
coordinators are made by the test's own fixture.)"""

from recoverynet.accounts.factories import UserFactory
from recoverynet.federation.factories import CommissionerAccessFactory


def add(person, world):
    # Robin holds access, and (as a federation coordinator) gave and ended someone else's.
    CommissionerAccessFactory(user=person, network=world.own_network, granted_by=person)
    other = UserFactory()
    ended = CommissionerAccessFactory(user=other, network=None, granted_by=person, revoked_by=person)
    ended.revoked_at = ended.granted_at
    ended.save(update_fields=["revoked_at"])
