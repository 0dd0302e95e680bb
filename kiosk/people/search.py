"""Finding a participant by name as people type it: any case, with or without accents, any order."""

from kiosk.models import Participant, active_participants_filter
from kiosk.platform.extensions import db
from kiosk.platform.text import search_key

MAX_WORDS = 4


def name_conditions(text: str) -> list:
    """SQL conditions: the participant's name contains every word typed (at most four)."""
    conditions = []
    for word in search_key(text).split()[:MAX_WORDS]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(Participant.search_name.like(f"%{escaped}%", escape="\\"))
    return conditions


def search_participants(text: str, limit: int = 20, active_only: bool = True, referrer_id: int | None = None):
    """Participants whose name contains every word typed, in alphabetical order."""
    query = db.select(Participant).where(Participant.anonymised_at.is_(None), *name_conditions(text))
    if active_only:
        query = query.where(active_participants_filter())
    if referrer_id is not None:
        query = query.where(Participant.referrer_id == referrer_id)
    query = query.order_by(Participant.last_name, Participant.first_name).limit(limit)
    return db.session.scalars(query).all()
