"""The audit trail: who did what to which record, never the personal values themselves."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.models.sites import SiteOwned
from kiosk.platform.extensions import db
from kiosk.platform.timezone import utcnow


class AuditEvent(SiteOwned, db.Model):
    """One thing done, in the site it concerns; NULL: the network's own (kiosk/audit.py, `audit_site`)."""

    __table_args__ = (
        Index("ix_audit_event_entity", "entity", "entity_id"),
        Index("ix_audit_event_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))  # "view", "create", "update", "cancel"...
    entity: Mapped[str] = mapped_column(String(40))  # "participant", "basket"...
    entity_id: Mapped[int | None]
    # Field names changed and, for amounts and quantities only, the values before.
    details: Mapped[dict | None] = mapped_column(JSON)


class Setting(SiteOwned, db.Model):
    """A centre's setting its coordinator can change (centre name, call-back threshold...): each site
    of a network has its own (kiosk/settings.py)."""

    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))


class ServerSetting(db.Model):
    """A value of the server itself, no site's: the retention run's lock row, the demo's mark."""

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))
