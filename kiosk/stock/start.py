"""Where the stock starts: the day from which arrivals, baskets, workshop use and losses count.

A box that served baskets before the stock was kept has no arrivals for them: counted from the
beginning, its stock would be hugely negative. The start is a setting (`stock_start`), stamped by
the migration on a box that already had baskets (the upgrade day), by `kiosk init-db` on a new box,
and moved by the coordinator's opening count (what is on the shelves on a day).
"""

from __future__ import annotations

from datetime import date

from kiosk.settings import get_setting, set_setting

KEY = "stock_start"


def stock_start() -> date | None:
    """The day the stock starts from, or None (everything counts)."""
    try:
        return date.fromisoformat(get_setting(KEY).strip())
    except ValueError:
        return None


def set_stock_start(day: date) -> None:
    set_setting(KEY, day.isoformat())


def stamp_stock_start(day: date) -> bool:
    """Set the start to `day` when none is set yet (a new box); True when it did."""
    if stock_start() is not None:
        return False
    set_stock_start(day)
    return True
