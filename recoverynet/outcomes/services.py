"""The outcomes app's one state change: the savings assumptions, audited."""

from django.db import transaction

from recoverynet.core.audit import record
from recoverynet.core.models import AuditEntry
from recoverynet.core.services import create_instance, require, update_instance

from .models import SavingsAssumptions


def assumptions_for(network) -> SavingsAssumptions:
    """The network's assumptions, or unsaved defaults."""
    found = SavingsAssumptions.objects.filter(network=network).first()
    return found or SavingsAssumptions(network=network)


@transaction.atomic
def set_savings_assumptions(*, actor, network, data) -> SavingsAssumptions:
    require(actor, "outcomes.change_savings_assumptions", network)
    existing = SavingsAssumptions.objects.select_for_update().filter(network=network).first()
    if existing is None:
        return create_instance(actor=actor, instance=SavingsAssumptions(network=network, **data), network=network)
    update_instance(actor=actor, instance=existing, data=data, network=network)
    return existing


def record_report_download(*, actor, network, quarter, file_format) -> None:
    require(actor, "outcomes.view_network_outcomes", network)
    record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        instance=network,
        network=network,
        summary=f"Outcomes report {quarter.code} ({file_format.upper()})",
    )
