"""Messages that leave the box (SMS, letters), the ladder's steps, and each person's consent.

Every message is a record with its status: the statistics are computed from these rows, never kept
as counters beside them (as rdv-insertion does).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.models.sites import SiteOwned
from kiosk.platform.extensions import db
from kiosk.platform.timezone import utcnow


def _enum(enum_class, length=20):
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class Channel(enum.StrEnum):
    SMS = "sms"
    LETTER = "letter"
    NONE = "none"


class MessageStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its turn (next_try_at) or for the end of the quiet hours
    SENDING = "sending"  # claimed by a sender, committed before the gateway is called
    SENT = "sent"  # the gateway accepted it (a letter: made ready to print)
    FAILED = "failed"  # the last try failed; tried again at next_try_at, or given up when that is None
    CANCELLED = "cancelled"  # no longer to send (consent withdrawn, STOP, the person came back)


class Step(enum.StrEnum):
    """The ladder, in order; `reminder` is the day-before message, outside the ladder."""

    REMINDER = "reminder"
    NO_SHOW = "no_show"  # registered and did not come: the first signal
    WE_MISS_YOU = "we_miss_you"  # an SMS
    CALL = "call"  # a call task for the team (the call-back list)
    REFERENT = "referent"  # the referent alerted in their own view
    LETTER = "letter"  # a printable letter
    HANDED_BACK = "handed_back"  # handed back to the referrer: the ladder ends until they come again
    TEST = "test"  # "send me a test" from the settings page


class ContactPreference(SiteOwned, db.Model):
    """How a person agrees to be reached: SMS consent (when, by whom), preferred channel, language."""

    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), primary_key=True)
    sms_consent: Mapped[bool] = mapped_column(default=False)
    consent_at: Mapped[datetime | None]
    consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    consent_source: Mapped[str | None] = mapped_column(String(20))  # "page", "cli", "stop" (an SMS reply)
    channel: Mapped[Channel] = mapped_column(_enum(Channel), default=Channel.SMS)
    language: Mapped[str] = mapped_column(String(2), default="fr")

    participant = relationship("Participant")
    consent_by = relationship("User")


class LadderStep(SiteOwned, db.Model):
    """A step of the ladder reached by a person in one absence (an episode starts after their last
    visit, or their entry): at most one of each step per episode."""

    __table_args__ = (UniqueConstraint("participant_id", "episode", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    episode: Mapped[date]  # the last visit (or entry) before this absence
    step: Mapped[Step] = mapped_column(_enum(Step))
    missed: Mapped[int]  # workshops missed in a row when the step was reached
    reached_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    participant = relationship("Participant")


class OutboxMessage(SiteOwned, db.Model):
    """One message to one person. `dedup_key` makes the same message impossible to queue twice;
    `idempotency_key` is sent to the gateway, which keeps it as the message's id."""

    __table_args__ = (
        UniqueConstraint("participant_id", "dedup_key"),
        CheckConstraint("attempts >= 0", name="attempts"),
        Index("ix_outbox_message_due", "status", "next_try_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"), index=True)
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    step: Mapped[Step] = mapped_column(_enum(Step))
    ladder_step_id: Mapped[int | None] = mapped_column(ForeignKey("ladder_step.id"))
    dedup_key: Mapped[str] = mapped_column(String(80))
    idempotency_key: Mapped[str] = mapped_column(String(40), unique=True)
    recipient: Mapped[str | None] = mapped_column(String(20))  # E.164, for a test message only
    text: Mapped[str] = mapped_column(String(480))
    status: Mapped[MessageStatus] = mapped_column(_enum(MessageStatus), default=MessageStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_try_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    gateway: Mapped[str | None] = mapped_column(String(20))
    gateway_id: Mapped[str | None] = mapped_column(String(80))
    delivery_status: Mapped[str | None] = mapped_column(String(20))
    last_error: Mapped[str | None] = mapped_column(String(200))

    participant = relationship("Participant")
    ladder_step = relationship("LadderStep")


class PostalAddress(SiteOwned, db.Model):
    """A person's postal address: optional, asked only to send them letters (the privacy notice says
    so), seen only by coordinators, erased with the person's name when they are anonymised."""

    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), primary_key=True)
    lines: Mapped[str] = mapped_column(String(300))  # street, complement, postcode and town: one a line
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def line_list(self) -> list[str]:
        return [line.strip() for line in self.lines.splitlines() if line.strip()]


__all__ = ["Channel", "ContactPreference", "LadderStep", "MessageStatus", "OutboxMessage", "PostalAddress", "Step"]
