"""The calendar (coordinator, on a tablet too): the weekly pattern, sessions one by one, a term at
once, and the activities with their pictograms. Session pages live in session_views.py."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from kiosk.models import Activity
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from kiosk.programme import session_views  # noqa: F401  (its routes join the blueprint)
from kiosk.programme.blueprint import activity_choices, bp, show_error, weeks_around
from kiosk.programme.calendar import sessions_between, weekly_pattern
from kiosk.programme.forms import ActivityForm, PatternForm, SessionForm, TermForm
from kiosk.programme.queries import all_activities
from kiosk.programme.services import ProgrammeError, plan_session, plan_term, save_activity, set_pattern

__all__ = ["bp"]


def calendar_forms(**given) -> dict:
    """The calendar page's three forms, the ones given (holding their errors) or fresh ones."""
    pattern = weekly_pattern()
    forms = {
        "pattern_form": PatternForm(formdata=None, weekday="" if pattern.weekday is None else str(pattern.weekday),
                                    starts=pattern.starts, ends=pattern.ends),
        "session_form": SessionForm(formdata=None),
        "term_form": TermForm(formdata=None, start=local_day()),
    } | given
    activity_choices(forms["session_form"].activity)
    activity_choices(forms["term_form"].activities)
    return forms


def render_calendar(status: int = 200, **forms):
    """The calendar page: the coming weeks' sessions and the planning forms."""
    today = local_day()
    start, end = weeks_around(today)
    shown = [s for s in sessions_between(start, end) if s.id is not None or s.day >= today]  # past: what was held
    return render_template("programme/calendar.html", sessions=shown, today=today,
                           **calendar_forms(**forms)), status


@bp.get("")
def calendar():
    """The calendar: past four weeks, next twelve, and the planning forms."""
    return render_calendar()


@bp.post("/rythme")
def update_pattern():
    """Change the weekly pattern (the day and the hours of the workshop)."""
    form = PatternForm()
    if form.validate():
        try:
            set_pattern(int(form.weekday.data) if form.weekday.data else None, form.starts.data, form.ends.data)
        except ProgrammeError as error:
            show_error(form, error)
        else:
            flash(_("Rythme de la semaine enregistré."), "success")
            return redirect(url_for(".calendar"), code=303)
    return render_calendar(422, pattern_form=form)


@bp.post("/seances")
def plan():
    """Plan one session."""
    form = SessionForm()
    activity_choices(form.activity)
    if form.validate():
        try:
            row = plan_session(form.day.data, db.get_or_404(Activity, form.activity.data), form.capacity.data,
                               form.room.data, form.note.data)
        except ProgrammeError as error:
            show_error(form, error)
        else:
            flash(_("Atelier planifié."), "success")
            return redirect(url_for(".session", day=row.day.isoformat()), code=303)
    return render_calendar(422, session_form=form)


@bp.post("/trimestre")
def plan_many():
    """Plan a term: the weekly days of the next weeks, the chosen activities in turn."""
    form = TermForm()
    activity_choices(form.activities)
    if form.validate():
        chosen = [db.get_or_404(Activity, activity_id) for activity_id in form.activities.data]
        try:
            rows = plan_term(form.start.data, form.weeks.data, chosen, form.capacity.data)
        except ProgrammeError as error:
            show_error(form, error)
        else:
            flash(ngettext("%(num)d atelier planifié.", "%(num)d ateliers planifiés.", len(rows)), "success")
            return redirect(url_for(".calendar"), code=303)
    return render_calendar(422, term_form=form)


@bp.route("/activites", methods=["GET", "POST"])
def activities():
    """The activities and their pictograms; the centre adds its own."""
    form = ActivityForm()
    if form.validate_on_submit():
        try:
            save_activity(None, form.name.data, form.pictogram.data, True)
        except ProgrammeError as error:
            show_error(form, error)
        else:
            flash(_("Activité ajoutée."), "success")
            return redirect(url_for(".activities"), code=303)
    status = 422 if form.errors else 200
    return render_template("programme/activities.html", form=form, activities=all_activities()), status


@bp.route("/activites/<int:activity_id>", methods=["GET", "POST"])
def edit_activity(activity_id):
    """Rename an activity, change its pictogram, or stop offering it."""
    activity = db.get_or_404(Activity, activity_id)
    form = ActivityForm(obj=activity)
    if form.validate_on_submit():
        try:
            save_activity(activity, form.name.data, form.pictogram.data, form.active.data)
        except ProgrammeError as error:
            show_error(form, error)
        else:
            flash(_("Activité enregistrée."), "success")
            return redirect(url_for(".activities"), code=303)
    status = 422 if form.errors else 200
    return render_template("programme/activity.html", form=form, activity=activity), status
