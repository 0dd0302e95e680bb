"""The coordinator's status page, the one-tap clock setting, and the devices' clock reports."""

from datetime import timedelta

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.auth.access import allow, current_device
from kiosk.platform.forms import EmptyForm
from kiosk.box.clock import set_clock_from_device
from kiosk.box.devices import BadDeviceTime, read_device_time, record_device_contact
from kiosk.box.status import box_status
from kiosk.models import DeviceKind, Role
from kiosk.platform.api import json_body
from kiosk.platform.clock import clock_state

bp = Blueprint("box", __name__)


@bp.get("/boite")
@allow(Role.COORDINATOR)
def status():
    """The box's health at a glance: version, uptime, clock, disk, backups, devices."""
    return render_template("box/status.html", s=box_status(), form=EmptyForm())


@bp.post("/boite/horloge")
@allow(Role.COORDINATOR)
def set_clock():
    """Set the box's clock to the coordinator's device's time (sent by the page's script)."""
    EmptyForm()
    try:
        device_time = read_device_time(float(request.form.get("device_time", "")))
    except (ValueError, BadDeviceTime):
        flash(_("L'heure de votre appareil n'a pas été reçue : réessayez (JavaScript doit être actif)."), "error")
        return redirect(url_for(".status"), code=303)
    set_clock_from_device(device_time)
    flash(_("La boîte est à l'heure de votre appareil."), "success")
    target = url_for("dashboard.today") if request.form.get("back") == "dashboard" else url_for(".status")
    return redirect(target, code=303)


@bp.post("/api/box/device-clock")
@allow(DeviceKind.KIOSK, DeviceKind.TABLET)
def device_clock():
    """An enrolled device says it is there and what its clock reads."""
    try:
        device_time = read_device_time(json_body().get("device_time"))
    except BadDeviceTime:
        abort(400, _("« device_time » doit être Date.now() de l'appareil, en millisecondes."))
    gap = record_device_contact(current_device().id, device_time)
    return jsonify(clock_gap_seconds=gap)


def clock_banner() -> dict:
    """For every page: whether to ask the coordinator to set the clock, and whether to report ours."""
    show = current_user.is_authenticated and current_user.role == Role.COORDINATOR and not clock_state().trusted
    return {"box_clock_suspect": show, "box_device_page": current_device() is not None}


def duration(value: timedelta | None) -> str:
    """« 3 j 4 h », « 5 h 12 min », « 40 min »."""
    if value is None:
        return "?"
    minutes = int(value.total_seconds() // 60)
    days, hours, minutes = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        return _("%(d)s j %(h)s h", d=days, h=hours)
    if hours:
        return _("%(h)s h %(m)s min", h=hours, m=minutes)
    return _("%(m)s min", m=minutes)


def byte_size(value: int | None) -> str:
    """« 12,3 Mo »: a size people read."""
    if value is None:
        return "?"
    for unit, size in ((_("Go"), 1 << 30), (_("Mo"), 1 << 20), (_("ko"), 1 << 10)):
        if value >= size:
            return f"{format_decimal(round(value / size, 1))} {unit}"
    return _("%(n)s octets", n=value)


def init_app(app) -> None:
    from kiosk.box import assets

    app.register_blueprint(bp)
    assets.init_app(app)
    app.context_processor(clock_banner)
    app.jinja_env.filters["box_duration"] = duration
    app.jinja_env.filters["box_bytes"] = byte_size
