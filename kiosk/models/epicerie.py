"""The social grocery: access periods, rules, categories, baskets and their lines."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.models.sites import SiteOwned
from kiosk.platform.extensions import db
from kiosk.platform.timezone import utcnow


class EpicerieRules(SiteOwned, db.Model):
    """The coordinator's rules, kept as history: the row in force is the latest effective_from."""

    __table_args__ = (
        CheckConstraint("contribution_percent >= 0 AND contribution_percent <= 100", name="rate"),
        CheckConstraint("visits_per_week >= 1", name="visits"),
        CheckConstraint("allowance_base_cents >= 0 AND allowance_per_person_cents >= 0", name="allowance"),
        CheckConstraint("visits_per_month IS NULL OR visits_per_month >= 1", name="visits_month"),
        CheckConstraint("banque_alimentaire_percent IS NULL OR "
                        "(banque_alimentaire_percent >= 0 AND banque_alimentaire_percent <= 100)", name="ba_rate"),
        CheckConstraint("enforce IN ('warning', 'limit')", name="enforce"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[datetime] = mapped_column(default=utcnow)
    contribution_percent: Mapped[int] = mapped_column(default=10)
    visits_per_week: Mapped[int] = mapped_column(default=1)
    # Monthly allowance (value of goods) = base + per person × household size.
    allowance_base_cents: Mapped[int] = mapped_column(default=3000)
    allowance_per_person_cents: Mapped[int] = mapped_column(default=2000)
    # None: no monthly count of visits, only the weekly one.
    visits_per_month: Mapped[int | None]
    # The share asked on Banque Alimentaire products, when lower than the centre's rate (None: same rate).
    banque_alimentaire_percent: Mapped[int | None]
    # "warning": the tablet warns and records; "limit": visits and allowance refuse the basket.
    enforce: Mapped[str] = mapped_column(String(10), default="warning", server_default="warning")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class EpicerieAccess(SiteOwned, db.Model):
    """A household's right to the épicerie, from one day to another; renewals add a row."""

    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_starts"),
        CheckConstraint(
            "monthly_allowance_cents IS NULL OR monthly_allowance_cents >= 0", name="allowance"
        ),
        Index("ix_epicerie_access_span", "participant_id", "starts_on", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    # None: computed from the rules and the household size.
    monthly_allowance_cents: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    participant = relationship("Participant")


class Category(SiteOwned, db.Model):
    """A basket line category (fruits and vegetables, fresh, dry goods...), set by the coordinator."""

    __table_args__ = (UniqueConstraint("site_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(80))
    pictogram: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class Product(SiteOwned, db.Model):
    """A product of the price list: its category, its unit ("kg", "pièce", "paquet") and its value."""

    __table_args__ = (
        CheckConstraint("unit_value_cents >= 0 AND unit_value_cents <= 999999", name="unit_value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    unit: Mapped[str] = mapped_column(String(20))
    unit_value_cents: Mapped[int]
    banque_alimentaire: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    category: Mapped[Category] = relationship()


class ServerPin(db.Model):
    """A volunteer's (or coordinator's) short code for the tablet: hashed, with its wrong tries."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    pin_hash: Mapped[str] = mapped_column(String(200))
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    set_at: Mapped[datetime] = mapped_column(default=utcnow)


class PinTries(db.Model):
    """Wrong PINs for one person from one place (an enrolled tablet, else an address): counted and
    locked there, so that nobody elsewhere can keep someone's PIN locked."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    source: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locks: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]


class Basket(SiteOwned, db.Model):
    """What a household took on a visit, what it was worth, and what they paid."""

    __table_args__ = (
        CheckConstraint("paid_cents >= 0", name="paid"),
        CheckConstraint("value_cents >= 0", name="value"),
        CheckConstraint("weight_g >= 0", name="weight"),
        Index("ix_basket_day", "served_on"),
        Index("ix_basket_participant_day", "participant_id", "served_on"),
        Index("ix_basket_site_day", "site_id", "served_on"),  # a site's year (20b_sites_bench)
        # The year's kept baskets read from the index alone: the network's report (20f_basket_months).
        Index("ix_basket_kept_day", "served_on", "participant_id", "weight_g", "value_cents", "paid_cents",
              sqlite_where=text("cancelled_at IS NULL"), postgresql_where=text("cancelled_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    # The old day and state are known at a change: the month's stored figures move with them
    # (kiosk/epicerie/month_figures.py).
    served_on: Mapped[date] = mapped_column(active_history=True)  # the centre's calendar day
    served_at: Mapped[datetime] = mapped_column(default=utcnow)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    request_digest: Mapped[str] = mapped_column(String(64))
    # Totals of the lines, kept so that a day's summary reads one table.
    value_cents: Mapped[int] = mapped_column(default=0)
    weight_g: Mapped[int] = mapped_column(default=0)
    paid_cents: Mapped[int] = mapped_column(default=0)
    served_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(active_history=True)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Why a coordinator let this basket through a limit of the rules (None: no limit was passed).
    override_reason: Mapped[str | None] = mapped_column(String(300))

    lines: Mapped[list[BasketLine]] = relationship(
        back_populates="basket", cascade="all, delete-orphan", order_by="BasketLine.id"
    )
    participant = relationship("Participant")
    served_by = relationship("User", foreign_keys=[served_by_id])


class BasketLine(SiteOwned, db.Model):
    """One category in a basket: how many, the whole line's weight and value."""

    __table_args__ = (
        CheckConstraint("quantity >= 1 AND quantity <= 999", name="quantity"),
        CheckConstraint("weight_g >= 0 AND weight_g <= 999000", name="weight"),
        CheckConstraint("value_cents >= 0 AND value_cents <= 999999", name="value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    basket_id: Mapped[int] = mapped_column(ForeignKey("basket.id"), index=True, active_history=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), active_history=True)
    quantity: Mapped[int]
    weight_g: Mapped[int] = mapped_column(default=0, active_history=True)
    value_cents: Mapped[int] = mapped_column(default=0, active_history=True)
    # The price list's product when the line was tapped from it (None: a free line).
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"))

    basket: Mapped[Basket] = relationship(back_populates="lines")
    category: Mapped[Category] = relationship()
    product: Mapped[Product | None] = relationship()


class BasketMonth(SiteOwned, db.Model):
    """A site's basket lines of one month and one category, summed (cancelled baskets left out): the
    year's kilos and value by category read twelve of these rows per category, not every line.

    Kept right at every flush that adds, changes or removes a line or cancels a basket
    (kiosk/epicerie/month_figures.py), recounted by `kiosk figures check` / `rebuild`."""

    __tablename__ = "basket_month"

    month: Mapped[date] = mapped_column(primary_key=True)  # its first day
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), primary_key=True)  # the site's own
    lines: Mapped[int] = mapped_column(default=0)
    weight_g: Mapped[int] = mapped_column(BigInteger, default=0)
    value_cents: Mapped[int] = mapped_column(BigInteger, default=0)
