"""The front door: where each person lands, the health check, and the language switch."""

from flask import Blueprint, current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user

from kiosk.auth.access import PUBLIC, allow, current_device
from kiosk.platform.forms import EmptyForm
from kiosk.models import DeviceKind, Role
from kiosk.platform.redirects import safe_next

bp = Blueprint("home", __name__)

LANDING = {
    Role.COORDINATOR: "dashboard.today",
    Role.VOLUNTEER: "epicerie.tablet",
    Role.REFERENT: "dashboard.referent",
    Role.NETWORK: "sites.network",
}


@bp.get("/")
@allow(PUBLIC)
def index():
    """Send each person or device to their screen."""
    if current_user.is_authenticated:
        return redirect(url_for(LANDING[current_user.role]))
    device = current_device()
    if device is not None:
        return redirect(
            url_for("checkin.kiosk_screen" if device.kind == DeviceKind.KIOSK else "epicerie.tablet")
        )
    return redirect(url_for("auth.login"))


@bp.get("/healthz")
@allow(PUBLIC)
def healthz():
    """200 when the database answers and takes a write, 503 otherwise."""
    from kiosk.box.health import database_writable

    if not database_writable():
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")


@bp.post("/langue/<code>")
@allow(PUBLIC)
def set_language(code):
    """Switch the screen's language (French or English) and come back."""
    EmptyForm()
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.form.get("next")) or url_for("home.index"), code=303)


@bp.get("/api/openapi.json")
@allow(PUBLIC)
def openapi():
    """The OpenAPI 3 description of every /api/ route."""
    from kiosk.platform.api import openapi_document

    return jsonify(openapi_document())
