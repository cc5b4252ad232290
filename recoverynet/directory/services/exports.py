"""Downloading the directory as CSV is an auditable act, like the audit log's export."""

from recoverynet.core import audit
from recoverynet.core.models import AuditEntry
from recoverynet.core.services import require

KINDS = {"meetings": "Meetings", "services": "Services"}


def record_directory_export(*, actor, kind: str, network=None, rows: int = 0) -> AuditEntry:
    """Check `actor` may export `network`'s directory (every network's, for a
    federation coordinator, when `network` is None) and record that they did."""
    if kind not in KINDS:
        raise ValueError(kind)
    require(actor, "directory.export_directory", network)
    where = network.name if network is not None else "every network"
    return audit.record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        network=network,
        summary=f"{KINDS[kind]} exported as CSV ({where}, {rows} rows)",
    )
