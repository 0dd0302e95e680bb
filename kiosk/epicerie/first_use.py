"""The first time the épicerie is opened: a centre without categories gets the usual six.

Called at the boundary of a request (it commits), by the tablet, the settings screen and
GET /api/categories, so that a fresh box is usable without any set-up.
"""

from flask import g

from kiosk.epicerie.categories import ensure_default_categories, has_categories
from kiosk.platform.extensions import db


def make_sure_categories_exist() -> None:
    """Create the default categories once, when the centre has none at all."""
    if has_categories():
        return
    # A GET starts a read transaction; writing needs the lock from the start (see database.py).
    db.session.rollback()
    g.write_intent = True
    ensure_default_categories()
    db.session.commit()
