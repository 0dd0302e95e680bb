"""Everything the centre holds about one person, and its anonymisation (the statistics stay true)."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, delete, func, or_, select, text, update
from sqlalchemy.orm import selectinload

from kiosk.audit import AuditAction, record_audit
from kiosk.epicerie.access import end_access
from kiosk.platform.extensions import db
from kiosk.models import (
    AuditEvent,
    Basket,
    BasketLine,
    Card,
    CheckIn,
    Device,
    EpicerieAccess,
    ExitReason,
    FollowUpCall,
    OutboxMessage,
    Milestone,
    Participant,
    PostalAddress,
    ProgrammePeriod,
    SelfAssessment,
    Situation,
    User,
    WorkshopDay,
)
from kiosk.platform.timezone import local_day, utcnow

ANONYMOUS = "Anonyme"


class PrivacyError(ValueError):
    """A privacy action that cannot be done as asked; the message is for people."""


@dataclass
class ParticipantRecord:
    """What is held about one participant, gathered for the data page and the JSON file."""

    participant: Participant
    last_contact: date
    periods: list[ProgrammePeriod]
    cards: list[Card]
    checkins: list[CheckIn]
    baskets: list[Basket]
    followup_calls: list[FollowUpCall]
    epicerie_access: list[EpicerieAccess]
    milestones: list[Milestone]
    assessments: list[SelfAssessment]
    situations: list[Situation]
    audit: list[tuple[AuditEvent, User | None, Device | None]]


def last_contact(participant: Participant) -> date:
    """The centre's day of the latest sign of the person: check-in, basket, period, call, or creation."""
    pid = participant.id
    moments = db.session.execute(
        select(
            select(func.max(CheckIn.checked_in_at)).where(CheckIn.participant_id == pid).scalar_subquery(),
            select(func.max(Basket.served_at)).where(Basket.participant_id == pid).scalar_subquery(),
            select(func.max(FollowUpCall.called_at)).where(FollowUpCall.participant_id == pid).scalar_subquery(),
        )
    ).one()
    days = [local_day(participant.created_at)]
    days += [local_day(moment) for moment in moments if moment is not None]
    for period in participant.periods:
        days += [day for day in (period.entered_on, period.left_on) if day is not None]
    return max(days)


def participant_record(participant: Participant) -> ParticipantRecord:
    """Gather every row that is about this participant (card codes excepted: only their digest is kept)."""
    pid = participant.id
    checkins = db.session.scalars(
        select(CheckIn)
        .where(CheckIn.participant_id == pid)
        .options(selectinload(CheckIn.workshop_day).selectinload(WorkshopDay.activity))
        .order_by(CheckIn.checked_in_at)
    ).all()
    baskets = db.session.scalars(
        select(Basket)
        .where(Basket.participant_id == pid)
        .options(selectinload(Basket.lines).selectinload(BasketLine.category))
        .order_by(Basket.served_at)
    ).all()
    calls = db.session.scalars(
        select(FollowUpCall).where(FollowUpCall.participant_id == pid).order_by(FollowUpCall.called_at)
    ).all()
    accesses = db.session.scalars(
        select(EpicerieAccess).where(EpicerieAccess.participant_id == pid).order_by(EpicerieAccess.starts_on)
    ).all()
    milestones = db.session.scalars(
        select(Milestone).where(Milestone.participant_id == pid).options(selectinload(Milestone.kind))
        .order_by(Milestone.happened_on, Milestone.id)
    ).all()
    assessments = db.session.scalars(
        select(SelfAssessment).where(SelfAssessment.participant_id == pid).order_by(SelfAssessment.assessed_on)
    ).all()
    situations = db.session.scalars(
        select(Situation).where(Situation.participant_id == pid).order_by(Situation.recorded_on)
    ).all()
    audit = db.session.execute(
        select(AuditEvent, User, Device)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .outerjoin(Device, Device.id == AuditEvent.device_id)
        .where(or_(and_(AuditEvent.entity == "participant", AuditEvent.entity_id == pid),
                   *(and_(AuditEvent.entity == entity, AuditEvent.entity_id.in_([row.id for row in rows]))
                     for entity, rows in (("milestone", milestones), ("self_assessment", assessments),
                                          ("situation", situations)) if rows)))
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    return ParticipantRecord(
        participant=participant,
        last_contact=last_contact(participant),
        periods=list(participant.periods),
        cards=sorted(participant.cards, key=lambda card: card.issued_at),
        checkins=list(checkins),
        baskets=list(baskets),
        followup_calls=list(calls),
        epicerie_access=list(accesses),
        milestones=list(milestones),
        assessments=list(assessments),
        situations=list(situations),
        audit=[tuple(row) for row in audit],
    )


def _erase_freed_bytes() -> None:
    """On SQLite, overwrite the old names with zeros in the file rather than leave them in free space."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("PRAGMA secure_delete = ON"))


def anonymise_participant(participant: Participant, reason: str, left_on: date | None = None,
                          now: datetime | None = None) -> None:
    """Replace names with "Anonyme", clear the phone, the search key, the year of birth and the sex, revoke
    cards, drop call notes, the free text of milestones and the reasons given to pass an épicerie limit.

    Check-ins, baskets, periods and épicerie access stay linked to the anonymised row, so every
    count (days, years, referrers, household sizes) stays what it was. An open period is closed
    (on `left_on`, else today) so the person leaves the lists of who to call back.
    """
    if participant.anonymised_at is not None:
        raise PrivacyError("les données de cette personne sont déjà anonymisées")
    now = now or utcnow()
    today = local_day(now)
    _erase_freed_bytes()
    participant.first_name = ANONYMOUS
    participant.last_name = ANONYMOUS
    participant.search_name = ""
    participant.phone = None
    # Year of birth and sex, with the record of visits, could point back to the person in a small centre.
    participant.birth_year = None
    participant.sex = None
    participant.anonymised_at = now
    for card in participant.cards:
        if card.revoked_at is None:
            card.revoked_at = now
        card.code_sealed = ""  # the card cannot be printed again
    db.session.execute(
        update(FollowUpCall).where(FollowUpCall.participant_id == participant.id).values(note=None)
    )
    # The postal address (letters only) goes; messages keep their step and status, not their words.
    db.session.execute(delete(PostalAddress).where(PostalAddress.participant_id == participant.id))
    db.session.execute(update(OutboxMessage).where(OutboxMessage.participant_id == participant.id).values(text=""))
    # What came of an orientation is free text, like a call's note: it may name the person.
    db.session.execute(update(Milestone).where(Milestone.participant_id == participant.id).values(result=None))
    # So is a coordinator's reason to let a basket through a limit ("naissance", "hébergée en urgence"...).
    db.session.execute(update(Basket).where(Basket.participant_id == participant.id).values(override_reason=None))
    period = participant.open_period
    if period is not None:
        period.left_on = max(period.entered_on, left_on or today)
        period.exit_reason = ExitReason.OTHER
    end_access(participant, today)
    record_audit(AuditAction.ANONYMISE, "participant", participant.id, {"reason": reason})
    db.session.flush()
