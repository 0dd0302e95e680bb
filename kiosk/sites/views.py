"""The network's pages: each centre's year and the network's sum, one click each, with the exports;
and the network's own settings (its name and logo, on the network's documents)."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kiosk.auth.access import allow, keeps_input_on_csrf_failure
from kiosk.centre.forms import LogoForm
from kiosk.centre.logo import LogoError
from kiosk.centre.services import (
    NETWORK_LOGO, current_logo, has_logo, network_name, network_title, remove_logo, replace_logo, set_network_name,
)
from kiosk.models import Role
from kiosk.platform.forms import EmptyForm
from kiosk.platform.numbers import ascii_int
from kiosk.platform.timezone import local_day
from kiosk.reports import NETWORK_FUNDERS
from kiosk.sites.forms import NetworkNameForm
from kiosk.sites.services import all_sites

bp = Blueprint("sites", __name__)


@bp.get("/reseau")
@allow(Role.NETWORK)
def network():
    """The centres of the network and the year's report of each, and of all of them summed."""
    year = ascii_int(request.args.get("annee", "")) or local_day().year
    if not 2000 <= year <= 2100:
        year = local_day().year
    sites = all_sites()
    return render_template("sites/network.html", sites=sites, year=year, title=network_title(len(sites)),
                           funders=NETWORK_FUNDERS)


def render_settings(form=None, logo_form=None, status=200):
    form = form or NetworkNameForm(formdata=None, name=network_name())
    return render_template("sites/settings.html", form=form, logo_form=logo_form or LogoForm(formdata=None),
                           remove_form=EmptyForm(), has_logo=has_logo(NETWORK_LOGO), title=network_title()), status


@bp.get("/reseau/reglages")
@allow(Role.NETWORK)
def settings():
    """The network's name and logo, on the network's documents (each centre keeps its own)."""
    return render_settings()


@bp.post("/reseau/reglages")
@allow(Role.NETWORK)
@keeps_input_on_csrf_failure
def update():
    """Save the network's name (empty: none)."""
    form = NetworkNameForm()
    if not form.validate_on_submit():
        return render_settings(form=form, status=422)
    try:
        set_network_name(form.name.data or "")
    except ValueError:
        form.name.errors = [_("Ce nom contient des caractères invisibles ; tapez-le à nouveau.")]
        return render_settings(form=form, status=422)
    flash(_("Nom du réseau enregistré."), "success")
    return redirect(url_for(".settings"), code=303)


@bp.post("/reseau/logo")
@allow(Role.NETWORK)
def upload_logo():
    """Replace the network's logo with a checked, re-drawn copy of the uploaded image."""
    form = LogoForm()
    try:
        replace_logo(form.uploaded_bytes(), NETWORK_LOGO)
    except LogoError as exc:  # refused before anything was written
        form.logo.errors = [str(exc)]
        return render_settings(logo_form=form, status=422)
    flash(_("Logo du réseau enregistré."), "success")
    return redirect(url_for(".settings"), code=303)


@bp.post("/reseau/logo/retirer")
@allow(Role.NETWORK)
def delete_logo():
    """Take the network's logo off the network's documents."""
    remove_logo(NETWORK_LOGO)
    flash(_("Logo du réseau retiré."), "success")
    return redirect(url_for(".settings"), code=303)


@bp.get("/reseau/logo.png")
@allow(Role.NETWORK)
def logo():
    """The network's logo (its settings page shows it)."""
    png = current_logo(NETWORK_LOGO)
    if png is None:
        abort(404)
    return Response(png, mimetype="image/png", headers={"Cache-Control": "no-cache"})
