"""`kiosk report --year YYYY --format json|xlsx|pdf --out FILE` (CONTRACT.md, "The year, as figures"), and
`kiosk figures check|rebuild [--site NAME]`: the stored figures behind it, recounted."""

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from kiosk.platform.console import CommandError
from kiosk.platform.unit_of_work import with_unit_of_work
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


@click.group("figures")
def figures_group():
    """The stored figures (baskets by site, month and category; each person's year; each workshop
    day's check-ins) and their recount from the records."""


@figures_group.command("check")
@with_appcontext
@site_option(when_left_out=NETWORK, pass_sites=True)
def figures_check(site_ids):
    """Recount the stored figures from the records; exit 1 and name each difference."""
    from kiosk.epicerie.month_figures import month_differences
    from kiosk.platform.extensions import db
    from kiosk.reports.counts import count_differences

    site = site_ids[0] if site_ids else None
    if db.engine.dialect.name == "postgresql":  # every recount on one snapshot, while the centres write
        db.session.rollback()
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    months, counts = month_differences(site), count_differences(site)
    for d in months[:50]:
        click.echo(f"{d.site} {d.month:%Y-%m} {d.category} : enregistré {d.stored[0]} lignes {d.stored[1]} g "
                   f"{d.stored[2]} c, recompté {d.counted[0]} lignes {d.counted[1]} g {d.counted[2]} c")
    for d in counts[:50]:
        click.echo(f"{d.site} {d.what} : enregistré {d.stored}, recompté {d.counted}")
    if months or counts:
        raise CommandError(f"{len(months) + len(counts)} chiffre(s) diffèrent du recomptage : "
                           "kiosk figures rebuild les refait")
    click.echo("Chiffres enregistrés conformes au recomptage.")


@figures_group.command("rebuild")
@with_unit_of_work
@site_option(when_left_out=NETWORK, pass_sites=True)
def figures_rebuild(site_ids):
    """Rewrite the stored figures from the records."""
    from kiosk.epicerie.month_figures import rebuild_basket_months
    from kiosk.reports.counts import rebuild_year_counts

    site = site_ids[0] if site_ids else None
    months, counts = rebuild_basket_months(site), rebuild_year_counts(site)
    click.echo(f"Chiffres enregistrés refaits : {months} ligne(s) (centre, mois, catégorie), "
               f"{counts} ligne(s) (personne et année, atelier).")
