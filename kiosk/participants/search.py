"""Finding a participant by name as people type it: any case, with or without accents, any order."""

import unicodedata

from kiosk.platform.extensions import db
from kiosk.models import Participant, active_participants_filter

MAX_WORDS = 4


def search_key(text: str) -> str:
    """'Maëlle LE GOFF' -> 'maelle le goff' (the form stored in Participant.search_name)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    # No accents, and no control characters (PostgreSQL refuses NUL in any query).
    plain = "".join(
        " " if ch.isspace() else ch
        for ch in decomposed
        if not unicodedata.combining(ch) and (ch.isprintable() or ch.isspace())
    )
    return " ".join(plain.casefold().replace("-", " ").replace("'", " ").split())


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
