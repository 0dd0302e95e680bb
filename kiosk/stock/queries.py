"""Read-only questions about the stock, summed in SQL from the records:

stock by category = arrivals − baskets' lines (cancelled baskets excluded) − workshop use − losses.

`movements(start, end)` gives each kind of movement by category over days; the stock at a day's end,
the month's sheet and the year's figures by source are built from it. Nothing before the stock's
start (kiosk/stock/start.py) counts, and a cancelled arrival never counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from kiosk.models import (
    Basket, BasketLine, Category, StockArrival, StockArrivalLine, StockLoss, StockSource, WorkshopUse,
)
from kiosk.platform.extensions import db
from kiosk.stock.start import stock_start

KINDS = ("arrived", "baskets", "workshop", "lost")


@dataclass
class Amount:
    weight_g: int = 0
    value_cents: int = 0

    def __add__(self, other: Amount) -> Amount:
        return Amount(self.weight_g + other.weight_g, self.value_cents + other.value_cents)

    def __sub__(self, other: Amount) -> Amount:
        return Amount(self.weight_g - other.weight_g, self.value_cents - other.value_cents)

    @property
    def is_zero(self) -> bool:
        return self.weight_g == 0 and self.value_cents == 0


def _sum(amounts) -> Amount:
    total = Amount()
    for amount in amounts:
        total = total + amount
    return total


def _between(column, start: date | None, end: date | None) -> list:
    return ([column >= start] if start else []) + ([column <= end] if end else [])


def movements(start: date | None = None, end: date | None = None) -> dict[str, dict[int, Amount]]:
    """For each kind of movement (arrived, baskets, workshop, lost): category id → amount, over
    the days from start to end (both included; None: no bound), never before the stock's start."""
    begins = stock_start()
    if begins is not None and (start is None or start < begins):
        start = begins
    queries = {
        "arrived": select(StockArrivalLine.category_id, func.sum(StockArrivalLine.weight_g),
                          func.sum(StockArrivalLine.value_cents))
        .join(StockArrival).where(StockArrival.cancelled_at.is_(None),
                                  *_between(StockArrival.received_on, start, end))
        .group_by(StockArrivalLine.category_id),
        "baskets": select(BasketLine.category_id, func.sum(BasketLine.weight_g), func.sum(BasketLine.value_cents))
        .join(Basket).where(Basket.cancelled_at.is_(None), *_between(Basket.served_on, start, end))
        .group_by(BasketLine.category_id),
        "workshop": select(WorkshopUse.category_id, func.sum(WorkshopUse.weight_g), func.sum(WorkshopUse.value_cents))
        .where(*_between(WorkshopUse.used_on, start, end)).group_by(WorkshopUse.category_id),
        "lost": select(StockLoss.category_id, func.sum(StockLoss.weight_g), func.sum(StockLoss.value_cents))
        .where(*_between(StockLoss.happened_on, start, end)).group_by(StockLoss.category_id),
    }
    return {kind: {row[0]: Amount(int(row[1] or 0), int(row[2] or 0)) for row in db.session.execute(query)}
            for kind, query in queries.items()}


def _balance(moved: dict[str, dict[int, Amount]], category_id: int) -> Amount:
    zero = Amount()
    return (moved["arrived"].get(category_id, zero) - moved["baskets"].get(category_id, zero)
            - moved["workshop"].get(category_id, zero) - moved["lost"].get(category_id, zero))


def categories_in_order(with_inactive: bool = True) -> list[Category]:
    query = select(Category).order_by(Category.active.desc(), Category.position, Category.id)
    if not with_inactive:
        query = query.where(Category.active.is_(True))
    return db.session.scalars(query).all()


@dataclass(frozen=True)
class StockRow:
    category: Category
    amount: Amount


def stock_by_category(until: date | None = None, active_only: bool = False) -> list[StockRow]:
    """What is in stock by category (at the end of `until`, or with every record when None).
    A hidden category shows only while it still holds something, unless `active_only`."""
    moved = movements(None, until)
    rows = [StockRow(category, _balance(moved, category.id)) for category in categories_in_order(not active_only)]
    return [row for row in rows if row.category.active or not row.amount.is_zero]


def value_at_stock_price(category: Category, weight_g: int) -> int:
    """What `weight_g` of a category is worth at the stock's average value per kilo (0 when the
    stock holds none of it): the value of an ingredient or a loss typed without one."""
    moved = movements()
    held = _balance(moved, category.id)
    if held.weight_g <= 0 or held.value_cents <= 0:
        return 0
    return (2 * weight_g * held.value_cents + held.weight_g) // (2 * held.weight_g)  # rounded half up


@dataclass
class SheetRow:
    """One category's line of the month's stock sheet."""

    category: Category
    opening: Amount
    arrived: Amount
    baskets: Amount
    workshop: Amount
    lost: Amount

    @property
    def left(self) -> Amount:
        return self.baskets + self.workshop + self.lost

    @property
    def closing(self) -> Amount:
        return self.opening + self.arrived - self.left


@dataclass
class MonthSheet:
    """The month's stock sheet: opening stock, movements in and out, closing stock, by category;
    and the month's arrivals and losses one by one (the traceability register)."""

    first: date
    last: date
    rows: list[SheetRow]
    arrivals: list[StockArrival] = field(default_factory=list)
    losses: list[StockLoss] = field(default_factory=list)
    workshop_uses: list[WorkshopUse] = field(default_factory=list)
    starts: date | None = None  # the stock's start, when it falls after the month's first day

    @property
    def not_kept(self) -> bool:
        """The whole month is before the stock's start: there is no sheet for it."""
        return self.starts is not None and self.starts > self.last

    def total(self, name: str) -> Amount:
        return _sum(getattr(row, name) for row in self.rows)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def month_sheet(year: int, month: int) -> MonthSheet:
    """The stock sheet of a month (to print and sign)."""
    first, last = month_bounds(year, month)
    begins = stock_start()
    starts = begins if begins is not None and begins > first else None
    if starts is not None and starts > last:
        return MonthSheet(first, last, [], starts=starts)
    before = movements(None, first - timedelta(days=1))
    during = movements(first, last)
    zero = Amount()
    rows = [
        SheetRow(category, _balance(before, category.id), *(during[kind].get(category.id, zero) for kind in KINDS))
        for category in categories_in_order()
    ]
    rows = [row for row in rows if row.category.active or not (row.opening.is_zero and row.closing.is_zero
                                                                and row.arrived.is_zero and row.left.is_zero)]
    arrivals = db.session.scalars(
        select(StockArrival).where(StockArrival.received_on.between(first, last))
        .order_by(StockArrival.received_on, StockArrival.id)).all()
    losses = db.session.scalars(
        select(StockLoss).where(StockLoss.happened_on.between(first, last))
        .order_by(StockLoss.happened_on, StockLoss.id)).all()
    uses = db.session.scalars(
        select(WorkshopUse).where(WorkshopUse.used_on.between(first, last))
        .order_by(WorkshopUse.used_on, WorkshopUse.id)).all()
    return MonthSheet(first, last, rows, arrivals, losses, uses, starts)


@dataclass(frozen=True)
class SourceRow:
    source: StockSource
    category: Category
    amount: Amount


@dataclass
class SourceYear:
    """The year's arrivals by source and category (the habilitation's figures)."""

    year: int
    rows: list[SourceRow]

    def by_source(self) -> list[tuple[StockSource, list[SourceRow], Amount]]:
        """Each source that brought something, its rows and its total, in the sources' order."""
        grouped: dict[StockSource, list[SourceRow]] = defaultdict(list)
        for row in self.rows:
            grouped[row.source].append(row)
        return [(source, grouped[source], _sum(r.amount for r in grouped[source]))
                for source in StockSource if source in grouped]

    @property
    def total(self) -> Amount:
        return _sum(row.amount for row in self.rows)


def yearly_by_source(year: int) -> SourceYear:
    """Kilos and value received in `year`, by source and category (sources, then categories, in order)."""
    query = (
        select(StockArrival.source, StockArrivalLine.category_id, func.sum(StockArrivalLine.weight_g),
               func.sum(StockArrivalLine.value_cents))
        .join(StockArrival)
        .where(StockArrival.received_on.between(date(year, 1, 1), date(year, 12, 31)),
               StockArrival.cancelled_at.is_(None), StockArrival.source != StockSource.INVENTAIRE)
        .group_by(StockArrival.source, StockArrivalLine.category_id)
    )
    found = {(StockSource(row[0]), row[1]): Amount(int(row[2] or 0), int(row[3] or 0))
             for row in db.session.execute(query)}
    if not found:  # no arrival: the categories are not read (a network's 1,200 of them, for nothing)
        return SourceYear(year, [])
    categories = categories_in_order()
    rows = [SourceRow(source, category, found[(source, category.id)])
            for source in StockSource for category in categories if (source, category.id) in found]
    return SourceYear(year, rows)


def report_sources(year: int) -> list[tuple[str, int, int]] | None:
    """For the year's report: [(source's words, weight_g, value_cents)] by source; None when no arrival
    was recorded that year (the report then leaves the section out)."""
    from kiosk.stock.labels import SOURCES

    return [(str(SOURCES[source]), total.weight_g, total.value_cents)
            for source, _rows, total in yearly_by_source(year).by_source()] or None
