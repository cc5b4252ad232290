"""Who may read the outcomes. There is no commissioner role in the platform
(recoverynet.testing.ROLES): the federation coordinator reads every network's
figures and the federation's, a network coordinator their own network's."""

from recoverynet.testing.permissions import COORDINATOR_OF_NETWORK, FEDERATION_ONLY, Case, roles

API_COORDINATOR_OF_NETWORK = roles(
    403, anonymous=403, network_coordinator=(200, 403), federation_coordinator=200, admin=200
)

CASES = {
    "outcomes:federation": Case(FEDERATION_ONLY),
    "outcomes:network": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "outcomes:report": Case(COORDINATOR_OF_NETWORK, obj="network", post=COORDINATOR_OF_NETWORK),
    "outcomes:savings": Case(FEDERATION_ONLY, obj="network"),
}

API_CASES = {
    "outcomes-detail": Case(API_COORDINATOR_OF_NETWORK, obj="network"),
}
