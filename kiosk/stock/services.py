"""What happens to the stock: an arrival received, a loss noted, an ingredient taken for the cooking
workshop. The API, the tablet's form and the coordinator's pages all go through these functions;
each one adds, flushes and records its audit event, never commits.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from kiosk.audit import AuditAction, record_audit
from kiosk.epicerie.basket_request import request_digest
from kiosk.epicerie.services import KeyReused, StillProcessing, categories_by_code
from kiosk.models import (
    Category, LossReason, Role, StockArrival, StockArrivalLine, StockLoss, StockSource, WorkshopDay, WorkshopUse,
)
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day, utcnow
from kiosk.models.stock import MAX_STOCK_VALUE_CENTS
from kiosk.stock.arrival_request import StockLine, parse_arrival
from kiosk.stock.queries import value_at_stock_price
from kiosk.stock.start import set_stock_start, stock_start

MAX_INGREDIENT = 120
MAX_NOTE = 200


class StockError(ValueError):
    """A stock change that cannot be made; the message is for people."""


class StockDateError(StockError):
    """The day given for a stock change is not one it may have."""


OLDEST_DAYS = 366  # a coordinator may date an arrival or a loss up to a year back


def check_stock_day(day: date, future) -> None:
    """A stock movement's day: not in the future (`future` says so), not before the stock's start."""
    if day > local_day():
        raise StockDateError(str(future))  # lazy: no locale is chosen before a message is needed
    begins = stock_start()
    if begins is not None and day < begins:
        raise StockDateError(_("Le stock est tenu depuis le %(day)s : une date plus ancienne n'est pas possible.",
                               day=begins.strftime("%d/%m/%Y")))


def check_typed_day(day: date) -> None:
    """A day typed in a form (the coordinator's date field): not more than a year back."""
    if day < local_day() - timedelta(days=OLDEST_DAYS):
        raise StockDateError(_("Une date de plus d'un an n'est pas possible : vérifiez l'année."))


def check_current_month(day: date) -> None:
    """The month's sheet is printed and signed: only the current month's movements may change."""
    today = local_day()
    if (day.year, day.month) != (today.year, today.month):
        raise StockError(_("Seul le mois en cours peut être modifié : la fiche de stock du %(day)s est "
                           "déjà arrêtée.", day=day.strftime("%d/%m/%Y")))


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
    check_stock_day(day, _l("Un arrivage ne peut pas être daté de demain ou plus tard."))
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
    check_stock_day(day, _l("Une perte ne peut pas être datée de demain ou plus tard."))
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


def use_for_workshop(day: date, category: Category, ingredient: str, weight_g: int,
                     value_cents: int | None, by=None) -> WorkshopUse:
    """Take an ingredient from the stock for a cooking session of the current month (workshop use,
    not a basket). Without a value, it is worth the stock's average value per kilo of that category.
    Everything is checked before anything is written (a refusal leaves nothing to roll back)."""
    ingredient = " ".join((ingredient or "").split())
    value_cents = _value_or_stock_price(category, weight_g, value_cents)
    if not ingredient:
        raise StockError(_("Nommez l'ingrédient (par exemple : carottes)."))
    if weight_g == 0 and value_cents == 0:
        raise StockError(_("Indiquez le poids ou la valeur de l'ingrédient."))
    check_current_month(day)
    row = workshop_row(day)
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
    """Remove an ingredient entered by mistake (current month only): it is back in the stock (the
    audit keeps its amounts)."""
    check_current_month(use.used_on)
    before = {"workshop_day": use.workshop_day_id, "category": use.category.code, "weight_g": use.weight_g,
              "value_cents": use.value_cents}
    db.session.delete(use)
    db.session.flush()
    record_audit(AuditAction.DELETE, "workshop_use", use.id, {"before": before}, user=by)


def may_cancel_arrival(arrival: StockArrival, by) -> bool:
    """Whoever recorded an arrival may cancel it the same day; a coordinator, any arrival of the
    current month (the month's sheet is not signed yet)."""
    if arrival.cancelled_at is not None or by is None or not getattr(by, "is_authenticated", True):
        return False
    today = local_day()
    if getattr(by, "role", None) == Role.COORDINATOR:
        return (arrival.received_on.year, arrival.received_on.month) == (today.year, today.month)
    return arrival.recorded_by_id == by.id and local_day(arrival.recorded_at) == today


def cancel_arrival(arrival: StockArrival, by=None, device=None) -> None:
    """Cancel a mistaken arrival (1000 kg typed for 10): it stays on the month's sheet, marked cancelled,
    and leaves the stock; the audit keeps its amounts. Cancelling again changes nothing."""
    if arrival.cancelled_at is not None:
        return
    if not may_cancel_arrival(arrival, by):
        raise StockError(_("Cet arrivage ne peut plus être annulé : seule la personne qui l'a noté le peut, "
                           "le jour même, ou un coordinateur pendant le mois en cours."))
    arrival.cancelled_at = utcnow()
    arrival.cancelled_by_id = by.id
    db.session.flush()
    record_audit(AuditAction.CANCEL, "stock_arrival", arrival.id,
                 {"before": {"source": arrival.source.value, "received_on": arrival.received_on.isoformat(),
                             **_amounts(arrival.lines)}}, user=by, device=device)


def open_stock(day: date, lines: list[StockLine], by=None) -> StockArrival | None:
    """The coordinator's opening count: the stock starts on `day` with what was counted (an arrival of
    kind "inventaire"); nothing before that day counts any more. A count of the same day replaces it."""
    if day > local_day():
        raise StockDateError(_("Un inventaire ne peut pas être daté de demain ou plus tard."))
    check_typed_day(day)
    before = stock_start()
    set_stock_start(day)
    record_audit(AuditAction.UPDATE, "setting", None,
                 {"key": "stock_start", "before": before.isoformat() if before else None, "after": day.isoformat()},
                 user=by)
    replaced = db.session.scalars(db.select(StockArrival).where(
        StockArrival.source == StockSource.INVENTAIRE, StockArrival.received_on == day,
        StockArrival.cancelled_at.is_(None))).all()
    for old in replaced:
        old.cancelled_at = utcnow()
        old.cancelled_by_id = getattr(by, "id", None)
        record_audit(AuditAction.CANCEL, "stock_arrival", old.id, {"before": _amounts(old.lines)}, user=by)
    if not lines:
        return None
    arrival, _created = receive_stock(StockSource.INVENTAIRE, lines, day, note=_("Inventaire d'ouverture"), by=by)
    return arrival
