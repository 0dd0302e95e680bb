"""The import page: upload a spreadsheet, preview what it would do, confirm (coordinators only)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from kiosk.imports.forms import ConfirmImportForm, ImportForm, same_person_choices
from kiosk.imports.services import apply_import, plan_import
from kiosk.imports.spreadsheets import SpreadsheetError, read_table
from kiosk.platform.unit_of_work import reads_first, write_lock
from kiosk.imports.staging import (
    drop_upload,
    load_upload,
    purge_old_uploads,
    stage_upload,
)

bp = Blueprint("imports", __name__, url_prefix="/participants")


@bp.route("/import", methods=["GET", "POST"])
@reads_first  # writes nothing in the database: reading a file holds no lock, check-ins go on meanwhile
def import_file():
    """Upload a spreadsheet and see, line by line, what importing it would do."""
    purge_old_uploads()
    form = ImportForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            plan = plan_import(data)
        except SpreadsheetError as error:
            form.file.errors = [*form.file.errors, str(error)]
        else:
            confirm = ConfirmImportForm(formdata=None, token=stage_upload(data))
            return render_template("imports/import_preview.html", plan=plan, confirm=confirm,
                                   filename=form.file.data.filename)
    return render_template("imports/import.html", form=form), 422 if form.errors else 200


@bp.post("/import/confirm")
@reads_first
def import_confirm():
    """Import the previewed file for real (checked again against the records of now)."""
    form = ConfirmImportForm()
    data = load_upload(form.token.data) if form.validate_on_submit() else None
    try:
        table = read_table(data) if data is not None else None
    except SpreadsheetError:
        table = None
    if table is None:
        flash(_("Le fichier n'est plus disponible : envoyez-le de nouveau."), "error")
        return redirect(url_for("imports.import_file"), code=303)
    # The file is read without the database's write lock (it may take seconds); the plan is made
    # again under the lock, against the records of now.
    write_lock()
    plan = plan_import(table)
    created, returned = apply_import(plan, same_person_choices(request.form))
    drop_upload(form.token.data)
    flash(_("Import terminé : %(created)s, %(returned)s, %(skipped)s, %(refused)s.",
            created=ngettext("%(num)s participant ajouté", "%(num)s participants ajoutés", len(created)),
            returned=ngettext("%(num)s retour", "%(num)s retours", len(returned)),
            skipped=ngettext("%(num)s déjà présent", "%(num)s déjà présents", len(plan.skipped)),
            refused=ngettext("%(num)s ligne refusée", "%(num)s lignes refusées", len(plan.errors))))
    return redirect(url_for("people.index", status="all"), code=303)
