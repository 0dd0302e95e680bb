"""The tablet's personal codes: a volunteer (or coordinator) says who serves with a short PIN.

A PIN is 4 to 6 digits, stored hashed. Wrong tries are counted per person *and per place* (the
enrolled tablet, else the address): five in a row lock that person's PIN there for a quarter of an
hour (audited), so nobody can keep the coordinator's PIN locked on another tablet. The third lock
from one place blocks the PIN there until it is set again (a 4-digit PIN cannot be worn down
over days): by the coordinator for anyone, or by the person for themselves once logged in with
their password (so the coordinator can always unblock her own). Counting is one atomic UPDATE, so
concurrent tries are all counted.
"""

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from kiosk.audit import AuditAction, record_audit
from kiosk.models import PinTries, Role, ServerPin, User
from kiosk.platform.extensions import db
from kiosk.platform.timezone import utcnow

MAX_FAILURES = 5
LOCK_MINUTES = 15
MAX_LOCKS = 3  # the third lock from one place: blocked there until the PIN is set again
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
    db.session.execute(db.delete(PinTries).where(PinTries.user_id == user.id))  # unlocked everywhere
    db.session.flush()
    record_audit(AuditAction.PIN_SET, "user", user.id, user=by)


def has_pin(user: User) -> bool:
    return db.session.get(ServerPin, user.id) is not None


def users_with_pin(user_ids) -> set[int]:
    """Which of these people have a PIN."""
    return set(db.session.scalars(db.select(ServerPin.user_id).where(ServerPin.user_id.in_(list(user_ids)))))


def _tries(user: User, source: str) -> PinTries:
    """The row counting this person's wrong tries from this place (made once, even when racing)."""
    row = db.session.get(PinTries, (user.id, source))
    if row is None:
        try:
            with db.session.begin_nested():
                db.session.add(PinTries(user_id=user.id, source=source, failures=0, locks=0))
        except IntegrityError:
            pass  # a concurrent try made it
        row = db.session.get(PinTries, (user.id, source))
    return row


def _locked_message() -> str:
    return _("Trop d'essais : ce code est bloqué un quart d'heure. La coordination peut en donner un nouveau.")


def _blocked_message() -> str:
    return _("Trop d'essais sur cette tablette : ce code est bloqué jusqu'à ce que la coordination en donne "
             "un nouveau (ou que la personne le change, connectée avec son mot de passe).")


def check_pin(user: User, pin: str, source: str = "unknown") -> None:
    """Accept the person's PIN, or raise PinError (wrong, none set, locked after too many tries
    from this `source`: "device:<id>" or "address:<ip>")."""
    row = db.session.get(ServerPin, user.id)
    if row is None:
        raise PinError(_("Pas encore de code pour %(name)s : demandez-le à la coordination.", name=user.name))
    now = utcnow()
    tries = _tries(user, source)
    if tries.locks >= MAX_LOCKS:
        raise PinError(_blocked_message())
    if tries.locked_until is not None and tries.locked_until > now:
        raise PinError(_locked_message())
    if isinstance(pin, str) and len(pin) <= 6 and check_password_hash(row.pin_hash, pin):
        db.session.execute(update(PinTries).where(PinTries.user_id == user.id, PinTries.source == source)
                           .values(failures=0, locked_until=None))
        db.session.flush()
        return
    key = (PinTries.user_id == user.id, PinTries.source == source)
    db.session.execute(update(PinTries).where(*key).values(failures=PinTries.failures + 1)
                       .execution_options(synchronize_session=False))
    # Only one of racing tries turns the fifth failure into a lock (the condition holds for one).
    locked = db.session.execute(
        update(PinTries).where(*key, PinTries.failures >= MAX_FAILURES)
        .values(failures=0, locks=PinTries.locks + 1, locked_until=now + timedelta(minutes=LOCK_MINUTES))
        .execution_options(synchronize_session=False)).rowcount
    db.session.expire(tries)
    if locked:
        record_audit(AuditAction.PIN_LOCKED, "user", user.id, {"source": source.split(":")[0]})
        db.session.flush()
        raise PinError(_blocked_message() if tries.locks >= MAX_LOCKS else _locked_message())
    db.session.flush()
    raise PinError(_("Code incorrect. Réessayez."))
