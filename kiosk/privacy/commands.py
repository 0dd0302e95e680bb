"""`kiosk retention`: anonymise people without contact for the retention period, trim the audit trail."""

import click

from kiosk.platform.console import CommandError
from kiosk.platform.extensions import db
from kiosk.privacy.retention import MAX_RETENTION_YEARS, MIN_RETENTION_YEARS, run_retention
from kiosk.privacy.scheduler import mark_run
from kiosk.settings import set_setting
from kiosk.sites.commands import NETWORK, site_option
from kiosk.sites.scope import site_ids as every_site_id
from kiosk.platform.timezone import local_day, utcnow
from kiosk.platform.unit_of_work import with_unit_of_work


@click.command("retention")
@click.option("--years", type=int, default=None,
              help="Change the retention period (years without contact) before running.")
@click.option("--dry-run", is_flag=True, help="Say who would be anonymised; change nothing.")
@with_unit_of_work
@site_option(when_left_out=NETWORK, pass_sites=True)
def retention_command(years, dry_run, site_ids):
    """Anonymise people without contact for the retention period (2 years unless set otherwise).
    With several centres and no --site: each centre in turn, with its own period."""
    if years is not None:
        if site_ids is None or len(site_ids) != 1:
            raise CommandError("--years change le réglage d'un centre : précisez --site NOM")
        if not MIN_RETENTION_YEARS <= years <= MAX_RETENTION_YEARS:
            raise CommandError(f"--years : entre {MIN_RETENTION_YEARS} et {MAX_RETENTION_YEARS} ans")
        if dry_run:
            raise CommandError("--years change le réglage : il ne va pas avec --dry-run")
        set_setting("retention_years", str(years))
    now = utcnow()
    result = run_retention(now, dry_run=dry_run)
    since = local_day(result.cutoff).strftime("%d/%m/%Y")
    if dry_run:
        db.session.rollback()
        click.echo(f"Simulation : {len(result.anonymised)} personne(s) sans contact depuis le {since} "
                   f"seraient anonymisée(s) ; {result.audit_deleted} événement(s) du journal de plus d'un an "
                   "seraient supprimé(s).")
        if result.anonymised:
            click.echo("Numéros : " + ", ".join(str(pid) for pid in result.anonymised))
        return
    if site_ids is None or site_ids == every_site_id():  # every centre served: the server's run is done
        mark_run(now)
    click.echo(f"{len(result.anonymised)} personne(s) sans contact depuis le {since} anonymisée(s) ; "
               f"{result.audit_deleted} événement(s) du journal de plus d'un an supprimé(s).")
