"""Accounts and devices, for the coordinator: add, disable, enrol, revoke."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from kiosk.admin.forms import DeviceForm, PasswordForm, UserForm
from kiosk.auth.access import allow, keeps_input_on_csrf_failure
from kiosk.platform.forms import EmptyForm
from kiosk.auth.services import UserError, add_user, change_password, disable_user
from kiosk.devices.links import box_links
from kiosk.devices.services import DeviceError, add_device, revoke_device
from kiosk.platform.extensions import db
from kiosk.models import Device, DeviceKind, Role, User
from kiosk.cards.qr import qr_svg

bp = Blueprint("admin", __name__, url_prefix="/comptes")


def render_index(user_form=None, device_form=None, enrolment=None):
    users = db.session.scalars(db.select(User).order_by(User.active.desc(), User.role, User.username)).all()
    devices = db.session.scalars(db.select(Device).order_by(Device.revoked_at.is_not(None), Device.name)).all()
    return render_template(
        "admin/index.html", users=users, devices=devices, enrolment=enrolment,
        user_form=user_form or UserForm(prefix="user", formdata=None),
        device_form=device_form or DeviceForm(prefix="device", formdata=None),
        action_form=EmptyForm(), password_form=PasswordForm(formdata=None),
    )


@bp.get("/")
@allow(Role.COORDINATOR)
def index():
    """Accounts and devices."""
    return render_index()


@bp.post("/utilisateurs")
@allow(Role.COORDINATOR)
@keeps_input_on_csrf_failure
def create_user():
    """Create a login."""
    form = UserForm(prefix="user")
    if not form.validate_on_submit():
        return render_index(user_form=form), 422
    try:
        user = add_user(form.username.data, Role(form.role.data), form.password.data,
                        form.referrer.data or None, form.display_name.data or None)
    except UserError as exc:
        form.username.errors.append(str(exc))
        return render_index(user_form=form), 422
    flash(_("Compte « %(name)s » créé.", name=user.username), "success")
    return redirect(url_for(".index"), code=303)


@bp.post("/utilisateurs/<int:user_id>/desactiver")
@allow(Role.COORDINATOR)
def disable(user_id):
    """Disable a login; its sessions end at once."""
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        abort(400, _("Vous ne pouvez pas désactiver votre propre compte."))
    disable_user(user)
    flash(_("Compte « %(name)s » désactivé.", name=user.username), "success")
    return redirect(url_for(".index"), code=303)


@bp.post("/utilisateurs/<int:user_id>/mot-de-passe")
@allow(Role.COORDINATOR)
def reset_password(user_id):
    """Give a login a new password; its open sessions end."""
    user = db.get_or_404(User, user_id)
    form = PasswordForm()
    if not form.validate_on_submit():
        flash(_("Mot de passe refusé : 8 caractères au moins."), "error")
        return redirect(url_for(".index"), code=303)
    change_password(user, form.password.data)
    flash(_("Mot de passe de « %(name)s » changé.", name=user.username), "success")
    return redirect(url_for(".index"), code=303)


@bp.post("/appareils")
@allow(Role.COORDINATOR)
@keeps_input_on_csrf_failure
def create_device():
    """Create a device and show its one-time enrolment link."""
    form = DeviceForm(prefix="device")
    if not form.validate_on_submit():
        return render_index(device_form=form), 422
    try:
        device, path = add_device(form.name.data, DeviceKind(form.kind.data))
    except DeviceError as exc:
        form.name.errors.append(str(exc))
        return render_index(device_form=form), 422
    # Built from the box's own LAN address and .local name, never from the request's Host header.
    links = box_links().enrolment(path)
    link = links[0] if links else None
    qr = Markup(qr_svg(link, title=_("Code QR du lien d'enrôlement"))) if link else None
    return render_index(enrolment={"device": device, "link": link, "others": links[1:], "path": path, "qr": qr})


@bp.post("/appareils/<int:device_id>/revoquer")
@allow(Role.COORDINATOR)
def revoke(device_id):
    """Revoke a device: it loses access at its next request."""
    device = db.get_or_404(Device, device_id)
    revoke_device(device)
    flash(_("Appareil « %(name)s » révoqué.", name=device.name), "success")
    return redirect(url_for(".index"), code=303)
