"""Workshop days, their activities, check-ins, refused scans and follow-up calls."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.models.sites import SiteOwned
from kiosk.platform.extensions import db
from kiosk.platform.timezone import utcnow


def _enum(enum_class, length=20):
    return Enum(
        enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class CheckInSource(enum.StrEnum):
    CARD = "card"  # scanned at the kiosk (camera or scanner)
    HOST = "host"  # checked in by name by a volunteer or coordinator (forgotten card)


class RefusalReason(enum.StrEnum):
    UNKNOWN = "unknown"  # no card of ours
    REPLACED = "replaced"  # a newer card of the same person works
    REVOKED = "revoked"  # stopped, and no newer card
    EXITED = "exited"  # the person left the programme (their card stopped or not)
    ANONYMISED = "anonymised"  # the person's data was erased


class CallChannel(enum.StrEnum):
    CALL = "call"
    TEXT = "text"
    REFERRER = "referrer"
    OTHER = "other"


class CallOutcome(enum.StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    MESSAGE_LEFT = "message_left"
    WILL_COME = "will_come"
    NOT_COMING = "not_coming"
    OTHER = "other"


class Activity(SiteOwned, db.Model):
    """What a workshop day is about: cooking, stress management, makeover..."""

    __table_args__ = (UniqueConstraint("site_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    pictogram: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)


class WorkshopDay(SiteOwned, db.Model):
    """A session of the workshop: planned one by one (`planned`), or a day of the weekly pattern
    written down when something first happens on it (a scan, a registration, a cancellation)."""

    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity >= 1", name="capacity_positive"),
        UniqueConstraint("site_id", "day"),
        Index("ix_workshop_day_day", "day"),  # every site's days of a year (the network's report)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"), index=True)
    planned: Mapped[bool] = mapped_column(default=False, server_default=false())
    capacity: Mapped[int | None]
    room: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(String(200))
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(200))

    activity: Mapped[Activity | None] = relationship()
    checkins: Mapped[list[CheckIn]] = relationship(back_populates="workshop_day")
    registrations: Mapped[list[Registration]] = relationship(
        back_populates="workshop_day", cascade="all, delete-orphan", order_by="Registration.id"
    )


class Registration(SiteOwned, db.Model):
    """Someone expected at a session, or waiting for a place (first come, first moved up)."""

    __table_args__ = (UniqueConstraint("workshop_day_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_day_id: Mapped[int] = mapped_column(ForeignKey("workshop_day.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    waiting: Mapped[bool] = mapped_column(default=False)
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    workshop_day: Mapped[WorkshopDay] = relationship(back_populates="registrations")
    participant = relationship("Participant")


class CheckIn(SiteOwned, db.Model):
    """A participant present on a workshop day: one per participant per day, kept in the database."""

    __table_args__ = (
        UniqueConstraint("participant_id", "workshop_day_id"),
        # participant_id last: the year's reports read who came on each day from the index alone.
        Index("ix_check_in_day_time", "workshop_day_id", "checked_in_at", "participant_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique constraint's index starts with it and serves every lookup.
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    workshop_day_id: Mapped[int] = mapped_column(ForeignKey("workshop_day.id"))
    checked_in_at: Mapped[datetime]  # when the person arrived (kept from an offline kiosk)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    source: Mapped[CheckInSource] = mapped_column(_enum(CheckInSource))
    card_id: Mapped[int | None] = mapped_column(ForeignKey("card.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    workshop_day: Mapped[WorkshopDay] = relationship(back_populates="checkins")
    participant = relationship("Participant")
    recorded_by = relationship("User")


class RefusedScan(SiteOwned, db.Model):
    """A card the kiosk refused. No code is kept: only why, when, and the card if it was ours."""

    id: Mapped[int] = mapped_column(primary_key=True)
    scanned_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    reason: Mapped[RefusalReason] = mapped_column(_enum(RefusalReason))
    card_id: Mapped[int | None] = mapped_column(ForeignKey("card.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"))


class FollowUpCall(SiteOwned, db.Model):
    """An attempt to reach someone who stopped coming: when, who, how, and what came of it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    called_at: Mapped[datetime] = mapped_column(default=utcnow)
    caller_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    channel: Mapped[CallChannel] = mapped_column(_enum(CallChannel))
    outcome: Mapped[CallOutcome] = mapped_column(_enum(CallOutcome))
    note: Mapped[str | None] = mapped_column(String(200))

    participant = relationship("Participant")
    caller = relationship("User")


class DayNote(SiteOwned, db.Model):
    """The coordinator's note for a day (what happened, what to remember): one per date, editable,
    shown on the day view and its print."""

    __table_args__ = (UniqueConstraint("site_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    text: Mapped[str] = mapped_column(String(2000))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    updated_by = relationship("User")
