"""A session's page: its details, cancelling it, registrations and the waiting list, the roster;
and taking back a presence recorded by mistake. Referents see and register their own people only."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from kiosk.auth.access import allow
from kiosk.models import Activity, CheckIn, Participant, Registration, Role
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from kiosk.programme.blueprint import activity_choices, bp, day_from_url, show_error
from kiosk.programme.calendar import sessions_between
from kiosk.programme.corrections import may_remove, remove_checkin
from kiosk.programme.forms import CancelForm, RegisterForm, RemovePresenceForm, SessionForm
from kiosk.programme.queries import registrable_people, roster
from kiosk.programme.registrations import may_register, register, unregister
from kiosk.programme.services import ProgrammeError, cancel_session, day_row, update_session


def render_session(day, status=200, **given):
    """The session page for the current user, with the forms given (holding their errors) or fresh ones."""
    found = sessions_between(day, day)
    if not found:
        abort(404)
    row = day_row(day)
    coordinator = current_user.role == Role.COORDINATOR
    people = registrable_people(None if coordinator else current_user.referrer_id or -1)
    forms = {
        "edit_form": SessionForm(formdata=None, day=day, activity=row and row.activity_id,
                                 capacity=row and row.capacity, room=row and row.room, note=row and row.note),
        "cancel_form": CancelForm(formdata=None),
        "register_form": RegisterForm(formdata=None),
    } | given
    activity_choices(forms["edit_form"].activity)
    forms["register_form"].participant.choices = [SelectChoice(p.id, f"{p.last_name} {p.first_name}") for p in people]
    return render_template(
        "programme/session.html", session=found[0], row=row, today=local_day(), coordinator=coordinator,
        roster=roster(row, lambda participant: may_register(current_user, participant)),
        remove_form=RemovePresenceForm(formdata=None), **forms,
    ), status


@bp.get("/seance/<day>")
@allow(Role.COORDINATOR, Role.REFERENT)
def session(day):
    """A session: details, registrations, waiting list, and the roster (expected, came, did not come)."""
    return render_session(day_from_url(day))


@bp.post("/seance/<day>/modifier")
def edit_session(day):
    """Change a session's activity, capacity, room or note."""
    day = day_from_url(day)
    row = day_row(day)
    form = SessionForm()
    activity_choices(form.activity)
    form.day.data = day
    if row is None or not form.validate():
        return render_session(day, 422, edit_form=form)
    try:
        update_session(row, db.get_or_404(Activity, form.activity.data), form.capacity.data, form.room.data,
                       form.note.data)
    except ProgrammeError as error:
        show_error(form, error)
        return render_session(day, 422, edit_form=form)
    flash(_("Atelier modifié."), "success")
    return redirect(url_for(".session", day=day.isoformat()), code=303)


@bp.post("/seance/<day>/annuler")
def cancel(day):
    """Cancel a session with its reason (confirmed when people are registered)."""
    day = day_from_url(day)
    form = CancelForm()
    if form.validate():
        try:
            cancel_session(day, form.reason.data, form.confirm.data)
        except ProgrammeError as error:
            show_error(form, error)
        else:
            flash(_("Atelier annulé : personne n'est compté absent ce jour-là."), "success")
            return redirect(url_for(".calendar"), code=303)
    return render_session(day, 422, cancel_form=form)


@bp.post("/seance/<day>/inscrire")
@allow(Role.COORDINATOR, Role.REFERENT)
def add_registration(day):
    """Register someone (a referent: one of their own people); on the waiting list when it is full."""
    day = day_from_url(day)
    form = RegisterForm()
    form.participant.choices = [SelectChoice(p.id, "") for p in registrable_people()]
    if form.validate():
        try:
            made = register(day, db.get_or_404(Participant, form.participant.data), current_user)
        except ProgrammeError as error:
            show_error(form, error)
        else:
            flash(_("Sur la liste d'attente.") if made.waiting else _("Inscription enregistrée."), "success")
            return redirect(url_for(".session", day=day.isoformat()), code=303)
    return render_session(day, 422, register_form=form)


@bp.post("/inscriptions/<int:registration_id>/retirer")
@allow(Role.COORDINATOR, Role.REFERENT)
def remove_registration(registration_id):
    """Take someone off a session; the first person waiting moves up into the freed place."""
    registration = db.get_or_404(Registration, registration_id)
    day = registration.workshop_day.day
    if not may_register(current_user, registration.participant):
        abort(404)
    moved = unregister(registration, current_user)
    flash(_("Inscription retirée.") + (" " + _("La première personne en attente a reçu la place.") if moved else ""),
          "success")
    return redirect(url_for(".session", day=day.isoformat()), code=303)


@bp.route("/presences/<int:checkin_id>/retirer", methods=["GET", "POST"])
@allow(Role.COORDINATOR, Role.VOLUNTEER)
def remove_presence(checkin_id):
    """Take back a presence recorded by mistake, with a reason (audited)."""
    checkin = db.get_or_404(CheckIn, checkin_id)
    if not may_remove(current_user, checkin):
        abort(403)
    form = RemovePresenceForm()
    if form.validate_on_submit():
        day = checkin.workshop_day.day
        remove_checkin(checkin, current_user, form.reason.data)
        flash(_("Présence retirée."), "success")
        back = ".session" if current_user.role == Role.COORDINATOR else "checkin.host"
        return redirect(url_for(back, **({"day": day.isoformat()} if back == ".session" else {})), code=303)
    return render_template("programme/remove_presence.html", form=form, checkin=checkin), 422 if form.errors else 200
