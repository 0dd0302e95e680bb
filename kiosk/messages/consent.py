"""A person's consent to SMS and preferred channel: recorded with when and by whom; withdrawn by a
"STOP" reply. Nothing is sent by SMS without consent (kiosk/messages/planning.py checks it again
when a message is queued, and the sender when it leaves)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.audit import AuditAction, record_audit
from kiosk.messages.outbox import cancel_open
from kiosk.models import Channel, ContactPreference, Participant
from kiosk.people.phone import is_mobile, normalise_phone
from kiosk.platform.extensions import db
from kiosk.platform.timezone import utcnow

LANGUAGES = ("fr", "en")
STOP_WORDS = frozenset({"stop", "arret", "arrêt", "stopp", "unsubscribe"})


class ConsentError(ValueError):
    """A preference that cannot be recorded as given; the message is for people."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def preference_of(participant: Participant) -> ContactPreference:
    """The person's preference row (a fresh one, not added, when none was recorded: no consent)."""
    found = db.session.get(ContactPreference, participant.id)
    return found or ContactPreference(participant_id=participant.id, sms_consent=False,
                                      channel=Channel.SMS, language="fr")


def set_preference(participant: Participant, sms_consent: bool, channel: Channel | str, language: str,
                   user=None, source: str = "page", now: datetime | None = None) -> ContactPreference:
    """Record consent (yes/no, when, by whom), channel and language; withdrawing cancels the SMS waiting."""
    channel = Channel(channel)
    if language not in LANGUAGES:
        raise ConsentError(_("Langue inconnue."), "language")
    if sms_consent and not participant.phone:
        raise ConsentError(_("Pour accepter les SMS, il faut d'abord un numéro de portable."), "sms_consent")
    if sms_consent:
        try:
            phone = normalise_phone(participant.phone)
        except ValueError as exc:
            raise ConsentError(str(exc), "sms_consent") from exc
        if not is_mobile(phone):
            raise ConsentError(_("Ce numéro n'est pas un portable (06 ou 07) : il ne reçoit pas de SMS."), "sms_consent")
    preference = preference_of(participant)
    if preference not in db.session:
        db.session.add(preference)
    changed = preference.sms_consent != sms_consent or preference.consent_at is None
    if changed:
        preference.sms_consent = sms_consent
        preference.consent_at = now or utcnow()
        preference.consent_by_id = getattr(user, "id", None)
        preference.consent_source = source
    preference.channel = channel
    preference.language = language
    db.session.flush()
    if not sms_consent:
        cancel_open(participant.id, Channel.SMS, "consentement retiré")
    if channel == Channel.NONE:
        cancel_open(participant.id, None, "plus aucun message souhaité")
    record_audit(AuditAction.CONSENT, "participant", participant.id,
                 {"sms_consent": sms_consent, "channel": channel.value, "language": language}, user=user)
    return preference


def is_stop(text: str) -> bool:
    """An SMS reply that asks to stop ("STOP", "Stop.", "arrêt")."""
    words = "".join(ch if ch.isalnum() else " " for ch in (text or "").casefold()).split()
    return bool(words) and words[0] in STOP_WORDS


def honour_stop(phone_text: str, now: datetime | None = None) -> list[int]:
    """Withdraw SMS consent from everyone with that number; returns their ids."""
    try:
        phone = normalise_phone(phone_text)
    except ValueError:
        return []
    ids = []
    for participant in db.session.scalars(select(Participant).where(Participant.phone.is_not(None))):
        try:
            same = normalise_phone(participant.phone) == phone
        except ValueError:
            same = False
        if same and preference_of(participant).sms_consent:
            set_preference(participant, False, preference_of(participant).channel,
                           preference_of(participant).language, source="stop", now=now)
            ids.append(participant.id)
    return ids
