"""The épicerie tablet and the baskets API (issue 5)."""

from flask import Blueprint, render_template

from kiosk.auth.access import allow
from kiosk.models import DeviceKind, Role

bp = Blueprint("epicerie", __name__)


@bp.get("/tablet")
@allow(DeviceKind.TABLET, Role.VOLUNTEER, Role.COORDINATOR)
def tablet():
    """The volunteers' screen at the épicerie."""
    return render_template("epicerie/tablet.html")
