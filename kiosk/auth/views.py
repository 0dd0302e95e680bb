"""Login and logout."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kiosk.auth.access import PUBLIC, allow, csrf_only_with_session, keeps_input_on_csrf_failure
from kiosk.auth.forms import LoginForm
from kiosk.platform.forms import EmptyForm
from kiosk.auth.services import TooManyAttempts, authenticate, end_session, start_session
from kiosk.platform.redirects import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
@keeps_input_on_csrf_failure
def login():
    """Show the login form; on success start a fresh session and go to the person's screen."""
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    try:
        user = authenticate(form.username.data, form.password.data, client_address())
    except TooManyAttempts:
        flash(_("Trop d'essais. Attendez un quart d'heure ou demandez à la coordination."), "error")
        return render_template("auth/login.html", form=form), 429
    if user is None:
        flash(_("Identifiant ou mot de passe incorrect."), "error")
        return render_template("auth/login.html", form=form), 401
    start_session(user)
    return redirect(safe_next(request.args.get("next")) or url_for("home.index"), code=303)


def client_address() -> str:
    """The address a login comes from: the box's own front server (on loopback) passes it on."""
    address = request.remote_addr or ""
    forwarded = request.headers.get("X-Forwarded-For", "")
    if address in ("127.0.0.1", "::1") and forwarded:
        return forwarded.split(",")[-1].strip()[:64]
    return address


@bp.post("/logout")
@allow(PUBLIC)
@csrf_only_with_session
def logout():
    """End the session on the server and go back to the login page."""
    EmptyForm()
    end_session()
    return redirect(url_for("auth.login"), code=303)
