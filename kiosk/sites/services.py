"""Sites of the network: adding one, finding one by name."""

from sqlalchemy import func, select

from kiosk.audit import AuditAction, record_audit
from kiosk.models import Site
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from kiosk.settings import set_setting
from kiosk.sites.scope import every_site


class SiteError(ValueError):
    """A site that cannot be added or found as asked."""


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > 120 or not name.isprintable():
        raise SiteError("nom de centre invalide (1 à 120 caractères)")
    return name


def add_site(name: str) -> Site:
    """A new centre of the network (its people, devices and logins are added with --site NAME)."""
    name = clean_name(name)
    with every_site():
        if db.session.scalar(select(Site.id).where(func.lower(Site.name) == name.lower())):
            raise SiteError(f"le centre « {name} » existe déjà")
        site = Site(name=name)
        db.session.add(site)
        db.session.flush()
    # Its own settings start from the defaults, with its name on its documents and its stock from today.
    set_setting("centre_name", name, site.id)
    set_setting("stock_start", local_day().isoformat(), site.id)
    record_audit(AuditAction.CREATE, "site", site.id)
    return site


def find_site(name: str) -> Site:
    """The site of that name (its case aside); SiteError when there is none."""
    with every_site():
        site = db.session.scalar(select(Site).where(func.lower(Site.name) == " ".join(name.split()).lower()))
    if site is None:
        raise SiteError(f"aucun centre « {name} » (kiosk site add NOM pour l'ajouter)")
    return site


def all_sites() -> list[Site]:
    with every_site():
        return list(db.session.scalars(select(Site).order_by(Site.id)))
