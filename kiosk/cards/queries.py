"""Read-only queries about cards: who has one to print."""

from sqlalchemy import func
from sqlalchemy.orm import selectinload

from kiosk.models import Card, Participant, active_participants_filter
from kiosk.platform.extensions import db


def unprinted_query():
    """Active participants whose working card has not been printed yet."""
    return db.select(Participant).where(
        Participant.anonymised_at.is_(None),
        active_participants_filter(),
        Participant.id.in_(
            db.select(Card.participant_id).where(Card.revoked_at.is_(None), Card.printed_at.is_(None))
        ),
    )


def count_unprinted() -> int:
    return db.session.scalar(db.select(func.count()).select_from(unprinted_query().subquery()))


def unprinted_participants() -> list[Participant]:
    """Active participants with a card to print, their cards loaded with them (one query, not one each)."""
    query = unprinted_query().options(selectinload(Participant.cards))
    return list(db.session.scalars(query.order_by(Participant.search_name, Participant.id)).all())


def active_participants() -> list[Participant]:
    """Everyone in the programme now, in alphabetical order, their cards loaded with them (for printing)."""
    query = (
        db.select(Participant)
        .where(Participant.anonymised_at.is_(None), active_participants_filter())
        .options(selectinload(Participant.cards))
        .order_by(Participant.search_name, Participant.id)
    )
    return list(db.session.scalars(query).all())
