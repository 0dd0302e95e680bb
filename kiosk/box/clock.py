"""Setting the box's clock from the coordinator's own device, in one tap (audited)."""

from datetime import datetime

from kiosk.audit import AuditAction, record_audit
from kiosk.platform import clock


def set_clock_from_device(device_time: datetime) -> str:
    """Put the box at the coordinator's device's time: the system clock when the service may,
    otherwise this boot's anchor. Returns "system" or "anchor"; adds the audit event."""
    before = clock.now()
    how = "system" if clock.set_system_clock(device_time) else "anchor"
    if how == "anchor":
        clock.anchor_clock(device_time)
    clock.latest_stored(fresh=True)
    record_audit(AuditAction.BOX_CLOCK_SET, "box", None, {"gap_seconds": round((device_time - before).total_seconds()),
                                                 "how": how})
    return how
