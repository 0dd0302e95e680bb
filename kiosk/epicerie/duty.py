"""Who is serving at the tablet: the logged-in person, or the volunteer who said so with their PIN.

An enrolled tablet has no login of its own; at the start of a shift the volunteer on duty taps
their name and types their personal PIN, once for the session (not per basket). A coordinator's
name needs the coordinator's PIN like any other. Every basket records who served it.
"""

from flask import request, session
from flask_login import current_user

from kiosk.auth.access import current_device
from kiosk.epicerie.pins import SERVING_ROLES, check_pin
from kiosk.platform.extensions import db
from kiosk.platform.numbers import ascii_int
from kiosk.models import Role, User

SESSION_KEY = "epicerie_server_id"
# Everyone who proved who they are on this tablet in this session: an offline basket names one of them.
IDENTIFIED_KEY = "epicerie_identified"
SERVER_HEADER = "X-Served-By"


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


def on_duty() -> User | None:
    """The person serving now: the logged-in user, else the one identified on this tablet."""
    if current_user.is_authenticated:
        return current_user._get_current_object()
    return serving_user(session.get(SESSION_KEY))


def served_by_for_request() -> User | None:
    """Who served a basket being recorded: on a tablet, a basket kept while offline carries the
    volunteer who confirmed it (X-Served-By), so a change of shift meanwhile does not re-label it;
    only someone who identified with their PIN on this tablet in this session is believed."""
    if current_user.is_authenticated or current_device() is None:
        return on_duty()
    header = request.headers.get(SERVER_HEADER, "")
    user_id = ascii_int(header, max_digits=9)
    if user_id is not None and user_id in session.get(IDENTIFIED_KEY, []):
        user = serving_user(user_id)
        if user is not None:
            return user
    return on_duty()


def start_shift(user: User, pin: str) -> None:
    """Note who serves on this tablet once their PIN is right (PinError otherwise)."""
    check_pin(user, pin)
    session[SESSION_KEY] = user.id
    session[IDENTIFIED_KEY] = sorted(set(session.get(IDENTIFIED_KEY, [])) | {user.id})[-20:]


def end_shift() -> None:
    """Forget who was serving (the next volunteer gives their name and PIN)."""
    session.pop(SESSION_KEY, None)
