"""Participants screens: the list and its export, adding, a participant's page, editing, leaving and coming back.

Coordinators only (no @allow: the default). Cards (kiosk/cards) and the import (kiosk/imports) have
their own screens under the same /participants/ paths.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from kiosk.audit import AuditAction, record_reading
from kiosk.cards.codes import unseal_code
from kiosk.cards.services import working_card
from kiosk.labels import exit_reason_label
from kiosk.people.phone import display_phone
from kiosk.people.forms import (
    EpicerieForm,
    ExitForm,
    NewParticipantForm,
    ParticipantForm,
    ReturnForm,
)
from kiosk.people.queries import ListFilter, epicerie_accesses, export_participants, get_participant, list_participants, referrers, same_person
from kiosk.cards.queries import count_unprinted
from kiosk.people.services import (
    ParticipantError,
    enrol_participant,
    open_epicerie_access,
    record_exit,
    record_return,
    update_participant,
)
from kiosk.platform.downloads import download
from kiosk.platform.forms import EmptyForm
from kiosk.platform.timezone import local_day
from kiosk.settings import get_setting

bp = Blueprint("people", __name__, url_prefix="/participants")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.app_context_processor
def helpers() -> dict:
    """What the participants, cards and import templates use besides their context."""
    return {"exit_reason_label": exit_reason_label, "centre_name": lambda: get_setting("centre_name")}


@bp.app_template_filter("phone")
def phone(value) -> str:
    """A stored phone number as people read it: 06 12 34 56 78."""
    return display_phone(value)


@bp.app_template_filter("dmy")
def day_month_year(value) -> str:
    """A date as DD/MM/YYYY, as the centre writes it."""
    return format_date(value, "dd/MM/yyyy") if value else ""


def show_error(form, error: ParticipantError) -> None:
    """Put a service's refusal next to its field, or at the top of the page."""
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error)]
    else:
        flash(str(error), "error")


@bp.get("")
def index():
    """The list: search as you type, present or left, by referrer (an HTML fragment for the live search)."""
    f = ListFilter.from_args(request.args)
    context = {"f": f, "page": list_participants(f)}
    if request.args.get("fragment") == "1":
        return render_template("people/_results.html", **context)
    return render_template(
        "people/index.html", **context, referrers=referrers(), unprinted=count_unprinted(), print_form=EmptyForm()
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Add a participant, with their card."""
    form = NewParticipantForm()
    if request.method == "GET":
        form.entered_on.data = local_day()
    duplicate = None
    if form.validate_on_submit():
        duplicate = same_person(form.first_name.data, form.last_name.data, form.referrer_name.data)
        if duplicate is None or form.same_person_checked.data:
            try:
                participant, _code = enrol_participant(**_details(form), entered_on=form.entered_on.data,
                                                       epicerie_until=form.epicerie_until.data)
            except ParticipantError as error:
                show_error(form, error)
            else:
                flash(_("Inscription enregistrée. La carte est prête à imprimer."))
                return redirect(url_for("people.show", participant_id=participant.id), code=303)
    status = 422 if form.errors or duplicate else 200
    return render_template("people/new.html", form=form, duplicate=duplicate, referrers=referrers()), status


def _details(form) -> dict:
    return {
        "first_name": form.first_name.data,
        "last_name": form.last_name.data,
        "phone": form.phone.data,
        "household_size": form.household_size.data,
        "referrer_name": form.referrer_name.data,
        "structure": form.structure.data,
    }


@bp.get("/<int:participant_id>")
def show(participant_id):
    """A participant's page: details, periods, épicerie, card."""
    participant = get_participant(participant_id)
    record_reading(AuditAction.VIEW, "participant", participant.id)
    return render_show(participant)


def render_show(participant, status=200, **forms):
    """The participant's page, with the forms given (holding their errors) or fresh ones."""
    card = working_card(participant)
    return render_template(
        "people/show.html",
        participant=participant,
        card=card,
        card_readable=card is not None and unseal_code(card.code_sealed) is not None,
        accesses=epicerie_accesses(participant),
        exit_form=forms.get("exit_form") or ExitForm(formdata=None, left_on=local_day()),
        return_form=forms.get("return_form") or ReturnForm(formdata=None, entered_on=local_day()),
        epicerie_form=forms.get("epicerie_form") or EpicerieForm(formdata=None),
        print_form=EmptyForm(),
        today=local_day(),
    ), status


@bp.route("/<int:participant_id>/edit", methods=["GET", "POST"])
def edit(participant_id):
    """Change a participant's details."""
    participant = get_participant(participant_id)
    form = ParticipantForm(obj=participant)
    if request.method == "GET":
        if participant.referrer:
            form.referrer_name.data = participant.referrer.name
            form.structure.data = participant.referrer.structure
        record_reading(AuditAction.VIEW, "participant", participant.id)
    if form.validate_on_submit():
        try:
            changed = update_participant(participant, **_details(form))
        except ParticipantError as error:
            show_error(form, error)
        else:
            flash(_("Modifications enregistrées.") if changed else _("Rien n'a changé."))
            return redirect(url_for("people.show", participant_id=participant.id), code=303)
    status = 422 if form.errors else 200
    return render_template("people/edit.html", form=form, participant=participant, referrers=referrers()), status


@bp.post("/<int:participant_id>/exit")
def leave(participant_id):
    """Record that a participant left the programme, and why."""
    participant = get_participant(participant_id)
    form = ExitForm()
    if form.validate_on_submit():
        try:
            record_exit(participant, form.left_on.data, form.reason.data,
                        close_epicerie=form.close_epicerie.data, stop_card=form.stop_card.data)
        except ParticipantError as error:
            show_error(form, error)
        else:
            flash(_("Sortie enregistrée."))
            return redirect(url_for("people.show", participant_id=participant.id), code=303)
    return render_show(participant, 422, exit_form=form)


@bp.post("/<int:participant_id>/return")
def come_back(participant_id):
    """Record that a participant comes back: a new period opens."""
    participant = get_participant(participant_id)
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            record_return(participant, form.entered_on.data, epicerie_until=form.epicerie_until.data)
        except ParticipantError as error:
            show_error(form, error)
        else:
            flash(_("Retour enregistré : la personne est de nouveau dans le programme."))
            return redirect(url_for("people.show", participant_id=participant.id), code=303)
    return render_show(participant, 422, return_form=form)


@bp.post("/<int:participant_id>/epicerie")
def epicerie(participant_id):
    """Open (or extend) a household's épicerie access from today."""
    participant = get_participant(participant_id)
    form = EpicerieForm()
    if form.validate_on_submit():
        try:
            open_epicerie_access(participant, form.until.data)
        except ParticipantError as error:
            form.until.errors = [*form.until.errors, str(error)]
        else:
            flash(_("Accès à l'épicerie ouvert."))
            return redirect(url_for("people.show", participant_id=participant.id), code=303)
    return render_show(participant, 422, epicerie_form=form)


@bp.get("/export.csv")
def export_csv():
    """The list (with its filters) as a CSV file for Excel."""
    from kiosk.people.exporting import to_csv  # here, not at start: keeps the server small
    participants = export_participants(ListFilter.from_args(request.args))
    content = to_csv(participants)
    record_reading(AuditAction.EXPORT, "participant", None, {"format": "csv", "rows": len(participants)})
    return download(content, f"participants-{local_day().isoformat()}.csv", "text/csv; charset=utf-8")


@bp.get("/export.xlsx")
def export_xlsx():
    """The list (with its filters) as an Excel workbook."""
    from kiosk.people.exporting import to_xlsx  # here, not at start: keeps the server small
    participants = export_participants(ListFilter.from_args(request.args))
    content = to_xlsx(participants)
    record_reading(AuditAction.EXPORT, "participant", None, {"format": "xlsx", "rows": len(participants)})
    return download(content, f"participants-{local_day().isoformat()}.xlsx", XLSX)
