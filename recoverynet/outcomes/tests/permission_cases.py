"""Who may read the outcomes: the federation coordinator every network's figures
and the federation's, a network coordinator their own network's, and the
commissioner (given access to `own_network`'s) that network's: its dashboard,
report and API, not the federation's page nor the savings assumptions."""

from recoverynet.testing.permissions import COORDINATOR_OF_NETWORK, FEDERATION_ONLY, Case, roles

READERS_OF_NETWORK = {**COORDINATOR_OF_NETWORK, "commissioner": (200, 403)}
API_COORDINATOR_OF_NETWORK = roles(
    403,
    anonymous=403,
    network_coordinator=(200, 403),
    federation_coordinator=200,
    admin=200,
    commissioner=(200, 403),
)

CASES = {
    "outcomes:federation": Case(FEDERATION_ONLY),
    "outcomes:network": Case(READERS_OF_NETWORK, obj="network"),
    "outcomes:report": Case(READERS_OF_NETWORK, obj="network", post=READERS_OF_NETWORK),
    "outcomes:savings": Case(FEDERATION_ONLY, obj="network"),
}

API_CASES = {
    "outcomes-detail": Case(API_COORDINATOR_OF_NETWORK, obj="network"),
}
