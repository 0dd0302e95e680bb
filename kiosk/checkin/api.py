"""The check-in's JSON API: `POST /api/checkins`, the kiosk's scans (and the offline queue's)."""

from datetime import timezone

from flask import Blueprint, abort, jsonify
from flask_babel import gettext as _

from kiosk.auth.access import allow, current_device
from kiosk.checkin.forms import BadScan, BadScanTime, read_scan
from kiosk.checkin.services import CardRefused, CheckInResult, check_in_by_card
from kiosk.models import DeviceKind, RefusalReason, Role
from kiosk.platform.api import fail, json_body
from kiosk.platform.clock import require_trusted_clock
from kiosk.platform.unit_of_work import reads_first
from kiosk.programme.calendar import NoWorkshopDay
from kiosk.programme.kiosk_screen import no_workshop_answer

bp = Blueprint("api", __name__, url_prefix="/api")


def refusal_message(reason: RefusalReason) -> tuple[int, str]:
    """The status and the plain words of a refused card: 404 unknown, 410 for every card of ours."""
    if reason == RefusalReason.UNKNOWN:
        return 404, _("Carte inconnue.")
    return 410, {
        RefusalReason.REPLACED: _("Cette carte a été remplacée par une nouvelle carte."),
        RefusalReason.REVOKED: _("Cette carte a été arrêtée."),
        RefusalReason.EXITED: _("L'inscription liée à cette carte est terminée."),
        RefusalReason.ANONYMISED: _("Les informations liées à cette carte ont été effacées."),
    }[reason]


def checkin_answer(result: CheckInResult) -> dict:
    return {
        "status": "checked_in" if result.created else "already",
        "first_name": result.first_name,
        "checked_in_at": result.checked_in_at.astimezone(timezone.utc).isoformat(timespec="seconds"),
        "activity": result.activity_name,
    }


@bp.post("/checkins")
@allow(DeviceKind.KIOSK, Role.COORDINATOR, Role.VOLUNTEER)
@reads_first
def check_in():
    """Check in a card's holder: 201 the first time of the day, 200 with the first time after."""
    device = current_device()
    from_kiosk = device is not None and device.kind == DeviceKind.KIOSK
    reference = require_trusted_clock(kiosk_scan=from_kiosk)
    try:
        scan = read_scan(json_body(), reference, from_kiosk=from_kiosk)
    except BadScanTime as exc:
        fail(scanned_at=str(exc))
    except BadScan as exc:
        abort(400, str(exc))
    try:
        result = check_in_by_card(scan.code, scan.scanned_at, device_id=device.id if device else None)
    except CardRefused as refusal:
        status, message = refusal_message(refusal.reason)  # answered, not raised: the refusal is kept
        return jsonify(error=message, reason=refusal.reason.value), status
    except NoWorkshopDay as closed:  # nothing was stored
        return jsonify(no_workshop_answer(closed)), 409
    return jsonify(checkin_answer(result)), 201 if result.created else 200
