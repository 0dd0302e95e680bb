"""The `kiosk` command: a Flask CLI group whose errors are one plain line, never a traceback."""

import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from kiosk.sites.commands import site_option
from kiosk.platform.console import CommandError
from kiosk.platform.extensions import db
from kiosk.platform.unit_of_work import with_unit_of_work


def _create_app():
    from kiosk import create_app

    return create_app()


cli = FlaskGroup(
    name="kiosk",
    create_app=_create_app,
    add_default_commands=False,
    load_dotenv=False,
    set_debug_flag=False,
    help="CéPourMoi : la boîte du centre social.",
)


def main() -> None:
    """Run the CLI; any error becomes one line on stderr and a non-zero exit."""
    try:
        code = cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Erreur : interrompu.", err=True)
        sys.exit(1)
    except click.exceptions.NoSuchOption as exc:
        click.echo(f"Erreur : option inconnue {exc.option_name}", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        message = " ".join(line.strip() for line in exc.format_message().splitlines() if line.strip())
        click.echo(f"Erreur : {message}", err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:  # the last line of defence: no traceback for a person
        click.echo(f"Erreur inattendue : {type(exc).__name__}: {exc}".splitlines()[0], err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the database schema (safe to run again; never drops data)."""
    from kiosk.platform.schema import upgrade_schema

    upgrade_schema()
    _stamp_stock_start()
    click.echo("Base de données à jour.")


def _stamp_stock_start() -> None:
    """A new box's stock starts today (or at its first arrival, if some were already typed)."""
    from kiosk.models import StockArrival
    from kiosk.platform.extensions import db
    from kiosk.platform.timezone import local_day
    from kiosk.platform.unit_of_work import unit_of_work
    from kiosk.stock.start import stamp_stock_start

    with unit_of_work():
        first = db.session.scalar(db.select(db.func.min(StockArrival.received_on)))
        stamp_stock_start(min(filter(None, (first, local_day()))))


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when data is already there.")
@with_unit_of_work
def demo_command(if_empty):
    """Load demo data into an empty database."""
    from kiosk.demo import DemoRefused, load_demo

    try:
        summary = load_demo()
    except DemoRefused as exc:
        if if_empty:
            return
        raise CommandError(str(exc)) from exc
    click.echo(summary)


@click.group("user")
def user_group():
    """Logins."""


@user_group.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(["coordinator", "volunteer", "referent", "network"]), required=True)
@click.option("--password", required=True)
@click.option("--referrer", "referrer_name", default=None, help="The referrer a referent is tied to.")
@click.option("--name", "display_name", default=None, help="The name shown (volunteers pick it).")
@click.option("--site", "site_names", multiple=True, metavar="NOM",
              help="Its centre (a referent: each centre they refer people to); not for a network user.")
@with_unit_of_work
def user_add(username, role, password, referrer_name, display_name, site_names):
    """Create a login."""
    from kiosk.auth.services import UserError, add_user
    from kiosk.models import Role
    from kiosk.sites.commands import resolve_sites

    if role == Role.NETWORK:
        if site_names:
            raise CommandError("un utilisateur du réseau voit tous les centres : sans --site")
        site_ids = []
    else:
        if len(site_names) > 1 and role != Role.REFERENT:
            raise CommandError("seul un référent peut avoir plusieurs --site")
        site_ids = resolve_sites(tuple(site_names))
    try:
        user = add_user(username, Role(role), password, referrer_name, display_name, site_ids=site_ids)
    except UserError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"Utilisateur « {user.username} » créé ({role}).")


@user_group.command("disable")
@click.argument("username")
@with_unit_of_work
def user_disable(username):
    """Disable a login; its open sessions end at once."""
    from kiosk.auth.services import disable_user
    from kiosk.models import User

    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None:
        raise CommandError(f"aucun utilisateur « {username} »")
    disable_user(user)
    click.echo(f"Utilisateur « {username} » désactivé ; ses sessions sont fermées.")


@user_group.command("password")
@click.argument("username")
@click.option("--password", required=True)
@with_unit_of_work
def user_password(username, password):
    """Change a login's password; its open sessions end."""
    from kiosk.auth.services import UserError, change_password
    from kiosk.models import User

    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None:
        raise CommandError(f"aucun utilisateur « {username} »")
    try:
        change_password(user, password)
    except UserError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"Mot de passe de « {username} » changé.")


@click.group("device")
def device_group():
    """Kiosks and tablets."""


@device_group.command("add")
@click.argument("name")
@click.option("--kind", type=click.Choice(["kiosk", "tablet"]), required=True)
@with_unit_of_work
@site_option()
def device_add(name, kind):
    """Create a device; the last line is its one-time enrolment path."""
    from kiosk.devices.services import DeviceError, add_device
    from kiosk.models import DeviceKind

    try:
        device, path = add_device(name, DeviceKind(kind))
    except DeviceError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"Appareil « {device.name} » ({kind}) créé. Ouvrez ce lien une fois sur l'appareil :")
    click.echo(path)


@device_group.command("revoke")
@click.argument("name")
@with_unit_of_work
def device_revoke(name):
    """Revoke a device: it loses access at its next request."""
    from kiosk.devices.services import revoke_device
    from kiosk.models import Device

    device = db.session.scalar(db.select(Device).where(Device.name == name))
    if device is None:
        raise CommandError(f"aucun appareil « {name} »")
    revoke_device(device)
    click.echo(f"Appareil « {name} » révoqué.")


@click.command("serve")
@click.option("--host", default="0.0.0.0", show_default=True)
@click.option("--port", default=5000, type=click.IntRange(1, 65535), show_default=True)
@click.option("--workers", default=1, type=click.IntRange(1, 16), show_default=True,
              help="Processes; one is enough for a centre and keeps SQLite's writers in one queue.")
@click.option("--threads", default=8, type=click.IntRange(1, 64), show_default=True)
@click.option("--https", "https", is_flag=True,
              help="Serve HTTPS with the box's own certificate (made in instance/tls/), for cameras on tablets.")
@click.option("--tls-name", "tls_names", multiple=True, metavar="NAME_OR_IP",
              help="With --https: another local name or address of the box to put in its certificate.")
@click.option("--certfile", type=click.Path(dir_okay=False), default=None, help="Serve HTTPS with this certificate.")
@click.option("--keyfile", type=click.Path(dir_okay=False), default=None)
@click.option("--unix", type=click.Path(dir_okay=False), default=None,
              help="Listen on this Unix socket instead of --host/--port (the box's nginx in front).")
@with_appcontext
def serve_command(host, port, workers, threads, https, tls_names, certfile, keyfile, unix):
    """Serve the app with the production WSGI server (gunicorn)."""
    from kiosk.serve import serve

    if unix and (https or certfile):
        raise CommandError("--unix va sans --https ni --certfile : c'est nginx qui chiffre")
    if bool(certfile) != bool(keyfile):
        raise CommandError("--certfile et --keyfile vont ensemble")
    if tls_names and not https:
        raise CommandError("--tls-name va avec --https")
    if https and not certfile:
        certfile, keyfile = _box_certificate(tls_names)
    serve(current_app._get_current_object(), host, port, workers, threads, certfile, keyfile, unix)


def _box_certificate(tls_names) -> tuple[str, str]:
    """Make or renew the box's own certificate; say where tablets get the authority to trust."""
    import ipaddress

    from kiosk.platform.tls import TLSError, ca_certificate_path, ensure_box_certificate

    names, addresses = [], []
    for value in tls_names:
        try:
            addresses.append(str(ipaddress.ip_address(value)))
        except ValueError:
            names.append(value)
    try:
        certfile, keyfile = ensure_box_certificate(current_app.instance_path, names, addresses)
    except TLSError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"HTTPS : certificat de la boîte {certfile}")
    click.echo(f"Autorité à installer une fois sur chaque tablette : {ca_certificate_path(current_app.instance_path)}"
               " (ou l'adresse /ca.crt de la boîte)")
    return str(certfile), str(keyfile)


@click.command("transfer")
@click.option("--to", "url", required=True, help="The target database URL, e.g. postgresql://user@host/db")
@click.option("--site", "site_name", default=None, metavar="NOM",
              help="Into a network's server (which holds data) as a new centre of that name.")
@with_appcontext
def transfer_command(url, site_name):
    """Move this box's data into an empty database (e.g. PostgreSQL), checked by counting every table;
    with --site, into a network's server as a new centre."""
    from kiosk.transfer import TransferError, transfer_site, transfer_to

    try:
        counts = transfer_site(url, site_name) if site_name else transfer_to(url)
    except TransferError as exc:
        raise CommandError(str(exc)) from exc
    for table, count in counts.items():
        click.echo(f"  {table:<20} {count:>8}")
    click.echo(f"Transfert terminé : {sum(counts.values())} lignes, {len(counts)} tables, comptes identiques.")


def register_commands(app) -> None:
    """Attach every command to the app; feature folders add theirs in their commands.py."""
    from kiosk.backup.commands import backup_command, restore_command
    from kiosk.box.commands import box_group
    from kiosk.cards.commands import card_group, cards_group
    from kiosk.epicerie.commands import epicerie_group
    from kiosk.imports.commands import participant_import
    from kiosk.messages.commands import messages_group
    from kiosk.people.commands import participant_group
    from kiosk.privacy.commands import retention_command
    from kiosk.reports.commands import figures_group, report_command
    from kiosk.sites.commands import site_group
    from kiosk.programme.commands import workshop_group

    for command in (
        init_db_command,
        demo_command,
        user_group,
        device_group,
        serve_command,
        transfer_command,
        backup_command,
        restore_command,
        participant_group,
        card_group,
        cards_group,
        retention_command,
        report_command,
        figures_group,
        workshop_group,
        box_group,
        messages_group,
        epicerie_group,
        site_group,
    ):
        app.cli.add_command(command)
    participant_group.add_command(participant_import)
