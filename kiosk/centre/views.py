"""The centre's settings page (coordinator): name, address, logo, data-protection contact."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from kiosk.auth.access import PUBLIC, allow, keeps_input_on_csrf_failure
from kiosk.platform.forms import EmptyForm
from kiosk.centre.forms import IdentityForm, LogoForm
from kiosk.centre.logo import LogoError
from kiosk.centre.services import centre_identity, current_logo, has_logo, remove_logo, replace_logo, update_identity
from kiosk.models import Role
from kiosk.outcomes.forms import KindForm
from kiosk.outcomes.labels import kind_label
from kiosk.outcomes.queries import milestone_kinds

bp = Blueprint("centre", __name__, url_prefix="/centre")


def render_settings(form=None, logo_form=None, status=200):
    identity = centre_identity(with_logo=False)
    form = form or IdentityForm(formdata=None, name=identity.name, address=identity.address,
                                privacy_contact=identity.privacy_contact)
    return render_template("centre/settings.html", form=form, logo_form=logo_form or LogoForm(formdata=None),
                           remove_form=EmptyForm(), has_logo=has_logo(), kind_form=KindForm(formdata=None),
                           kinds=[kind_label(k) for k in milestone_kinds()]), status


@bp.get("")
@allow(Role.COORDINATOR)
def settings():
    """The centre's identity, as the report, the cards, the notice and letters print it."""
    return render_settings()


@bp.post("")
@allow(Role.COORDINATOR)
@keeps_input_on_csrf_failure
def update():
    """Save the name, address and data-protection contact."""
    form = IdentityForm()
    if not form.validate_on_submit():
        return render_settings(form=form, status=422)
    update_identity(form.name.data, form.address.data or "", form.privacy_contact.data or "")
    flash(_("Identité du centre enregistrée."), "success")
    return redirect(url_for(".settings"), code=303)


@bp.post("/logo")
@allow(Role.COORDINATOR)
def upload_logo():
    """Replace the logo with a checked, re-drawn copy of the uploaded image."""
    form = LogoForm()
    try:
        replace_logo(form.uploaded_bytes())
    except LogoError as exc:  # refused before anything was written
        form.logo.errors = [str(exc)]
        return render_settings(logo_form=form, status=422)
    flash(_("Logo enregistré."), "success")
    return redirect(url_for(".settings"), code=303)


@bp.post("/logo/retirer")
@allow(Role.COORDINATOR)
def delete_logo():
    """Take the logo off every document."""
    remove_logo()
    flash(_("Logo retiré."), "success")
    return redirect(url_for(".settings"), code=303)


@bp.get("/logo.png")
@allow(PUBLIC)
def logo():
    """The logo of the site asking (public: the privacy notice shows it; it says nothing about anyone):
    a centre's own, or the network's for the network and a visitor no centre knows."""
    png = current_logo()
    if png is None:
        abort(404)
    return Response(png, mimetype="image/png", headers={"Cache-Control": "no-cache"})
