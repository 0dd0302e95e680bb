"""Which site a request or a command reads and writes: decided here, and only here.

Every ORM statement run through a session (SELECT, including `session.get` and relationship loads,
and ORM-enabled UPDATE and DELETE) gets `site_id IN (the current sites)` for every site-owned model
it touches (a `do_orm_execute` listener adding `with_loader_criteria`), and every new site-owned
row gets the current site when it is flushed. So a new route cannot forget the site: what it does
not ask for, it does not see.

The scope lives in the session's `info`:
- `sites`: the ids of the sites it reads (a tuple), or None: every site (the network's user, a
  command summing the network, the moments before the request knows who it is: the login check,
  the loading of the logged-in user or the enrolled device);
- `home`: the site new rows get (None: the first site, the box alone).

A request is scoped after the guard knows who asks (`scope_request`, a `before_request` hook):
a user's site (a referent: their sites), an enrolled device's site, every site for a network
user; a request without credentials reads the first site while it is the only one, and nothing
site-owned otherwise. Core statements built on tables (`Model.__table__`, the check-in's hot
path) are not ORM statements: they name the site themselves with `current_site()`.
"""

from contextlib import contextmanager

from sqlalchemy import event, select
from sqlalchemy.orm import Session, with_loader_criteria

from kiosk.models.sites import FIRST_SITE_ID, Site, SiteOwned
from kiosk.platform.extensions import db

SITES, HOME = "sites", "home"
EVERY_SITE = None


def set_scope(sites: tuple[int, ...] | None, home: int | None) -> None:
    """Read `sites` (None: every site) and write new rows into `home` from now on, in this session."""
    info = db.session.info
    info[SITES] = tuple(sites) if sites is not None else None
    info[HOME] = home


def clear_scope() -> None:
    db.session.info.pop(SITES, None)
    db.session.info.pop(HOME, None)


def current_site() -> int:
    """The site new rows get (the first site while nothing else is said)."""
    return db.session.info.get(HOME) or FIRST_SITE_ID


def current_sites() -> tuple[int, ...] | None:
    """The sites read now (None: every site)."""
    return db.session.info.get(SITES)


@contextmanager
def every_site():
    """Read every site for a moment (a login's username, the network's figures), then as before."""
    info = db.session.info
    before = info.get(SITES, EVERY_SITE), info.get(HOME)
    info[SITES] = EVERY_SITE
    try:
        yield
    finally:
        info[SITES], info[HOME] = before


@contextmanager
def scoped_to(site_id: int):
    """Read and write one site for a moment (a command serving each site in turn)."""
    info = db.session.info
    before = info.get(SITES, EVERY_SITE), info.get(HOME)
    set_scope((site_id,), site_id)
    try:
        yield
    finally:
        info[SITES], info[HOME] = before


def site_ids() -> list[int]:
    with every_site():
        return list(db.session.scalars(select(Site.id).order_by(Site.id)))


@event.listens_for(Session, "do_orm_execute")
def _limit_to_current_sites(state) -> None:
    sites = state.session.info.get(SITES)
    if sites is None or state.is_column_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if len(sites) == 1:
        site = sites[0]
        criteria = with_loader_criteria(SiteOwned, lambda cls: cls.site_id == site, include_aliases=True)
    else:
        criteria = with_loader_criteria(SiteOwned, lambda cls: cls.site_id.in_(sites), include_aliases=True)
    state.statement = state.statement.options(criteria)


@event.listens_for(Session, "before_flush")
def _new_rows_get_the_current_site(session, _context, _instances) -> None:
    home = session.info.get(HOME) or FIRST_SITE_ID
    for row in session.new:
        if isinstance(row, SiteOwned) and row.site_id is None and not _belongs_to_no_site(row):
            row.site_id = home


def _belongs_to_no_site(row) -> bool:
    """A network user, and an audit event (it names its own site, None for the network's: kiosk/audit.py)."""
    from kiosk.models.accounts import Role, User
    from kiosk.models.audit import AuditEvent

    return isinstance(row, AuditEvent) or isinstance(row, User) and row.role == Role.NETWORK


def scope_request() -> None:
    """After the guard: scope this request to who asks (see the module's docstring)."""
    from flask import request
    from flask_login import current_user

    from kiosk.platform.numbers import ascii_int

    from kiosk.auth.access import current_device
    from kiosk.models.accounts import Role

    if request.endpoint == "static":
        set_scope((), None)  # a static file reads nothing
        return
    if current_user.is_authenticated:
        if current_user.role == Role.NETWORK:  # every site summed, or the one asked (?site=ID)
            asked = ascii_int(request.args.get("site", ""))
            set_scope((asked,) if asked else EVERY_SITE, None)
        else:
            set_scope(user_sites(current_user), current_user.site_id)
        return
    device = current_device()
    if device is not None:
        set_scope((device.site_id,), device.site_id)
        return
    ids = site_ids()
    set_scope((FIRST_SITE_ID,) if ids == [FIRST_SITE_ID] else (), None)


def user_sites(user) -> tuple[int, ...]:
    """The sites a user reads: their own (a referent: every site they were given)."""
    from kiosk.models.sites import UserSite

    with every_site():
        extra = db.session.scalars(select(UserSite.site_id).where(UserSite.user_id == user.id)).all()
    return tuple(dict.fromkeys([user.site_id, *extra]))


def init_app(app) -> None:
    """Scope each request once the guard knows who asks; forget it when the request ends."""
    app.before_request(scope_request)
    app.teardown_request(lambda _error=None: clear_scope())
