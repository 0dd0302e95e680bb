"""People who share a name: found when importing, and told apart wherever names are listed.

Names are compared as the search key has them (case, accents and hyphens ignored), whatever the
referrer, people who left included; anonymised records have no name left to compare.
"""

from dataclasses import dataclass

from kiosk.cards.codes import unseal_code
from kiosk.models import Participant
from kiosk.platform.extensions import db
from kiosk.platform.text import search_key

CARD_TAIL = 4
CHUNK = 500


@dataclass(frozen=True)
class Namesake:
    """A recorded person with the same name, and what tells them apart."""

    participant_id: int
    first_name: str
    last_name: str
    referrer: str | None
    household_size: int
    active: bool
    card_tail: str | None


def card_tail(participant: Participant) -> str | None:
    """The last letters of the person's working card, as printed on it (None: no readable card)."""
    card = next((c for c in participant.cards if c.revoked_at is None), None)
    code = unseal_code(card.code_sealed) if card is not None else None
    return code[-CARD_TAIL:] if code else None


def namesake(participant: Participant) -> Namesake:
    """What tells this person apart from others of the same name."""
    referrer = participant.referrer.name if participant.referrer else None
    return Namesake(participant.id, participant.first_name, participant.last_name, referrer,
                    participant.household_size, participant.is_active, card_tail(participant))


def namesakes_of(names: list[tuple[str, str]]) -> dict[str, list[Namesake]]:
    """The recorded people for each (first name, last name) given, by search key."""
    keys = sorted({search_key(f"{last} {first}") for first, last in names})
    found: dict[str, list[Namesake]] = {}
    for start in range(0, len(keys), CHUNK):
        people = db.session.scalars(
            db.select(Participant).where(Participant.anonymised_at.is_(None),
                                         Participant.search_name.in_(keys[start:start + CHUNK]))
            .order_by(Participant.id)
        )
        for person in people:
            found.setdefault(person.search_name, []).append(namesake(person))
    return found


def shared_names(people) -> set[int]:
    """The ids of the people of a list whose name another person of the list also has."""
    counts: dict[str, int] = {}
    for person in people:
        counts[person.search_name] = counts.get(person.search_name, 0) + 1
    return {person.id for person in people if counts[person.search_name] > 1}
