"""Read-only queries for the privacy pages: the audit trail."""

from sqlalchemy import select

from kiosk.platform.extensions import db
from kiosk.models import AuditEvent, Device, User

PAGE_SIZE = 100


def audit_events(before_id: int | None = None, entity: str | None = None, entity_id: int | None = None,
                 limit: int = PAGE_SIZE, network_level: bool = False):
    """The latest audit events (newest first) with who did them: rows of (event, user, device);
    `network_level`: only the network's own (no site's)."""
    query = (
        select(AuditEvent, User, Device)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .outerjoin(Device, Device.id == AuditEvent.device_id)
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    if entity is not None:
        query = query.where(AuditEvent.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    if network_level:
        query = query.where(AuditEvent.site_id.is_(None))
    return db.session.execute(query).all()
