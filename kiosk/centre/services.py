"""The centre's identity: name, address, logo, data-protection contact (settings, flushed, never committed)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import ngettext

from kiosk.audit import AuditAction, record_audit
from kiosk.centre.logo import clean_logo
from kiosk.models import CentreLogo
from kiosk.platform.extensions import db
from kiosk.settings import get_setting, set_setting
from kiosk.sites.scope import current_sites, every_site, site_ids

IDENTITY_KEYS = ("centre_name", "centre_address", "privacy_contact")


@dataclass(frozen=True)
class Identity:
    """What the report, the cards, the privacy notice and letters print about the centre."""

    name: str
    address: str
    privacy_contact: str
    logo_png: bytes | None

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]


def centre_identity(with_logo: bool = True) -> Identity:
    """The centre's identity as set on the settings page (defaults otherwise); on a server with several
    centres, read unscoped (the network's summed report, `kiosk report` without --site): the network's."""
    logo = db.session.get(CentreLogo, 1) if with_logo else None
    if current_sites() in (None, ()) and len(sites := site_ids()) > 1:  # () : a visitor no site knows
        return Identity(ngettext("Réseau de %(num)d centre", "Réseau de %(num)d centres", len(sites)), "", "",
                        logo.png if logo else None)
    return Identity(get_setting("centre_name"), get_setting("centre_address"), get_setting("privacy_contact"),
                    logo.png if logo else None)


@dataclass(frozen=True)
class CentreNotice:
    """One centre of a network as the public privacy notice lists it (never anyone's data)."""

    identity: Identity
    retention_years: int


def every_centre_notice() -> list[CentreNotice]:
    """Each centre's name, address, privacy contact and retention, in one query (the public notice of
    a server with several centres, read by someone no site knows)."""
    from kiosk.models import Setting, Site
    from kiosk.privacy.retention import bounded_years
    from kiosk.settings import DEFAULTS

    keys = (*IDENTITY_KEYS, "retention_years")
    with every_site():
        sites = db.session.execute(db.select(Site.id, Site.name).order_by(Site.id)).all()
        rows = db.session.execute(db.select(Setting.site_id, Setting.key, Setting.value)
                                  .where(Setting.key.in_(keys))).all()
    values = {(site_id, key): value for site_id, key, value in rows}
    notices = []
    for site_id, site_name in sites:
        name, address, contact, years = (values.get((site_id, key), DEFAULTS[key]) for key in keys)
        notices.append(CentreNotice(Identity(name or site_name, address, contact, None), bounded_years(years)))
    return notices


def has_logo() -> bool:
    return db.session.scalar(db.select(CentreLogo.id).where(CentreLogo.id == 1)) is not None


def update_identity(name: str, address: str, privacy_contact: str) -> list[str]:
    """Change the name, address and contact; audited by field name. Returns the fields changed."""
    changed = []
    for key, value in zip(IDENTITY_KEYS, (name.strip(), address.strip(), privacy_contact.strip())):
        if get_setting(key) != value:
            set_setting(key, value)
            changed.append(key)
    if changed:
        record_audit(AuditAction.UPDATE, "setting", None, {"fields": changed})
    return changed


def replace_logo(upload: bytes) -> None:
    """Check and re-draw an uploaded logo, then keep it (LogoError when it is not a usable image)."""
    png = clean_logo(upload)
    logo = db.session.get(CentreLogo, 1)
    if logo is None:
        db.session.add(CentreLogo(id=1, png=png))
    else:
        logo.png = png
    record_audit(AuditAction.UPDATE, "centre_logo", 1)
    db.session.flush()


def remove_logo() -> None:
    """Take the logo off every document."""
    logo = db.session.get(CentreLogo, 1)
    if logo is not None:
        db.session.delete(logo)
        record_audit(AuditAction.DELETE, "centre_logo", 1)
        db.session.flush()
