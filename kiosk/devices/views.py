"""Device enrolment: the one-time path printed by `kiosk device add`."""

from datetime import timedelta

from flask import Blueprint, abort, current_app, g, redirect, request, url_for

from kiosk.auth.access import PUBLIC, allow
from kiosk.devices.services import enrol_device
from kiosk.platform.unit_of_work import write_lock
from kiosk.models import DeviceKind

bp = Blueprint("devices", __name__)

SCREENS = {DeviceKind.KIOSK: "checkin.kiosk_screen", DeviceKind.TABLET: "epicerie.tablet"}


@bp.get("/enrol/<token>")
@allow(PUBLIC)
def enrol(token):
    """Give this browser its device cookie (once) and take it to its screen."""
    write_lock()  # a GET that writes
    enrolled = enrol_device(token)
    if enrolled is None:
        abort(404)
    device, cookie_token = enrolled
    return set_device_cookie(redirect(url_for(SCREENS[device.kind]), code=303), cookie_token)


def set_device_cookie(response, token: str):
    """The device's cookie, for DEVICE_COOKIE_DAYS from now."""
    response.set_cookie(
        current_app.config["DEVICE_COOKIE_NAME"],
        token,
        max_age=int(timedelta(days=current_app.config["DEVICE_COOKIE_DAYS"]).total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


@bp.after_app_request
def renew_device_cookie(response):
    """A device in use keeps its cookie: each answer to it renews the lifetime (an unused one lapses)."""
    if g.get("device") is not None and "Set-Cookie" not in response.headers:
        token = request.cookies.get(current_app.config["DEVICE_COOKIE_NAME"])
        if token:
            set_device_cookie(response, token)
    return response
