"""Cards: the one that works, issuing a new one (the old stops working), printing."""

from flask_babel import gettext as _

from kiosk.audit import AuditAction, record_audit
from kiosk.cards.codes import code_digest, new_code, seal_code, unseal_code
from kiosk.models import Card, Participant
from kiosk.platform.extensions import db
from kiosk.platform.timezone import utcnow


class CardError(ValueError):
    """A card that cannot be printed as asked; the message is for people."""


def working_card(participant: Participant) -> Card | None:
    """The participant's card that works now, if any."""
    return next((card for card in participant.cards if card.revoked_at is None), None)


def new_card(participant: Participant) -> tuple[Card, str]:
    """A fresh card for someone who has no working card, added but not flushed; returns it and its code."""
    code = new_code()
    card = Card(participant=participant, code_digest=code_digest(code), code_sealed=seal_code(code), issued_at=utcnow())
    db.session.add(card)
    return card, code


def issue_card(participant: Participant) -> tuple[Card, str]:
    """Give a participant a new working card; the previous one stops working."""
    now = utcnow()
    for card in participant.cards:
        if card.revoked_at is None:
            card.revoked_at = now
    db.session.flush()  # the old card is revoked before the new one exists (one working card each)
    card, code = new_card(participant)
    db.session.flush()
    return card, code


def stop_cards(participant: Participant) -> bool:
    """Stop the participant's working card without making a new one (they left); True if one was stopped."""
    now = utcnow()
    stopped = False
    for card in participant.cards:
        if card.revoked_at is None:
            card.revoked_at = now
            stopped = True
    db.session.flush()
    return stopped


def replace_card(participant: Participant) -> tuple[Card, str]:
    """Replace a lost card: a new working card, the old one stops working at once (audited)."""
    card, code = issue_card(participant)
    record_audit(AuditAction.CARD_REPLACE, "participant", participant.id)
    return card, code


def card_code(participant: Participant, issue_if_needed: bool = True) -> tuple[Card, str]:
    """The working card and its code, for printing or showing.

    A participant without a working card gets one. A card whose sealed code cannot be read (the box's
    key changed) is replaced when it was never printed, since nobody carries it; otherwise refused.
    """
    card = working_card(participant)
    code = unseal_code(card.code_sealed) if card is not None else None
    if code is not None:
        return card, code
    if issue_if_needed and (card is None or card.printed_at is None):
        return issue_card(participant)
    raise CardError(_("La carte du participant n°%(id)s ne peut plus être relue : remplacez-la.", id=participant.id))


def mark_printed(cards: list[Card]) -> None:
    """Note that these cards went to the printer."""
    now = utcnow()
    for card in cards:
        card.printed_at = now
    db.session.flush()
