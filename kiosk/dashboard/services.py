"""What the dashboard changes: follow-up calls and the call-back threshold. Flushes, never commits."""

from __future__ import annotations

from datetime import date, datetime

from kiosk.audit import AuditAction, record_audit
from kiosk.dashboard.forms import MAX_ABSENT_DAYS
from kiosk.platform.extensions import db
from kiosk.models import CallChannel, CallOutcome, DayNote, FollowUpCall, Participant, User
from kiosk.settings import set_setting
from kiosk.platform.timezone import utcnow


class FollowUpError(ValueError):
    """A call or a setting that cannot be recorded as given; the message is for people."""


def record_call(
    participant: Participant,
    caller: User | None,
    channel: CallChannel | str,
    outcome: CallOutcome | str,
    note: str | None = None,
    called_at: datetime | None = None,
) -> FollowUpCall:
    """Record an attempt to reach a participant who stopped coming (never an anonymised one)."""
    if participant.anonymised_at is not None:
        raise FollowUpError("cette personne est anonymisée")
    try:
        channel, outcome = CallChannel(channel), CallOutcome(outcome)
    except ValueError as exc:
        raise FollowUpError("moyen ou résultat d'appel inconnu") from exc
    note = " ".join((note or "").split()) or None
    if note and len(note) > 200:
        raise FollowUpError("note trop longue (200 caractères au plus)")
    call = FollowUpCall(
        participant_id=participant.id, caller_id=getattr(caller, "id", None), channel=channel,
        outcome=outcome, note=note, called_at=called_at or utcnow(),
    )
    db.session.add(call)
    db.session.flush()
    record_audit(AuditAction.CREATE, "follow_up_call", call.id, {"participant_id": participant.id}, user=caller)
    return call


def set_absent_days(days: int, by: User | None = None) -> None:
    """Change after how many missed workshop days someone appears in the call-back list."""
    if not isinstance(days, int) or not 1 <= days <= MAX_ABSENT_DAYS:
        raise FollowUpError(f"entre 1 et {MAX_ABSENT_DAYS} ateliers")
    set_setting("followup_absent_days", str(days))
    record_audit(AuditAction.UPDATE, "setting", None, {"key": "followup_absent_days"}, user=by)


def day_note(day: date) -> DayNote | None:
    """The coordinator's note for that day, if any."""
    return db.session.scalar(db.select(DayNote).where(DayNote.day == day))


def save_day_note(day: date, text: str | None, author: User | None) -> DayNote | None:
    """Write, change or (with an empty text) remove the note of a day; audited, as any change."""
    text = "\n".join(line.rstrip() for line in (text or "").strip().splitlines())
    note = day_note(day)
    if not text:
        if note is not None:
            record_audit(AuditAction.DELETE, "day_note", note.id)
            db.session.delete(note)
        return None
    if note is None:
        note = DayNote(day=day, text=text, updated_by=author)
        db.session.add(note)
        db.session.flush()
        record_audit(AuditAction.CREATE, "day_note", note.id)
    elif note.text != text:
        note.text, note.updated_by, note.updated_at = text, author, utcnow()
        record_audit(AuditAction.UPDATE, "day_note", note.id)
    return note
