"""What happens to the stock: an arrival received, a loss noted, an ingredient taken for the cooking
workshop. The API, the tablet's form and the coordinator's pages all go through these functions;
each one adds, flushes and records its audit event, never commits.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from kiosk.audit import AuditAction, record_audit
from kiosk.epicerie.basket_request import request_digest
from kiosk.epicerie.services import KeyReused, StillProcessing, categories_by_code
from kiosk.models import (
    Category, LossReason, StockArrival, StockArrivalLine, StockLoss, StockSource, WorkshopDay, WorkshopUse,
)
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day, utcnow
from kiosk.models.stock import MAX_STOCK_VALUE_CENTS
from kiosk.stock.arrival_request import StockLine, parse_arrival
from kiosk.stock.queries import value_at_stock_price

MAX_INGREDIENT = 120
MAX_NOTE = 200


class StockError(ValueError):
    """A stock change that cannot be made; the message is for people."""


def _amounts(lines) -> dict:
    return {"weight_g": sum(line.weight_g for line in lines), "value_cents": sum(line.value_cents for line in lines)}


def arrival_for_key(key: str, digest: str) -> StockArrival | None:
    """The arrival already recorded under this key, or None; KeyReused when the body differs."""
    arrival = db.session.scalar(db.select(StockArrival).where(StockArrival.idempotency_key == key))
    if arrival is not None and arrival.request_digest != digest:
        raise KeyReused(key)
    return arrival


def record_arrival(key: str, body: dict, by=None, device=None) -> tuple[StockArrival, bool]:
    """Record the arrival a request describes, once per key: (arrival, True) if new, else (same, False)."""
    digest = request_digest(body)
    existing = arrival_for_key(key, digest)
    if existing is not None:
        return existing, False
    order = parse_arrival(body, categories_by_code())
    return receive_stock(order.source, order.lines, key=key, digest=digest, by=by, device=device)


def receive_stock(source: StockSource, lines: list[StockLine], day: date | None = None, key: str | None = None,
                  digest: str | None = None, note: str | None = None, by=None,
                  device=None) -> tuple[StockArrival, bool]:
    """Store an arrival from a source; with a key, a racing twin gives back the first one."""
    if not lines:
        raise StockError(_("Indiquez au moins une catégorie avec son poids ou sa valeur."))
    day = day or local_day()
    if day > local_day():
        raise StockError(_("Un arrivage ne peut pas être daté de demain ou plus tard."))
    arrival = StockArrival(
        source=StockSource(source), received_on=day, recorded_at=utcnow(), idempotency_key=key,
        request_digest=digest, note=(note or "").strip()[:MAX_NOTE] or None,
        recorded_by_id=getattr(by, "id", None), device_id=getattr(device, "id", None),
        lines=[StockArrivalLine(category=line.category, weight_g=line.weight_g, value_cents=line.value_cents)
               for line in lines],
    )
    try:
        with db.session.begin_nested():
            db.session.add(arrival)
    except IntegrityError:
        # The same key was stored by a concurrent request between our look-up and our insert.
        existing = arrival_for_key(key, digest) if key else None
        if existing is None:
            raise StillProcessing(key) from None
        return existing, False
    record_audit(AuditAction.STOCK_ARRIVAL, "stock_arrival", arrival.id,
                 {"source": arrival.source.value, "lines": len(lines), **_amounts(lines)}, user=by, device=device)
    return arrival, True


def _value_or_stock_price(category: Category, weight_g: int, value_cents: int | None) -> int:
    if value_cents is not None:
        return value_cents
    return min(value_at_stock_price(category, weight_g), MAX_STOCK_VALUE_CENTS)


def record_loss(category: Category, reason: LossReason, weight_g: int, value_cents: int | None,
                day: date | None = None, note: str | None = None, by=None, device=None) -> StockLoss:
    """Note food thrown away (out of date, damaged...): it leaves the stock. Without a value, it is
    worth the stock's average value per kilo of that category."""
    day = day or local_day()
    value_cents = _value_or_stock_price(category, weight_g, value_cents)
    if weight_g == 0 and value_cents == 0:
        raise StockError(_("Indiquez le poids ou la valeur de ce qui est perdu."))
    if day > local_day():
        raise StockError(_("Une perte ne peut pas être datée de demain ou plus tard."))
    loss = StockLoss(happened_on=day, category=category, reason=LossReason(reason), weight_g=weight_g,
                     value_cents=value_cents, note=(note or "").strip()[:MAX_NOTE] or None, recorded_at=utcnow(),
                     recorded_by_id=getattr(by, "id", None), device_id=getattr(device, "id", None))
    db.session.add(loss)
    db.session.flush()
    record_audit(AuditAction.STOCK_LOSS, "stock_loss", loss.id,
                 {"reason": loss.reason.value, "category": category.code, "weight_g": weight_g,
                  "value_cents": value_cents}, user=by, device=device)
    return loss


def workshop_row(day: date) -> WorkshopDay:
    """The written-down row of a session's day (a day of the weekly pattern is written down now)."""
    row = db.session.scalar(db.select(WorkshopDay).where(WorkshopDay.day == day))
    if row is None:
        row = WorkshopDay(day=day)
        db.session.add(row)
        db.session.flush()
    return row


def use_for_workshop(row: WorkshopDay, category: Category, ingredient: str, weight_g: int,
                     value_cents: int | None, by=None) -> WorkshopUse:
    """Take an ingredient from the stock for a cooking session (workshop use, not a basket). Without a
    value, it is worth the stock's average value per kilo of that category."""
    ingredient = " ".join((ingredient or "").split())
    value_cents = _value_or_stock_price(category, weight_g, value_cents)
    if not ingredient:
        raise StockError(_("Nommez l'ingrédient (par exemple : carottes)."))
    if weight_g == 0 and value_cents == 0:
        raise StockError(_("Indiquez le poids ou la valeur de l'ingrédient."))
    use = WorkshopUse(workshop_day_id=row.id, used_on=row.day, category=category,
                      ingredient=ingredient[:MAX_INGREDIENT], weight_g=weight_g, value_cents=value_cents,
                      recorded_at=utcnow(), recorded_by_id=getattr(by, "id", None))
    db.session.add(use)
    db.session.flush()
    record_audit(AuditAction.STOCK_WORKSHOP_USE, "workshop_use", use.id,
                 {"workshop_day": row.id, "category": category.code, "weight_g": weight_g,
                  "value_cents": value_cents}, user=by)
    return use


def give_back_workshop_use(use: WorkshopUse, by=None) -> None:
    """Remove an ingredient entered by mistake: it is back in the stock (the audit keeps its amounts)."""
    before = {"workshop_day": use.workshop_day_id, "category": use.category.code, "weight_g": use.weight_g,
              "value_cents": use.value_cents}
    db.session.delete(use)
    db.session.flush()
    record_audit(AuditAction.DELETE, "workshop_use", use.id, {"before": before}, user=by)
