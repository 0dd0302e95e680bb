"""The people in the programme: referrers, participants, their periods, and their cards."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.models.sites import SiteOwned
from kiosk.platform.extensions import db
from kiosk.platform.text import search_key
from kiosk.platform.timezone import utcnow


class ExitReason(enum.StrEnum):
    WORK = "work"
    TRAINING = "training"
    MOVED = "moved"
    NOT_INTERESTED = "not_interested"
    OTHER = "other"


class Referrer(db.Model):
    """The social worker who referred people, and their structure (CDAS, CCAS, association)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    structure: Mapped[str | None] = mapped_column(String(120))

    participants: Mapped[list[Participant]] = relationship(back_populates="referrer")


class Participant(SiteOwned, db.Model):
    """An adult in the programme. Only what the centre needs: no birth date (a year at most), no address."""

    __table_args__ = (
        CheckConstraint("household_size >= 1 AND household_size <= 30", name="household_size"),
        CheckConstraint("birth_year IS NULL OR (birth_year >= 1900 AND birth_year <= 2100)", name="birth_year"),
        CheckConstraint("adults IS NULL OR (adults >= 1 AND adults <= 30)", name="adults"),
        CheckConstraint("children IS NULL OR (children >= 0 AND children <= 30)", name="children"),
        Index("ix_participant_names", "last_name", "first_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(30))
    # "benali fatima": lower case, no accents, for instant search (kept by set_names).
    search_name: Mapped[str] = mapped_column(String(170), default="", index=True)
    household_size: Mapped[int] = mapped_column(default=1)
    referrer_id: Mapped[int | None] = mapped_column(ForeignKey("referrer.id"), index=True)
    # Optional, for the funders' figures only (see the privacy notice): age band, sex, household.
    birth_year: Mapped[int | None]
    sex: Mapped[str | None] = mapped_column(String(1))  # kiosk.models.outcomes.Sex
    adults: Mapped[int | None]
    children: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the record is anonymised (erasure or retention): names are replaced, stats stay.
    anonymised_at: Mapped[datetime | None]

    referrer: Mapped[Referrer | None] = relationship(back_populates="participants")
    periods: Mapped[list[ProgrammePeriod]] = relationship(
        back_populates="participant", order_by="ProgrammePeriod.entered_on"
    )
    cards: Mapped[list[Card]] = relationship(back_populates="participant")

    def set_names(self, first_name: str, last_name: str) -> None:
        """Set the names and the search key that goes with them."""
        self.first_name = first_name
        self.last_name = last_name
        self.search_name = search_key(f"{last_name} {first_name}")

    @property
    def open_period(self) -> ProgrammePeriod | None:
        return next((p for p in self.periods if p.left_on is None), None)

    @property
    def is_active(self) -> bool:
        return self.open_period is not None

    @property
    def initial(self) -> str:
        return (self.last_name[:1] + ".") if self.last_name else ""


class ProgrammePeriod(SiteOwned, db.Model):
    """One stay in the programme: entered on a day, maybe left on another with a reason."""

    __table_args__ = (
        CheckConstraint("left_on IS NULL OR left_on >= entered_on", name="left_after_entered"),
        CheckConstraint(
            "(left_on IS NULL AND exit_reason IS NULL) OR (left_on IS NOT NULL AND exit_reason IS NOT NULL)",
            name="exit_reason_with_left_on",
        ),
        # At most one open period per participant.
        Index(
            "uq_programme_period_open",
            "participant_id",
            unique=True,
            sqlite_where=text("left_on IS NULL"),
            postgresql_where=text("left_on IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    entered_on: Mapped[date]
    left_on: Mapped[date | None]
    exit_reason: Mapped[ExitReason | None] = mapped_column(
        Enum(ExitReason, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )

    participant: Mapped[Participant] = relationship(back_populates="periods")


class Card(SiteOwned, db.Model):
    """A QR card. The code is random and opaque; only its digest is looked up.

    The code itself is kept sealed (encrypted with a key derived from the box's secret) so that
    a card can be printed again; a copy of the database alone does not reveal working codes.
    """

    __table_args__ = (
        Index(
            "uq_card_working",
            "participant_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    code_digest: Mapped[str] = mapped_column(String(64), unique=True)
    code_sealed: Mapped[str] = mapped_column(String(255))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    printed_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    participant: Mapped[Participant] = relationship(back_populates="cards")

    @property
    def is_working(self) -> bool:
        return self.revoked_at is None


def active_participants_filter():
    """A SQL condition: the participant has an open period."""
    return Participant.id.in_(
        db.select(ProgrammePeriod.participant_id).where(ProgrammePeriod.left_on.is_(None))
    )


__all__ = [
    "ExitReason",
    "Referrer",
    "Participant",
    "ProgrammePeriod",
    "Card",
    "active_participants_filter",

]
