"""The stock's JSON API: an arrival recorded once per Idempotency-Key, and the stock by category."""

from flask import Blueprint, abort, jsonify, request
from flask_babel import gettext as _

from kiosk.auth.access import allow, current_device
from kiosk.epicerie.basket_request import valid_idempotency_key
from kiosk.epicerie.duty import served_by_for_request
from kiosk.epicerie.first_use import make_sure_categories_exist
from kiosk.epicerie.services import KeyReused, StillProcessing
from kiosk.models import DeviceKind, Role
from kiosk.platform.api import fail, json_body
from kiosk.platform.money import format_cents
from kiosk.stock.queries import stock_by_category
from kiosk.stock.services import record_arrival

bp = Blueprint("stock_api", __name__, url_prefix="/api/stock")
SERVING = (DeviceKind.TABLET, Role.VOLUNTEER, Role.COORDINATOR)


@bp.post("/arrivals")
@allow(*SERVING)
def create_arrival():
    """Record an arrival once per Idempotency-Key: 201 when new, 200 with the same id when repeated."""
    key = valid_idempotency_key(request.headers.get("Idempotency-Key"))
    if key is None:
        abort(400, _("En-tête Idempotency-Key manquant ou invalide (1 à 64 caractères)."))
    body = json_body()
    make_sure_categories_exist()
    try:
        arrival, created = record_arrival(key, body, by=served_by_for_request(), device=current_device())
    except KeyReused:
        fail(idempotency_key=_("Cette clé a déjà servi pour un autre arrivage."))
    except StillProcessing:
        abort(409, _("Cet arrivage est en cours d'enregistrement. Réessayez dans un instant."))
    return jsonify(id=arrival.id), 201 if created else 200


@bp.get("")
@allow(*SERVING)
def stock():
    """What is in stock, one row per active category: arrivals minus what left."""
    make_sure_categories_exist()
    return jsonify([
        {"category": row.category.code, "weight_kg": row.amount.weight_g / 1000,
         "value_eur": format_cents(row.amount.value_cents)}
        for row in stock_by_category(active_only=True)
    ])
