"""The stock blueprint (pages under /stock, the JSON API under /api/stock) and what its pages share."""

from flask import Blueprint
from flask_login import current_user

from kiosk.dashboard.formatting import HELPERS
from kiosk.models import Role
from kiosk.stock import labels
from kiosk.stock.api import bp as api_bp

bp = Blueprint("stock", __name__)
bp.register_blueprint(api_bp)


def is_coordinator() -> bool:
    return current_user.is_authenticated and current_user.role == Role.COORDINATOR


@bp.context_processor
def stock_helpers() -> dict:
    return {**HELPERS, "stock_labels": labels, "is_coordinator": is_coordinator()}
