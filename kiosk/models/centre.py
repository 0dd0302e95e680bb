"""The centre's logo: kept in the database, so that a backup or a transfer carries it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.platform.extensions import db
from kiosk.platform.timezone import utcnow


class CentreLogo(db.Model):
    """The one logo (id 1): a PNG re-drawn on the box from the upload, never the uploaded bytes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    png: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
