"""Who may change the directory: the network's coordinators for its meetings,
locations and imports; an organisation's professionals for its services;
federation coordinators for fellowships, which every network shares."""

import rules

from recoverynet.federation.rules import (
    coordinates_network_of,
    is_federation_coordinator,
    works_for_organisation,
)

coordinator = is_federation_coordinator | coordinates_network_of


@rules.predicate
def works_for_service_organisation(user, service):
    return service is not None and works_for_organisation(user, service.organisation)


# obj is the network for "add_*" and "import", the object itself otherwise.
rules.add_perm("directory.add_meeting", coordinator)
rules.add_perm("directory.change_meeting", coordinator)
rules.add_perm("directory.add_location", coordinator)
rules.add_perm("directory.change_location", coordinator)
rules.add_perm("directory.import_feed", coordinator)
rules.add_perm("directory.export_directory", coordinator)
rules.add_perm("directory.review_changerequest", coordinator)
rules.add_perm("directory.add_service", coordinator)
rules.add_perm("directory.change_service", coordinator | works_for_service_organisation)
rules.add_perm("directory.manage_fellowships", is_federation_coordinator)
