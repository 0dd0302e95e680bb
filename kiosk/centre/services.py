"""The centre's identity: name, address, logo, data-protection contact (settings, flushed, never committed).

Each centre of a network has its own logo: the `centre_logo` row whose id is the site's id (a box
alone keeps its one logo, id 1, which is site 1's: nothing to move). The network's documents and pages
(read unscoped on a server with several centres) carry the network's own logo, the row id 0, or none;
and the network's name, a value of the server (`network_name`), heads them: "<name> — réseau de N centres".
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import ngettext

from kiosk.audit import AuditAction, record_audit
from kiosk.centre.logo import clean_logo
from kiosk.models import CentreLogo
from kiosk.platform.extensions import db
from kiosk.settings import get_server_value, get_setting, set_server_value, set_setting, settings_site
from kiosk.sites.scope import current_sites, every_site, site_ids

IDENTITY_KEYS = ("centre_name", "centre_address", "privacy_contact")
NETWORK_LOGO = 0  # the network's logo's id (a site's logo has the site's id)
NETWORK_NAME = "network_name"  # a server value: the network's name, "" or absent for none
NETWORK_NAME_MAX = 120


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


def is_network_view() -> bool:
    """Whether what is read now is the network's: unscoped (a network user's summed figures, `kiosk
    report` without --site) or scoped to no site (a visitor no site knows), on a server with several centres."""
    return current_sites() in (None, ()) and len(site_ids()) > 1


def network_name() -> str:
    return get_server_value(NETWORK_NAME) or ""


def network_title(count: int | None = None) -> str:
    """"<name> — réseau de N centres", or "Réseau de N centres" while the network has no name."""
    count = len(site_ids()) if count is None else count
    name = network_name()
    if name:
        return ngettext("%(name)s — réseau de %(num)d centre", "%(name)s — réseau de %(num)d centres", count,
                        name=name)
    return ngettext("Réseau de %(num)d centre", "Réseau de %(num)d centres", count)


def logo_id() -> int | None:
    """The id of the logo the current documents carry: the network's, or the site's (None: no site)."""
    return NETWORK_LOGO if is_network_view() else settings_site()


def current_logo(which: int | None = None) -> bytes | None:
    """The PNG of the current documents' logo (or of the one given), None when there is none."""
    which = logo_id() if which is None else which
    logo = db.session.get(CentreLogo, which) if which is not None else None
    return logo.png if logo is not None else None


def centre_identity(with_logo: bool = True) -> Identity:
    """The centre's identity as set on the settings page (defaults otherwise); on a server with several
    centres, read unscoped (the network's summed report, `kiosk report` without --site): the network's."""
    logo = current_logo() if with_logo else None
    if is_network_view():
        return Identity(network_title(), "", "", logo)
    return Identity(get_setting("centre_name"), get_setting("centre_address"), get_setting("privacy_contact"), logo)


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


def has_logo(which: int | None = None) -> bool:
    """Whether the current documents have a logo (the site's, or the network's: see `logo_id`), or that one."""
    which = logo_id() if which is None else which
    return which is not None and db.session.scalar(
        db.select(CentreLogo.id).where(CentreLogo.id == which)) is not None


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


def replace_logo(upload: bytes, which: int | None = None) -> None:
    """Check and re-draw an uploaded logo, then keep it as the current site's (or the one given:
    NETWORK_LOGO for the network's); LogoError when it is not a usable image."""
    png = clean_logo(upload)
    which = settings_site() if which is None else which
    if which is None:
        raise LookupError("no site to keep the logo for")
    logo = db.session.get(CentreLogo, which)
    if logo is None:
        db.session.add(CentreLogo(id=which, png=png))
    else:
        logo.png = png
    record_audit(AuditAction.UPDATE, "centre_logo", which)
    db.session.flush()


def remove_logo(which: int | None = None) -> None:
    """Take the current site's logo (or the one given) off its documents."""
    which = settings_site() if which is None else which
    logo = db.session.get(CentreLogo, which) if which is not None else None
    if logo is not None:
        db.session.delete(logo)
        record_audit(AuditAction.DELETE, "centre_logo", which)
        db.session.flush()


def set_network_name(name: str) -> bool:
    """Name the network (a value of the server, "" for none); audited as the network's. Returns whether it changed."""
    name = " ".join((name or "").split())
    if len(name) > NETWORK_NAME_MAX or not name.isprintable():
        raise ValueError(name)
    if name == network_name():
        return False
    set_server_value(NETWORK_NAME, name)
    event = record_audit(AuditAction.UPDATE, "server_setting", None, {"fields": [NETWORK_NAME]})
    event.site_id = None  # the network's, whoever sets it (a command on the server too)
    db.session.flush()
    return True
