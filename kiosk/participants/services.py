"""Participants and their cards: adding, periods in the programme, issuing cards."""

from datetime import date

from kiosk.auth.services import find_or_create_referrer
from kiosk.extensions import db
from kiosk.models import Card, EpicerieAccess, Participant, ProgrammePeriod
from kiosk.participants.cards import code_digest, new_code, seal_code
from kiosk.timezone import local_day, utcnow


class ParticipantError(ValueError):
    """A participant that cannot be recorded as given; the message is for people."""


def _clean_name(value: str, label: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise ParticipantError(f"{label} manquant")
    if len(value) > 80:
        raise ParticipantError(f"{label} trop long (80 caractères au plus)")
    return value


def add_participant(
    first_name: str,
    last_name: str,
    referrer_name: str | None = None,
    structure: str | None = None,
    phone: str | None = None,
    household_size: int = 1,
    entered_on: date | None = None,
) -> Participant:
    """Create a participant with an open period in the programme (from today by default)."""
    if not 1 <= household_size <= 30:
        raise ParticipantError("personnes au foyer : entre 1 et 30")
    participant = Participant(phone=(phone or "").strip()[:30] or None, household_size=household_size)
    participant.set_names(_clean_name(first_name, "prénom"), _clean_name(last_name, "nom"))
    if referrer_name:
        participant.referrer = find_or_create_referrer(referrer_name, structure)
    participant.periods.append(ProgrammePeriod(entered_on=entered_on or local_day()))
    db.session.add(participant)
    db.session.flush()
    return participant


def issue_card(participant: Participant) -> tuple[Card, str]:
    """Give a participant a new working card; the previous one stops working."""
    now = utcnow()
    for card in participant.cards:
        if card.revoked_at is None:
            card.revoked_at = now
    db.session.flush()
    code = new_code()
    card = Card(
        participant=participant, code_digest=code_digest(code), code_sealed=seal_code(code), issued_at=now
    )
    db.session.add(card)
    db.session.flush()
    return card, code


def open_epicerie_access(participant: Participant, until: date, starts_on: date | None = None) -> EpicerieAccess:
    """Open a household's épicerie access from today (or starts_on) until a day."""
    starts_on = starts_on or local_day()
    if until < starts_on:
        raise ParticipantError("la fin de l'accès épicerie est avant son début")
    access = EpicerieAccess(participant=participant, starts_on=starts_on, ends_on=until)
    db.session.add(access)
    db.session.flush()
    return access
