"""The participants blueprint and what its route modules share (views, card_views, file_views)."""

from flask import Blueprint, abort
from flask_babel import format_date

from kiosk.audit import record_reading as audit_reading
from kiosk.platform.extensions import db
from kiosk.models import Participant
from kiosk.labels import exit_reason_label
from kiosk.settings import get_setting

bp = Blueprint("participants", __name__, url_prefix="/participants")


@bp.context_processor
def helpers() -> dict:
    """What the participants templates use besides their context."""
    return {"exit_reason_label": exit_reason_label, "centre_name": lambda: get_setting("centre_name")}


@bp.app_template_filter("dmy")
def day_month_year(value) -> str:
    """A date as DD/MM/YYYY, as the centre writes it."""
    return format_date(value, "dd/MM/yyyy") if value else ""


def get_participant(participant_id: int) -> Participant:
    """The participant, or 404 (an anonymised record is gone for these screens)."""
    participant = db.get_or_404(Participant, participant_id)
    if participant.anonymised_at is not None:
        abort(404)
    return participant


def record_reading(action: str, participant_id: int | None, details: dict | None = None) -> None:
    """Audit a participant page or export that only reads (see kiosk.audit.record_reading)."""
    audit_reading(action, "participant", participant_id, details)
