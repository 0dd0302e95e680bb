"""The coordinator's dashboard (the day, who to call back, trends, the report) and the referent's view."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.audit import AuditAction, record_reading
from kiosk.auth.access import allow
from kiosk.dashboard import labels
from kiosk.dashboard.followup import absent_participants, group_by_referrer, returns_after_calls
from kiosk.dashboard.day_lists import day_extras
from kiosk.dashboard.charts import trend_charts, trend_tables
from kiosk.dashboard.formatting import HELPERS
from kiosk.dashboard.forms import CallForm, DayNoteForm, ThresholdForm, parse_day
from kiosk.dashboard.queries import day_details, day_summary
from kiosk.dashboard.referent import referred_participants
from kiosk.reports.period import trends as last_year_trends
from kiosk.dashboard.services import FollowUpError, day_note, record_call, save_day_note, set_absent_days
from kiosk.platform.downloads import download
from kiosk.platform.extensions import db
from kiosk.models import Participant, Role
from kiosk.settings import get_int_setting, get_setting
from kiosk.platform.timezone import local_day, parse_iso_date
from kiosk.programme.queries import attendance_by_session

bp = Blueprint("dashboard", __name__)


@bp.context_processor
def dashboard_helpers():
    return {**HELPERS, "labels": labels}


def absent_days() -> int:
    return get_int_setting("followup_absent_days")


@bp.get("/dashboard")
@allow(Role.COORDINATOR)
def today():
    """The day: who came, baskets, the team on duty, refused cards (today or ?date=)."""
    day, error = parse_day(request.args.get("date"), local_day())
    return render_day(day, error), 400 if error else 200


def render_day(day, error=None, note_form=None):
    details = day_details(day, absent_days())
    note = day_note(day)
    return render_template("dashboard/today.html", d=details, **day_extras(day, details.baskets), error=error,
                           today=local_day(), note=note,
                           note_form=note_form or DayNoteForm(formdata=None, text=note.text if note else ""),
                           programme=attendance_by_session(day, day))


@bp.post("/dashboard/note/<day>")
@allow(Role.COORDINATOR)
def save_note(day):
    """Write, change or clear the note of a day, then back to that day."""
    parsed = parse_iso_date(day)
    if parsed is None:
        abort(404)
    form = DayNoteForm()
    if not form.validate_on_submit():
        return render_day(parsed, note_form=form), 422
    saved = save_day_note(parsed, form.text.data, current_user)
    flash(_("Note du jour enregistrée.") if saved else _("Note du jour effacée."), "success")
    return redirect(url_for(".today", date=parsed.isoformat()) + "#day-note", code=303)


@bp.get("/api/days/<day>")
@allow(Role.COORDINATOR)
def api_day(day):
    """One day's figures (CONTRACT.md): distinct people checked in, baskets, kilos, value, paid."""
    parsed = parse_iso_date(day)
    if parsed is None:
        abort(400, _("Date invalide : le format attendu est AAAA-MM-JJ."))
    return jsonify(day_summary(parsed).as_json())


@bp.get("/dashboard/rappels")
@allow(Role.COORDINATOR)
def followup():
    """Who to call back: people not seen for N workshop days, the calls made, who came back."""
    days = absent_days()
    people = absent_participants(local_day(), days)
    # Names and phone numbers of many people at once: audited, as its printed version is.
    record_reading(AuditAction.VIEW, "followup_list", None, {"rows": len(people), "screen": True})
    return render_template(
        "dashboard/followup.html", people=people, days=days, returns=returns_after_calls(),
        call_form=CallForm(), threshold_form=ThresholdForm(absent_days=days),
    )


@bp.post("/dashboard/rappels/<int:participant_id>/appels")
@allow(Role.COORDINATOR)
def followup_call(participant_id):
    """Record one attempt to reach someone (call, text, through the referrer) and what came of it."""
    participant = db.get_or_404(Participant, participant_id)
    if participant.anonymised_at is not None:
        abort(404)
    form = CallForm()
    if form.validate():
        record_call(participant, current_user, form.channel.data, form.outcome.data, form.note.data)
        flash(_("Essai noté."), "success")  # no name: flashes travel in the signed, unencrypted cookie
    else:
        flash(_("L'essai n'a pas été noté : choisissez le moyen et le résultat (note : 200 caractères au plus)."), "error")
    return redirect(url_for(".followup", _anchor=f"p{participant_id}"), code=303)


@bp.post("/dashboard/rappels/seuil")
@allow(Role.COORDINATOR)
def followup_threshold():
    """Change after how many missed workshop days someone is listed."""
    form = ThresholdForm()
    try:
        if not form.validate():
            raise FollowUpError(form.absent_days.errors[0] if form.absent_days.errors else "")
        set_absent_days(form.absent_days.data, current_user)
        flash(_("C'est noté : à rappeler après %(days)d ateliers manqués.", days=form.absent_days.data), "success")
    except FollowUpError:
        flash(_("Indiquez un nombre d'ateliers entre 1 et 26."), "error")
    return redirect(url_for(".followup"), code=303)


def _printed_groups():
    """All referrers' groups of absent people, and those asked for (?orienteur=ID, or all)."""
    groups = group_by_referrer(absent_participants(local_day(), absent_days()))
    selected = request.args.get("orienteur", type=int)
    return groups, selected, [g for g in groups if selected is None or g.id == selected]


def _rows(groups) -> int:
    return sum(len(group.people) for group in groups)


@bp.get("/dashboard/rappels/imprimer")
@allow(Role.COORDINATOR)
def followup_print():
    """The call-back list grouped by referrer, one page each when printed (?orienteur= for one)."""
    all_groups, selected, groups = _printed_groups()
    record_reading(AuditAction.VIEW, "followup_list", None, {"rows": _rows(groups), "referrer_id": selected})
    return render_template("dashboard/followup_print.html", all_groups=all_groups, selected=selected, groups=groups,
                           days=absent_days(), today=local_day(), centre=get_setting("centre_name"))


@bp.get("/dashboard/rappels.pdf")
@allow(Role.COORDINATOR)
def followup_list_pdf():
    """The call-back list as a PDF, one page per referrer."""
    from kiosk.reports.pdf import followup_pdf  # here, not at start: keeps the server small
    _all, selected, groups = _printed_groups()
    body = followup_pdf(groups, local_day(), absent_days(), get_setting("centre_name"))
    record_reading(AuditAction.EXPORT, "followup_list", None, {"format": "pdf", "rows": _rows(groups), "referrer_id": selected})
    return download(body, f"a-rappeler-{local_day().isoformat()}.pdf", "application/pdf")


@bp.get("/dashboard/tendances")
@allow(Role.COORDINATOR)
def trends():
    """Attendance and baskets week by week, entries and exits month by month, over twelve months."""
    data = last_year_trends(local_day())
    return render_template("dashboard/trends.html", charts=trend_charts(data), tables=trend_tables(data))


@bp.get("/referent")
@allow(Role.REFERENT)
def referent():
    """A social worker's view of the participants they referred, and of no one else."""
    view = referred_participants(current_user.referrer_id, local_day(), absent_days())
    record_reading(AuditAction.VIEW, "referent_list", None, {"referrer_id": current_user.referrer_id})
    return render_template("dashboard/referent.html", v=view, days=absent_days())
