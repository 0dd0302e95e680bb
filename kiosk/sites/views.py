"""The network's page: each centre's year and the network's sum, one click each, with the exports."""

from flask import Blueprint, render_template, request

from kiosk.auth.access import allow
from kiosk.models import Role
from kiosk.platform.numbers import ascii_int
from kiosk.platform.timezone import local_day
from kiosk.sites.services import all_sites

bp = Blueprint("sites", __name__)


@bp.get("/reseau")
@allow(Role.NETWORK)
def network():
    """The centres of the network and the year's report of each, and of all of them summed."""
    year = ascii_int(request.args.get("annee", "")) or local_day().year
    if not 2000 <= year <= 2100:
        year = local_day().year
    return render_template("sites/network.html", sites=all_sites(), year=year)
