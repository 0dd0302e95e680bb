"""What the programme changes for a person: milestones, self-assessments, situations at entry and exit."""

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


class Sex(enum.StrEnum):
    FEMALE = "f"
    MALE = "m"
    UNSAID = "x"  # "non précisé": a choice of its own, not a missing answer


class Moment(enum.StrEnum):
    ENTRY = "entry"
    THREE_MONTHS = "three_months"
    EXIT = "exit"


class Employment(enum.StrEnum):
    EMPLOYED = "employed"
    JOB_SEEKER = "job_seeker"
    INACTIVE = "inactive"


class Resources(enum.StrEnum):
    WAGES = "wages"
    RSA = "rsa"
    UNEMPLOYMENT = "unemployment"
    AAH = "aah"
    OTHER = "other"
    NONE = "none"


AREAS = ("food", "social", "esteem", "money", "rights")  # the ANDES impact study's five areas


class MilestoneKind(db.Model):
    """A kind of step on a person's path; the centre may add its own."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=100)
    active: Mapped[bool] = mapped_column(default=True)
    asks_result: Mapped[bool] = mapped_column(default=False)  # an orientation: what came of it


class Milestone(SiteOwned, db.Model):
    """A dated step on a person's path (training started, job contract, Carte SORTIR...)."""

    __table_args__ = (Index("ix_milestone_participant_day", "participant_id", "happened_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    kind_id: Mapped[int] = mapped_column(ForeignKey("milestone_kind.id"), index=True)
    happened_on: Mapped[date]
    result: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    kind: Mapped[MilestoneKind] = relationship()
    participant = relationship("Participant")


def _score(name: str) -> CheckConstraint:
    return CheckConstraint(f"{name} IS NULL OR ({name} >= 1 AND {name} <= 4)", name=f"{name}_scale")


class SelfAssessment(SiteOwned, db.Model):
    """How the person rates five areas of their life (1 = bad, 4 = good), at entry, three months, exit."""

    __table_args__ = (UniqueConstraint("participant_id", "moment"), *(_score(area) for area in AREAS))

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    moment: Mapped[Moment] = mapped_column(_enum(Moment))
    assessed_on: Mapped[date]
    food: Mapped[int | None]
    social: Mapped[int | None]
    esteem: Mapped[int | None]
    money: Mapped[int | None]
    rights: Mapped[int | None]


class Situation(SiteOwned, db.Model):
    """Employment, training and resources at entry or at exit, as ESF+ funders ask."""

    __table_args__ = (UniqueConstraint("participant_id", "moment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    moment: Mapped[Moment] = mapped_column(_enum(Moment))
    recorded_on: Mapped[date]
    employment: Mapped[Employment | None] = mapped_column(_enum(Employment))
    in_training: Mapped[bool | None]
    resources: Mapped[Resources | None] = mapped_column(_enum(Resources))
