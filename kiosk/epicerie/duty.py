"""Who is serving at the tablet: the logged-in person, or the volunteer who picked their name.

An enrolled tablet has no login of its own; at the start of a shift the volunteer on duty taps
their name, kept in this browser's session. Every basket records who served it.
"""

from flask import request, session
from flask_login import current_user

from kiosk.auth.access import current_device
from kiosk.platform.extensions import db
from kiosk.platform.numbers import ascii_int
from kiosk.models import Role, User

SESSION_KEY = "epicerie_server_id"
SERVER_HEADER = "X-Served-By"
SERVING_ROLES = (Role.VOLUNTEER, Role.COORDINATOR)


def servers_to_pick() -> list[User]:
    """The active volunteers (and coordinators, who serve too), by name."""
    users = db.session.scalars(
        db.select(User).where(User.active.is_(True), User.role.in_(SERVING_ROLES))
    ).all()
    return sorted(users, key=lambda user: (user.role != Role.VOLUNTEER, user.name.casefold()))


def _serving_user(user_id) -> User | None:
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.active and user.role in SERVING_ROLES else None


def on_duty() -> User | None:
    """The person serving now: the logged-in user, else the name picked on this tablet."""
    if current_user.is_authenticated:
        return current_user._get_current_object()
    return _serving_user(session.get(SESSION_KEY))


def served_by_for_request() -> User | None:
    """Who served a basket being recorded: on a tablet, a basket kept while offline carries the
    volunteer who confirmed it (X-Served-By), so a change of shift meanwhile does not re-label it."""
    if current_user.is_authenticated or current_device() is None:
        return on_duty()
    header = request.headers.get(SERVER_HEADER, "")
    if (user_id := ascii_int(header, max_digits=9)) is not None:
        user = _serving_user(user_id)
        if user is not None:
            return user
    return on_duty()


def start_shift(user_id) -> User | None:
    """Note who serves on this tablet; None when that person cannot serve."""
    user = _serving_user(user_id)
    if user is not None:
        session[SESSION_KEY] = user.id
    return user


def end_shift() -> None:
    """Forget who was serving (the next volunteer picks their name)."""
    session.pop(SESSION_KEY, None)
