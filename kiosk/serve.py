"""The production WSGI server: gunicorn, threaded workers that read each request whole before a
thread serves it (kiosk.platform.http_worker), optional HTTPS."""

import gc
import socket

import click
from gunicorn.app.base import BaseApplication

from kiosk.platform.timezone import utcnow

def freeze_long_lived_objects() -> None:
    """Move what the worker has built so far (modules, the app, its catalogues) out of the
    garbage collector's sight: they live as long as the worker.

    Otherwise each full collection walks them all, and stops every thread of the worker while it
    does: 35 to 50 ms, measured under load. After this, a full collection walks only what
    requests have made since, and takes under a millisecond.
    """
    gc.collect()
    gc.freeze()


class KioskServer(BaseApplication):
    """gunicorn run from our own CLI, each worker building its own app (no pre-fork database handles)."""

    def __init__(self, options: dict):
        self.options = options
        self.started_at = utcnow()  # the workers' retention runs once after this moment
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from kiosk import create_app
        from kiosk.messages.scheduler import start_messages
        from kiosk.privacy.scheduler import start_scheduler

        app = create_app({"DATABASE_POOL_SIZE": max(10, self.options["threads"] + 2), "SERVER_WORKER": True})
        if str(self.options.get("bind", "")).startswith("unix:"):
            # Behind the box's nginx: the client's address and scheme come from its headers (the
            # login limits count per address; session cookies are Secure over HTTPS).
            from werkzeug.middleware.proxy_fix import ProxyFix

            app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)
        start_scheduler(app, self.started_at)
        start_messages(app)
        freeze_long_lived_objects()
        return app


def interface_address(name: str) -> str | None:
    """The IPv4 address of a network interface (Linux SIOCGIFADDR), or None."""
    import fcntl
    import struct

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            packed = fcntl.ioctl(sock.fileno(), 0x8915, struct.pack("256s", name.encode()[:15]))
        except OSError:
            return None
    return socket.inet_ntoa(packed[20:24])


def box_addresses() -> list[str]:
    """The addresses the centre's devices can reach this box on, for the banner (no traffic sent)."""
    addresses = []
    try:
        interfaces = [name for _index, name in socket.if_nameindex() if name != "lo"]
    except OSError:
        interfaces = []
    for name in interfaces:
        address = interface_address(name)
        if address and not address.startswith("127.") and address not in addresses:
            addresses.append(address)
    return addresses or ["127.0.0.1"]


def print_banner(app, host: str, port: int, https: bool) -> None:
    """Tell the person who started the box where each screen is, and the demo logins."""
    from kiosk.demo import demo_logins

    scheme = "https" if https else "http"
    hosts = box_addresses() if host in ("0.0.0.0", "::") else [host]
    click.echo("CéPourMoi est prêt. Ouvrez dans un navigateur :")
    for address in hosts + (["localhost"] if host in ("0.0.0.0", "::") else []):
        base = f"{scheme}://{address}:{port}"
        click.echo(f"  Borne d'accueil (kiosque) : {base}/kiosk")
        click.echo(f"  Tablette de l'épicerie    : {base}/tablet")
        click.echo(f"  Tableau de bord           : {base}/dashboard")
        click.echo(f"  Accueil sans carte        : {base}/accueil")
    if https:
        click.echo(f"Les tablettes font confiance une fois à l'autorité de la boîte : {scheme}://{hosts[0]}:{port}/ca.crt")
    with app.app_context():
        logins = demo_logins()
    if logins:
        click.echo("Comptes de démonstration (identifiant / mot de passe) :")
        for role, username, password in logins:
            click.echo(f"  {role:<12} {username} / {password}")
        click.echo("Attention : ces mots de passe sont publics. Avant d'accueillir de vraies personnes,")
        click.echo("changez-les (page « Comptes et appareils », ou : .venv/bin/kiosk user password NOM --password ...).")
    click.echo("Un appareil s'enrôle avec : .venv/bin/kiosk device add NOM --kind kiosk|tablet")


def serve(app, host, port, workers, threads, certfile=None, keyfile=None, unix=None) -> None:
    """Run gunicorn in the foreground, once the database has passed its quick check; on a Unix
    socket (`unix`) when the box's nginx is in front."""
    from kiosk.backup.commands import check_before_serving
    from kiosk.platform.http_worker import KioskWorker

    check_before_serving()
    if unix:
        click.echo(f"CéPourMoi est prêt sur le socket {unix} (derrière nginx).")
        bind = f"unix:{unix}"
    else:
        print_banner(app, host, port, https=bool(certfile))
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    # Read in the master before the fork: every worker inherits them.
    KioskWorker.head_seconds = float(app.config["SERVER_HEAD_SECONDS"])
    KioskWorker.request_seconds = float(app.config["SERVER_REQUEST_SECONDS"])
    options = {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "kiosk.platform.http_worker.KioskWorker",
        # Connections held at once per worker (slow ones hold no thread, only their bytes so far).
        "worker_connections": 256,
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "forwarded_allow_ips": "127.0.0.1",
    }
    if certfile:
        options.update(certfile=certfile, keyfile=keyfile)
    KioskServer(options).run()
