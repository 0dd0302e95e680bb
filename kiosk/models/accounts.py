"""Who may do what: users with a role, their server-side sessions, enrolled devices, login attempts."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from kiosk.models.sites import SiteOwned
from kiosk.platform.extensions import db
from kiosk.platform.timezone import utcnow


class Role(enum.StrEnum):
    COORDINATOR = "coordinator"
    VOLUNTEER = "volunteer"
    REFERENT = "referent"
    NETWORK = "network"  # every site's figures, no participant's name (CONTRACT.md, "Sites")


class DeviceKind(enum.StrEnum):
    KIOSK = "kiosk"
    TABLET = "tablet"


def _enum(enum_class):
    return Enum(enum_class, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class User(SiteOwned, UserMixin, db.Model):
    """A login: coordinator, volunteer or referent (a social worker tied to one referrer)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role))
    referrer_id: Mapped[int | None] = mapped_column(ForeignKey("referrer.id"))
    # Its site (None: a network user, who reads every site's figures and no one's name).
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    referrer = relationship("Referrer")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def name(self) -> str:
        return self.display_name or self.username

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class UserSession(db.Model):
    """A login session held on the server, so that logout or disabling a user ends it at once."""

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # digest of the session token
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class Device(SiteOwned, db.Model):
    """An enrolled kiosk or tablet: a long-lived, revocable cookie, given through a one-time path."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[DeviceKind] = mapped_column(_enum(DeviceKind))
    enrolment_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    enrolled_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # What its pages last reported (kiosk/box/devices.py): when, and its clock minus the box's.
    last_seen_at: Mapped[datetime | None]
    clock_gap_seconds: Mapped[int | None]


class LoginAttempt(db.Model):
    """Every login attempt, for the limit of CONTRACT.md and the security log."""

    __table_args__ = (Index("ix_login_attempt_username_at", "username", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
    succeeded: Mapped[bool]
    remote_addr: Mapped[str | None] = mapped_column(String(64))
