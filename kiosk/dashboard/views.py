"""The coordinator's dashboard and the referent's view (issue 6)."""

from flask import Blueprint, render_template

from kiosk.auth.access import allow
from kiosk.models import Role

bp = Blueprint("dashboard", __name__)


@bp.get("/dashboard")
@allow(Role.COORDINATOR)
def today():
    """The coordinator's view of the day."""
    return render_template("dashboard/today.html")


@bp.get("/referent")
@allow(Role.REFERENT)
def referent():
    """A social worker's view of the participants they referred."""
    return render_template("dashboard/referent.html")
