"""Who is serving at the tablet: the logged-in person, or the volunteer who said so with their PIN.

An enrolled tablet has no login of its own; at the start of a shift the volunteer on duty taps
their name and types their personal PIN, once for the session (not per basket). A coordinator's
name needs the coordinator's PIN like any other. Every basket records who served it.

What the tablet's session remembers expires: an identification holds on the day it was made, until
the shift ends (plus a few minutes for the offline queue to send what was confirmed before). The
offline queue's `X-Served-By` names who served a basket, never who may pass a limit: that right
comes only from the coordinator logged in, or on duty now on this tablet (`on_duty`).
"""

from datetime import datetime, timedelta

from flask import request, session
from flask_login import current_user

from kiosk.auth.access import current_device
from kiosk.epicerie.pins import SERVING_ROLES, check_pin
from kiosk.platform.extensions import db
from kiosk.platform.numbers import ascii_int
from kiosk.platform.timezone import local_day, utcnow
from kiosk.models import Role, User

SESSION_KEY = "epicerie_server_id"
# Who proved who they are on this tablet: [user id, identified at, ended at or None] (ISO UTC times),
# the 20 latest. An offline basket names one of them (X-Served-By).
IDENTIFIED_KEY = "epicerie_identified"
SERVER_HEADER = "X-Served-By"
MAX_IDENTIFIED = 20
# After a shift ends, baskets its volunteer confirmed while offline may still arrive for a while.
OUTBOX_GRACE = timedelta(minutes=10)


def servers_to_pick() -> list[User]:
    """The active volunteers (and coordinators, who serve too), by name."""
    users = db.session.scalars(
        db.select(User).where(User.active.is_(True), User.role.in_(SERVING_ROLES))
    ).all()
    return sorted(users, key=lambda user: (user.role != Role.VOLUNTEER, user.name.casefold()))


def serving_user(user_id) -> User | None:
    """The person of that id when they may serve at the épicerie, else None."""
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.active and user.role in SERVING_ROLES else None


def _moment(text) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _identifications() -> list[tuple[int, datetime, datetime | None]]:
    """This session's identifications still of today (older ones, or of another shape, are dropped)."""
    today = local_day()
    kept = []
    for entry in session.get(IDENTIFIED_KEY) or []:
        if not isinstance(entry, list | tuple) or len(entry) != 3:
            continue
        user_id, at, ended = entry[0], _moment(entry[1]), _moment(entry[2])
        if isinstance(user_id, int) and at is not None and local_day(at) == today \
                and (entry[2] is None or ended is not None):
            kept.append((user_id, at, ended))
    return kept


def _store(entries) -> None:
    entries = sorted(entries, key=lambda entry: entry[1])[-MAX_IDENTIFIED:]  # the latest, not the highest ids
    session[IDENTIFIED_KEY] = [[user_id, at.isoformat(), ended.isoformat() if ended else None]
                               for user_id, at, ended in entries]


def on_duty() -> User | None:
    """The person serving now: the logged-in user, else the one identified on this tablet today
    whose shift has not ended."""
    if current_user.is_authenticated:
        return current_user._get_current_object()
    user_id = session.get(SESSION_KEY)
    if not any(who == user_id and ended is None for who, _at, ended in _identifications()):
        return None  # identified another day (or before this version): the PIN again
    return serving_user(user_id)


def served_by_for_request() -> User | None:
    """Who served a basket being recorded: on a tablet, a basket kept while offline carries the
    volunteer who confirmed it (X-Served-By), so a change of shift meanwhile does not re-label it;
    only someone who identified with their PIN on this tablet today is believed, and not once their
    shift ended (beyond a short grace for the offline queue). Never a right to pass a limit."""
    if current_user.is_authenticated or current_device() is None:
        return on_duty()
    header = request.headers.get(SERVER_HEADER, "")
    user_id = ascii_int(header, max_digits=9)
    now = utcnow()
    believed = user_id is not None and any(
        who == user_id and (ended is None or now - ended <= OUTBOX_GRACE)
        for who, _at, ended in _identifications())
    if believed:
        user = serving_user(user_id)
        if user is not None:
            return user
    return on_duty()


def start_shift(user: User, pin: str) -> None:
    """Note who serves on this tablet once their PIN is right (PinError otherwise)."""
    device = current_device()
    check_pin(user, pin, f"device:{device.id}" if device is not None else f"address:{request.remote_addr}")
    now = utcnow()
    session[SESSION_KEY] = user.id
    # Whoever served before hands over: their identification ends now (the offline queue's grace aside).
    _store([(who, at, ended or now) for who, at, ended in _identifications() if who != user.id]
           + [(user.id, now, None)])


def end_shift() -> None:
    """Forget who was serving (the next volunteer gives their name and PIN); every identification
    on this tablet ends now (the offline queue's grace aside)."""
    session.pop(SESSION_KEY, None)
    now = utcnow()
    _store([(who, at, ended or now) for who, at, ended in _identifications()])
