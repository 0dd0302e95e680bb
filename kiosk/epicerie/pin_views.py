"""Setting the tablet's personal codes: the person for themselves, or the coordinator for anyone."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.auth.access import allow
from kiosk.epicerie.duty import serving_user
from kiosk.epicerie.forms import PinForm, ServerPinForm
from kiosk.epicerie.pins import PinError, has_pin, set_pin
from kiosk.models import Role

bp = Blueprint("pins", __name__)


@bp.route("/epicerie/mon-code", methods=["GET", "POST"])
@allow(Role.VOLUNTEER, Role.COORDINATOR)
def my_pin():
    """A volunteer (logged in with their password) chooses their own code for the tablet."""
    form = PinForm()
    if form.validate_on_submit():
        try:
            set_pin(current_user, form.pin.data, by=current_user)
        except PinError as exc:
            form.pin.errors.append(str(exc))
        else:
            flash(_("Votre code pour la tablette est enregistré."), "success")
            return redirect(url_for("epicerie.tablet"), code=303)
    status = 422 if form.errors else 200
    return render_template("epicerie/my_pin.html", form=form, has_pin=has_pin(current_user)), status


@bp.post("/epicerie/codes")
@allow(Role.COORDINATOR)
def set_server_pin():
    """The coordinator gives a volunteer (or themselves) a new code; it also unlocks a blocked one."""
    form = ServerPinForm()
    user = serving_user(form.user_id.data)
    if user is None:
        flash(_("Choisissez une personne qui sert à l'épicerie."), "error")
    elif form.validate():
        try:
            set_pin(user, form.pin.data, by=current_user)
        except PinError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Code tablette enregistré pour %(name)s.", name=user.name), "success")
    else:
        flash(next(iter(form.errors.values()))[0], "error")
    return redirect(url_for("epicerie.settings", _anchor="codes"), code=303)
