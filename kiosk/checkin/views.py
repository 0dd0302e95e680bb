"""The kiosk screen and the check-in API (issue 4)."""

from flask import Blueprint, render_template

from kiosk.auth.access import allow
from kiosk.models import DeviceKind, Role

bp = Blueprint("checkin", __name__)


@bp.get("/kiosk")
@allow(DeviceKind.KIOSK, Role.COORDINATOR)
def kiosk_screen():
    """The screen at the entrance."""
    return render_template("checkin/kiosk.html")
