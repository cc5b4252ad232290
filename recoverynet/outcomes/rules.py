"""Who reads the outcomes: a network's coordinators read its dashboard and report;
the federation coordinator reads every network's and the federation's, and sets
the savings assumptions. Commissioners (federation.CommissionerAccess, given by
the federation coordinator) read the dashboards, reports and outcomes API of the
networks their access covers, or of the whole federation: aggregates only."""

import rules

from recoverynet.federation.rules import (
    commissions_federation,
    commissions_network_of,
    coordinator,
    is_federation_coordinator,
)

rules.add_perm("outcomes.view_federation_dashboard", is_federation_coordinator | commissions_federation)
rules.add_perm("outcomes.view_network_outcomes", coordinator | commissions_network_of)  # obj: the network
rules.add_perm("outcomes.change_savings_assumptions", is_federation_coordinator)
