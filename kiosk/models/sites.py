"""The centres of a network sharing one server, and the mixin that makes a table belong to one.

A box alone has one site, the implicit first one (id 1, made by the migrations): nothing in its
screens or commands speaks of sites. Every row of a site-owned table names its site; which site a
request or a command reads and writes is decided in one place, kiosk/sites/scope.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.platform.extensions import db
from kiosk.platform.timezone import utcnow

FIRST_SITE_ID = 1


class Site(db.Model):
    """A centre of the network (the box alone: its one site, id 1)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SiteOwned:
    """A table whose rows belong to one site: every ORM query on it is limited to the current
    site(s), and a new row gets the current site (kiosk/sites/scope.py)."""

    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)




class UserSite(db.Model):
    """A further site a referent refers people to (their own site is `User.site_id`)."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), primary_key=True)


__all__ = ["FIRST_SITE_ID", "Site", "SiteOwned", "UserSite"]
