"""`kiosk report --year YYYY --format json|xlsx|pdf --out FILE` (CONTRACT.md, "The year, as figures")."""

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from kiosk.platform.console import CommandError
from kiosk.sites.commands import NETWORK, site_option

FIRST_YEAR, LAST_YEAR = 2000, 2100


@click.command("report")
@click.option("--year", type=int, required=True, help="The calendar year.")
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx", "pdf"]), required=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), required=True)
@with_appcontext
@site_option(when_left_out=NETWORK)
def report_command(year, fmt, out):
    """Write the year's report (the same figures as the report page) to FILE."""
    from kiosk.reports.documents import report_document
    from kiosk.reports.figures import year_report

    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CommandError(f"année {year} hors de la plage {FIRST_YEAR}–{LAST_YEAR}")
    path = Path(out)
    if not path.parent.is_dir():
        raise CommandError(f"dossier introuvable : {path.parent}")
    report = year_report(year)
    if fmt == "json":
        body = (json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n").encode()
    else:
        body = report_document(report, fmt)
    try:
        path.write_bytes(body)
    except OSError as exc:
        raise CommandError(f"impossible d'écrire {out} : {exc.strerror}") from exc
    click.echo(f"Bilan {year} écrit dans {out}.")
