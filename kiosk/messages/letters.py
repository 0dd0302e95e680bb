"""Letters: one printable A4 page per person, laid out for a French DL window envelope (110 x 220 mm,
window 100 x 45 mm, 20 mm from the right and 15 mm from the bottom): folded in three, the top third
shows the recipient block through the window. The sender is the centre (kiosk/centre's identity);
the body names the person by first name only, in plain short words, in their language. A person
without a postal address gets the same letter to hand over, without an address block. The page itself is drawn in letter_pdf.py (reportlab is loaded only
when a letter is printed).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.messages.consent import preference_of
from kiosk.messages.outbox import enqueue, finish
from kiosk.models import Channel, MessageStatus, OutboxMessage, Participant, PostalAddress, Step
from kiosk.platform.extensions import db
from kiosk.platform.timezone import utcnow
from kiosk.programme.calendar import next_workshop_after, weekly_pattern


@dataclass
class Letter:
    first_name: str
    recipient: list[str]  # the address block (full name and address), empty when handed over
    language: str
    next_day: date | None
    starts: time


def letter_for(participant: Participant, today: date) -> Letter:
    """What one letter says: the person's first name, their address block if any, the next workshop."""
    address = db.session.get(PostalAddress, participant.id)
    block = []
    if address is not None and address.line_list:
        block = [f"{participant.first_name} {participant.last_name.upper()}", *address.line_list]
    upcoming = next_workshop_after(today)
    return Letter(participant.first_name, block, preference_of(participant).language,
                  upcoming.day if upcoming else None, weekly_pattern().starts)


def body(letter: Letter, centre: str, today: date) -> tuple[str, list[str], list[str]]:
    """(the date line, the paragraphs, the closing lines) in the person's language."""
    with force_locale(letter.language):
        dated = _("Le %(day)s", day=format_date(today, _("d MMMM y")))
        paragraphs = [
            _("Bonjour %(name)s,", name=letter.first_name),
            _("Nous ne vous avons pas vu aux ateliers depuis quelques semaines. Vous nous manquez."),
        ]
        if letter.next_day is not None:
            paragraphs.append(_("Le prochain atelier a lieu le %(day)s à %(time)s. Vous pouvez revenir quand vous "
                                "voulez, sans prévenir.", day=format_date(letter.next_day, _("EEEE d MMMM")),
                                time=letter.starts.strftime("%H:%M")))
        else:
            paragraphs.append(_("Vous pouvez revenir quand vous voulez, sans prévenir."))
        paragraphs.append(_("Si quelque chose vous empêche de venir, passez nous voir ou appelez-nous : "
                            "nous cherchons ensemble une solution."))
        closing = [_("À bientôt,"), _("L'équipe de %(centre)s", centre=centre) if centre else _("L'équipe")]
        return dated, paragraphs, closing


def prepare_letter(participant: Participant, now: datetime) -> OutboxMessage:
    """A letter asked for on the person's page (they prefer paper): on their follow-up log, ready to print."""
    message = enqueue(participant, Step.LETTER, Channel.LETTER, f"letter:asked:{uuid.uuid4().hex[:12]}", "")
    finish(message, now, "print", None, None)
    return message


def letters_between(since: datetime) -> list[OutboxMessage]:
    """The letters made ready since a moment, newest first (the letters page)."""
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.channel == Channel.LETTER, OutboxMessage.status == MessageStatus.SENT,
                                    OutboxMessage.sent_at >= since, OutboxMessage.participant_id.is_not(None))
        .order_by(OutboxMessage.sent_at.desc(), OutboxMessage.id.desc())))


def set_postal_address(participant: Participant, text: str) -> PostalAddress | None:
    """Keep the person's postal address (for letters only), or erase it when blank; ValueError with a
    French message when it would not fit the envelope's window (5 lines of 38 characters at most)."""
    lines = [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]
    address = db.session.get(PostalAddress, participant.id)
    if not lines:
        if address is not None:
            db.session.delete(address)
            db.session.flush()
        return None
    if len(lines) > 5:
        raise ValueError(_("Une adresse tient en 5 lignes au plus (rue, complément, code postal et ville)."))
    if any(len(line) > 38 for line in lines):
        raise ValueError(_("Chaque ligne de l'adresse tient en 38 caractères au plus."))
    if address is None:
        address = PostalAddress(participant_id=participant.id, lines="")
        db.session.add(address)
    address.lines = "\n".join(lines)
    address.updated_at = utcnow()
    db.session.flush()
    return address
