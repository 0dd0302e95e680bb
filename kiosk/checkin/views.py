"""The kiosk screen, the check-in API, and the host's desk for people without their card (issue 4)."""

from datetime import timezone
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.platform.api import fail, json_body
from kiosk.platform.clock import require_trusted_clock
from kiosk.audit import AuditAction, record_reading
from kiosk.auth.access import PUBLIC, allow, current_device
from kiosk.checkin import queries
from kiosk.checkin.forms import BadScan, BadScanTime, HostCheckInForm, HostSearchForm, read_scan
from kiosk.checkin.services import CardRefused, CheckInResult, check_in_by_card, check_in_by_host
from kiosk.platform.extensions import db
from kiosk.models import DeviceKind, Participant, RefusalReason, Role
from kiosk.people.search import search_participants
from kiosk.platform.timezone import local_day, to_local
from kiosk.programme.calendar import NoWorkshopDay
from kiosk.programme.kiosk_screen import kiosk_context, no_workshop_answer
from kiosk.platform.unit_of_work import reads_first

bp = Blueprint("checkin", __name__)


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


def clock(moment) -> str:
    """A time as people say it: « 14 h 02 » in French, 14:02 in English."""
    return format_datetime(to_local(moment), _("H 'h' mm"))


def checkin_answer(result: CheckInResult) -> dict:
    return {
        "status": "checked_in" if result.created else "already",
        "first_name": result.first_name,
        "checked_in_at": result.checked_in_at.astimezone(timezone.utc).isoformat(timespec="seconds"),
        "activity": result.activity_name,
    }


@bp.get("/kiosk")
@allow(DeviceKind.KIOSK, Role.COORDINATOR)
def kiosk_screen():
    """The screen at the entrance: it scans cards by camera or scanner, and greets by first name."""
    return render_template("checkin/kiosk.html", time_zone=current_app.config["TIMEZONE"], **kiosk_context())


@bp.post("/api/checkins")
@allow(DeviceKind.KIOSK, Role.COORDINATOR, Role.VOLUNTEER)
@reads_first
def api_checkin():
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


@bp.get("/accueil")
@allow(Role.VOLUNTEER, Role.COORDINATOR)
def host():
    """The host's desk: find someone who forgot their card by name, and mark them present."""
    form = HostSearchForm(request.args)
    text = (form.q.data or "").strip() if form.validate() else ""
    people = search_participants(text) if text else []
    if people:
        record_reading(AuditAction.SEARCH, "participant", None, {"rows": len(people), "screen": "host"})
    today = local_day()
    return render_template(
        "checkin/host.html",
        form=form,
        text=text,
        people=people,
        present=queries.checkins_on_day(today, (p.id for p in people)),
        present_count=queries.count_checkins_on_day(today),
        clock=clock,
    )


@bp.post("/accueil/<int:participant_id>/present")
@allow(Role.VOLUNTEER, Role.COORDINATOR)
def host_checkin(participant_id):
    """Mark one person present today, recording which host did it."""
    form = HostCheckInForm()
    participant = db.get_or_404(Participant, participant_id)
    if participant.anonymised_at is not None:
        abort(404)
    name = f"{participant.first_name} {participant.last_name}"
    try:
        result = check_in_by_host(participant.id, current_user.id)
    except NoWorkshopDay as closed:  # nothing was stored
        flash(closed.message, "error")
        return redirect(url_for(".host"), code=303)
    when = clock(result.checked_in_at)
    if result.created:
        flash(_("%(name)s : présence enregistrée à %(time)s.", name=name, time=when), "success")
    else:
        flash(_("%(name)s : présence déjà enregistrée aujourd'hui à %(time)s.", name=name, time=when), "success")
    q = (form.q.data or "").strip()[:80]
    return redirect(url_for(".host", q=q or None), code=303)


@bp.get("/ca.crt")
@allow(PUBLIC)
def box_certificate():
    """The box's own certificate authority, for tablets to trust once (see README, HTTPS)."""
    from kiosk.platform.tls import ca_certificate_path

    path: Path = ca_certificate_path(current_app.instance_path)
    if not path.is_file():
        abort(404, _("Aucun certificat : le serveur n'a pas été lancé avec --https."))
    return send_file(path, mimetype="application/x-x509-ca-cert", as_attachment=True,
                     download_name="cepourmoi-ca.crt", max_age=0)
