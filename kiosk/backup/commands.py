"""`kiosk backup` (one file, or a rotated folder on a second disk or USB stick) and `kiosk restore`."""

import click
from flask.cli import with_appcontext

from kiosk.backup.crypto import PASSPHRASE_ENV, passphrase_from_env
from kiosk.backup.restore import restore_from
from kiosk.backup.snapshot import BackupError, backup_into, backup_to
from kiosk.platform.console import CommandError

DEFAULT_KEEP = 7


def _passphrase(encrypt: bool) -> str | None:
    if not encrypt:
        return None
    passphrase = passphrase_from_env()
    if not passphrase:
        raise CommandError(f"--encrypt demande une phrase de passe dans {PASSPHRASE_ENV}")
    if len(passphrase) < 8:
        raise CommandError(f"la phrase de passe de {PASSPHRASE_ENV} est trop courte (8 caractères au moins)")
    return passphrase


@click.command("backup")
@click.option("--out", default=None, type=click.Path(dir_okay=False), help="One backup file, at this path.")
@click.option("--dir", "directories", multiple=True, type=click.Path(file_okay=False),
              help="A folder (second disk, USB stick) for timestamped backups; may be given twice.")
@click.option("--keep", default=None, type=int, help=f"With --dir: how many backups to keep (default {DEFAULT_KEEP}).")
@click.option("--encrypt", is_flag=True, help=f"Encrypt with the passphrase in {PASSPHRASE_ENV}.")
@with_appcontext
def backup_command(out, directories, keep, encrypt):
    """Write a consistent copy of the live database (safe while the server runs)."""
    if bool(out) == bool(directories):
        raise CommandError("indiquez soit --out FICHIER, soit --dir DOSSIER")
    if keep is not None and out:
        raise CommandError("--keep va avec --dir, pas avec --out")
    if keep is not None and keep < 1:
        raise CommandError("--keep doit valoir au moins 1")
    passphrase = _passphrase(encrypt)
    note = ", chiffrée" if encrypt else ""
    if out:
        try:
            size = backup_to(out, passphrase)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        click.echo(f"Sauvegarde écrite : {out} ({size} octets, intégrité vérifiée{note}).")
        return
    failures = []
    for directory in directories:
        try:
            result = backup_into(directory, keep or DEFAULT_KEEP, passphrase)
        except BackupError as exc:
            failures.append(str(exc))
            continue
        click.echo(f"Sauvegarde écrite : {result.path} ({result.size} octets, intégrité vérifiée{note}).")
        if result.removed:
            click.echo(f"Anciennes sauvegardes supprimées : {', '.join(p.name for p in result.removed)}")
    if failures:
        raise CommandError(" ; ".join(failures))


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(file, yes):
    """Put a backup back in place of the database (a copy of the current one is kept), then upgrade it."""
    from kiosk.platform.schema import upgrade_schema

    if not yes:
        click.confirm(f"Remplacer la base actuelle par {file} ? (une copie de l'actuelle sera gardée)", abort=True)
    try:
        result = restore_from(file, passphrase_from_env())
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    if result.kept_copy:
        click.echo(f"Copie de la base d'avant gardée : {result.kept_copy}")
    upgrade_schema()
    click.echo(f"Base restaurée depuis {file} et mise à jour.")
    if result.replaced_file:
        click.echo("La base d'avant était abîmée : redémarrez le serveur (kiosk serve).")


def check_before_serving() -> None:
    """`kiosk serve` runs this first: PRAGMA quick_check, and no server on a damaged database."""
    from kiosk.backup.restore import check_database, storage_problem

    fault = storage_problem()
    if fault:
        raise CommandError(fault)
    problem = check_database()
    if problem:
        raise CommandError(
            f"la base de données est abîmée ({problem}) ; le serveur ne démarre pas. "
            "Restaurez la dernière sauvegarde : kiosk restore FICHIER"
        )
