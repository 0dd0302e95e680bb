"""A person's path, shown and edited by the coordinator, and by a referent for the people they referred."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from kiosk.auth.access import allow
from kiosk.platform.forms import EmptyForm
from kiosk.models import Moment, Participant, Role
from kiosk.outcomes import labels
from kiosk.outcomes.forms import AssessmentForm, DemographicsForm, KindForm, MilestoneForm, SituationForm
from kiosk.outcomes.queries import milestone_kinds, person_path
from kiosk.outcomes.services import (
    OutcomeError, add_milestone_kind, delete_milestone, record_milestone, save_assessment, save_situation,
    set_demographics,
)
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day

bp = Blueprint("outcomes", __name__, url_prefix="/parcours")
STAFF = (Role.COORDINATOR, Role.REFERENT)


@bp.context_processor
def outcome_labels():
    return {"outcome_labels": labels, "kind_label": labels.kind_label}


def person(participant_id: int) -> Participant:
    """The participant, or 404: anonymised, or (for a referent) someone they did not refer."""
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.anonymised_at is not None:
        abort(404)
    if current_user.role == Role.REFERENT and participant.referrer_id != current_user.referrer_id:
        abort(404)
    return participant


def render_path(participant, status=200, **forms):
    p = participant
    milestone_form = forms.get("milestone_form") or MilestoneForm(formdata=None, happened_on=local_day())
    milestone_form.kind.choices = [SelectChoice(k.id, labels.kind_label(k)) for k in milestone_kinds()]
    return render_template(
        "outcomes/path.html", path=person_path(p), milestone_form=milestone_form, delete_form=EmptyForm(),
        demographics_form=forms.get("demographics_form") or DemographicsForm(
            formdata=None, birth_year=p.birth_year, sex=p.sex or "", adults=p.adults, children=p.children),
        situation_form=forms.get("situation_form") or SituationForm(formdata=None, recorded_on=local_day()),
    ), status


def refused(participant, form_name, form, error: OutcomeError):
    """The page again, the refusal beside its field, nothing stored (services refuse before writing)."""
    if error.field and error.field in form:
        form[error.field].errors = [str(error)]
    else:
        flash(str(error), "error")
    return render_path(participant, 422, **{form_name: form})


def saved(participant, message: str, anchor: str):
    flash(message, "success")
    return redirect(url_for(".show", participant_id=participant.id, _anchor=anchor), code=303)


@bp.get("/<int:participant_id>")
@allow(*STAFF)
def show(participant_id):
    """The person's path: milestones, self-assessments, situations, and the optional figures."""
    return render_path(person(participant_id))


@bp.post("/<int:participant_id>/reperes")
@allow(*STAFF)
def demographics(participant_id):
    """Save the optional year of birth, sex, adults and children."""
    participant, form = person(participant_id), DemographicsForm()
    try:
        if not form.validate():
            raise OutcomeError(_("Des nombres entiers, ou rien."))
        set_demographics(participant, form.birth_year.data, form.sex_value(), form.adults.data,
                         form.children.data, local_day())
    except OutcomeError as error:
        return refused(participant, "demographics_form", form, error)
    return saved(participant, _("Repères enregistrés."), "demographics-title")


@bp.post("/<int:participant_id>/etapes")
@allow(*STAFF)
def add_milestone(participant_id):
    """Add a dated step to the person's path."""
    participant, form = person(participant_id), MilestoneForm()
    try:
        form.validate()
        if form.happened_on.errors:
            raise OutcomeError(_("Indiquez la date (JJ/MM/AAAA)."), "happened_on")
        record_milestone(participant, form.kind.data, form.happened_on.data, form.result.data, local_day(),
                         current_user)
    except OutcomeError as error:
        return refused(participant, "milestone_form", form, error)
    return saved(participant, _("Étape ajoutée."), "milestones-title")


@bp.post("/<int:participant_id>/etapes/<int:milestone_id>/supprimer")
@allow(*STAFF)
def remove_milestone(participant_id, milestone_id):
    """Remove a step entered by mistake."""
    participant = person(participant_id)
    try:
        delete_milestone(participant, milestone_id)
    except OutcomeError:
        abort(404)
    return saved(participant, _("Étape retirée."), "milestones-title")


@bp.post("/<int:participant_id>/situation")
@allow(*STAFF)
def situation(participant_id):
    """Save the situation at entry or at exit (employment, training, resources)."""
    participant, form = person(participant_id), SituationForm()
    try:
        if not form.validate():
            field = next(iter(form.errors))
            raise OutcomeError(_("Indiquez la date (JJ/MM/AAAA).") if field == "recorded_on"
                               else _("Choisissez dans la liste."), field)
        save_situation(participant, *form.values()[:1], form.recorded_on.data, *form.values()[1:], local_day())
    except OutcomeError as error:
        return refused(participant, "situation_form", form, error)
    return saved(participant, _("Situation enregistrée."), "situation-title")


@bp.route("/<int:participant_id>/ressenti/<any(entry, three_months, exit):moment>", methods=["GET", "POST"])
@allow(*STAFF)
def assessment(participant_id, moment):
    """The self-assessment with the person, on the tablet: five questions, a face to tap for each."""
    participant, moment = person(participant_id), Moment(moment)
    form = AssessmentForm()
    if form.is_submitted():
        try:
            if not form.validate():
                raise OutcomeError(_("Une réponse n'est pas dans l'échelle."))
            save_assessment(participant, moment, form.scores(), local_day())
            return saved(participant, _("Merci ! Les réponses sont notées."), "assessments-title")
        except OutcomeError as error:
            flash(str(error), "error")
    else:
        form = AssessmentForm(formdata=None, obj=person_path(participant).assessments.get(moment))
    return render_template("outcomes/assessment.html", participant=participant, moment=moment, form=form)


@bp.post("/etapes")
@allow(Role.COORDINATOR)
def add_kind():
    """Add a step of the centre's own to the list."""
    form = KindForm()
    try:
        kind = add_milestone_kind(form.label.data)
    except OutcomeError as error:
        flash(str(error), "error")
        return redirect(url_for("centre.settings", _anchor="kinds-title"), code=303)
    flash(_("Étape « %(label)s » ajoutée à la liste.", label=kind.label), "success")
    return redirect(url_for("centre.settings", _anchor="kinds-title"), code=303)
