"""Enrolled devices: a one-time enrolment path gives a browser a long-lived, revocable cookie."""

import secrets

from kiosk.audit import AuditAction, record_audit
from kiosk.platform.tokens import token_digest
from kiosk.platform.extensions import db
from kiosk.models import Device, DeviceKind
from kiosk.platform.timezone import utcnow
from kiosk.sites.scope import every_site


class DeviceError(ValueError):
    """A device that cannot be added or enrolled as asked."""


def add_device(name: str, kind: DeviceKind) -> tuple[Device, str]:
    """Create a device and return it with its one-time enrolment path."""
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise DeviceError("nom d'appareil invalide (80 caractères au plus)")
    with every_site():  # a device's name is unique on the server
        taken = db.session.scalar(db.select(Device.id).where(Device.name == name))
    if taken:
        raise DeviceError(f"l'appareil « {name} » existe déjà")
    token = secrets.token_urlsafe(24)
    device = Device(name=name, kind=kind, enrolment_digest=token_digest(token))
    db.session.add(device)
    db.session.flush()
    record_audit(AuditAction.CREATE, "device", device.id)
    return device, f"/enrol/{token}"


def reissue_enrolment(device: Device) -> str:
    """A new one-time enrolment path for a device not enrolled yet (the earlier one stops working)."""
    token = secrets.token_urlsafe(24)
    device.enrolment_digest = token_digest(token)
    return f"/enrol/{token}"


def enrol_device(token: str) -> tuple[Device, str] | None:
    """Use a one-time enrolment token: return the device and its new cookie token, or None."""
    if not token or len(token) > 128:
        return None
    with every_site():  # the one-time token tells the device, and so its site
        device = db.session.scalar(
            db.select(Device).where(
                Device.enrolment_digest == token_digest(token), Device.revoked_at.is_(None)
            )
        )
    if device is None:
        return None
    cookie_token = secrets.token_urlsafe(32)
    device.enrolment_digest = None
    device.token_digest = token_digest(cookie_token)
    device.enrolled_at = utcnow()
    return device, cookie_token


def revoke_device(device: Device) -> None:
    """Revoke a device: its cookie stops working at its next request."""
    device.revoked_at = utcnow()
    device.token_digest = None
    device.enrolment_digest = None
    record_audit(AuditAction.REVOKE, "device", device.id)
