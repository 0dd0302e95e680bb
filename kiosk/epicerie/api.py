"""The épicerie's JSON API: categories, households, baskets. The tablet records baskets only here."""

from flask import Blueprint, abort, jsonify, request
from flask_babel import gettext as _

from flask_login import current_user

from kiosk.audit import AuditAction, record_audit, record_reading
from kiosk.platform.api import fail, json_body
from kiosk.platform.clock import require_trusted_clock
from kiosk.auth.access import allow, current_device
from kiosk.epicerie.basket_request import MAX_CODE, parse_basket, request_digest, valid_idempotency_key
from kiosk.epicerie.access import access_rows, tablet_may_see
from kiosk.epicerie.categories import active_categories
from kiosk.epicerie.duty import on_duty, served_by_for_request
from kiosk.epicerie.queries import find_households, household_summary, todays_baskets
from kiosk.epicerie.services import (
    BasketError,
    KeyReused,
    StillProcessing,
    basket_for_key,
    cancel_basket,
    catalogue,
    correct_basket,
    record_basket,
)
from kiosk.epicerie.rules import ba_cap_percent, current_rules
from kiosk.epicerie.first_use import make_sure_categories_exist
from kiosk.platform.extensions import db
from kiosk.platform.i18n import local_time
from kiosk.platform.timezone import local_day
from kiosk.models import Basket, Card, DeviceKind, Participant, Role
from kiosk.platform.money import format_cents
from kiosk.cards.codes import code_digest

bp = Blueprint("api", __name__, url_prefix="/api")


def sees_every_household() -> bool:
    """A coordinator reads every household (to open access); tablets and volunteers only those
    with open access today, or the one whose card is scanned."""
    return current_user.is_authenticated and current_user.role == Role.COORDINATOR
SERVING = (DeviceKind.TABLET, Role.VOLUNTEER, Role.COORDINATOR)
ID = "int(max=2147483647)"


def basket_json(basket: Basket) -> dict:
    """A basket as the tablet's list of the day shows it (first name and initial only); the reason
    a coordinator gave to pass a limit (free text about the household) only to a coordinator."""
    household = basket.participant
    return {
        "id": basket.id, "participant_id": household.id,
        "household": f"{household.first_name} {household.initial}".strip(),
        "time": local_time(basket.served_at), "served_on": basket.served_on.isoformat(),
        "value_eur": format_cents(basket.value_cents), "paid_eur": format_cents(basket.paid_cents),
        "weight_kg": basket.weight_g / 1000, "cancelled": basket.cancelled_at is not None,
        "served_by": basket.served_by.name if basket.served_by else None,
        "override_reason": basket.override_reason if sees_every_household() else None,
        "lines": [
            {"category": line.category.code, "label": line.product.name if line.product else line.category.label,
             "product": line.product_id, "quantity": line.quantity,
             "weight_kg": line.weight_g / 1000, "value_eur": format_cents(line.value_cents)}
            for line in basket.lines
        ],
    }


@bp.get("/categories")
@allow(*SERVING)
def categories():
    """The active basket line categories, in the coordinator's order."""
    make_sure_categories_exist()
    return jsonify([{"code": c.code, "label": c.label} for c in active_categories()])


@bp.post("/baskets")
@allow(*SERVING)
def create_basket():
    """Record a basket once per Idempotency-Key: 201 when new, 200 with the same id when repeated."""
    require_trusted_clock()
    key = valid_idempotency_key(request.headers.get("Idempotency-Key"))
    if key is None:
        abort(400, _("En-tête Idempotency-Key manquant ou invalide (1 à 64 caractères)."))
    body = json_body()
    make_sure_categories_exist()
    digest = request_digest(body)
    try:
        if (existing := basket_for_key(key, digest)) is not None:
            return jsonify(id=existing.id), 200
        order = parse_basket(body, catalogue(), ba_cap_percent=ba_cap_percent(current_rules()))
        basket, created = record_basket(order, key, digest, served_by=served_by_for_request(),
                                        device=current_device(), override_by=on_duty())
    except KeyReused:
        fail(idempotency_key=_("Cette clé a déjà servi pour un autre panier."))
    except StillProcessing:
        abort(409, _("Ce panier est en cours d'enregistrement. Réessayez dans un instant."))
    return jsonify(id=basket.id), 201 if created else 200


@bp.get("/baskets")
@allow(*SERVING)
def list_baskets():
    """Today's baskets, latest first (cancelled ones included, marked)."""
    return jsonify([basket_json(basket) for basket in todays_baskets()])


@bp.put(f"/baskets/<{ID}:basket_id>")
@allow(*SERVING)
def update_basket(basket_id):
    """Correct one of today's baskets: its lines and the share paid."""
    basket = db.get_or_404(Basket, basket_id, description=_("Panier introuvable."))
    order = parse_basket(json_body(), catalogue(correcting=basket), with_household=False,
                         ba_cap_percent=ba_cap_percent(current_rules()))
    try:
        correct_basket(basket, order, by=on_duty(), device=current_device())
    except BasketError as exc:
        fail(basket=str(exc))
    return jsonify(basket_json(basket))


@bp.post(f"/baskets/<{ID}:basket_id>/cancel")
@allow(*SERVING)
def cancel(basket_id):
    """Cancel one of today's baskets (the undo after confirming, or later in the day)."""
    basket = db.get_or_404(Basket, basket_id, description=_("Panier introuvable."))
    try:
        cancel_basket(basket, by=on_duty(), device=current_device())
    except BasketError as exc:
        fail(basket=str(exc))
    return jsonify(basket_json(basket))


@bp.get("/households")
@allow(*SERVING)
def search_households():
    """Households whose name matches ?q= (any case, with or without accents)."""
    text = request.args.get("q", "")
    if len(text) > 100:
        abort(400, _("Recherche trop longue."))
    found = find_households(text, open_only=not sees_every_household())
    if found:
        record_reading(AuditAction.SEARCH, "household", None, {"rows": len(found)})
    return jsonify(found)


@bp.get(f"/households/<{ID}:participant_id>")
@allow(*SERVING)
def household(participant_id):
    """A household at a glance: access, allowance used this month, last visit, warnings."""
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.anonymised_at is not None or not (
            sees_every_household() or tablet_may_see(access_rows(participant.id), local_day())):
        abort(404, _("Foyer introuvable."))  # a tablet reads only the households it may serve
    summary = household_summary(participant)
    record_reading(AuditAction.VIEW, "household", participant.id)
    return jsonify(summary.as_json())


@bp.post("/households/lookup")
@allow(*SERVING)
def lookup_household():
    """A household at a glance from the code of their card (scanned)."""
    code = json_body().get("code")
    if not isinstance(code, str) or not code.strip() or len(code) > MAX_CODE:
        abort(400, _("Le code de la carte manque ou n'est pas un texte."))
    card = db.session.scalar(db.select(Card).where(Card.code_digest == code_digest(code)))
    if card is None or card.participant.anonymised_at is not None:
        abort(404, _("Carte inconnue."))
    if not card.is_working:
        abort(410, _("Cette carte a été remplacée par une nouvelle : demandez-la au foyer."))
    summary = household_summary(card.participant).as_json()
    record_audit(AuditAction.VIEW, "household", card.participant_id, {"by": "card"})
    return jsonify(summary)
