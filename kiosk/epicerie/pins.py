"""The tablet's personal codes: a volunteer (or coordinator) says who serves with a short PIN.

A PIN is 4 to 6 digits, stored hashed. Five wrong tries in a row lock that person's PIN for a
quarter of an hour (audited); the right PIN then, or a new PIN set by the coordinator, unlocks it.
A PIN is set by the coordinator for anyone who serves, or by the person for themselves.
"""

from datetime import timedelta

from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from kiosk.audit import AuditAction, record_audit
from kiosk.models import Role, ServerPin, User
from kiosk.platform.extensions import db
from kiosk.platform.timezone import utcnow

MAX_FAILURES = 5
LOCK_MINUTES = 15
SERVING_ROLES = (Role.VOLUNTEER, Role.COORDINATOR)


class PinError(ValueError):
    """A PIN that cannot be set or was not accepted; the message is for people."""


def _too_easy(pin: str) -> bool:
    digits = [int(ch) for ch in pin]
    steps = {b - a for a, b in zip(digits, digits[1:])}
    return len(set(digits)) == 1 or steps in ({1}, {-1})


def set_pin(user: User, pin: str, by=None) -> None:
    """Give a person who serves a new PIN (4 to 6 digits, not 0000 nor 1234); unlocks it."""
    if user.role not in SERVING_ROLES or not user.active:
        raise PinError(_("Seuls les bénévoles et la coordination servent à l'épicerie."))
    if not isinstance(pin, str) or not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 6):
        raise PinError(_("Le code a de 4 à 6 chiffres."))
    if _too_easy(pin):
        raise PinError(_("Code trop facile à deviner (0000, 1234…) : choisissez-en un autre."))
    row = db.session.get(ServerPin, user.id) or ServerPin(user_id=user.id)
    row.pin_hash = generate_password_hash(pin)
    row.failures, row.locked_until, row.set_at = 0, None, utcnow()
    db.session.add(row)
    db.session.flush()
    record_audit(AuditAction.PIN_SET, "user", user.id, user=by)


def has_pin(user: User) -> bool:
    return db.session.get(ServerPin, user.id) is not None


def users_with_pin(user_ids) -> set[int]:
    """Which of these people have a PIN."""
    return set(db.session.scalars(db.select(ServerPin.user_id).where(ServerPin.user_id.in_(list(user_ids)))))


def check_pin(user: User, pin: str) -> None:
    """Accept the person's PIN, or raise PinError (wrong, none set, locked after too many tries)."""
    row = db.session.get(ServerPin, user.id)
    if row is None:
        raise PinError(_("Pas encore de code pour %(name)s : demandez-le à la coordination.", name=user.name))
    now = utcnow()
    if row.locked_until is not None and row.locked_until > now:
        raise PinError(_("Trop d'essais : ce code est bloqué un quart d'heure. La coordination peut en donner un nouveau."))
    if isinstance(pin, str) and len(pin) <= 6 and check_password_hash(row.pin_hash, pin):
        row.failures, row.locked_until = 0, None
        db.session.flush()
        return
    row.failures += 1
    if row.failures >= MAX_FAILURES:
        row.failures, row.locked_until = 0, now + timedelta(minutes=LOCK_MINUTES)
        record_audit(AuditAction.PIN_LOCKED, "user", user.id)
        db.session.flush()
        raise PinError(_("Trop d'essais : ce code est bloqué un quart d'heure. La coordination peut en donner un nouveau."))
    db.session.flush()
    raise PinError(_("Code incorrect. Réessayez."))
