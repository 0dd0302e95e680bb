"""The kiosk screen, and the host's desk for people without their card (issue 4); the JSON is in api.py."""

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.audit import AuditAction, record_reading
from kiosk.auth.access import PUBLIC, allow
from kiosk.checkin import queries
from kiosk.checkin.api import bp as api_bp
from kiosk.checkin.forms import HostCheckInForm, HostSearchForm
from kiosk.checkin.services import check_in_by_host
from kiosk.platform.extensions import db
from kiosk.models import DeviceKind, Participant, Role
from kiosk.people.search import search_participants
from kiosk.platform.timezone import local_day, to_local
from kiosk.programme.calendar import NoWorkshopDay
from kiosk.programme.kiosk_screen import kiosk_context

bp = Blueprint("checkin", __name__)
bp.register_blueprint(api_bp)


def clock(moment) -> str:
    """A time as people say it: « 14 h 02 » in French, 14:02 in English."""
    return format_datetime(to_local(moment), _("H 'h' mm"))


@bp.get("/kiosk")
@allow(DeviceKind.KIOSK, Role.COORDINATOR)
def kiosk_screen():
    """The screen at the entrance: it scans cards by camera or scanner, and greets by first name."""
    return render_template("checkin/kiosk.html", time_zone=current_app.config["TIMEZONE"], **kiosk_context())


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
