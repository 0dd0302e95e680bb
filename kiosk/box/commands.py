"""`kiosk box ...`: install the box as a service, remove it, back it up each night, its certificate."""

import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from kiosk.platform.console import CommandError

DEFAULT_KEEP = 7


@click.group("box")
def box_group():
    """The box as an appliance: service, front server, backups, upgrades."""


def _settings(user: str, keep: int, clock: bool):
    from kiosk.box.units import BoxSettings

    return BoxSettings(user=user, kiosk=Path(sys.executable).with_name("kiosk"), venv=Path(sys.prefix),
                       instance=Path(current_app.instance_path).resolve(), static=Path(current_app.static_folder),
                       clock=clock, keep=keep)


def _check_root(dry_run: bool, root: str) -> Path:
    if not dry_run and root == "/" and os.geteuid() != 0:
        raise CommandError("il faut les droits d'administration : sudo .venv/bin/kiosk box ...")
    return Path(root).resolve()


def _carry_out(plan, root: Path, dry_run: bool) -> None:
    from kiosk.box.install import InstallError, apply

    if dry_run:
        for line in plan.lines():
            click.echo(line)
        return
    try:
        apply(plan, root, run_commands=root == Path("/"))
    except (InstallError, OSError) as exc:
        raise CommandError(str(exc)) from exc
    for note in plan.notes:
        click.echo(f"Note : {note}")


@box_group.command("install")
@click.option("--dry-run", is_flag=True, help="Print every file it would write and every command it would run.")
@click.option("--root", default="/", type=click.Path(file_okay=False),
              help="Write below this folder instead of / and run no command (to try it out).")
@click.option("--user", default="cepourmoi", show_default=True, help="The unprivileged user the service runs as.")
@click.option("--keep", default=DEFAULT_KEEP, type=click.IntRange(1, 365), show_default=True,
              help="Nightly backups kept in each folder.")
@click.option("--clock-setting/--no-clock-setting", "clock", default=True, show_default=True,
              help="Let the coordinator set the system clock from their device (CAP_SYS_TIME only).")
@with_appcontext
def install_command(dry_run, root, user, keep, clock):
    """Install the box as a service: systemd units, nightly backup, nginx, avahi, chrony."""
    from kiosk.box.install import InstallError, install_plan

    target = _check_root(dry_run, root)
    try:
        plan = install_plan(_settings(user, keep, clock), current_app.config["MAX_CONTENT_LENGTH"], target)
    except InstallError as exc:
        raise CommandError(str(exc)) from exc
    _carry_out(plan, target, dry_run)
    if not dry_run:
        click.echo("La boîte est installée : elle démarre seule, se sauvegarde chaque nuit ; "
                   "ouvrez https://cepourmoi.local/")


@box_group.command("uninstall")
@click.option("--dry-run", is_flag=True, help="Print what it would remove and run.")
@click.option("--root", default="/", type=click.Path(file_okay=False), help="As for install.")
@with_appcontext
def uninstall_command(dry_run, root):
    """Stop and remove the service, its timer and nginx site; the data stays."""
    from kiosk.box.install import uninstall_plan

    target = _check_root(dry_run, root)
    _carry_out(uninstall_plan(target), target, dry_run)
    if not dry_run:
        click.echo(f"Service retiré ; les données restent dans {current_app.instance_path}.")


@box_group.command("backup")
@click.option("--keep", default=DEFAULT_KEEP, type=click.IntRange(1, 365), show_default=True,
              help="Backups kept in each folder.")
@click.option("--usb-root", "usb_roots", multiple=True, type=click.Path(file_okay=False),
              help="Where USB keys are mounted (default /media and /mnt); may be given more than once.")
@click.option("--mounts", default="/proc/self/mounts", show_default=True, type=click.Path(dir_okay=False),
              help="The mount table read to find them.")
@with_appcontext
def backup_command(keep, usb_roots, mounts):
    """The nightly backup: in the instance folder and on each mounted USB key, rotated, encrypted
    when instance/backup-passphrase exists."""
    from kiosk.backup.snapshot import BackupError
    from kiosk.box.backup import nightly_backup, usb_keys
    from kiosk.box.units import USB_ROOTS

    try:
        outcome = nightly_backup(keep, usb_keys(usb_roots or USB_ROOTS, mounts))
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    note = ", chiffrée" if outcome.encrypted else ""
    for result in outcome.written:
        removed = f" ; {len(result.removed)} ancienne(s) supprimée(s)" if result.removed else ""
        click.echo(f"Sauvegarde écrite : {result.path} ({result.size} octets{note}{removed}).")
    if outcome.failures:
        raise CommandError(" ; ".join(outcome.failures))


@box_group.command("certificate")
@with_appcontext
def certificate_command():
    """Make or renew the box's own certificate (for cepourmoi.local and its addresses)."""
    from kiosk.box.network import BOX_NAME
    from kiosk.platform.tls import TLSError, ensure_box_certificate

    try:
        certfile, _keyfile = ensure_box_certificate(current_app.instance_path, [f"{BOX_NAME}.local", BOX_NAME])
    except TLSError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"Certificat de la boîte : {certfile}")


@box_group.command("upgrade")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def upgrade_command(file):
    """Install a new version (a wheel or source archive from a USB key), with a way back: backup,
    install, migrate, restart, check; on failure the previous version and database come back."""
    from kiosk.backup.snapshot import BackupError
    from kiosk.box.upgrade import UpgradeFailed, upgrade

    try:
        outcome = upgrade(Path(file))
    except (UpgradeFailed, BackupError) as exc:
        raise CommandError(str(exc)) from exc
    for step in outcome.steps:
        click.echo(step)
    if outcome.rolled_back:
        raise CommandError(f"la nouvelle version a été refusée ; la boîte est revenue à la version {outcome.previous}")
    click.echo(f"Boîte mise à jour : {outcome.previous} → {outcome.installed}.")


@box_group.command("health")
@with_appcontext
def health_command():
    """Build the app as this version does and ask its /healthz (used after an upgrade)."""
    response = current_app.test_client().get("/healthz")
    if response.status_code != 200:
        raise CommandError(f"/healthz répond {response.status_code}")
    click.echo("ok")
