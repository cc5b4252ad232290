"""Who reads the outcomes: a network's coordinators read its dashboard and report;
the federation coordinator reads every network's and the federation's, and sets
the savings assumptions. There is no commissioner role in the platform yet
(recoverynet.testing.ROLES): commissioners get the report from a coordinator."""

import rules

from recoverynet.federation.rules import coordinator, is_federation_coordinator

rules.add_perm("outcomes.view_federation_dashboard", is_federation_coordinator)
rules.add_perm("outcomes.view_network_outcomes", coordinator)  # obj: the network
rules.add_perm("outcomes.change_savings_assumptions", is_federation_coordinator)
