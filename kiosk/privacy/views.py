"""Privacy: the public notice, one person's data (page, file, anonymisation), retention, audit trail."""

import json

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.audit import AuditAction, record_audit, record_reading
from kiosk.auth.access import PUBLIC, allow
from kiosk.platform.downloads import download
from kiosk.platform.extensions import db
from kiosk.models import Participant, Role
from kiosk.people.search import search_participants
from kiosk.privacy.export import personal_data
from kiosk.privacy.forms import AnonymiseForm, RetentionForm
from kiosk.privacy.labels import template_globals
from kiosk.privacy.queries import PAGE_SIZE, audit_events
from kiosk.privacy.retention import (
    MAX_RETENTION_YEARS,
    MIN_RETENTION_YEARS,
    count_without_contact,
    retention_years,
    years_before,
)
from kiosk.privacy.scheduler import last_run
from kiosk.platform.routing import query_int
from kiosk.privacy.services import PrivacyError, anonymise_participant, participant_record
from kiosk.settings import get_setting, set_setting, settings_site
from kiosk.platform.timezone import utcnow

bp = Blueprint("privacy", __name__)
bp.context_processor(template_globals)  # the words for stored codes, in this blueprint's pages


@bp.get("/confidentialite")
@allow(PUBLIC)
def notice():
    """The information notice for participants: what is kept, why, who sees it, how long, their rights."""
    from kiosk.centre.services import centre_identity, every_centre_notice, has_logo

    if settings_site() is None:  # several centres, and nobody a site knows: every centre's, the network's
        centres = every_centre_notice()
        spans = {centre.retention_years for centre in centres}
        return render_template("privacy/notice.html", centre=centre_identity(with_logo=False).name,
                               years=spans.pop() if len(spans) == 1 else None, centres=centres,
                               identity={"logo": has_logo(), "address_lines": [], "privacy_contact": ""})
    identity = centre_identity(with_logo=False)
    return render_template("privacy/notice.html", centre=identity.name, years=retention_years(), centres=[],
                           identity={"logo": has_logo(), "address_lines": identity.address_lines,
                                     "privacy_contact": identity.privacy_contact})


@bp.get("/confidentialite/gestion")
@allow(Role.COORDINATOR)
def manage():
    """The coordinator's privacy desk: find one person's data, the retention period, the audit trail."""
    text = request.args.get("q", "").strip()[:80]
    found = search_participants(text, limit=30, active_only=False) if text else []
    number = query_int(request.args, "q")
    if number is not None and (by_number := db.session.get(Participant, number)) is not None:
        found = [by_number] + [p for p in found if p.id != by_number.id]
    years = retention_years()
    due = count_without_contact(years_before(utcnow(), years))
    return render_template("privacy/manage.html", q=text, found=found, form=RetentionForm(years=years),
                           due=due, last_run=last_run())


@bp.post("/confidentialite/conservation")
@allow(Role.COORDINATOR)
def update_retention():
    """Change the retention period (years without contact before anonymisation)."""
    form = RetentionForm()
    if not form.validate_on_submit():
        flash(_("Durée refusée : un nombre entier d'années, de %(min)s à %(max)s.",
                min=MIN_RETENTION_YEARS, max=MAX_RETENTION_YEARS), "error")
        return redirect(url_for("privacy.manage"), code=303)
    before = get_setting("retention_years")
    set_setting("retention_years", str(form.years.data))
    record_audit(AuditAction.UPDATE, "setting", None, {"key": "retention_years", "before": before})
    flash(_("Durée de conservation enregistrée."), "success")
    return redirect(url_for("privacy.manage"), code=303)


@bp.get("/confidentialite/participants/<int:participant_id>")
@allow(Role.COORDINATOR)
def participant_data(participant_id):
    """Everything held about one participant, printable; the consultation is recorded."""
    participant = db.get_or_404(Participant, participant_id)
    record_reading(AuditAction.VIEW, "participant", participant_id)
    record = participant_record(participant)
    return render_template("privacy/participant.html", record=record, form=AnonymiseForm())


@bp.get("/confidentialite/participants/<int:participant_id>/donnees.json")
@allow(Role.COORDINATOR)
def participant_export(participant_id):
    """The same data as a JSON file to download (no card codes); the download is recorded."""
    participant = db.get_or_404(Participant, participant_id)
    record_reading(AuditAction.EXPORT, "participant", participant_id)
    data = personal_data(participant_record(participant))
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return download(body, f"donnees-participant-{participant_id}.json", "application/json")


@bp.post("/confidentialite/participants/<int:participant_id>/anonymiser")
@allow(Role.COORDINATOR)
def anonymise(participant_id):
    """Anonymise one participant at their request, once the coordinator has ticked the confirmation."""
    participant = db.get_or_404(Participant, participant_id)
    form = AnonymiseForm()
    back = redirect(url_for("privacy.participant_data", participant_id=participant_id), code=303)
    if not form.validate_on_submit():
        flash(_("Cochez la case pour confirmer. Rien n'a été changé."), "error")
        return back
    try:
        anonymise_participant(participant, "request")
    except PrivacyError:
        flash(_("Les données de cette personne sont déjà anonymisées."), "warning")
        return back
    flash(_("C'est fait : le nom, le prénom, le téléphone, l'année de naissance et le sexe sont effacés. Les chiffres restent justes."), "success")
    return back


@bp.get("/confidentialite/journal")
@allow(Role.COORDINATOR)
def audit_log():
    """Who looked at or changed which record, newest first (one year is kept); a network user: the
    network's own entries, none of a centre's."""
    before = query_int(request.args, "avant")
    participant_id = query_int(request.args, "participant")
    rows = audit_events(before_id=before, entity="participant" if participant_id else None,
                        entity_id=participant_id, network_level=current_user.role == Role.NETWORK)
    older = rows[-1][0].id if len(rows) == PAGE_SIZE else None
    return render_template("privacy/audit.html", rows=rows, older=older, participant_id=participant_id)
