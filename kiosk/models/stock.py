"""The épicerie's stock: what came in (arrivals by source), what was thrown away (losses) and what
the cooking workshop took (workshop use). Baskets' lines are what left for households.

Food-aid traceability (CASF L266-2, the "habilitation"): every movement is dated, in grams and
cents, by category, so that the stock and the year's figures by source are computed from records,
never kept as counters beside them.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.models.epicerie import Category
from kiosk.models.sites import SiteOwned
from kiosk.platform.extensions import db
from kiosk.platform.timezone import utcnow

MAX_STOCK_WEIGHT_G = 9_999_000  # 9 999 kg on one line
MAX_STOCK_VALUE_CENTS = 9_999_999  # 99 999.99 € on one line


class StockSource(enum.StrEnum):
    """Where food comes from (the API speaks these codes)."""

    BANQUE_ALIMENTAIRE = "banque_alimentaire"
    RAMASSE = "ramasse"  # supermarket pick-ups
    ACHAT = "achat"  # bought by the centre
    DON = "don"  # donations
    AUTRE = "autre"
    # The coordinator's opening count: where the stock starts (never a source of the API or the year's figures).
    INVENTAIRE = "inventaire"


# The sources an arrival comes from (CONTRACT: the API's codes); INVENTAIRE is the opening count.
ARRIVAL_SOURCES = tuple(source for source in StockSource if source is not StockSource.INVENTAIRE)


class LossReason(enum.StrEnum):
    """Why food left the stock without being given."""

    OUT_OF_DATE = "perime"
    DAMAGED = "abime"
    OTHER = "autre"


def _enum(enum_class, length=20):
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


def _amount_checks(prefix: str = "") -> tuple:
    return (
        CheckConstraint(f"weight_g >= 0 AND weight_g <= {MAX_STOCK_WEIGHT_G}", name=f"{prefix}weight"),
        CheckConstraint(f"value_cents >= 0 AND value_cents <= {MAX_STOCK_VALUE_CENTS}", name=f"{prefix}value"),
    )


class StockArrival(SiteOwned, db.Model):
    """Food received on a day from one source; its lines say how much of each category."""

    __table_args__ = (Index("ix_stock_arrival_day", "received_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[StockSource] = mapped_column(_enum(StockSource))
    received_on: Mapped[date]  # the centre's calendar day
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # From the API or a form: a repeat of the same request gives back the first arrival.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    request_digest: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"))
    # A mistaken arrival is cancelled, never deleted: the month's sheet shows it struck out, the stock leaves it out.
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    lines: Mapped[list[StockArrivalLine]] = relationship(
        back_populates="arrival", cascade="all, delete-orphan", order_by="StockArrivalLine.id"
    )
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])

    @property
    def weight_g(self) -> int:
        return sum(line.weight_g for line in self.lines)

    @property
    def value_cents(self) -> int:
        return sum(line.value_cents for line in self.lines)


class StockArrivalLine(SiteOwned, db.Model):
    """One category of an arrival: its whole weight and value."""

    __table_args__ = _amount_checks()

    id: Mapped[int] = mapped_column(primary_key=True)
    arrival_id: Mapped[int] = mapped_column(ForeignKey("stock_arrival.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    weight_g: Mapped[int] = mapped_column(default=0)
    value_cents: Mapped[int] = mapped_column(default=0)

    arrival: Mapped[StockArrival] = relationship(back_populates="lines")
    category: Mapped[Category] = relationship()


class StockLoss(SiteOwned, db.Model):
    """Food thrown away (out of date, damaged...): it leaves the stock without being given."""

    __table_args__ = (*_amount_checks(), Index("ix_stock_loss_day", "happened_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    happened_on: Mapped[date]
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    reason: Mapped[LossReason] = mapped_column(_enum(LossReason))
    weight_g: Mapped[int] = mapped_column(default=0)
    value_cents: Mapped[int] = mapped_column(default=0)
    note: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"))

    category: Mapped[Category] = relationship()


class WorkshopUse(SiteOwned, db.Model):
    """An ingredient the cooking workshop took from the stock for a session (not a household's basket)."""

    __table_args__ = (*_amount_checks(), Index("ix_workshop_use_day", "used_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_day_id: Mapped[int] = mapped_column(ForeignKey("workshop_day.id"), index=True)
    used_on: Mapped[date]  # the session's day
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    ingredient: Mapped[str] = mapped_column(String(120))
    weight_g: Mapped[int] = mapped_column(default=0)
    value_cents: Mapped[int] = mapped_column(default=0)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    category: Mapped[Category] = relationship()
    workshop_day = relationship("WorkshopDay")
