"""`kiosk participant import` (joins the `participant` group in kiosk/cli.py)."""

import click

from kiosk.imports.services import apply_import, plan_import
from kiosk.imports.spreadsheets import SpreadsheetError
from kiosk.platform.console import CommandError, emit_json
from kiosk.platform.unit_of_work import with_unit_of_work
from kiosk.sites.commands import site_option


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what would be imported; store nothing.")
@with_unit_of_work
@site_option()
def participant_import(file, dry_run):
    """Import participants from a CSV (French Excel) or XLSX file; the last line is JSON."""
    try:
        with open(file, "rb") as handle:
            data = handle.read()
        plan = plan_import(data)
    except OSError as exc:
        raise CommandError(f"impossible de lire {file} : {exc.strerror or exc}") from exc
    except SpreadsheetError as exc:
        raise CommandError(f"{file} : {exc}") from exc
    for error in plan.errors:
        click.echo(f"ligne {error['line']} refusée : {error['message']}")
    if dry_run:
        click.echo("Essai à blanc : rien n'a été enregistré.")
    else:
        apply_import(plan)
    emit_json(plan.summary())
