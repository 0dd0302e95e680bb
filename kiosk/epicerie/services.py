"""Baskets: giving one exactly once per Idempotency-Key, correcting or cancelling today's.

The tablet, the API and any script go through `record_basket`, with the basket already parsed
(`BasketRequest`); the rules of the épicerie (access open that day, the allowance and the visits
when the centre made them limits) and the idempotency rule live here and nowhere else.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from kiosk.platform.api import fail
from kiosk.audit import AuditAction, record_audit
from kiosk.epicerie.access import has_open_access, no_access_message
from kiosk.epicerie.basket_request import BasketRequest, Catalogue, paid_error
from kiosk.epicerie.limits import breaches, lock_household, refusal_message
from kiosk.epicerie.rules import ba_cap_percent, current_rules, participant_share_cents
from kiosk.platform.errors import ValidationFailed
from kiosk.platform.extensions import db
from kiosk.models import Basket, BasketLine, Card, Category, Participant, Product, Role
from kiosk.cards.codes import code_digest
from kiosk.platform.timezone import local_day, utcnow


LIMIT_HEADER = "X-Epicerie-Limit"  # on a 422 refused by a limit of the rules: the breaches' codes


class KeyReused(Exception):
    """The Idempotency-Key was already used for another body."""


class StillProcessing(Exception):
    """Another request with this key is being recorded and is not visible yet."""


class BasketError(ValueError):
    """A change that cannot be made to this basket; the message is for people."""


def categories_by_code() -> dict[str, Category]:
    """The active categories, by code: the ones a line may use."""
    return {c.code: c for c in db.session.scalars(db.select(Category).where(Category.active.is_(True)))}


def catalogue(correcting: Basket | None = None) -> Catalogue:
    """What a basket line may name: active categories and the active products of the price list;
    on a correction, also the products (and categories) the basket already has, even if hidden since."""
    products = {p.id: p for p in db.session.scalars(db.select(Product).where(Product.active.is_(True)))}
    categories = categories_by_code()
    if correcting is not None:
        for line in correcting.lines:
            categories.setdefault(line.category.code, line.category)
            if line.product is not None:
                products.setdefault(line.product.id, line.product)
    return Catalogue(categories, products)


def basket_for_key(key: str, digest: str) -> Basket | None:
    """The basket already recorded under this key, or None; KeyReused when the body differs."""
    basket = db.session.scalar(db.select(Basket).where(Basket.idempotency_key == key))
    if basket is not None and basket.request_digest != digest:
        raise KeyReused(key)
    return basket


def find_household(order: BasketRequest) -> Participant:
    """The participant a basket is for, from their card's code or their number; 422 otherwise."""
    if order.code is not None:
        card = db.session.scalar(db.select(Card).where(Card.code_digest == code_digest(order.code)))
        if card is None or card.participant.anonymised_at is not None:
            fail(code=_("Carte inconnue."))
        if not card.is_working:
            fail(code=_("Cette carte a été remplacée par une nouvelle."))
        return card.participant
    participant = db.session.get(Participant, order.participant_id)
    if participant is None or participant.anonymised_at is not None:
        fail(participant_id=_("Foyer introuvable."))
    return participant


def record_basket(order: BasketRequest, key: str, digest: str, served_by=None, device=None,
                  override_by=None) -> tuple[Basket, bool]:
    """Record a parsed basket once per key: (basket, True) if new, else (the same, False).

    `override_by` is who may pass a limit (the coordinator logged in or on duty now), never taken
    from who the offline queue says served the basket."""
    participant = find_household(order)
    return give_basket(participant, order, key, digest, served_by=served_by, device=device,
                       override_by=override_by)


def _lines(order: BasketRequest) -> list[BasketLine]:
    return [
        BasketLine(category=line.category, quantity=line.quantity, weight_g=line.weight_g,
                   value_cents=line.value_cents, product=line.product)
        for line in order.lines
    ]


def may_override(user) -> bool:
    """Only a coordinator lets a basket through a limit of the rules."""
    return user is not None and user.role == Role.COORDINATOR


def hold_rules(participant: Participant, order: BasketRequest, day: date, by=None,
               correcting: Basket | None = None) -> list[str]:
    """Check the rules that are limits (422 beyond them, unless a coordinator gave a reason);
    return the codes of the rules passed, for the audit."""
    if order.override_reason is not None and not may_override(by):
        fail(override_reason=_("Seule la coordination peut passer outre une limite des règles."))
    rules = current_rules()
    found = breaches(participant, order.value_cents, day, rules, correcting=correcting)
    if not found or rules.enforce != "limit":
        return []
    if order.override_reason is None:
        # The body stays as the contract has it; the header tells the tablet a coordinator may pass it
        # (unlike "no open access", which no reason overrides).
        raise ValidationFailed({"participant": refusal_message(found, correcting=correcting is not None)},
                               headers={LIMIT_HEADER: ",".join(breach.code for breach in found)})
    return [breach.code for breach in found]


def give_basket(participant: Participant, order: BasketRequest, key: str, digest: str,
                served_by=None, device=None, day: date | None = None, override_by=None) -> tuple[Basket, bool]:
    """Store a basket for a household with access open today; a racing twin gives back the first."""
    day = day or local_day()
    lock_household(participant)
    # A twin request that held the lock before us has stored the basket: give it back, count nothing.
    if (existing := basket_for_key(key, digest)) is not None:
        return existing, False
    if not has_open_access(participant, day):
        fail(participant=no_access_message())
    passed = hold_rules(participant, order, day, by=override_by)
    lines = _lines(order)
    basket = Basket(
        participant=participant, served_on=day, served_at=utcnow(), idempotency_key=key,
        request_digest=digest, lines=lines, value_cents=sum(line.value_cents for line in lines),
        weight_g=sum(line.weight_g for line in lines), paid_cents=order.paid_cents,
        served_by_id=getattr(served_by, "id", None), device_id=getattr(device, "id", None),
        override_reason=order.override_reason if passed else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(basket)
    except IntegrityError:
        # The same key was stored by a concurrent request between our look-up and our insert.
        existing = basket_for_key(key, digest)
        if existing is None:
            raise StillProcessing(key) from None
        return existing, False
    record_audit(AuditAction.CREATE, "basket", basket.id, {"lines": len(lines)}, user=served_by, device=device)
    if passed:
        record_audit(AuditAction.EPICERIE_OVERRIDE, "basket", basket.id, {"rules": passed}, user=override_by, device=device)
    return basket, True


def basket_snapshot(basket: Basket) -> dict:
    """Amounts and quantities of a basket, for the audit trail (nothing personal)."""
    return {
        "value_cents": basket.value_cents,
        "paid_cents": basket.paid_cents,
        "weight_g": basket.weight_g,
        "lines": [
            {"category": line.category.code, "quantity": line.quantity, "weight_g": line.weight_g,
             "value_cents": line.value_cents, **({"product": line.product_id} if line.product_id else {})}
            for line in basket.lines
        ],
    }


def _check_today(basket: Basket) -> None:
    if basket.served_on != local_day():
        raise BasketError(_("Seuls les paniers du jour peuvent être modifiés."))


def correct_basket(basket: Basket, order: BasketRequest, by=None, device=None) -> None:
    """Replace the lines and the share of one of today's baskets; the audit keeps what it was.

    The share follows the new lines (the centre's rate) unless the correction gives its own; the
    monthly allowance is held as for a new basket.
    """
    _check_today(basket)
    if basket.cancelled_at is not None:
        raise BasketError(_("Ce panier est annulé."))
    lock_household(basket.participant)
    passed = hold_rules(basket.participant, order, basket.served_on, by=by, correcting=basket)
    rules = current_rules()
    paid = order.paid_cents if order.paid_cents is not None else participant_share_cents(
        order.value_cents, rules, order.banque_alimentaire_cents)
    if (message := paid_error(paid, order.lines, ba_cap_percent(rules))) is not None:
        fail(paid_eur=message)  # the box's own share is checked as a typed one
    before = basket_snapshot(basket)
    basket.lines.clear()
    db.session.flush()
    basket.lines.extend(_lines(order))
    basket.value_cents = sum(line.value_cents for line in basket.lines)
    basket.weight_g = sum(line.weight_g for line in basket.lines)
    basket.paid_cents = paid
    if passed:
        basket.override_reason = order.override_reason
    db.session.flush()
    after = basket_snapshot(basket)
    changed = sorted(key for key in before if before[key] != after[key])
    if changed:
        record_audit(AuditAction.UPDATE, "basket", basket.id, {"fields": changed, "before": before}, user=by, device=device)
    if passed:
        record_audit(AuditAction.EPICERIE_OVERRIDE, "basket", basket.id, {"rules": passed}, user=by, device=device)


def cancel_basket(basket: Basket, by=None, device=None) -> None:
    """Cancel one of today's baskets (again: nothing more happens); the audit keeps its amounts."""
    if basket.cancelled_at is not None:
        return
    _check_today(basket)
    basket.cancelled_at = utcnow()
    basket.cancelled_by_id = getattr(by, "id", None)
    db.session.flush()
    record_audit(AuditAction.CANCEL, "basket", basket.id, {"before": basket_snapshot(basket)}, user=by, device=device)
