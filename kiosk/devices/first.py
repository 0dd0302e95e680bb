"""The first devices of the demo box: `make run` (`kiosk serve` on the demo's database) prints a
one-time enrolment link for a kiosk and a tablet while no device is in service yet, so a newcomer has
a way in without the command line. A centre's own database gets none made behind its back: its
coordinator adds devices from « Comptes et appareils » (link and QR code) or `kiosk device add`."""

from kiosk.devices.links import BoxLinks
from kiosk.devices.services import add_device, reissue_enrolment
from kiosk.models import Device, DeviceKind
from kiosk.settings import DEMO_MARK, get_server_value
from kiosk.platform.extensions import db

FIRST_DEVICES = (("Borne d'accueil", DeviceKind.KIOSK), ("Tablette de l'épicerie", DeviceKind.TABLET))


def first_device_links(links: BoxLinks) -> list[tuple[str, str]]:
    """[(device name, enrolment link)] for the first kiosk and tablet, or [] once any device is in
    service. A first device still waiting gets a fresh link (the one printed before is not kept)."""
    if get_server_value(DEMO_MARK) is None:
        return []
    in_service = db.session.scalar(
        db.select(Device.id).where(Device.enrolled_at.is_not(None), Device.revoked_at.is_(None)).limit(1)
    )
    if in_service:
        return []
    found = []
    for name, kind in FIRST_DEVICES:
        device = db.session.scalar(db.select(Device).where(Device.name == name))
        if device is None:
            device, path = add_device(name, kind)
        elif device.revoked_at is None and device.enrolled_at is None and device.kind == kind:
            path = reissue_enrolment(device)
        else:
            continue
        urls = links.enrolment(path)
        found.append((name, urls[0] if urls else path))
    return found
