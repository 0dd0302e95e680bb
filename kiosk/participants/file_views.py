"""Spreadsheets in and out: the import page (upload, preview, confirm) and the list's export."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from kiosk.audit import record_audit
from kiosk.platform.downloads import download
from kiosk.platform.extensions import db
from kiosk.participants.blueprint import bp, record_reading
from kiosk.participants.forms import ConfirmImportForm, ImportForm
from kiosk.participants.importing import apply_import, plan_import
from kiosk.participants.queries import ListFilter, export_participants
from kiosk.participants.spreadsheets import SpreadsheetError
from kiosk.participants.staging import drop_upload, load_upload, purge_old_uploads, stage_upload
from kiosk.platform.timezone import local_day

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/import", methods=["GET", "POST"])
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
            return render_template("participants/import_preview.html", plan=plan, confirm=confirm,
                                   filename=form.file.data.filename)
    return render_template("participants/import.html", form=form), 422 if form.errors else 200


@bp.post("/import/confirm")
def import_confirm():
    """Import the previewed file for real (checked again against the records of now)."""
    form = ConfirmImportForm()
    data = load_upload(form.token.data) if form.validate_on_submit() else None
    if data is None:
        flash(_("Le fichier n'est plus disponible : envoyez-le de nouveau."), "error")
        return redirect(url_for("participants.import_file"), code=303)
    plan = plan_import(data)
    apply_import(plan)
    record_audit("import", "participant", None, {"created": len(plan.to_create), "skipped": len(plan.skipped)})
    db.session.commit()
    drop_upload(form.token.data)
    flash(_("Import terminé : %(created)s, %(skipped)s, %(refused)s.",
            created=ngettext("%(num)s participant ajouté", "%(num)s participants ajoutés", len(plan.to_create)),
            skipped=ngettext("%(num)s déjà présent", "%(num)s déjà présents", len(plan.skipped)),
            refused=ngettext("%(num)s ligne refusée", "%(num)s lignes refusées", len(plan.errors))))
    return redirect(url_for("participants.index", status="all"), code=303)


@bp.get("/export.csv")
def export_csv():
    """The list (with its filters) as a CSV file for Excel."""
    from kiosk.participants.exporting import to_csv  # here, not at start: keeps the server small
    participants = export_participants(ListFilter.from_args(request.args))
    content = to_csv(participants)
    record_reading("export", None, {"format": "csv", "rows": len(participants)})
    return download(content, f"participants-{local_day().isoformat()}.csv", "text/csv; charset=utf-8")


@bp.get("/export.xlsx")
def export_xlsx():
    """The list (with its filters) as an Excel workbook."""
    from kiosk.participants.exporting import to_xlsx  # here, not at start: keeps the server small
    participants = export_participants(ListFilter.from_args(request.args))
    content = to_xlsx(participants)
    record_reading("export", None, {"format": "xlsx", "rows": len(participants)})
    return download(content, f"participants-{local_day().isoformat()}.xlsx", XLSX)

