"""The first time the épicerie is opened: a centre without categories gets the usual six.

Called by the tablet, the settings screen and GET /api/categories, so that a fresh box is usable
without any set-up.
"""

from kiosk.epicerie.categories import ensure_default_categories, has_categories
from kiosk.platform.unit_of_work import write_lock


def make_sure_categories_exist() -> None:
    """Create the default categories once, when the centre has none at all (a GET that writes)."""
    if has_categories():
        return
    write_lock()
    ensure_default_categories()
